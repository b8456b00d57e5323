import { lockForTransaction } from "~/db/dialect.server";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { startOfDayUtc, addDays } from "~/domain/program-rules";
import type { Viewer } from "~/domain/session-access";
import { wallTimeToUtc } from "~/domain/time";
import type { SessionFormData } from "~/forms/session";
import { recordAudit } from "~/models/audit.server";
import { sessionDayLock, sessionSeatsLock } from "~/models/enrollment.server";
import { partitionPeople, sessionFacts, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

const sessionSummary = {
  id: true, title: true, status: true, format: true, capacity: true,
  program: { select: { code: true, name: true } },
  school: { select: { name: true } },
  siteName: true,
  days: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
  _count: { select: { enrollments: true } },
} as const;

/** The sessions a viewer may see, as a where clause (see domain/session-access.ts). */
export function sessionsVisibleTo(viewer: Viewer): Prisma.TrainingSessionWhereInput {
  switch (viewer.role) {
    case "ADMIN":
    case "PROGRAM_LEAD":
      return {};
    case "TRAINER":
      return { trainers: { some: { userId: viewer.id } } };
    case "COORDINATOR":
      return { schoolId: { in: viewer.schoolIds } };
    default:
      return { id: "" };
  }
}

/**
 * A trainer's sessions (lead or co-trainer): those with a day today, those still to come,
 * and past ones not yet closed.
 */
export async function listTrainerDashboard(userId: string, now = new Date()) {
  const today = startOfDayUtc(now);
  const tomorrow = addDays(today, 1);
  const mine = { trainers: { some: { userId } }, status: "SCHEDULED" as const };
  const [todays, upcoming, awaitingClose] = await Promise.all([
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: { startsAt: { gte: today, lt: tomorrow } } } },
      select: sessionSummary,
    }),
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: { startsAt: { gte: tomorrow } } } },
      select: sessionSummary,
      take: 50,
    }),
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: {} }, NOT: { days: { some: { endsAt: { gte: today } } } } },
      select: sessionSummary,
      take: 50,
    }),
  ]);
  const firstDay = (s: { days: Array<{ startsAt: Date }> }) => s.days[0]?.startsAt.getTime() ?? 0;
  upcoming.sort((a, b) => firstDay(a) - firstDay(b));
  awaitingClose.sort((a, b) => firstDay(a) - firstDay(b));
  return { todays, upcoming, awaitingClose };
}

/** Sessions a person is enrolled in, newest first. */
export function listSessionsForPerson(personId: string) {
  return prisma.trainingSession.findMany({
    where: { enrollments: { some: { personId } } },
    select: sessionSummary,
    orderBy: { createdAt: "desc" },
    take: 100,
  });
}

export const SESSION_STATUSES = ["SCHEDULED", "CLOSED", "CANCELLED"] as const;
export type SessionListFilters = { status?: (typeof SESSION_STATUSES)[number]; programId?: string; page: number };
const PAGE = 50;

export async function listSessions(viewer: Viewer, filters: SessionListFilters) {
  const where: Prisma.TrainingSessionWhereInput = {
    AND: [sessionsVisibleTo(viewer), filters.status ? { status: filters.status } : {}, filters.programId ? { programId: filters.programId } : {}],
  };
  const [sessions, total] = await Promise.all([
    prisma.trainingSession.findMany({
      where, select: sessionSummary, orderBy: { createdAt: "desc" }, skip: (filters.page - 1) * PAGE, take: PAGE,
    }),
    prisma.trainingSession.count({ where }),
  ]);
  return { sessions, total, pageSize: PAGE };
}

/**
 * Everything a session page shows, as the viewer may see it: people they may not see (a
 * program lead, every student; a coordinator, students of other schools) are only counted,
 * and nothing of theirs leaves this function. Access was checked by requireSessionAccess.
 */
export async function getSessionDetail(id: string, viewer: VisibilityViewer) {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id },
    include: {
      program: true,
      school: { select: { id: true, code: true, name: true } },
      days: { orderBy: { startsAt: "asc" } },
      trainers: { include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { role: "asc" } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        include: {
          person: { select: visiblePersonSelect },
          attendance: { select: { sessionDayId: true, status: true, method: true } },
        },
      },
      certifications: { select: { id: true, personId: true, issuedOn: true, expiresOn: true } },
    },
  });
  const facts = sessionFacts(session);
  const { shown, hiddenCount } = partitionPeople(viewer, session.enrollments, () => ({ via: "session", session: facts, enrolled: true }));
  const shownIds = new Set(shown.map((e) => e.personId));
  return {
    ...session,
    enrollments: shown,
    /** Everyone enrolled, shown or not. */
    enrolledCount: session.enrollments.length,
    hiddenCount,
    certifications: session.certifications.filter((c) => shownIds.has(c.personId)),
  };
}

export type SessionDetail = Awaited<ReturnType<typeof getSessionDetail>>;

/** The choices the session form offers. */
export async function sessionFormOptions() {
  const [programs, schools, trainers] = await Promise.all([
    prisma.program.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true, maxParticipants: true } }),
    prisma.school.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
    prisma.user.findMany({ where: { role: "TRAINER", active: true }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { programs, schools, trainers };
}

export class SessionInputError extends Error {
  constructor(public field: string, message: string) {
    super(message);
  }
}

async function checkReferences(input: SessionFormData, leadTrainerId: string) {
  const [program, school, trainers] = await Promise.all([
    prisma.program.findUnique({ where: { id: input.programId }, select: { id: true, maxParticipants: true } }),
    input.schoolId ? prisma.school.findUnique({ where: { id: input.schoolId }, select: { id: true } }) : Promise.resolve(null),
    prisma.user.findMany({ where: { id: { in: [leadTrainerId, ...input.coTrainerIds] }, role: "TRAINER", active: true }, select: { id: true } }),
  ]);
  if (!program) throw new SessionInputError("programId", "Choose a program from the list");
  if (input.schoolId && !school) throw new SessionInputError("schoolId", "Choose a school from the list");
  if (!trainers.some((t) => t.id === leadTrainerId)) throw new SessionInputError("leadTrainerId", "Choose an active trainer as the lead");
  const unknownCo = input.coTrainerIds.filter((id) => !trainers.some((t) => t.id === id));
  if (unknownCo.length) throw new SessionInputError("coTrainerIds", "Every co-trainer must be an active trainer");
  return program;
}

function sessionData(input: SessionFormData) {
  return {
    programId: input.programId,
    title: input.title ?? null,
    format: input.format,
    audience: input.audience,
    schoolId: input.schoolId ?? null,
    siteName: input.siteName ?? null,
    hostOrganization: input.hostOrganization ?? null,
    capacity: input.capacity,
    notes: input.notes ?? null,
  };
}

function dayRows(input: SessionFormData, timeZone: string) {
  return input.days.map((d) => ({ startsAt: wallTimeToUtc(d.date, d.start, timeZone), endsAt: wallTimeToUtc(d.date, d.end, timeZone) }));
}

function trainerRows(leadTrainerId: string, coTrainerIds: string[]) {
  const co = [...new Set(coTrainerIds)].filter((id) => id !== leadTrainerId);
  return [{ userId: leadTrainerId, role: "LEAD" as const }, ...co.map((userId) => ({ userId, role: "CO" as const }))];
}

/** A trainer creating a session leads it unless an admin names another lead. */
export async function createSession(input: SessionFormData, actor: { id: string; role: string }, timeZone: string) {
  const leadTrainerId = actor.role === "TRAINER" ? actor.id : input.leadTrainerId ?? "";
  await checkReferences(input, leadTrainerId);
  return prisma.$transaction(async (tx) => {
    const session = await tx.trainingSession.create({
      data: {
        ...sessionData(input),
        createdById: actor.id,
        days: { create: dayRows(input, timeZone) },
        trainers: { create: trainerRows(leadTrainerId, input.coTrainerIds) },
      },
    });
    await recordAudit(tx, { actorId: actor.id, action: "session.create", entityType: "TrainingSession", entityId: session.id, details: { ...sessionData(input), days: input.days } });
    return session;
  });
}

/**
 * Edits a session. Days are matched by date so attendance on a kept day stays; a day
 * with attendance cannot be removed.
 */
export async function updateSession(id: string, input: SessionFormData, actor: { id: string; role: string }, timeZone: string) {
  const current = await prisma.trainingSession.findUniqueOrThrow({ where: { id }, include: { days: true, trainers: true } });
  if (current.status !== "SCHEDULED") throw new SessionInputError("form", "Only a scheduled session can be edited; reopen it first");
  const currentLead = current.trainers.find((t) => t.role === "LEAD")?.userId ?? actor.id;
  const leadTrainerId = actor.role === "ADMIN" && input.leadTrainerId ? input.leadTrainerId : currentLead;
  await checkReferences(input, leadTrainerId);
  const wanted = dayRows(input, timeZone);
  const dateKey = (d: Date) => d.toISOString().slice(0, 10);
  const removed = current.days.filter((d) => !wanted.some((w) => dateKey(w.startsAt) === dateKey(d.startsAt)));
  return prisma.$transaction(async (tx) => {
    // "Has attendance" is read, then the day deleted: held under the locks every mark is written under
    // (the seats lock for walk-ins and imports, the day's for sheets and check-ins; seats first, days in
    // id order), so a mark either lands first and is seen here, or finds its day gone.
    if (removed.length) {
      await lockForTransaction(tx, sessionSeatsLock(id));
      for (const dayId of removed.map((d) => d.id).sort()) await lockForTransaction(tx, sessionDayLock(dayId));
      const blocked = await tx.sessionDay.findFirst({
        where: { id: { in: removed.map((d) => d.id) }, attendance: { some: {} } }, orderBy: { startsAt: "asc" }, select: { startsAt: true },
      });
      if (blocked) throw new SessionInputError("day0Date", `The day ${dateKey(blocked.startsAt)} has attendance recorded and cannot be removed`);
    }
    await tx.sessionDay.deleteMany({ where: { id: { in: removed.map((d) => d.id) } } });
    for (const w of wanted) {
      const existing = current.days.find((d) => dateKey(d.startsAt) === dateKey(w.startsAt));
      if (existing) await tx.sessionDay.update({ where: { id: existing.id }, data: w });
      else await tx.sessionDay.create({ data: { ...w, sessionId: id } });
    }
    await tx.sessionTrainer.deleteMany({ where: { sessionId: id } });
    await tx.sessionTrainer.createMany({ data: trainerRows(leadTrainerId, input.coTrainerIds).map((t) => ({ ...t, sessionId: id })) });
    const session = await tx.trainingSession.update({ where: { id }, data: sessionData(input) });
    await recordAudit(tx, { actorId: actor.id, action: "session.update", entityType: "TrainingSession", entityId: id, details: { ...sessionData(input), days: input.days } });
    return session;
  });
}

export async function cancelSession(id: string, actorId: string, reason: string | undefined) {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.trainingSession.updateMany({ where: { id, status: "SCHEDULED" }, data: { status: "CANCELLED", cancelledAt: new Date() } });
    if (updated.count === 0) throw new SessionInputError("form", "Only a scheduled session can be cancelled");
    await recordAudit(tx, { actorId, action: "session.cancel", entityType: "TrainingSession", entityId: id, details: { reason: reason ?? null } });
  });
}
