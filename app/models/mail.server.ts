/**
 * Where the app's emails go: an SMTP server when SMTP_URL is set, otherwise the app's own outbox table, which an
 * administrator reads at /admin/outbox. Renewal reminders, sign-in links and certificates all go this one way.
 */
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";

export type Mailer = { sendMail(message: Mail.Options): Promise<unknown> };

export type MailTransport = { channel: "smtp"; mailer: Mailer; from: string } | { channel: "outbox" };

let smtpFromEnv: { url: string; transporter: ReturnType<typeof nodemailer.createTransport> } | undefined;

/** SMTP when SMTP_URL is set (one transport per process; add ?pool=true to the URL to reuse connections), otherwise the outbox. */
export function transportFromEnv(): MailTransport {
  const env = getEnv();
  if (!env.SMTP_URL) return { channel: "outbox" };
  if (smtpFromEnv?.url !== env.SMTP_URL) {
    smtpFromEnv?.transporter.close();
    smtpFromEnv = { url: env.SMTP_URL, transporter: nodemailer.createTransport(env.SMTP_URL) };
  }
  return { channel: "smtp", mailer: smtpFromEnv.transporter, from: env.MAIL_FROM };
}

/** Closes the SMTP transport's connections (a pooled one would otherwise keep a script alive). */
export function closeTransportFromEnv() {
  smtpFromEnv?.transporter.close();
  smtpFromEnv = undefined;
}

export type OutgoingMail = {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; content: Uint8Array; contentType: string }>;
  headers?: Record<string, string>;
};

/** Sends one email, or keeps it in the outbox (attachments named in the kept text). Returns the channel used. */
export async function sendMail(transport: MailTransport, mail: OutgoingMail): Promise<"smtp" | "outbox"> {
  const name = mail.to.name.replace(/[\r\n]+/g, " ");
  if (transport.channel === "smtp") {
    await transport.mailer.sendMail({
      from: transport.from,
      to: { name, address: mail.to.address },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: mail.headers,
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
    });
    return "smtp";
  }
  const attached = mail.attachments?.length ? `\n\n[Attached: ${mail.attachments.map((a) => a.filename).join(", ")}]` : "";
  await prisma.outboxMessage.create({ data: { toAddress: mail.to.address, subject: mail.subject, textBody: `${mail.text}${attached}`, htmlBody: mail.html } });
  return "outbox";
}
