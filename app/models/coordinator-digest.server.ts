/**
 * The coordinator's monthly digest: the opt-in, the figures it is built from, and the pass that sends it.
 *
 * A pass, in the first days of a month (or for a month named by `npm run digests -- --month 2026-11`):
 *  1. Plan: one CoordinatorDigest row per active coordinator who opted in, for the month covered. The row's
 *     primary key (userId, month) and INSERT ... ON CONFLICT DO NOTHING make it one row however many passes
 *     and instances run at once.
 *  2. Send: each sendable row (PENDING, FAILED with attempts left, or SENDING under a claim older than
 *     STALE_CLAIM_MS, lost with the pass that made it) is claimed by one conditional UPDATE to SENDING with
 *     the claim's time; only the pass that gets a count of 1 builds and sends it, then marks it SENT,
 *     SKIPPED (no address, or the coordinator turned it off meanwhile) or FAILED (retried by the next pass).
 *     A lost claim's digest may go twice (sent, then the pass died before marking it), never not at all.
 */
import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import { listExpiringAtSchools } from "~/models/certification.server";
import { listGoalsWithProgress } from "~/models/goal.server";
import { closeTransportFromEnv, transportFromEnv, type MailTransport } from "~/models/mail.server";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import { schoolStaffReach } from "~/models/rollup.server";
import {
  buildCoordinatorDigest, digestAsOf, isDigestSendDay, nextMonth, previousMonth,
  type DigestCertificate, type DigestInput, type DigestSchool,
} from "~/domain/coordinator-digest";
import { MAX_SEND_ATTEMPTS } from "~/domain/reminders";
import { addDays } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { dateInZone } from "~/domain/time";

export { closeTransportFromEnv, transportFromEnv };

const LAST_ERROR_MAX = 500;

// ---- the opt-in ----

/** Whether the coordinator receives the digest, and the address it goes to (their sign-in address, else their person's). */
export async function getDigestSetting(userId: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { monthlyDigest: true, email: true, person: { select: { email: true } } } });
  return { on: user.monthlyDigest, address: addressOf(user) };
}

function addressOf(user: { email: string | null; person: { email: string | null } | null }): string | null {
  return user.email?.trim() || user.person?.email?.trim() || null;
}

/** Turns the digest on or off; audited when it changed (a second click changes nothing). */
export async function setMonthlyDigest(userId: string, on: boolean): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, monthlyDigest: !on }, data: { monthlyDigest: on } });
    if (count === 1) {
      await recordAudit(tx, { actorId: userId, action: on ? "user.digest-on" : "user.digest-off", entityType: "User", entityId: userId, details: {} });
    }
    return count === 1;
  });
}

// ---- the figures ----

export type DigestFigures = Pick<DigestInput, "coordinatorName" | "language" | "month" | "asOf" | "schools" | "certified" | "expiring">;

const personName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

/**
 * The coordinator's digest for a month, as of its last day (or today, while it runs): the same staff reach
 * and expiring list as their home page, their schools' goals, and the certificates issued in the month to
 * people with a membership at their schools that school year. Adults by name, through person-visibility;
 * students as counts per school, never names (see app/domain/coordinator-digest.ts).
 */
export async function loadDigestFigures(userId: string, month: Date, today: Date): Promise<DigestFigures> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, personId: true, person: { select: { language: true } }, schools: { select: { schoolId: true } } },
  });
  const schoolIds = user.schools.map((s) => s.schoolId);
  const asOf = digestAsOf(month, today);
  const schoolYear = schoolYearOf(asOf);
  const viewer: VisibilityViewer = { id: user.id, role: "COORDINATOR", schoolIds, personId: user.personId };
  const [reach, expiring, issued, goals] = await Promise.all([
    schoolStaffReach(schoolIds, "YMHFA", asOf),
    listExpiringAtSchools(viewer, schoolYear, asOf, 90),
    certifiedInMonth(viewer, schoolYear, month, asOf),
    Promise.all(schoolIds.map((schoolId) => listGoalsWithProgress({ archived: false, asOf, scope: { scope: "SCHOOL", schoolId } }))),
  ]);
  const goalsBySchool = new Map(schoolIds.map((id, i) => [id, goals[i]]));
  const schools: DigestSchool[] = reach.map((s) => ({
    name: s.name, code: s.code, staffHeadcount: s.staffHeadcount, certifiedStaff: s.certifiedStaff, staffReach: s.staffReach,
    studentsCertified: issued.studentsBySchool.get(s.id) ?? 0,
    goals: (goalsBySchool.get(s.id) ?? []).map((g) => ({
      programName: g.program.name, measure: g.measure, target: g.target, deadline: g.deadline, value: g.progress.value, status: g.progress.status,
    })),
  }));
  return {
    coordinatorName: user.name,
    language: user.person?.language === "es" ? "es" : "en",
    month, asOf, schools,
    certified: issued.adults,
    expiring: expiring.map((c) => ({ name: personName(c.person), programName: c.program.name, date: c.expiresOn ?? asOf, schools: c.schools })),
  };
}

/**
 * Certificates (not revoked) issued in the month to people with a membership at the coordinator's schools in the
 * school year: staff and partners by name; students counted at each of the coordinator's schools they belong to.
 * Driven from the schools' memberships (a few hundred people a school) to each one's certificates by personId.
 */
async function certifiedInMonth(viewer: VisibilityViewer, schoolYear: number, month: Date, asOf: Date) {
  const studentsBySchool = new Map<string, number>();
  const adults: DigestCertificate[] = [];
  if (viewer.schoolIds.length === 0) return { adults, studentsBySchool };
  const memberships = await prisma.affiliation.findMany({
    where: { schoolYear, schoolId: { in: [...viewer.schoolIds] } },
    select: { personId: true, schoolId: true, school: { select: { name: true } } },
  });
  const schoolsOf = new Map<string, Array<{ id: string; name: string }>>();
  for (const m of memberships) {
    const list = schoolsOf.get(m.personId) ?? [];
    if (!list.some((s) => s.id === m.schoolId)) list.push({ id: m.schoolId, name: m.school.name });
    schoolsOf.set(m.personId, list);
  }
  const before = nextMonth(month) < addDays(asOf, 1) ? nextMonth(month) : addDays(asOf, 1);
  const personIds = [...schoolsOf.keys()];
  const certs = [];
  for (let i = 0; i < personIds.length; i += 500) {
    certs.push(...(await prisma.certification.findMany({
      where: { personId: { in: personIds.slice(i, i + 500) }, issuedOn: { gte: month, lt: before }, revokedAt: null },
      select: { id: true, issuedOn: true, program: { select: { name: true } }, renews: { select: { id: true } }, person: { select: visiblePersonSelect } },
    })));
  }
  certs.sort((a, b) => a.issuedOn.getTime() - b.issuedOn.getTime() || a.person.lastName.localeCompare(b.person.lastName) || a.person.firstName.localeCompare(b.person.firstName) || a.id.localeCompare(b.id));
  for (const c of certs) {
    const schools = schoolsOf.get(c.person.id) ?? [];
    if (c.person.kind === "STUDENT") {
      for (const s of schools) studentsBySchool.set(s.id, (studentsBySchool.get(s.id) ?? 0) + 1);
      continue;
    }
    const person = maskPerson(viewer, c.person, { via: "reach" }, asOf);
    if (person.hidden) continue;
    adults.push({ name: personName(person), programName: c.program.name, date: c.issuedOn, schools: schools.map((s) => s.name), renewal: c.renews !== null });
  }
  return { adults, studentsBySchool };
}

// ---- the pass ----

export type DigestPassSummary = {
  passId: string;
  /** The month covered, YYYY-MM; null when today is not a digest day (nothing to do). */
  month: string | null;
  /** Digest rows created for coordinators who opted in. */
  created: number;
  sent: number;
  /** Coordinators with no email address: nothing sent. */
  skippedNoEmail: number;
  /** Coordinators who turned the digest off (or whose account was turned off) after their row was made. */
  skippedTurnedOff: number;
  /** Failed to send; retried by the next pass (up to MAX_SEND_ATTEMPTS). */
  failed: number;
  durationMs: number;
};

export type DigestPassOptions = {
  now?: Date;
  /** The month to cover (its first day); default: the previous month, and only in the first days of a month. */
  month?: Date;
  transport?: MailTransport;
  log?: (line: string) => void;
  timeZone?: string;
  baseUrl?: string;
  districtName?: string;
};

export function formatDigestSummary(s: DigestPassSummary): string {
  if (s.month === null) return `Digest pass ${s.passId}: not a digest day, nothing to do`;
  return (
    `Digest pass ${s.passId} for ${s.month}: ${s.created} created, ${s.sent} sent, ` +
    `${s.skippedNoEmail} skipped (no email), ${s.skippedTurnedOff} skipped (turned off), ${s.failed} failed, ` +
    `${(s.durationMs / 1000).toFixed(2)} s`
  );
}

const monthKey = (month: Date) => month.toISOString().slice(0, 7);

export async function runDigestPass(options: DigestPassOptions = {}): Promise<DigestPassSummary> {
  const started = performance.now();
  const env = getEnv();
  const now = options.now ?? new Date();
  const log = options.log ?? ((line: string) => console.log(line));
  const today = new Date(`${dateInZone(now, options.timeZone ?? env.DISTRICT_TIME_ZONE)}T00:00:00Z`);
  const passId = `digest-${now.toISOString()}-${randomUUID().slice(0, 8)}`;
  const month = options.month ?? (isDigestSendDay(today) ? previousMonth(today) : null);
  const summary: DigestPassSummary = { passId, month: month ? monthKey(month) : null, created: 0, sent: 0, skippedNoEmail: 0, skippedTurnedOff: 0, failed: 0, durationMs: 0 };
  if (month) {
    summary.created = await planDigests(month, now);
    const transport = options.transport ?? transportFromEnv();
    const due = await prisma.coordinatorDigest.findMany({
      where: { month, OR: sendable(now) },
      orderBy: { userId: "asc" },
      select: { userId: true },
    });
    if (due.length > 0) log(`Digests for ${monthKey(month)}: ${due.length} to send`);
    for (const [i, row] of due.entries()) {
      await sendDigest(row.userId, month, { now, today, transport, summary, baseUrl: options.baseUrl ?? env.PUBLIC_BASE_URL, districtName: options.districtName ?? env.DISTRICT_NAME });
      if ((i + 1) % 100 === 0) log(`Digests: ${i + 1} of ${due.length} done, ${summary.sent} sent, ${summary.failed} failed so far`);
    }
  }
  summary.durationMs = Math.round(performance.now() - started);
  // The schedule calls a pass every few minutes all month: only the digest days' passes have anything to say.
  if (month) log(formatDigestSummary(summary));
  return summary;
}

/** One row per active coordinator who opted in; existing rows (another pass's, an earlier run's) are left alone. */
async function planDigests(month: Date, now: Date): Promise<number> {
  const coordinators = await prisma.user.findMany({ where: { role: "COORDINATOR", active: true, monthlyDigest: true }, select: { id: true }, orderBy: { id: "asc" } });
  let created = 0;
  for (let i = 0; i < coordinators.length; i += 500) {
    const values = coordinators.slice(i, i + 500).map((c) => Prisma.sql`(${c.id}, ${month}, 'PENDING', 0, ${now})`);
    // The enum value is an SQL literal: PostgreSQL casts it to the enum type (a bound text parameter it would not).
    created += await prisma.$executeRaw`
      INSERT INTO "CoordinatorDigest" ("userId", "month", "status", "attempts", "createdAt") VALUES ${Prisma.join(values)}
      ON CONFLICT DO NOTHING`;
  }
  return created;
}

type SendContext = { now: Date; today: Date; transport: MailTransport; summary: DigestPassSummary; baseUrl: string; districtName: string };

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, LAST_ERROR_MAX);
}

/** A claim older than this was lost with its pass: another pass takes the row over. */
const STALE_CLAIM_MS = 15 * 60 * 1000;

function sendable(now: Date): Prisma.CoordinatorDigestWhereInput[] {
  return [
    { status: "PENDING" },
    { status: "FAILED", attempts: { lt: MAX_SEND_ATTEMPTS } },
    { status: "SENDING", claimedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
  ];
}

/** The claim: only the pass whose UPDATE changes the row sends it. */
async function claimDigest(userId: string, month: Date, now: Date): Promise<boolean> {
  const { count } = await prisma.coordinatorDigest.updateMany({
    where: { userId, month, OR: sendable(now) },
    data: { status: "SENDING", claimedAt: now },
  });
  return count === 1;
}

function finishDigest(userId: string, month: Date, data: Prisma.CoordinatorDigestUpdateManyMutationInput) {
  return prisma.coordinatorDigest.updateMany({ where: { userId, month, status: "SENDING" }, data });
}

async function sendDigest(userId: string, month: Date, ctx: SendContext) {
  const { now, summary, transport } = ctx;
  if (!(await claimDigest(userId, month, ctx.now))) return; // another pass has it
  try {
    const user = await prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: { role: true, active: true, monthlyDigest: true, email: true, name: true, person: { select: { email: true } } },
    });
    if (user.role !== "COORDINATOR" || !user.active || !user.monthlyDigest) {
      await finishDigest(userId, month, { status: "SKIPPED", channel: "none", lastError: "The digest was turned off" });
      summary.skippedTurnedOff += 1;
      return;
    }
    const address = addressOf(user);
    if (!address) {
      await finishDigest(userId, month, { status: "SKIPPED", channel: "none", lastError: "No email address" });
      summary.skippedNoEmail += 1;
      return;
    }
    const figures = await loadDigestFigures(userId, month, ctx.today);
    const message = buildCoordinatorDigest({ ...figures, baseUrl: ctx.baseUrl, districtName: ctx.districtName });
    if (transport.channel === "smtp") {
      await transport.mailer.sendMail({
        from: transport.from,
        to: { name: user.name.replace(/[\r\n]+/g, " "), address },
        subject: message.subject, text: message.text, html: message.html,
      });
      await finishDigest(userId, month, { status: "SENT", channel: "smtp", sentAt: now, lastError: null });
    } else {
      // The message and its SENT mark in one transaction: the outbox never holds a digest twice.
      await prisma.$transaction([
        prisma.outboxMessage.create({ data: { toAddress: address, subject: message.subject, textBody: message.text, htmlBody: message.html } }),
        finishDigest(userId, month, { status: "SENT", channel: "outbox", sentAt: now, lastError: null }),
      ]);
    }
    summary.sent += 1;
  } catch (error) {
    await finishDigest(userId, month, { status: "FAILED", attempts: { increment: 1 }, lastError: errorText(error) });
    summary.failed += 1;
  }
}
