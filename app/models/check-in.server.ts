import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";
import { createCheckInToken, newCheckInNonce, nonceMatches, verifyCheckInToken } from "~/domain/check-in-token";
import { endOfDayInZone } from "~/domain/time";
import type { CheckInInput } from "~/forms/check-in";
import { recordAudit } from "~/models/audit.server";
import { enrollPeople, recordAttendance, sessionDayLock, sessionSeatsLock } from "~/models/enrollment.server";
import { lockForTransaction } from "~/db/dialect.server";
import { createPerson } from "~/models/person.server";
import { addMembershipFromWork, districtDay } from "~/models/roster.server";
import { hitRateLimit, type RateLimit } from "~/models/rate-limit.server";
import { maskPerson, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import { attendanceRefusal, dayHasStarted } from "~/domain/session-day";

type Db = Prisma.TransactionClient;

/** Test seams: the clock, the signing secrets and the district zone; the environment otherwise. */
export type CheckInOptions = { now?: Date; secrets?: readonly string[]; timeZone?: string };

function settings(opts: CheckInOptions) {
  const env = getEnv();
  const secrets = opts.secrets ?? env.sessionSecrets;
  if (secrets.length === 0) throw new Error("No secret to sign check-in links");
  return { now: opts.now ?? new Date(), secrets, timeZone: opts.timeZone ?? env.DISTRICT_TIME_ZONE };
}

export class CheckInError extends Error {
  constructor(public code: "not-found" | "closed" | "ended", message: string) {
    super(message);
  }
}

/** A check-in link lives until the end of its session day in the district's time zone. */
export function checkInExpiry(day: { startsAt: Date }, timeZone: string): Date {
  return endOfDayInZone(day.startsAt, timeZone);
}

// Many phones at the door at once: SQLite runs one write transaction at a time, so they queue.
const TX_OPTIONS = { maxWait: 60_000, timeout: 20_000 };
// A unique-constraint race (P2002), a write conflict (P2034) or a busy database (P1008) is
// settled by running the whole transaction again: it then reads what the other one wrote.
const RETRYABLE = new Set(["P2002", "P2034", "P1008"]);

export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retryable = error instanceof Prisma.PrismaClientKnownRequestError && RETRYABLE.has(error.code);
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}

async function dayForTrainer(tx: Db, sessionDayId: string, sessionId: string | undefined) {
  const day = await tx.sessionDay.findUnique({
    where: { id: sessionDayId },
    select: { id: true, sessionId: true, startsAt: true, checkInNonce: true, session: { select: { status: true } } },
  });
  if (!day || (sessionId !== undefined && day.sessionId !== sessionId)) throw new CheckInError("not-found", "That day is not part of this session");
  return day;
}

/** Opens (or restarts) QR check-in for a day: a new random nonce, so any older link stops working. */
export async function openCheckIn(sessionDayId: string, actorId: string, opts: CheckInOptions & { sessionId?: string } = {}) {
  const { now, secrets, timeZone } = settings(opts);
  return prisma.$transaction(async (tx) => {
    const day = await dayForTrainer(tx, sessionDayId, opts.sessionId);
    if (day.session.status !== "SCHEDULED") throw new CheckInError("closed", "This session is closed or cancelled; reopen it to open check-in");
    const expiresAt = checkInExpiry(day, timeZone);
    if (now >= expiresAt) throw new CheckInError("ended", "This day is over, so check-in cannot be opened for it. Enter the paper sheet instead.");
    const nonce = newCheckInNonce();
    await tx.sessionDay.update({ where: { id: day.id }, data: { checkInNonce: nonce, checkInOpenedAt: now } });
    await recordAudit(tx, {
      actorId, action: "checkin.open", entityType: "TrainingSession", entityId: day.sessionId,
      details: { sessionDayId: day.id, expiresAt: expiresAt.toISOString() },
    });
    return { token: createCheckInToken({ sessionDayId: day.id, nonce, expiresAt }, secrets[0]), expiresAt };
  });
}

/** Closes QR check-in for a day: the nonce is cleared, so every link for it stops working. */
export async function closeCheckIn(sessionDayId: string, actorId: string, opts: { sessionId?: string } = {}) {
  return prisma.$transaction(async (tx) => {
    const day = await dayForTrainer(tx, sessionDayId, opts.sessionId);
    if (!day.checkInNonce) return { wasOpen: false };
    await tx.sessionDay.update({ where: { id: day.id }, data: { checkInNonce: null, checkInOpenedAt: null } });
    await recordAudit(tx, { actorId, action: "checkin.close", entityType: "TrainingSession", entityId: day.sessionId, details: { sessionDayId: day.id } });
    return { wasOpen: true };
  });
}

/** The link for a day whose check-in is open and not yet over; null otherwise. */
export function currentCheckInToken(day: { id: string; startsAt: Date; checkInNonce: string | null }, opts: CheckInOptions = {}): string | null {
  const { now, secrets, timeZone } = settings(opts);
  if (!day.checkInNonce) return null;
  const expiresAt = checkInExpiry(day, timeZone);
  if (now >= expiresAt) return null;
  return createCheckInToken({ sessionDayId: day.id, nonce: day.checkInNonce, expiresAt }, secrets[0]);
}

export type VerifiedCheckIn = {
  ok: true;
  day: { id: string; startsAt: Date; endsAt: Date };
  session: { id: string; programName: string };
};
/**
 * invalid: not a link we made (404). expired / closed: a real link that no longer works (410).
 * not-started: a link opened ahead of its day, which has not begun in the district's zone.
 */
export type RefusedCheckIn = { ok: false; reason: "invalid" | "expired" | "closed" } | { ok: false; reason: "not-started"; startsAt: Date };

async function verifyWith(db: Db | typeof prisma, token: string, s: ReturnType<typeof settings>): Promise<VerifiedCheckIn | RefusedCheckIn> {
  const check = verifyCheckInToken(token, s.secrets, s.now);
  if (!check.ok) return { ok: false, reason: check.reason === "expired" ? "expired" : "invalid" };
  const day = await db.sessionDay.findUnique({
    where: { id: check.claims.sessionDayId },
    select: {
      id: true, startsAt: true, endsAt: true, checkInNonce: true,
      session: { select: { id: true, status: true, program: { select: { name: true } } } },
    },
  });
  if (!day) return { ok: false, reason: "invalid" };
  if (!nonceMatches(day.checkInNonce, check.claims.nonce)) return { ok: false, reason: "closed" };
  // The day may have been moved since the link was made: its own end still applies.
  if (s.now >= checkInExpiry(day, s.timeZone)) return { ok: false, reason: "expired" };
  if (day.session.status !== "SCHEDULED") return { ok: false, reason: "closed" };
  // Attendance is never recorded for a day still to come (the rule of app/domain/session-day.ts).
  if (!dayHasStarted(day, s.now, s.timeZone)) return { ok: false, reason: "not-started", startsAt: day.startsAt };
  return {
    ok: true,
    day: { id: day.id, startsAt: day.startsAt, endsAt: day.endsAt },
    session: { id: day.session.id, programName: day.session.program.name },
  };
}

/** Whether a check-in link works now, and for which day. Reveals nothing about the roster. */
export function verifyToken(token: string, opts: CheckInOptions = {}) {
  return verifyWith(prisma, token, settings(opts));
}

/**
 * Public check-in posts per address and per link, per minute. A whole class on school wifi
 * shares one address behind NAT: 30 people, some retyping a mistake, fit in 40 a minute, and
 * anyone over is told to try again in a minute. The link's own limit caps guessing from many
 * addresses while letting a large room through (docs/decisions/009-check-in-walk-ins.md).
 */
export const CHECK_IN_POSTS_PER_ADDRESS: RateLimit = { limit: 40, windowMs: 60_000 };
export const CHECK_IN_POSTS_PER_LINK: RateLimit = { limit: 200, windowMs: 60_000 };

export function throttleCheckInAddress(address: string, now?: Date) {
  return hitRateLimit(`check-in-addr:${address}`, CHECK_IN_POSTS_PER_ADDRESS, now);
}
export function throttleCheckInLink(sessionDayId: string, now?: Date) {
  return hitRateLimit(`check-in-link:${sessionDayId}`, CHECK_IN_POSTS_PER_LINK, now);
}

export type CheckInResult =
  | { ok: true; outcome: "checked-in"; alreadyCheckedIn: boolean; programName: string; startsAt: Date }
  /** Not on the roster (or not known at all): recorded for the trainer to approve. Never says which. */
  | { ok: true; outcome: "walk-in"; programName: string; startsAt: Date }
  | RefusedCheckIn;

const normalised = (text: string) => text.trim().normalize("NFC").toLocaleLowerCase();
const sameName = (a: string, b: string) => normalised(a) === normalised(b);

/** One walk-in per day and typed identity, however often it is posted. */
export function walkInIdentityKey(input: CheckInInput): string {
  return "districtId" in input
    ? `id:${input.districtId.trim()}`
    : `name:${[input.firstName, input.lastName, input.email].map(normalised).join("|")}`;
}

/** The record a district ID stands for: a merged record stands for its survivor. */
async function personByDistrictId(tx: Db | typeof prisma, districtId: string) {
  let person = await tx.person.findUnique({ where: { districtId: districtId.trim() }, select: { id: true, mergedIntoId: true } });
  for (let hops = 0; person?.mergedIntoId && hops < 5; hops++) {
    person = await tx.person.findUnique({ where: { id: person.mergedIntoId }, select: { id: true, mergedIntoId: true } });
  }
  return person && !person.mergedIntoId ? person.id : null;
}

/** People known by this name and email: emails are stored in lower case; names compared without regard to case. */
async function peopleByNameAndEmail(tx: Db, input: { firstName: string; lastName: string; email: string }, sessionId: string) {
  const typed = input.email.trim();
  const candidates = await tx.person.findMany({
    where: { mergedIntoId: null, email: { in: [...new Set([typed.toLowerCase(), typed])] } },
    select: { ...visiblePersonSelect, enrollments: { where: { sessionId }, select: { id: true } } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  return candidates.filter((c) => sameName(c.firstName, input.firstName) && sameName(c.lastName, input.lastName));
}

/**
 * Self check-in from the QR link. Someone on the roster is marked present on the link's day.
 * Anyone else — a known person not on the roster, an unknown district ID, a name nobody knows —
 * becomes a walk-in for the trainer to approve: nobody is created or enrolled from here, and
 * those cases all get the same answer through the same queries, so the page never tells
 * whether a district ID exists. One transaction, retried on a conflict, so repeats and
 * concurrent scans record one row.
 */
export async function checkIn(token: string, input: CheckInInput, opts: CheckInOptions = {}): Promise<CheckInResult> {
  const s = settings(opts);
  if ("districtId" in input ? input.districtId.length > 40 : input.firstName.length > 80 || input.lastName.length > 80 || input.email.length > 200) {
    throw new Error("Check-in input is too long: validate it with checkInFormSchema first");
  }
  // The day the link names (checked again, with its signature, by verifyWith).
  const claimed = verifyCheckInToken(token, s.secrets, s.now);
  return withConflictRetry(() =>
    prisma.$transaction(async (tx): Promise<CheckInResult> => {
      // Check-ins of one day run one at a time: "already checked in" is read, then written.
      if (claimed.ok) await lockForTransaction(tx, sessionDayLock(claimed.claims.sessionDayId));
      const verified = await verifyWith(tx, token, s);
      if (!verified.ok) return verified;
      const { day, session } = verified;
      let personId: string | null;
      if ("districtId" in input) personId = await personByDistrictId(tx, input.districtId);
      else {
        const matches = await peopleByNameAndEmail(tx, input, session.id);
        // Of duplicates (a human merges them later), the one already on this roster.
        personId = (matches.find((m) => m.enrollments.length > 0) ?? matches[0])?.id ?? null;
      }
      // Asked for an unknown person too (with no id), so every path runs the same queries.
      const enrollment = await tx.enrollment.findUnique({
        where: { sessionId_personId: { sessionId: session.id, personId: personId ?? "" } },
        select: { id: true, attendance: { where: { sessionDayId: day.id }, select: { status: true } } },
      });
      if (!enrollment) {
        const typed = "districtId" in input
          ? { districtId: input.districtId.trim() }
          : { firstName: input.firstName.trim(), lastName: input.lastName.trim(), email: input.email.trim() };
        const identityKey = walkInIdentityKey(input);
        await tx.checkInWalkIn.upsert({
          where: { sessionDayId_identityKey: { sessionDayId: day.id, identityKey } },
          create: { sessionDayId: day.id, identityKey, ...typed },
          // A repeat changes nothing: a dismissed walk-in stays dismissed.
          update: {},
        });
        return { ok: true, outcome: "walk-in", programName: session.programName, startsAt: day.startsAt };
      }
      const mark = enrollment.attendance[0]?.status ?? null;
      // A trainer's "partial" stands; "absent" gives way to the person standing at the door.
      const alreadyCheckedIn = mark === "PRESENT" || mark === "PARTIAL";
      if (!alreadyCheckedIn) {
        await recordAttendance(session.id, [{ enrollmentId: enrollment.id, sessionDayId: day.id, status: "PRESENT" }], { actorId: null, method: "QR", now: s.now, timeZone: s.timeZone }, tx);
      }
      return { ok: true, outcome: "checked-in", alreadyCheckedIn, programName: session.programName, startsAt: day.startsAt };
    }, TX_OPTIONS),
  );
}

export class WalkInError extends Error {
  constructor(public code: "not-found" | "closed" | "not-started" | "no-one-to-add", message: string) {
    super(message);
  }
}

async function walkInOfSession(tx: Db, walkInId: string, sessionId: string) {
  const walkIn = await tx.checkInWalkIn.findUnique({
    where: { id: walkInId },
    select: {
      id: true, decision: true, personId: true, districtId: true, firstName: true, lastName: true, email: true,
      sessionDay: { select: { id: true, startsAt: true, sessionId: true, session: { select: { status: true, ...sessionFactsSelect } } } },
    },
  });
  if (!walkIn || walkIn.sessionDay.sessionId !== sessionId) throw new WalkInError("not-found", "That walk-in is not part of this session; refresh the page");
  return walkIn;
}

/**
 * Who approving a walk-in adds: the person with the typed district ID, or the one known by the
 * typed name and email, else a new community partner (as check-in itself once did). Only
 * someone the trainer could find on the roster page (app/domain/person-visibility.ts): a
 * student of another school is "no one you can add", like an unknown ID.
 */
async function personToAdd(tx: Db, walkIn: Awaited<ReturnType<typeof walkInOfSession>>, viewer: VisibilityViewer, now: Date) {
  const seen = { via: "search" as const, session: sessionFacts(walkIn.sessionDay.session) };
  if (walkIn.districtId !== null) {
    const id = await personByDistrictId(tx, walkIn.districtId);
    const person = id ? await tx.person.findUnique({ where: { id }, select: visiblePersonSelect }) : null;
    if (!person || maskPerson(viewer, person, seen, now).hidden) {
      throw new WalkInError("no-one-to-add", `No one you can add has district ID ${walkIn.districtId}. Add them on the roster page, then approve.`);
    }
    return person.id;
  }
  const typed = { firstName: walkIn.firstName ?? "", lastName: walkIn.lastName ?? "", email: walkIn.email ?? "" };
  const matches = await peopleByNameAndEmail(tx, typed, walkIn.sessionDay.sessionId);
  const visible = matches.filter((m) => !maskPerson(viewer, m, seen, now).hidden);
  const match = visible.find((m) => m.enrollments.length > 0) ?? visible[0];
  if (match) return match.id;
  if (matches.length > 0) throw new WalkInError("no-one-to-add", `No one you can add is known by this name and email. Add them on the roster page, then approve.`);
  const created = await createPerson({ ...typed, kind: "COMMUNITY" }, viewer.id, tx);
  return created.id;
}

/**
 * The trainer's one click: enrols the walk-in's person (over capacity allowed: the trainer let
 * them in) and marks them present by QR on the walk-in's day. One transaction; the decision is
 * claimed with a conditional update first, so a double click or two trainers at once enrol once.
 */
export async function approveWalkIn(sessionId: string, walkInId: string, viewer: VisibilityViewer, opts: CheckInOptions = {}) {
  const { now, timeZone } = settings(opts);
  return withConflictRetry(() =>
    prisma.$transaction(async (tx) => {
      await lockForTransaction(tx, sessionSeatsLock(sessionId));
      const walkIn = await walkInOfSession(tx, walkInId, sessionId);
      const day = walkIn.sessionDay;
      if (walkIn.decision === "APPROVED") return { dayId: day.id, approved: false };
      if (day.session.status !== "SCHEDULED") throw new WalkInError("closed", "This session is closed or cancelled; reopen it to change the roster");
      const notYet = attendanceRefusal(day, now, timeZone);
      if (notYet) throw new WalkInError("not-started", notYet);
      const claimed = await tx.checkInWalkIn.updateMany({
        where: { id: walkIn.id, OR: [{ decision: null }, { decision: "DISMISSED" }] },
        data: { decision: "APPROVED", decidedAt: now, decidedById: viewer.id },
      });
      if (claimed.count === 0) return { dayId: day.id, approved: false };
      const personId = await personToAdd(tx, walkIn, viewer, now);
      await tx.checkInWalkIn.update({ where: { id: walkIn.id }, data: { personId } });
      await enrollPeople(sessionId, [personId], { overrideCapacity: true, actorId: viewer.id, source: "qr-walk-in" }, tx);
      // Staff and students with no school this year belong to the session's school from now on
      // (app/domain/membership-from-work.ts); a new walk-in is a community partner: none.
      const { kind } = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { kind: true } });
      const membership = await addMembershipFromWork(tx, {
        personId, kind, sessionSchoolId: day.session.schoolId, day: districtDay(day.startsAt, timeZone), named: { use: "default" }, viewer, source: "qr-walk-in",
      });
      // The default is the session's own school, which the rule never refuses; kept for the type.
      if ("refused" in membership) throw new WalkInError("no-one-to-add", membership.refused);
      const enrollment = await tx.enrollment.findUniqueOrThrow({
        where: { sessionId_personId: { sessionId, personId } },
        select: { id: true, attendance: { where: { sessionDayId: day.id }, select: { status: true } } },
      });
      const mark = enrollment.attendance[0]?.status ?? null;
      if (mark !== "PRESENT" && mark !== "PARTIAL") {
        await recordAttendance(sessionId, [{ enrollmentId: enrollment.id, sessionDayId: day.id, status: "PRESENT" }], { actorId: viewer.id, method: "QR", now, timeZone }, tx);
      }
      await recordAudit(tx, {
        actorId: viewer.id, action: "checkin.walkin.approve", entityType: "TrainingSession", entityId: sessionId,
        details: { walkInId: walkIn.id, sessionDayId: day.id, personId },
      });
      return { dayId: day.id, approved: true };
    }, TX_OPTIONS),
  );
}

/** Dismisses a waiting walk-in: nobody is enrolled. An approved one stays approved. */
export async function dismissWalkIn(sessionId: string, walkInId: string, actorId: string, opts: CheckInOptions = {}) {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const walkIn = await walkInOfSession(tx, walkInId, sessionId);
    const dismissed = await tx.checkInWalkIn.updateMany({
      where: { id: walkIn.id, decision: null },
      data: { decision: "DISMISSED", decidedAt: now, decidedById: actorId },
    });
    if (dismissed.count > 0) {
      await recordAudit(tx, {
        actorId, action: "checkin.walkin.dismiss", entityType: "TrainingSession", entityId: sessionId, details: { walkInId: walkIn.id, sessionDayId: walkIn.sessionDay.id },
      });
    }
    return { dayId: walkIn.sessionDay.id, dismissed: dismissed.count > 0 };
  });
}

/** What the trainer's check-in screen shows. Access was checked by requireSessionAccess. */
export function getCheckInScreen(sessionId: string) {
  return prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true, title: true, status: true,
      program: { select: { name: true } },
      days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true, checkInNonce: true, checkInOpenedAt: true } },
    },
  });
}

/**
 * The walk-ins of a day that wait for the trainer (and those dismissed, which can still be
 * approved), newest first, with what was typed. A typed district ID shows whose it is only
 * when the viewer could find that person on the roster page. Trainer-only.
 */
export async function listWalkIns(sessionId: string, sessionDayId: string, viewer: VisibilityViewer, now = new Date()) {
  const session = await prisma.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: sessionFactsSelect });
  const seen = { via: "search" as const, session: sessionFacts(session) };
  const rows = await prisma.checkInWalkIn.findMany({
    // Spelled out: `not: "APPROVED"` would leave out the waiting ones (NULL) in SQL.
    where: { sessionDayId, sessionDay: { sessionId }, OR: [{ decision: null }, { decision: "DISMISSED" }] },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, createdAt: true, decision: true, districtId: true, firstName: true, lastName: true, email: true },
  });
  return Promise.all(
    rows.map(async (w) => {
      let knownAs: string | null = null;
      if (w.districtId !== null) {
        const id = await personByDistrictId(prisma, w.districtId);
        const person = id ? await prisma.person.findUnique({ where: { id }, select: visiblePersonSelect }) : null;
        const shown = person ? maskPerson(viewer, person, seen, now) : null;
        if (shown && !shown.hidden) knownAs = `${shown.firstName} ${shown.lastName}`;
      }
      return { ...w, dismissed: w.decision === "DISMISSED", knownAs };
    }),
  );
}

/** Who is marked present on a day, and who of them checked in by QR (newest first). Trainer-only. */
export async function listCheckIns(sessionDayId: string) {
  const [presentCount, byQr] = await Promise.all([
    prisma.attendance.count({ where: { sessionDayId, status: "PRESENT" } }),
    prisma.attendance.findMany({
      where: { sessionDayId, method: "QR" },
      orderBy: { recordedAt: "desc" },
      take: 1000,
      select: { id: true, recordedAt: true, status: true, enrollment: { select: { person: { select: { firstName: true, lastName: true } } } } },
    }),
  ]);
  return {
    presentCount,
    byQr: byQr.map((a) => ({ id: a.id, recordedAt: a.recordedAt, status: a.status, name: `${a.enrollment.person.firstName} ${a.enrollment.person.lastName}` })),
  };
}
