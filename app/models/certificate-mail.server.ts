/**
 * Emailing new certificates to their holders when a session closes: one CertificateDelivery per
 * certificate (unique certificationId), so a certificate is emailed once however often the session
 * is closed or the sending is started. The PDF is attached, with the public check link, a link to
 * the holder's page and an .ics of the renewal dates when the certificate expires.
 *
 * A delivery's states: PENDING with sentAt null is waiting; PENDING with sentAt set is being sent
 * (sentAt is when a sender claimed it; a claim older than STALE_CLAIM_MS is given up as lost);
 * SENT; FAILED with the error (a trainer can send it again); SKIPPED: the holder has no email.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { certificateEmail, languageOf } from "~/domain/certificate-text";
import { memberLink } from "~/domain/reminders";
import { certificateCalendarForPerson } from "~/models/calendar.server";
import { certificateFileName, getCertificateForPdf, pdfInput, renderCertificatePdf } from "~/models/certificate-pdf.server";
import { sendMail, type MailTransport } from "~/models/mail.server";
import { partitionPeople, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

/** How many emails one request sends before answering; the rest wait, with a button to send them. */
export const SEND_LIMIT_PER_REQUEST = 60;
export const STALE_CLAIM_MS = 15 * 60 * 1000;
const ERROR_MAX = 500;

/**
 * Creates a delivery for each certificate this session issued to the given people, unless it has
 * one: INSERT … ON CONFLICT DO NOTHING on the unique certificationId, so a double close, or two
 * closes at once, never makes two. A holder without an email is SKIPPED at once.
 */
export async function queueCertificateDeliveries(sessionId: string, personIds: string[], requestedById: string, now = new Date()): Promise<number> {
  if (personIds.length === 0) return 0;
  const certs = await prisma.certification.findMany({
    where: { sessionId, personId: { in: personIds }, delivery: null },
    select: { id: true, person: { select: { email: true } } },
  });
  if (certs.length === 0) return 0;
  const values = certs.map((c) => {
    const address = c.person.email?.trim() || null;
    const status = address ? Prisma.sql`'PENDING'` : Prisma.sql`'SKIPPED'`;
    return Prisma.sql`(${randomUUID()}, ${c.id}, ${sessionId}, ${address}, ${status}, 0, ${requestedById}, ${now})`;
  });
  return prisma.$executeRaw`
    INSERT INTO "CertificateDelivery" ("id", "certificationId", "sessionId", "toAddress", "status", "attempts", "requestedById", "createdAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT DO NOTHING`;
}

/** Deliveries a sender may take: waiting, failed (sent again on request), or claimed by a sender that has gone quiet. */
function sendableWhere(now: Date, includeFailed: boolean): Prisma.CertificateDeliveryWhereInput {
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  return {
    OR: [
      { status: "PENDING", sentAt: null },
      { status: "PENDING", sentAt: { lt: staleBefore } },
      ...(includeFailed ? [{ status: "FAILED" as const }] : []),
    ],
  };
}

export type SendSummary = { sent: number; failed: number; left: number };

/**
 * Sends the session's waiting deliveries (and, when asked, its failed ones), at most `limit` in
 * this call. Each is claimed first by a conditional update, so a concurrent sender skips it.
 */
export async function sendCertificateDeliveries(
  sessionId: string,
  transport: MailTransport,
  opts: { deliveryIds?: string[]; includeFailed?: boolean; limit?: number; now?: () => Date } = {},
): Promise<SendSummary> {
  const clock = opts.now ?? (() => new Date());
  const limit = opts.limit ?? SEND_LIMIT_PER_REQUEST;
  const includeFailed = opts.includeFailed ?? false;
  const where = (): Prisma.CertificateDeliveryWhereInput => ({
    sessionId, ...(opts.deliveryIds ? { id: { in: opts.deliveryIds } } : {}), ...sendableWhere(clock(), includeFailed),
  });
  const candidates = await prisma.certificateDelivery.findMany({ where: where(), orderBy: { createdAt: "asc" }, take: limit, select: { id: true } });
  const summary: SendSummary = { sent: 0, failed: 0, left: 0 };
  for (const { id } of candidates) {
    const claimedAt = clock();
    const claim = await prisma.certificateDelivery.updateMany({
      where: { id, ...sendableWhere(claimedAt, includeFailed) },
      data: { status: "PENDING", sentAt: claimedAt, attempts: { increment: 1 } },
    });
    if (claim.count === 0) continue; // another sender has it
    const outcome = await sendOne(id, transport);
    if (outcome.ok) {
      await prisma.certificateDelivery.update({ where: { id }, data: { status: "SENT", sentAt: clock(), channel: outcome.channel, lastError: null } });
      summary.sent += 1;
    } else {
      await prisma.certificateDelivery.update({ where: { id }, data: { status: "FAILED", sentAt: null, lastError: outcome.error } });
      summary.failed += 1;
    }
  }
  summary.left = await prisma.certificateDelivery.count({ where: { sessionId, status: "PENDING", sentAt: null } });
  return summary;
}

async function sendOne(deliveryId: string, transport: MailTransport): Promise<{ ok: true; channel: "smtp" | "outbox" } | { ok: false; error: string }> {
  try {
    const delivery = await prisma.certificateDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      select: { toAddress: true, certification: { select: { id: true, personId: true, person: { select: { firstName: true, lastName: true, language: true } } } } },
    });
    if (!delivery.toAddress) return { ok: false, error: "This person has no email address." };
    const { certification } = delivery;
    const cert = await getCertificateForPdf(certification.id, certification.personId);
    if (!cert) return { ok: false, error: "The certificate no longer exists or was revoked." };
    const env = getEnv();
    const language = languageOf(certification.person.language);
    const input = pdfInput(cert, language);
    const pdf = await renderCertificatePdf(input);
    const calendar = await certificateCalendarForPerson(cert.certificationId, certification.personId, {
      districtName: env.DISTRICT_NAME, host: new URL(env.PUBLIC_BASE_URL).hostname,
    });
    const ics = calendar?.kind === "calendar" ? calendar.text : null;
    const message = certificateEmail({
      language,
      firstName: certification.person.firstName,
      programName: cert.programName,
      districtName: env.DISTRICT_NAME,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      verifyUrl: input.verifyUrl,
      // Through the email-link sign-in, which lands them on this certificate on their page.
      memberUrl: memberLink(env.PUBLIC_BASE_URL, `/me#certificate-${certification.id}`, language),
      hasCalendar: ics !== null,
    });
    const attachments = [{ filename: certificateFileName(cert.programCode, cert.lastName), content: pdf, contentType: "application/pdf" }];
    if (ics) attachments.push({ filename: "renewal.ics", content: new TextEncoder().encode(ics), contentType: "text/calendar; charset=utf-8; method=PUBLISH" });
    const channel = await sendMail(transport, {
      to: { name: `${certification.person.firstName} ${certification.person.lastName}`, address: delivery.toAddress },
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments,
    });
    return { ok: true, channel };
  } catch (error) {
    return { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, ERROR_MAX) };
  }
}

export type DeliveryRow = {
  id: string;
  name: string;
  /** Where it went; null when the holder has none, or when the viewer may not see emails (then hasAddress says which). */
  address: string | null;
  hasAddress: boolean;
  status: "PENDING" | "SENDING" | "SENT" | "FAILED" | "SKIPPED";
  lastError: string | null;
  attempts: number;
};

/** Who was sent what, for the session's trainers: the people the viewer may see, by name. */
export async function listCertificateDeliveries(viewer: VisibilityViewer, sessionId: string): Promise<{ rows: DeliveryRow[]; hiddenCount: number }> {
  const session = await prisma.trainingSession.findUnique({
    where: { id: sessionId },
    select: sessionFactsSelect,
  });
  if (!session) return { rows: [], hiddenCount: 0 };
  const deliveries = await prisma.certificateDelivery.findMany({
    where: { sessionId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true, toAddress: true, status: true, lastError: true, attempts: true, sentAt: true,
      certification: { select: { person: { select: visiblePersonSelect } } },
    },
  });
  const facts = sessionFacts(session);
  const { shown, hiddenCount } = partitionPeople(
    viewer,
    deliveries.map((d) => ({ ...d, person: d.certification.person })),
    () => ({ via: "session", session: facts, enrolled: true }),
  );
  const rows = shown
    .map((d): DeliveryRow => ({
      id: d.id,
      name: `${d.person.firstName} ${d.person.lastName}`,
      // The address it went to, shown only to a viewer the rule lets see this person's email.
      address: d.person.email === null ? null : d.toAddress,
      hasAddress: d.toAddress !== null,
      status: d.status === "PENDING" && d.sentAt ? "SENDING" : d.status,
      lastError: d.lastError,
      attempts: d.attempts,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { rows, hiddenCount };
}
