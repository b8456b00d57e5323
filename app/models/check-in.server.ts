import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";
import { createCheckInToken, newCheckInNonce, nonceMatches, verifyCheckInToken } from "~/domain/check-in-token";
import { endOfDayInZone } from "~/domain/time";
import type { CheckInInput } from "~/forms/check-in";
import { recordAudit } from "~/models/audit.server";
import { enrollPeople, recordAttendance } from "~/models/enrollment.server";
import { createPerson } from "~/models/person.server";

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
/** invalid: not a link we made (404). expired / closed: a real link that no longer works (410). */
export type RefusedCheckIn = { ok: false; reason: "invalid" | "expired" | "closed" };

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

export type CheckInResult =
  | { ok: true; alreadyCheckedIn: boolean; programName: string; startsAt: Date }
  | RefusedCheckIn
  | { ok: false; reason: "unknown-district-id" };

const sameName = (a: string, b: string) => a.trim().normalize("NFC").toLocaleLowerCase() === b.trim().normalize("NFC").toLocaleLowerCase();

async function findOrCreatePerson(tx: Db, input: CheckInInput, sessionId: string): Promise<{ id: string } | null> {
  if ("districtId" in input) {
    let person = await tx.person.findUnique({ where: { districtId: input.districtId.trim() }, select: { id: true, mergedIntoId: true } });
    // A merged record stands for its survivor.
    for (let hops = 0; person?.mergedIntoId && hops < 5; hops++) {
      person = await tx.person.findUnique({ where: { id: person.mergedIntoId }, select: { id: true, mergedIntoId: true } });
    }
    return person ? { id: person.id } : null;
  }
  // Emails are stored in lower case; names are compared without regard to case or accents' encoding.
  const typed = input.email.trim();
  const candidates = await tx.person.findMany({
    where: { mergedIntoId: null, email: { in: [...new Set([typed.toLowerCase(), typed])] } },
    select: { id: true, firstName: true, lastName: true, enrollments: { where: { sessionId }, select: { id: true } } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  const matches = candidates.filter((c) => sameName(c.firstName, input.firstName) && sameName(c.lastName, input.lastName));
  // Of duplicates (a human merges them later), prefer the one already on this roster.
  const match = matches.find((m) => m.enrollments.length > 0) ?? matches[0];
  if (match) return { id: match.id };
  return createPerson({ firstName: input.firstName, lastName: input.lastName, email: typed, kind: "COMMUNITY" }, null, tx);
}

/**
 * Self check-in from the QR link: finds the person (district ID exactly; else name + email,
 * creating a community partner when unknown), adds them to the roster if needed (over
 * capacity is allowed: the trainer let them in) and marks them present on the link's day.
 * One transaction, retried on a conflict, so repeats and concurrent scans record one row.
 */
export async function checkIn(token: string, input: CheckInInput, opts: CheckInOptions = {}): Promise<CheckInResult> {
  const s = settings(opts);
  if ("districtId" in input ? input.districtId.length > 40 : input.firstName.length > 80 || input.lastName.length > 80 || input.email.length > 200) {
    throw new Error("Check-in input is too long: validate it with checkInFormSchema first");
  }
  return withConflictRetry(() =>
    prisma.$transaction(async (tx): Promise<CheckInResult> => {
      const verified = await verifyWith(tx, token, s);
      if (!verified.ok) return verified;
      const { day, session } = verified;
      const person = await findOrCreatePerson(tx, input, session.id);
      if (!person) return { ok: false, reason: "unknown-district-id" };
      const enrollmentKey = { sessionId_personId: { sessionId: session.id, personId: person.id } };
      const select = { id: true, attendance: { where: { sessionDayId: day.id }, select: { status: true } } } as const;
      let enrollment = await tx.enrollment.findUnique({ where: enrollmentKey, select });
      if (!enrollment) {
        await enrollPeople(session.id, [person.id], { overrideCapacity: true, actorId: null, source: "qr" }, tx);
        enrollment = await tx.enrollment.findUniqueOrThrow({ where: enrollmentKey, select });
      }
      const mark = enrollment.attendance[0]?.status ?? null;
      // A trainer's "partial" stands; "absent" gives way to the person standing at the door.
      const alreadyCheckedIn = mark === "PRESENT" || mark === "PARTIAL";
      if (!alreadyCheckedIn) {
        await recordAttendance(session.id, [{ enrollmentId: enrollment.id, sessionDayId: day.id, status: "PRESENT" }], { actorId: null, method: "QR" }, tx);
      }
      return { ok: true, alreadyCheckedIn, programName: session.programName, startsAt: day.startsAt };
    }, TX_OPTIONS),
  );
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
