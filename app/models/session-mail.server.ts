/**
 * Emails to enrolled people when they are enrolled, when their session changes and when it is
 * cancelled (texts and invitations: app/domain/session-notices.ts).
 *
 * Written to SessionMail inside the transaction that makes the change: a change that fails or is
 * rolled back leaves no mail, and a committed one always has its mail. After the commit the same
 * request relays waiting mail (relaySessionMail): each row is claimed by a conditional update
 * (PENDING to SENDING, so two relays never send one row), then sent over SMTP, or, without SMTP,
 * copied to the outbox (OutboxMessage) as the message an administrator reads, with its calendar files
 * after "[Attached: …]" lines. A send that fails waits for the next relay; after MAX_ATTEMPTS it is
 * FAILED, with the error kept.
 */
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import type { Prisma } from "~/generated/prisma/client";
import {
  cancelledNotices, changedNotices, enrolledNotices, nextUpdatedAt, parseMailbox, removedNotices,
  type Notice, type NoticeContext, type NoticeFor, type Recipient, type SessionSnapshot,
} from "~/domain/session-notices";
import { memberLink } from "~/domain/reminders";
import { transportFromEnv, type MailTransport } from "~/models/mail.server";

type Db = Prisma.TransactionClient;

/** A mail refused this many times is given up (FAILED), as reminders are. */
const MAX_ATTEMPTS = 5;
/** A claim older than this was lost with its process: the row waits again. */
const STALE_CLAIM_MS = 15 * 60 * 1000;
/** How many one relay sends before the request answers; the rest wait for the next relay. */
export const RELAY_LIMIT = 60;

/** Enrollments made on the day by the people themselves (QR walk-ins, paper sheets) get no invitation. */
const SOURCES_WITHOUT_MAIL = new Set(["qr-walk-in", "paper"]);

const snapshotSelect = {
  id: true, title: true, format: true, siteName: true, updatedAt: true,
  program: { select: { name: true } },
  school: { select: { name: true } },
  trainers: { where: { role: "LEAD" }, select: { user: { select: { name: true } } } },
  days: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
} as const;

/** The session as attendees see it, read inside the change's transaction. */
export async function sessionSnapshot(db: Db, sessionId: string): Promise<SessionSnapshot> {
  const s = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: snapshotSelect });
  return {
    id: s.id, programName: s.program.name, title: s.title, format: s.format, siteName: s.siteName, school: s.school,
    leadTrainer: s.trainers[0]?.user.name ?? null, updatedAt: s.updatedAt, days: s.days,
  };
}

/** A session whose last day has ended is past: changes to it (corrections) are not announced. */
function stillAhead(s: SessionSnapshot, now: Date): boolean {
  return s.days.some((d) => d.endsAt.getTime() >= now.getTime());
}

function noticeContext(): NoticeContext {
  const env = getEnv();
  const host = new URL(env.PUBLIC_BASE_URL).hostname;
  return {
    districtName: env.DISTRICT_NAME,
    host,
    timeZone: env.DISTRICT_TIME_ZONE,
    organizer: parseMailbox(env.MAIL_FROM) ?? { name: env.DISTRICT_NAME, email: `no-reply@${host}` },
  };
}

/** The member's page, through the email-link sign-in, in their language. */
function memberUrl(language: string): string {
  return memberLink(getEnv().PUBLIC_BASE_URL, "/me#sessions", language === "es" ? "es" : "en");
}

type EnrolledPerson = Recipient & { language: string };

/**
 * Enrolled people who have an email (students included when the district has an address for them,
 * as for certificates), in id order; only `personIds` when given.
 */
async function recipients(db: Db, sessionId: string, personIds?: string[]): Promise<EnrolledPerson[]> {
  const rows: EnrolledPerson[] = [];
  const select = { person: { select: { id: true, firstName: true, lastName: true, email: true, language: true } } } as const;
  const found = personIds
    ? (await Promise.all(chunk(personIds, 500).map((part) => db.enrollment.findMany({ where: { sessionId, personId: { in: part } }, select })))).flat()
    : await db.enrollment.findMany({ where: { sessionId }, select });
  for (const { person } of found.sort((a, b) => a.person.id.localeCompare(b.person.id))) {
    const email = person.email?.trim();
    if (email) rows.push({ firstName: person.firstName, lastName: person.lastName, email, language: person.language });
  }
  return rows;
}

function chunk<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

type CalendarFile = { filename: string; method: string; content: string };

/** The outbox copy's text: the message, then each calendar file after an "[Attached: …]" line. */
function outboxText(text: string, calendars: CalendarFile[]): string {
  return text + calendars.map((a) => `\n\n[Attached: ${a.filename}]\n${a.content}`).join("");
}

function calendarFiles(notice: Notice): CalendarFile[] {
  return notice.attachments.map((a) => ({
    filename: a.filename,
    method: /^METHOD:(\w+)/m.exec(a.content)?.[1] ?? "PUBLISH",
    content: a.content,
  }));
}

function parseCalendars(json: string): CalendarFile[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((a) =>
    a && typeof a === "object" && typeof a.filename === "string" && typeof a.method === "string" && typeof a.content === "string"
      ? [{ filename: a.filename, method: a.method, content: a.content }]
      : [],
  );
}

async function queue(db: Db, sessionId: string, mails: Array<{ to: Recipient; notice: Notice }>): Promise<number> {
  if (mails.length === 0) return 0;
  for (const part of chunk(mails, 200)) {
    await db.sessionMail.createMany({
      data: part.map(({ to, notice }) => ({
        sessionId, toAddress: to.email, subject: notice.subject, textBody: notice.text, htmlBody: notice.html,
        calendars: JSON.stringify(calendarFiles(notice)),
      })),
    });
  }
  return mails.length;
}

function addressedTo(people: EnrolledPerson[], noticeFor: NoticeFor) {
  return people.map((p) => ({ to: p, notice: noticeFor({ ...p, memberUrl: memberUrl(p.language) }) }));
}

/** Inside the enrollment's transaction: an invitation to each newly enrolled person with an email. */
export async function queueEnrolledMail(db: Db, sessionId: string, personIds: string[], source: string, now = new Date()): Promise<number> {
  if (personIds.length === 0 || SOURCES_WITHOUT_MAIL.has(source)) return 0;
  const session = await sessionSnapshot(db, sessionId);
  if (!stillAhead(session, now)) return 0;
  const people = await recipients(db, sessionId, personIds);
  if (people.length === 0) return 0;
  return queue(db, sessionId, addressedTo(people, enrolledNotices(session, noticeContext())));
}

/** Inside the change's transaction, after it is written: the enrolled are told what changed, if anything that matters to them did. */
export async function queueChangedMail(db: Db, before: SessionSnapshot, after: SessionSnapshot, now = new Date()): Promise<number> {
  if (!stillAhead(before, now) && !stillAhead(after, now)) return 0;
  const noticeFor = changedNotices(before, after, noticeContext());
  if (!noticeFor) return 0;
  return queue(db, after.id, addressedTo(await recipients(db, after.id), noticeFor));
}

/** Inside the cancellation's transaction. */
export async function queueCancelledMail(db: Db, before: SessionSnapshot, after: SessionSnapshot, reason: string | null, now = new Date()): Promise<number> {
  if (!stillAhead(before, now)) return 0;
  const people = await recipients(db, before.id);
  if (people.length === 0) return 0;
  const oneLine = reason?.replace(/\s+/g, " ").trim() || null;
  return queue(db, before.id, addressedTo(people, cancelledNotices(before, after, noticeContext(), oneLine)));
}

/**
 * Inside the removal's transaction, before the enrollment is deleted: the person is told they are no
 * longer enrolled, and their calendar's events for the session are cancelled.
 */
export async function queueRemovedMail(db: Db, sessionId: string, personId: string, now = new Date()): Promise<number> {
  const before = await sessionSnapshot(db, sessionId);
  if (!stillAhead(before, now)) return 0;
  const people = await recipients(db, sessionId, [personId]);
  if (people.length === 0) return 0;
  // The cancellation needs a higher SEQUENCE than the invitation, and a later invitation (enrolled
  // again) a higher one still: the session's updatedAt moves on, as for any change people are told of.
  const updatedAt = nextUpdatedAt(before.updatedAt, now);
  await db.trainingSession.update({ where: { id: sessionId }, data: { updatedAt } });
  return queue(db, sessionId, addressedTo(people, removedNotices({ ...before, updatedAt }, noticeContext())));
}

export type RelaySummary = { sent: number; kept: number; failed: number; errors: string[] };

/**
 * Sends waiting session mail (after the transaction that wrote it committed). Never throws for a
 * failed send: the change is already made, and the row waits for the next relay.
 */
export async function relaySessionMail(
  transport: MailTransport = transportFromEnv(), opts: { limit?: number; now?: () => Date; since?: Date } = {},
): Promise<RelaySummary> {
  const clock = opts.now ?? (() => new Date());
  const summary: RelaySummary = { sent: 0, kept: 0, failed: 0, errors: [] };
  // A full pass (the schedule's) also takes back lost claims; a request's pass reads only recent rows.
  if (!opts.since) await releaseStaleClaims(clock());
  const waiting = await prisma.sessionMail.findMany({
    where: { status: "PENDING", ...(opts.since ? { createdAt: { gte: opts.since } } : {}) },
    orderBy: { createdAt: "asc" }, take: opts.limit ?? RELAY_LIMIT,
    select: { id: true },
  });
  for (const { id } of waiting) {
    const claim = await prisma.sessionMail.updateMany({
      where: { id, status: "PENDING" },
      data: { status: "SENDING", claimedAt: clock(), attempts: { increment: 1 } },
    });
    if (claim.count === 0) continue; // another relay has it
    const row = await prisma.sessionMail.findUniqueOrThrow({ where: { id } });
    const calendars = parseCalendars(row.calendars);
    if (transport.channel === "outbox") {
      // The outbox is the delivery: the copy an administrator reads, written with the row's new state.
      await prisma.$transaction([
        prisma.outboxMessage.create({
          data: { toAddress: row.toAddress, subject: row.subject, textBody: outboxText(row.textBody, calendars), htmlBody: row.htmlBody },
        }),
        prisma.sessionMail.update({ where: { id }, data: { status: "SENT", channel: "outbox", sentAt: clock(), claimedAt: null } }),
      ]);
      summary.kept += 1;
      continue;
    }
    try {
      const [invitation, ...others] = calendars;
      await transport.mailer.sendMail({
        from: transport.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        // The invitation as the message's calendar part, which mail clients offer to add or update.
        ...(invitation ? { icalEvent: { method: invitation.method, filename: invitation.filename, content: invitation.content } } : {}),
        attachments: others.map((a) => ({ filename: a.filename, content: a.content, contentType: `text/calendar; charset=utf-8; method=${a.method}` })),
      });
      await prisma.sessionMail.update({ where: { id }, data: { status: "SENT", channel: "smtp", sentAt: clock(), claimedAt: null, lastError: null } });
      summary.sent += 1;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      await prisma.sessionMail.update({
        where: { id },
        data: { status: row.attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING", claimedAt: null, lastError: message },
      });
      summary.failed += 1;
      summary.errors.push(message);
    }
  }
  return summary;
}

/** A relay that died mid-send left its rows claimed; after STALE_CLAIM_MS they wait again (sent at least once). */
async function releaseStaleClaims(now: Date) {
  await prisma.sessionMail.updateMany({
    where: { status: "SENDING", claimedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
    data: { status: "PENDING", claimedAt: null },
  });
}

/** How far back a request's relay looks: its own rows, and any a moment ago failed to send. */
const RECENT_MS = 10 * 60 * 1000;

/**
 * After a change commits: sends its mail (and other recent waiting mail). A failure to reach the
 * database or the mail server never fails the change; the rows wait for the scheduled pass
 * (app/reminder-schedule.server.ts), which relays every waiting row.
 */
export async function relayAfterCommit(transport?: MailTransport): Promise<void> {
  try {
    await relaySessionMail(transport, { since: new Date(Date.now() - RECENT_MS) });
  } catch {
    // The rows wait for the next relay.
  }
}
