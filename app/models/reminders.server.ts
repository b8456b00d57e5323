/**
 * Renewal reminders: the pass that finds due reminders and sends each exactly once, the admin's
 * view of them, a person's own list, and the unsubscribe switch.
 *
 * A pass has three steps:
 *  1. Skip the waiting reminders of certifications that have been renewed.
 *  2. Plan: per program, page through the certifications whose expiry puts a reminder in reach
 *     (an indexed range, never the whole table) and insert the reminder rows they are owed,
 *     idempotently (INSERT ... ON CONFLICT DO NOTHING): the one to send as PENDING, older
 *     ones that will never be sent as SKIPPED.
 *  3. Send: page through the sendable rows, claim each with one conditional UPDATE (only the pass
 *     that gets a count of 1 sends), send it, and mark it SENT or FAILED (retried by later passes).
 *     The outbox channel claims a whole page with one conditional UPDATE ... RETURNING and writes
 *     its messages in one transaction: nothing slow sits between its claim and its write.
 *
 * Two passes at once (cron and the in-server schedule, or two servers) send each reminder once.
 * A pass that dies after sending but before marking SENT leaves a SENDING claim, which another
 * pass takes over after 15 minutes: in that one case a reminder can go out twice, which beats
 * never. The outbox channel writes the message and marks it SENT in one transaction.
 */
import { randomUUID } from "node:crypto";
import { closeTransportFromEnv, transportFromEnv, type Mailer, type MailTransport } from "~/models/mail.server";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { recordAudit } from "~/models/audit.server";
import {
  candidateExpiryRange, buildReminderEmail, CATCH_UP_DAYS, MAX_SEND_ATTEMPTS, planReminders, type ReminderOffset,
} from "~/domain/reminders";
import { addDays, parseReminderDays } from "~/domain/program-rules";
import { dateInZone } from "~/domain/time";
import { createUnsubscribeToken } from "~/domain/unsubscribe-token";
import {
  claimDeliveries, claimDelivery, insertDeliveries, markClaimedSent, selectCandidateCertifications, selectDeliveriesOf,
  selectDueDeliveries, skipDeliveriesOfRenewedCertifications, type DueDeliveryRow, type NewDeliveryRow,
} from "~/models/sql/reminders.sql.server";

/** A claim older than this is taken to belong to a pass that died. */
export const STALE_CLAIM_MS = 15 * 60 * 1000;
const LAST_ERROR_MAX = 500;

/** Where reminder emails go: an SMTP server, or the app's own outbox table (app/models/mail.server.ts). */
export type ReminderTransport = MailTransport;
export { closeTransportFromEnv, transportFromEnv, type Mailer };

export type ReminderPassSummary = {
  passId: string;
  /** The district's calendar day the pass ran for, YYYY-MM-DD. */
  today: string;
  /** Certifications read because a reminder of theirs could be in reach. */
  candidates: number;
  /** Reminder rows created to be sent. */
  created: number;
  /** Reminders marked SENT by this pass (emailed, or recorded without an email). */
  sent: number;
  /** Of those, the ones recorded without an email (no address, or unsubscribed). */
  withoutEmail: number;
  failed: number;
  /** Reminders that will never be sent: superseded by a newer one, too late, or the certification was renewed. */
  skipped: number;
  durationMs: number;
};

export type ReminderPassOptions = {
  now?: Date;
  transport?: ReminderTransport;
  log?: (line: string) => void;
  /** Rows per page, for both the plan and the send steps. */
  batchSize?: number;
  /** Progress is logged every this many pages. */
  logEveryBatches?: number;
  timeZone?: string;
  baseUrl?: string;
};

export function formatPassSummary(s: ReminderPassSummary): string {
  return (
    `Reminder pass ${s.passId} for ${s.today}: ${s.candidates} candidates, ${s.created} created, ` +
    `${s.sent} sent (${s.withoutEmail} without email), ${s.failed} failed, ${s.skipped} skipped, ` +
    `${(s.durationMs / 1000).toFixed(2)} s`
  );
}

/** The district's calendar day of `now`, as 00:00 UTC like every calendar date in the database. */
function districtToday(now: Date, timeZone: string): Date {
  return new Date(`${dateInZone(now, timeZone)}T00:00:00Z`);
}

export async function runReminderPass(options: ReminderPassOptions = {}): Promise<ReminderPassSummary> {
  const started = performance.now();
  const env = getEnv();
  const now = options.now ?? new Date();
  const transport = options.transport ?? transportFromEnv();
  const log = options.log ?? ((line: string) => console.log(line));
  const batchSize = options.batchSize ?? 1000;
  const logEvery = options.logEveryBatches ?? 50;
  const today = districtToday(now, options.timeZone ?? env.DISTRICT_TIME_ZONE);
  const passId = `pass-${now.toISOString()}-${randomUUID().slice(0, 8)}`;
  const summary: ReminderPassSummary = {
    passId, today: today.toISOString().slice(0, 10),
    candidates: 0, created: 0, sent: 0, withoutEmail: 0, failed: 0, skipped: 0, durationMs: 0,
  };

  summary.skipped += await skipDeliveriesOfRenewedCertifications();
  await planDueReminders({ today, now, batchSize, logEvery, log, summary });
  await sendDueReminders({
    today, now, batchSize, logEvery, log, summary, transport,
    baseUrl: options.baseUrl ?? env.PUBLIC_BASE_URL,
    districtName: env.DISTRICT_NAME,
    secret: env.sessionSecrets[0],
  });

  summary.durationMs = Math.round(performance.now() - started);
  log(formatPassSummary(summary));
  return summary;
}

type StepContext = {
  today: Date;
  now: Date;
  batchSize: number;
  logEvery: number;
  log: (line: string) => void;
  summary: ReminderPassSummary;
};

async function planDueReminders(ctx: StepContext) {
  const { today, now, batchSize, logEvery, log, summary } = ctx;
  const programs = await prisma.program.findMany({ select: { id: true, code: true, reminderDays: true }, orderBy: { code: "asc" } });
  for (const program of programs) {
    const days = parseReminderDays(program.reminderDays);
    if (days === null) {
      log(`Program ${program.code}: reminder days "${program.reminderDays}" are not valid; no reminders planned.`);
      continue;
    }
    const range = candidateExpiryRange(days, today);
    if (!range) continue;
    let after: { date: Date; id: string } | null = null;
    let batches = 0;
    for (;;) {
      const certs = await selectCandidateCertifications({ programId: program.id, from: range.from, to: range.to, after, limit: batchSize });
      if (certs.length === 0) break;
      const last = certs[certs.length - 1];
      after = { date: last.expiresOn, id: last.id };
      batches += 1;
      summary.candidates += certs.length;

      const existing = await selectDeliveriesOf(certs.map((c) => c.id));
      const existingByKey = new Map(existing.map((r) => [`${r.certificationId}:${r.daysBefore}`, r]));
      const toSend: NewDeliveryRow[] = [];
      const toSkip: NewDeliveryRow[] = [];
      const superseded: string[] = [];
      const row = (certificationId: string, o: ReminderOffset): NewDeliveryRow => ({
        id: randomUUID(), certificationId, daysBefore: o.daysBefore, dueOn: o.dueOn,
      });
      for (const cert of certs) {
        const plan = planReminders({ ...cert, renewedById: null }, days, today);
        if (plan.send && !existingByKey.has(`${cert.id}:${plan.send.daysBefore}`)) toSend.push(row(cert.id, plan.send));
        for (const offset of plan.skip) {
          const found = existingByKey.get(`${cert.id}:${offset.daysBefore}`);
          if (!found) toSkip.push(row(cert.id, offset));
          // An older reminder still waiting or retrying is pointless once a newer one is due; one
          // that has used up its attempts stays FAILED, for an admin to see.
          else if (found.status === "PENDING" || (found.status === "FAILED" && found.attempts < MAX_SEND_ATTEMPTS)) superseded.push(found.id);
        }
      }
      summary.created += await insertDeliveries(toSend, "PENDING", now);
      summary.skipped += await insertDeliveries(toSkip, "SKIPPED", now);
      if (superseded.length > 0) {
        const { count } = await prisma.reminderDelivery.updateMany({
          where: { id: { in: superseded }, OR: [{ status: "PENDING" }, { status: "FAILED", attempts: { lt: MAX_SEND_ATTEMPTS } }] },
          data: { status: "SKIPPED" },
        });
        summary.skipped += count;
      }
      if (batches % logEvery === 0) {
        log(`Program ${program.code}: ${batches} pages read, ${summary.candidates} candidates so far, ${summary.created} reminders created`);
      }
      if (certs.length < batchSize) break;
    }
  }
}

type SendContext = StepContext & { transport: ReminderTransport; baseUrl: string; districtName: string; secret: string; staleBefore: Date };

async function sendDueReminders(ctx: Omit<SendContext, "staleBefore">) {
  const { today, now, batchSize, logEvery, log, summary } = ctx;
  const from = addDays(today, -CATCH_UP_DAYS);
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const send: SendContext = { ...ctx, staleBefore };
  let after: { date: Date; id: string } | null = null;
  let batches = 0;
  for (;;) {
    const due = await selectDueDeliveries({ from, today, staleBefore, maxAttempts: MAX_SEND_ATTEMPTS, after, limit: batchSize });
    if (due.length === 0) break;
    const last = due[due.length - 1];
    after = { date: last.dueOn, id: last.id };
    batches += 1;
    if (ctx.transport.channel === "outbox") {
      await deliverPageToOutbox(due, send);
    } else {
      // SMTP: claim each reminder just before its send, so a slow mail server never holds a claim long enough to look stale.
      for (const reminder of due) {
        const claimed = await claimDelivery({ id: reminder.id, passId: summary.passId, now, staleBefore, maxAttempts: MAX_SEND_ATTEMPTS });
        if (claimed !== 1) continue; // another pass has it, or it was renewed meanwhile
        await deliver(reminder, send);
      }
    }
    if (batches % logEvery === 0) log(`Sending: ${batches} pages, ${summary.sent} sent, ${summary.failed} failed so far`);
    if (due.length < batchSize) break;
  }
}

/** No address (students need none) or unsubscribed: recorded as sent without an email, so it shows on the person's page. */
function goesWithoutEmail(reminder: DueDeliveryRow): boolean {
  return (reminder.email?.trim() ?? "") === "" || reminder.remindersOptOutAt != null;
}

function reminderMessage(reminder: DueDeliveryRow, expiresOn: Date, ctx: SendContext) {
  const unsubscribeUrl = `${ctx.baseUrl}/reminders/unsubscribe/${createUnsubscribeToken(reminder.personId, ctx.secret)}`;
  const message = buildReminderEmail({
    person: { firstName: reminder.firstName, lastName: reminder.lastName },
    program: { name: reminder.programName, renewalWindowDays: reminder.renewalWindowDays, renewalGuidance: reminder.renewalGuidance },
    expiresOn,
    today: ctx.today,
    baseUrl: ctx.baseUrl,
    unsubscribeUrl,
    districtName: ctx.districtName,
    language: reminder.language === "es" ? "es" : "en",
    certificationId: reminder.certificationId,
  });
  return { unsubscribeUrl, message };
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, LAST_ERROR_MAX);
}

/**
 * The outbox channel, a page at a time: one claim for the page, then one transaction that writes
 * the messages and marks them SENT (only those this pass still holds). Thousands of reminders take
 * a few dozen statements instead of two commits each. A page that fails to write is FAILED as a
 * whole and retried by the next pass.
 */
async function deliverPageToOutbox(due: DueDeliveryRow[], ctx: SendContext) {
  const { now, summary } = ctx;
  const held = await claimDeliveries({ ids: due.map((r) => r.id), passId: summary.passId, now, staleBefore: ctx.staleBefore, maxAttempts: MAX_SEND_ATTEMPTS });
  const mine = due.filter((r) => held.has(r.id));
  if (mine.length === 0) return;
  const withoutEmail: string[] = [];
  const messages: Array<{ toAddress: string; subject: string; textBody: string; htmlBody: string; reminderId: string }> = [];
  const failed: Array<{ id: string; error: string }> = [];
  for (const reminder of mine) {
    if (goesWithoutEmail(reminder) || !reminder.expiresOn) {
      withoutEmail.push(reminder.id);
      continue;
    }
    try {
      const { message } = reminderMessage(reminder, reminder.expiresOn, ctx);
      messages.push({ toAddress: reminder.email?.trim() ?? "", subject: message.subject, textBody: message.text, htmlBody: message.html, reminderId: reminder.id });
    } catch (error) {
      failed.push({ id: reminder.id, error: errorText(error) });
    }
  }
  try {
    const [sent, recorded] = await prisma.$transaction(async (tx) => {
      const sentIds = new Set(await markClaimedSent(tx, { ids: messages.map((m) => m.reminderId), passId: summary.passId, now, channel: "outbox" }));
      const kept = messages.filter((m) => sentIds.has(m.reminderId));
      if (kept.length > 0) await tx.outboxMessage.createMany({ data: kept });
      const recordedIds = await markClaimedSent(tx, { ids: withoutEmail, passId: summary.passId, now, channel: "none" });
      return [kept.length, recordedIds.length];
    });
    summary.sent += sent + recorded;
    summary.withoutEmail += recorded;
  } catch (error) {
    const text = errorText(error);
    failed.push(...messages.map((m) => ({ id: m.reminderId, error: text })), ...withoutEmail.map((id) => ({ id, error: text })));
  }
  for (const f of failed) await markFailed(f.id, summary.passId, f.error);
  summary.failed += failed.length;
}

function markFailed(id: string, passId: string, error: string) {
  return prisma.reminderDelivery.updateMany({
    where: { id, claimedBy: passId, status: "SENDING" },
    data: { status: "FAILED", attempts: { increment: 1 }, lastError: error },
  });
}

function markSent(id: string, passId: string, now: Date, channel: string) {
  // Only while this pass still holds the claim: never overwrite another pass's outcome.
  return prisma.reminderDelivery.updateMany({
    where: { id, claimedBy: passId, status: "SENDING" },
    data: { status: "SENT", sentAt: now, channel },
  });
}

/** One reminder, already claimed by this pass: the SMTP channel (and the outbox's, one at a time). */
async function deliver(reminder: DueDeliveryRow, ctx: SendContext) {
  const { now, summary, transport } = ctx;
  const email = reminder.email?.trim() ?? "";
  if (goesWithoutEmail(reminder) || !reminder.expiresOn) {
    await markSent(reminder.id, summary.passId, now, "none");
    summary.sent += 1;
    summary.withoutEmail += 1;
    return;
  }
  try {
    const { unsubscribeUrl, message } = reminderMessage(reminder, reminder.expiresOn, ctx);
    if (transport.channel === "smtp") {
      await transport.mailer.sendMail({
        from: transport.from,
        to: { name: `${reminder.firstName} ${reminder.lastName}`.replace(/[\r\n]+/g, " "), address: email },
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: {
          // One-click unsubscribe (RFC 8058): mail clients POST to the link, which the route accepts.
          "List-Unsubscribe": `<${unsubscribeUrl}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
      await markSent(reminder.id, summary.passId, now, "smtp");
    } else {
      await prisma.$transaction([
        prisma.outboxMessage.create({
          data: { toAddress: email, subject: message.subject, textBody: message.text, htmlBody: message.html, reminderId: reminder.id },
        }),
        markSent(reminder.id, summary.passId, now, "outbox"),
      ]);
    }
    summary.sent += 1;
  } catch (error) {
    await markFailed(reminder.id, summary.passId, errorText(error));
    summary.failed += 1;
  }
}

/** A person's own reminders, newest first, for their page. Skipped ones never happened, so they are left out. */
export async function listRemindersForPerson(personId: string) {
  const rows = await prisma.reminderDelivery.findMany({
    where: { certification: { personId }, status: { not: "SKIPPED" } },
    orderBy: [{ dueOn: "desc" }, { daysBefore: "asc" }],
    take: 100,
    select: {
      id: true, daysBefore: true, dueOn: true, status: true, sentAt: true, channel: true,
      certification: { select: { id: true, expiresOn: true, program: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    certificationId: r.certification.id,
    programName: r.certification.program.name,
    expiresOn: r.certification.expiresOn,
    daysBefore: r.daysBefore,
    dueOn: r.dueOn,
    status: r.status,
    sentAt: r.sentAt,
    /** smtp or outbox: emailed; none: recorded without an email. */
    channel: r.channel,
  }));
}

const STATUSES = ["PENDING", "SENDING", "SENT", "FAILED", "SKIPPED"] as const;

/** Counts by status, and the failed reminders with their error, for the admin page. */
export async function reminderOverview({ failedLimit = 100 }: { failedLimit?: number } = {}) {
  const [groups, failed, failedTotal] = await Promise.all([
    prisma.reminderDelivery.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.reminderDelivery.findMany({
      where: { status: "FAILED" },
      orderBy: [{ dueOn: "desc" }, { id: "asc" }],
      take: failedLimit,
      select: {
        id: true, daysBefore: true, dueOn: true, attempts: true, lastError: true, claimedAt: true,
        certification: {
          select: {
            expiresOn: true,
            program: { select: { name: true } },
            person: { select: { firstName: true, lastName: true, email: true } },
          },
        },
      },
    }),
    prisma.reminderDelivery.count({ where: { status: "FAILED" } }),
  ]);
  const counts = STATUSES.map((status) => ({ status, count: groups.find((g) => g.status === status)?._count._all ?? 0 }));
  return { counts, failed, failedTotal, maxAttempts: MAX_SEND_ATTEMPTS };
}

/** The person an unsubscribe link names: enough to confirm, nothing more (the link may have been forwarded). */
export function getReminderSubscription(personId: string) {
  return prisma.person.findUnique({ where: { id: personId }, select: { id: true, firstName: true, remindersOptOutAt: true, language: true } });
}

/** Turns renewal reminder emails off (or back on) for a person. Recorded in the audit log. */
export async function setRemindersOptOut(personId: string, optOut: boolean, now = new Date()) {
  return prisma.$transaction(async (tx) => {
    const person = await tx.person.update({
      where: { id: personId },
      data: { remindersOptOutAt: optOut ? now : null },
      select: { id: true, firstName: true, remindersOptOutAt: true },
    });
    await recordAudit(tx, {
      actorId: null,
      action: optOut ? "person.reminders-unsubscribe" : "person.reminders-resubscribe",
      entityType: "Person",
      entityId: personId,
      details: { via: "unsubscribe-link" },
    });
    return person;
  });
}
