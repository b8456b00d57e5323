import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { ReminderTransport } from "~/models/reminders.server";

export type ReceivedMail = { to: string[]; raw: string };

/**
 * A real SMTP server on 127.0.0.1 (a free port), recording every message it accepts, and a
 * nodemailer transport pointed at it. `reject` makes it refuse RCPT TO for an address (550);
 * `delayMs` holds each DATA reply, so concurrent senders overlap.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const rejecting = new Set<string>();
  const options = { delayMs: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejecting.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error("Mailbox unavailable (test rejection)"), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()), raw: Buffer.concat(chunks).toString("utf8") });
        setTimeout(() => callback(), options.delayMs);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = server.server.address();
  if (!address || typeof address === "string") throw new Error("The SMTP server did not get a TCP port");
  const mailer = nodemailer.createTransport({ host: "127.0.0.1", port: address.port, secure: false, ignoreTLS: true });
  const transport: ReminderTransport = { channel: "smtp", mailer, from: "Training Tracker <no-reply@district.example>" };

  return {
    port: address.port,
    transport,
    received,
    options,
    reject: (email: string) => rejecting.add(email.toLowerCase()),
    accept: (email: string) => rejecting.delete(email.toLowerCase()),
    /** Messages received for the address so far. */
    to: (email: string) => received.filter((m) => m.to.includes(email.toLowerCase())),
    close: async () => {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function parseMail(raw: string): Promise<ParsedMail> {
  return simpleParser(raw);
}
