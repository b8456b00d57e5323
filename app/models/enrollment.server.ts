import { prisma } from "~/db.server";
import { jsonList, jsonTable, lockForTransaction } from "~/db/dialect.server";
import { attendanceRefusal, completionDateRefusal } from "~/domain/session-day";
import { dateInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import type { AttendanceStatus, Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import type { MailTransport } from "~/models/mail.server";
import { queueEnrolledMail, queueRemovedMail, relayAfterCommit } from "~/models/session-mail.server";

type Db = Prisma.TransactionClient;

export class RosterError extends Error {
  constructor(public code: "capacity" | "closed" | "not-found" | "not-yet", message: string) {
    super(message);
  }
}

async function openSession(db: Db, sessionId: string) {
  const session = await db.trainingSession.findUnique({
    where: { id: sessionId },
    select: { id: true, status: true, capacity: true, program: { select: { maxParticipants: true } } },
  });
  if (!session) throw new RosterError("not-found", "Session not found");
  if (session.status !== "SCHEDULED") throw new RosterError("closed", "This session is closed or cancelled; reopen it to change the roster");
  return session;
}

/**
 * The lock every change to a session's roster takes first (lockForTransaction): the seat count and
 * "already enrolled" are read and then written, which on PostgreSQL's READ COMMITTED would let two
 * instances both pass the check (docs/decisions/016-postgresql.md).
 */
export const sessionSeatsLock = (sessionId: string) => `session-seats:${sessionId}`;

/** The lock check-ins and attendance sheets of one session day take first: "already checked in" is read, then written. */
export const sessionDayLock = (sessionDayId: string) => `check-in:${sessionDayId}`;

/** The seat limit: the session's capacity, else the program's class size. */
function seatLimit(session: { capacity: number | null; program: { maxParticipants: number | null } }) {
  return session.capacity ?? session.program.maxParticipants;
}

/**
 * Adds people to a session's roster. Already enrolled people are left as they are.
 * Over capacity is refused unless the trainer overrides it on purpose. Each newly enrolled person
 * with an email gets an invitation, written in the same transaction (app/models/session-mail.server.ts);
 * a caller passing its own transaction relays it (relayAfterCommit) after its commit.
 */
export async function enrollPeople(
  sessionId: string, personIds: string[], opts: { overrideCapacity: boolean; actorId: string | null; source: string; mail?: MailTransport }, db?: Db,
) {
  const run = async (tx: Db) => {
    // A caller with its own transaction takes it first too; taking it again is harmless.
    await lockForTransaction(tx, sessionSeatsLock(sessionId));
    const session = await openSession(tx, sessionId);
    // Counted by the (sessionId, personId) key: Prisma's relation `_count` aggregates the whole Enrollment table first.
    const enrolledBefore = await tx.enrollment.count({ where: { sessionId } });
    const wanted = [...new Set(personIds)];
    // The ids travel as one JSON parameter: Prisma's `in: [...]` binds one parameter per id and
    // is refused past 999 of them beside another condition (a roster import has thousands).
    const existing = wanted.length
      ? await tx.$queryRaw<Array<{ personId: string }>>`
          SELECT "personId" FROM "Enrollment" WHERE "sessionId" = ${sessionId} AND "personId" IN ${jsonList(wanted)}`
      : [];
    const known = new Set(existing.map((e) => e.personId));
    const toAdd = wanted.filter((id) => !known.has(id));
    const limit = seatLimit(session);
    if (!opts.overrideCapacity && limit != null && enrolledBefore + toAdd.length > limit) {
      throw new RosterError(
        "capacity",
        `This session holds ${limit} people and has ${enrolledBefore}; adding ${toAdd.length} would exceed it. Tick "over capacity on purpose" to add them anyway.`,
      );
    }
    if (toAdd.length) {
      await insertEnrollments(tx, sessionId, toAdd);
      await recordAudit(tx, {
        actorId: opts.actorId, action: "roster.add", entityType: "TrainingSession", entityId: sessionId,
        details: { personIds: toAdd, source: opts.source, overCapacity: limit != null && enrolledBefore + toAdd.length > limit },
      });
      await queueEnrolledMail(tx, sessionId, toAdd, opts.source);
    }
    return { added: toAdd.length, alreadyEnrolled: known.size };
  };
  if (db) return run(db);
  const result = await prisma.$transaction(run);
  if (result.added) await relayAfterCommit(opts.mail);
  return result;
}

/** Up to this many enrollments go through createMany; more (a roster file) in one raw INSERT. */
const CREATE_MANY_MAX = 50;

/**
 * Inserts enrollments. A handful (a check-in, a walk-in, one person added by hand) goes through
 * createMany, whose unique-constraint error (P2002) check-in's conflict retry recognises; a raw
 * statement's would be P2010. A file's worth goes in one INSERT, the rows travelling as one JSON
 * parameter: createMany took about 4 s for a 10,000-person roster import on the bench machine,
 * this about 0.2 s (see scripts/bench/roster-import.ts). The date is bound as a parameter, so each
 * engine stores it as its adapter stores any other.
 */
async function insertEnrollments(tx: Db, sessionId: string, personIds: string[]) {
  if (personIds.length <= CREATE_MANY_MAX) {
    await tx.enrollment.createMany({ data: personIds.map((personId) => ({ sessionId, personId })) });
    return;
  }
  const rows = personIds.map((personId) => ({ id: crypto.randomUUID(), personId }));
  await tx.$executeRaw`
    INSERT INTO "Enrollment" ("id", "sessionId", "personId", "createdAt")
    SELECT v."id", ${sessionId}, v."personId", ${new Date()}
    FROM ${jsonTable(rows, { id: "text", personId: "text" })} AS v`;
}

/** Takes a person off the roster; a person with an email is told (and their calendar updated) when the session is still ahead. */
export async function removeEnrollment(sessionId: string, enrollmentId: string, actorId: string, opts: { mail?: MailTransport; now?: Date } = {}) {
  await prisma.$transaction(async (tx) => {
    await lockForTransaction(tx, sessionSeatsLock(sessionId));
    await openSession(tx, sessionId);
    const enrollment = await tx.enrollment.findFirst({ where: { id: enrollmentId, sessionId } });
    if (!enrollment) throw new RosterError("not-found", "That person is not on this roster");
    // Not the relation `_count`, which aggregates the whole Attendance table first.
    const hadAttendance = await tx.attendance.count({ where: { enrollmentId } });
    await queueRemovedMail(tx, sessionId, enrollment.personId, opts.now);
    await tx.enrollment.delete({ where: { id: enrollmentId } });
    await recordAudit(tx, { actorId, action: "roster.remove", entityType: "TrainingSession", entityId: sessionId, details: { personId: enrollment.personId, hadAttendance } });
  });
  await relayAfterCommit(opts.mail);
}

export type AttendanceChange = { enrollmentId: string; sessionDayId: string; status: AttendanceStatus | null };

/** Test seams: the clock and the district's zone; the environment otherwise. */
export type ClockOptions = { now?: Date; timeZone?: string };

function clock(opts: ClockOptions) {
  return { now: opts.now ?? new Date(), timeZone: opts.timeZone ?? getEnv().DISTRICT_TIME_ZONE };
}

/**
 * Records attendance marks (null clears a mark). Each mark is an upsert on
 * (enrollment, day), so repeating it never doubles a record. Audited with who and how.
 * A mark for a day that has not started in the district is refused (RosterError "not-yet"), checked
 * inside the transaction that writes, so every caller (sheet, paper, walk-in, QR check-in, import) is held to it.
 */
export async function recordAttendance(
  sessionId: string, changes: AttendanceChange[], opts: { actorId: string | null; method: string } & ClockOptions, db?: Db,
) {
  const { now, timeZone } = clock(opts);
  const run = async (tx: Db) => {
    await openSession(tx, sessionId);
    const [enrollments, days] = await Promise.all([
      tx.enrollment.findMany({ where: { sessionId, id: { in: changes.map((c) => c.enrollmentId) } }, select: { id: true, personId: true } }),
      tx.sessionDay.findMany({ where: { sessionId, id: { in: changes.map((c) => c.sessionDayId) } }, select: { id: true, startsAt: true } }),
    ]);
    // Clearing a mark is always allowed (it corrects a mistake); setting one needs the day to have begun.
    for (const change of changes) {
      const day = change.status === null ? undefined : days.find((d) => d.id === change.sessionDayId);
      const refusal = day ? attendanceRefusal(day, now, timeZone) : null;
      if (refusal) throw new RosterError("not-yet", refusal);
    }
    const current = await tx.attendance.findMany({ where: { enrollmentId: { in: enrollments.map((e) => e.id) } }, select: { enrollmentId: true, sessionDayId: true, status: true } });
    const applied: Array<{ personId: string; sessionDayId: string; from: AttendanceStatus | null; to: AttendanceStatus | null }> = [];
    for (const change of changes) {
      const enrollment = enrollments.find((e) => e.id === change.enrollmentId);
      // Marks for another session's roster or days are ignored, never written.
      if (!enrollment || !days.some((d) => d.id === change.sessionDayId)) continue;
      const before = current.find((a) => a.enrollmentId === change.enrollmentId && a.sessionDayId === change.sessionDayId)?.status ?? null;
      if (before === change.status) continue;
      const key = { enrollmentId_sessionDayId: { enrollmentId: change.enrollmentId, sessionDayId: change.sessionDayId } };
      if (change.status === null) await tx.attendance.delete({ where: key });
      else {
        await tx.attendance.upsert({
          where: key,
          create: { enrollmentId: change.enrollmentId, sessionDayId: change.sessionDayId, status: change.status, method: opts.method },
          update: { status: change.status, method: opts.method, recordedAt: new Date() },
        });
      }
      applied.push({ personId: enrollment.personId, sessionDayId: change.sessionDayId, from: before, to: change.status });
    }
    if (applied.length) {
      await recordAudit(tx, { actorId: opts.actorId, action: "attendance.record", entityType: "TrainingSession", entityId: sessionId, details: { method: opts.method, changes: applied } });
    }
    return { changed: applied.length };
  };
  return db ? run(db) : prisma.$transaction(run);
}

/**
 * Marks post-work and evaluation as done (on a date) or not done. A date later than the district's
 * today is refused (RosterError "not-yet"): nothing of the batch is written.
 */
export async function recordCompletionSteps(
  sessionId: string,
  changes: Array<{ enrollmentId: string; postWorkCompletedOn?: Date | null; evaluationCompletedOn?: Date | null }>,
  actorId: string | null,
  opts: ClockOptions = {},
  db?: Db,
) {
  const { now, timeZone } = clock(opts);
  const run = async (tx: Db) => {
    const today = dateInZone(now, timeZone);
    for (const change of changes) {
      for (const [label, on] of [["Post-work date", change.postWorkCompletedOn], ["Evaluation date", change.evaluationCompletedOn]] as const) {
        const refusal = on ? completionDateRefusal(label, on.toISOString().slice(0, 10), today) : null;
        if (refusal) throw new RosterError("not-yet", refusal);
      }
    }
    await openSession(tx, sessionId);
    const enrollments = await tx.enrollment.findMany({ where: { sessionId, id: { in: changes.map((c) => c.enrollmentId) } } });
    const applied: Array<Record<string, unknown>> = [];
    for (const change of changes) {
      const e = enrollments.find((x) => x.id === change.enrollmentId);
      if (!e) continue;
      const data: Prisma.EnrollmentUpdateInput = {};
      const same = (a: Date | null, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
      if (change.postWorkCompletedOn !== undefined && !same(e.postWorkCompletedOn, change.postWorkCompletedOn)) data.postWorkCompletedOn = change.postWorkCompletedOn;
      if (change.evaluationCompletedOn !== undefined && !same(e.evaluationCompletedOn, change.evaluationCompletedOn)) data.evaluationCompletedOn = change.evaluationCompletedOn;
      if (Object.keys(data).length === 0) continue;
      await tx.enrollment.update({ where: { id: e.id }, data });
      applied.push({ personId: e.personId, ...data });
    }
    if (applied.length) await recordAudit(tx, { actorId, action: "enrollment.steps", entityType: "TrainingSession", entityId: sessionId, details: { changes: applied } });
    return { changed: applied.length };
  };
  return db ? run(db) : prisma.$transaction(run);
}
