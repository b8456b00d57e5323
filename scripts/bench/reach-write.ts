/**
 * A typical write for the reach benchmark: a trainer closes a session of 25 people at a school, which
 * issues 25 certificates (renewing any current ones) through the app's own closeSession(). The reach
 * triggers queue those people; the next reach read applies the queue. undo() takes it all out again,
 * so a reused bench file keeps the data it was built with (figures: scripts/bench/reach.ts checks them).
 *
 * Import only after DATABASE_URL names the bench file (app modules open it when first loaded).
 */
import { prisma } from "~/db.server";
import { closeSession } from "~/models/session-closing.server";

export const SESSION_SIZE = 25;
const ACTOR_EMAIL = "reach-bench-actor@bench.invalid";

/** closeMs: the time of closeSession() alone (the session and its attendance are set up before). */
export type BenchWrite = { sessionId: string; people: number; closeMs: number; certificateIds: string[]; renewedIds: string[]; actorId: string; createdActor: boolean };

/**
 * Closes a new one-day session of `programId` at the school on `day` (00:00 UTC; the session runs
 * 09:00-11:00 in the district's zone, so the certificates are issued that day) for the school's first
 * SESSION_SIZE people of `kind` in `schoolYear` who hold no certificate of the program issued that day
 * (fewer at a school that has fewer: the sparse data set's schools have about 8 staff).
 */
export async function closeBenchSession(args: { schoolId: string; programId: string; schoolYear: number; day: Date; timeZone: string; kind?: "STAFF" | "STUDENT" }): Promise<BenchWrite> {
  const { schoolId, programId, schoolYear, day, timeZone } = args;
  const people = await prisma.affiliation.findMany({
    where: {
      schoolId, schoolYear,
      person: { kind: args.kind ?? "STAFF", mergedIntoId: null, certifications: { none: { programId, issuedOn: day } } },
    },
    orderBy: { personId: "asc" },
    take: SESSION_SIZE,
    select: { personId: true },
  });
  if (people.length === 0) throw new Error(`reach bench: school ${schoolId} has nobody to train`);
  let actor = await prisma.user.findUnique({ where: { email: ACTOR_EMAIL }, select: { id: true } });
  const createdActor = !actor;
  actor ??= await prisma.user.create({
    data: { email: ACTOR_EMAIL, name: "Reach bench", passwordHash: "!", role: "TRAINER" },
    select: { id: true },
  });
  // 17:00 UTC is the morning of the same calendar day in every US zone.
  const startsAt = new Date(day.getTime() + 17 * 3_600_000);
  const session = await prisma.trainingSession.create({
    data: {
      programId, schoolId, format: "IN_PERSON", audience: "STAFF", title: "Reach bench session", status: "SCHEDULED", createdById: actor.id,
      days: { create: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000) }] },
    },
    select: { id: true, days: { select: { id: true } } },
  });
  const dayId = session.days[0].id;
  for (const p of people) {
    await prisma.enrollment.create({
      data: {
        sessionId: session.id, personId: p.personId, postWorkCompletedOn: day, evaluationCompletedOn: day,
        attendance: { create: [{ sessionDayId: dayId, status: "PRESENT", method: "MANUAL" }] },
      },
    });
  }
  const closing = performance.now();
  const outcome = await closeSession(session.id, actor.id, timeZone);
  const closeMs = performance.now() - closing;
  if (outcome.issued.length !== people.length) throw new Error(`reach bench: closing the session issued ${outcome.issued.length} certificates, not ${people.length}`);
  const certificates = await prisma.certification.findMany({ where: { sessionId: session.id }, select: { id: true } });
  const certificateIds = certificates.map((c) => c.id);
  const renewed = await prisma.certification.findMany({ where: { renewedById: { in: certificateIds } }, select: { id: true } });
  return { sessionId: session.id, people: people.length, closeMs, certificateIds, renewedIds: renewed.map((r) => r.id), actorId: actor.id, createdActor };
}

/** Takes a bench write out again: the certificates, renewals, session and its audit trail. */
export async function undoBenchWrites(writes: BenchWrite[]): Promise<void> {
  for (const w of writes) {
    await prisma.$transaction([
      prisma.certification.updateMany({ where: { id: { in: w.renewedIds } }, data: { renewedById: null } }),
      prisma.auditEvent.deleteMany({ where: { OR: [{ entityId: { in: [...w.certificateIds, ...w.renewedIds, w.sessionId] } }, { actorId: w.actorId }] } }),
      prisma.certification.deleteMany({ where: { id: { in: w.certificateIds } } }),
      prisma.trainingSession.delete({ where: { id: w.sessionId } }),
    ]);
  }
  const actors = [...new Set(writes.filter((w) => w.createdActor).map((w) => w.actorId))];
  if (actors.length) await prisma.user.deleteMany({ where: { id: { in: actors } } });
}
