import { jsonTable, lockForTransaction } from "~/db/dialect.server";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { startOfDayUtc, addDays } from "~/domain/program-rules";
import type { Viewer } from "~/domain/session-access";
import { wallTimeToUtc } from "~/domain/time";
import type { SessionFormData } from "~/forms/session";
import { recordAudit } from "~/models/audit.server";
import { sessionDayLock, sessionSeatsLock } from "~/models/enrollment.server";
import { partitionPeople, sessionFacts, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import { nextUpdatedAt } from "~/domain/session-notices";
import type { MailTransport } from "~/models/mail.server";
import { queueCancelledMail, queueChangedMail, relayAfterCommit, sessionSnapshot } from "~/models/session-mail.server";

/**
 * What a sessions table shows of each session. Its enrollment count is not selected here: Prisma's
 * relation `_count` joins an aggregate of the whole Enrollment table (1.4 M rows at district scale,
 * ~300 ms) even for one session, so withEnrollmentCounts counts the page's sessions only.
 */
const sessionSummary = {
  id: true, title: true, status: true, format: true, capacity: true,
  program: { select: { code: true, name: true } },
  school: { select: { name: true } },
  siteName: true,
  days: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
} as const;

/** Each session with its number of people enrolled, counted by index for these sessions only. */
async function withEnrollmentCounts<S extends { id: string }>(sessions: S[]): Promise<Array<S & { _count: { enrollments: number } }>> {
  if (sessions.length === 0) return [];
  const groups = await prisma.enrollment.groupBy({ by: ["sessionId"], where: { sessionId: { in: sessions.map((s) => s.id) } }, _count: { _all: true } });
  const counts = new Map(groups.map((g) => [g.sessionId, g._count._all]));
  return sessions.map((s) => ({ ...s, _count: { enrollments: counts.get(s.id) ?? 0 } }));
}

/** The summaries of these sessions (a page's worth), in the order of `ids`. */
async function summariesInOrder(ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await prisma.trainingSession.findMany({ where: { id: { in: ids } }, select: sessionSummary });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return withEnrollmentCounts(ids.flatMap((id) => byId.get(id) ?? []));
}

/**
 * A trainer's sessions (lead or co-trainer), as the FROM and WHERE of a query on `s`: the trainer's
 * SessionTrainer rows first, then each session by its key. The left side of a CROSS JOIN is always
 * SQLite's outer loop; as a plain join (or Prisma's `trainers: { some }`) SQLite, with a status filter
 * and no statistics, started from every session of that status in the district (the status index) and
 * looked for the trainer in each. PostgreSQL plans a CROSS JOIN like any other join.
 */
const trainersSessions = (userId: string) => Prisma.sql`"SessionTrainer" t CROSS JOIN "TrainingSession" s
  WHERE t."userId" = ${userId} AND s."id" = t."sessionId"`;

/** A session's first day, to order by (every session has at least one day). */
const firstDay = Prisma.sql`(SELECT MIN(d."startsAt") FROM "SessionDay" d WHERE d."sessionId" = s."id")`;

const HOME_LIST = 50;

/**
 * A trainer's sessions (lead or co-trainer): those with a day today, those still to come,
 * and past ones not yet closed; each list by first day, the upcoming ones the soonest 50, those
 * awaiting closing the oldest 50.
 */
export async function listTrainerDashboard(userId: string, now = new Date()) {
  const today = startOfDayUtc(now);
  const tomorrow = addDays(today, 1);
  const scheduled = Prisma.sql`${trainersSessions(userId)} AND s."status" = ${"SCHEDULED"}`;
  const ids = async (condition: Prisma.Sql, limit: number | null) => {
    const rows = await prisma.$queryRaw<Array<{ id: string }>>`
      SELECT s."id" FROM ${scheduled} AND ${condition}
      ORDER BY ${firstDay}, s."id" ${limit == null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
    return rows.map((r) => r.id);
  };
  const [todayIds, upcomingIds, awaitingIds] = await Promise.all([
    ids(Prisma.sql`EXISTS (SELECT 1 FROM "SessionDay" d WHERE d."sessionId" = s."id" AND d."startsAt" >= ${today} AND d."startsAt" < ${tomorrow})`, null),
    ids(Prisma.sql`EXISTS (SELECT 1 FROM "SessionDay" d WHERE d."sessionId" = s."id" AND d."startsAt" >= ${tomorrow})`, HOME_LIST),
    ids(
      Prisma.sql`EXISTS (SELECT 1 FROM "SessionDay" d WHERE d."sessionId" = s."id")
        AND NOT EXISTS (SELECT 1 FROM "SessionDay" d WHERE d."sessionId" = s."id" AND d."endsAt" >= ${today})`,
      HOME_LIST,
    ),
  ]);
  const [todays, upcoming, awaitingClose] = await Promise.all([summariesInOrder(todayIds), summariesInOrder(upcomingIds), summariesInOrder(awaitingIds)]);
  return { todays, upcoming, awaitingClose };
}

/** Sessions a person is enrolled in, newest first. */
export async function listSessionsForPerson(personId: string) {
  const sessions = await prisma.trainingSession.findMany({
    where: { enrollments: { some: { personId } } },
    select: sessionSummary,
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return withEnrollmentCounts(sessions);
}

export const SESSION_STATUSES = ["SCHEDULED", "CLOSED", "CANCELLED"] as const;
export type SessionListFilters = { status?: (typeof SESSION_STATUSES)[number]; page: number };
const PAGE = 50;

/**
 * The sessions a viewer may see (domain/session-access.ts, canViewSession), with the filter, as the
 * FROM and WHERE of a query on `s`; null: none. Each starts from the small side that decides it: a
 * trainer's own sessions, a coordinator's schools (a CROSS JOIN for the reason trainersSessions gives),
 * or for everyone else every session, read newest first from the ([status,] createdAt, id) index.
 */
export function visibleSessionsSql(viewer: Viewer, filters: SessionListFilters): Prisma.Sql | null {
  const narrowed = filters.status ? Prisma.sql` AND s."status" = ${filters.status}` : Prisma.empty;
  switch (viewer.role) {
    case "ADMIN":
    case "PROGRAM_LEAD":
      return Prisma.sql`"TrainingSession" s WHERE 1 = 1${narrowed}`;
    case "TRAINER":
      return Prisma.sql`${trainersSessions(viewer.id)}${narrowed}`;
    case "COORDINATOR": {
      if (viewer.schoolIds.length === 0) return null;
      const schools = jsonTable(viewer.schoolIds.map((id) => ({ id })), { id: "text" });
      return Prisma.sql`${schools} AS v CROSS JOIN "TrainingSession" s WHERE s."schoolId" = v."id"${narrowed}`;
    }
    default:
      return null;
  }
}

/** One page of the sessions a viewer may see, newest first, and how many there are in all. */
export async function listSessions(viewer: Viewer, filters: SessionListFilters) {
  const from = visibleSessionsSql(viewer, filters);
  if (!from) return { sessions: [], total: 0, pageSize: PAGE };
  const [page, counted] = await Promise.all([
    // createdAt alone would let sessions created at the same moment move between pages; the id settles it.
    prisma.$queryRaw<Array<{ id: string }>>`
      SELECT s."id" FROM ${from} ORDER BY s."createdAt" DESC, s."id" DESC LIMIT ${PAGE} OFFSET ${(filters.page - 1) * PAGE}`,
    prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM ${from}`,
  ]);
  const sessions = await summariesInOrder(page.map((r) => r.id));
  return { sessions, total: Number(counted[0]?.n ?? 0), pageSize: PAGE };
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
      certifications: { select: { id: true, personId: true, issuedOn: true, expiresOn: true, revokedAt: true } },
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
export async function updateSession(
  id: string, input: SessionFormData, actor: { id: string; role: string }, timeZone: string, opts: { mail?: MailTransport; now?: Date } = {},
) {
  const current = await prisma.trainingSession.findUniqueOrThrow({ where: { id }, include: { days: true, trainers: true } });
  if (current.status !== "SCHEDULED") throw new SessionInputError("form", "Only a scheduled session can be edited; reopen it first");
  const currentLead = current.trainers.find((t) => t.role === "LEAD")?.userId ?? actor.id;
  const leadTrainerId = actor.role === "ADMIN" && input.leadTrainerId ? input.leadTrainerId : currentLead;
  await checkReferences(input, leadTrainerId);
  const wanted = dayRows(input, timeZone);
  const dateKey = (d: Date) => d.toISOString().slice(0, 10);
  const removed = current.days.filter((d) => !wanted.some((w) => dateKey(w.startsAt) === dateKey(d.startsAt)));
  const session = await prisma.$transaction(async (tx) => {
    // Under the seats lock, as every enrollment: someone enrolled meanwhile is told either by their
    // enrollment (the new details) or by this change, never missed.
    await lockForTransaction(tx, sessionSeatsLock(id));
    const before = await sessionSnapshot(tx, id);
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
    // A later updatedAt than any before (the invitations' SEQUENCE is made from it).
    const session = await tx.trainingSession.update({ where: { id }, data: { ...sessionData(input), updatedAt: nextUpdatedAt(before.updatedAt, opts.now ?? new Date()) } });
    await recordAudit(tx, { actorId: actor.id, action: "session.update", entityType: "TrainingSession", entityId: id, details: { ...sessionData(input), days: input.days } });
    await queueChangedMail(tx, before, await sessionSnapshot(tx, id), opts.now);
    return session;
  });
  await relayAfterCommit(opts.mail);
  return session;
}

export async function cancelSession(id: string, actorId: string, reason: string | undefined, opts: { mail?: MailTransport; now?: Date } = {}) {
  await prisma.$transaction(async (tx) => {
    await lockForTransaction(tx, sessionSeatsLock(id));
    const before = await tx.trainingSession.findUnique({ where: { id }, select: { updatedAt: true } });
    const now = opts.now ?? new Date();
    const updated = await tx.trainingSession.updateMany({
      where: { id, status: "SCHEDULED" },
      data: { status: "CANCELLED", cancelledAt: now, ...(before ? { updatedAt: nextUpdatedAt(before.updatedAt, now) } : {}) },
    });
    if (updated.count === 0) throw new SessionInputError("form", "Only a scheduled session can be cancelled");
    await recordAudit(tx, { actorId, action: "session.cancel", entityType: "TrainingSession", entityId: id, details: { reason: reason ?? null } });
    const after = await sessionSnapshot(tx, id);
    await queueCancelledMail(tx, { ...after, updatedAt: before?.updatedAt ?? after.updatedAt }, after, reason ?? null, opts.now);
  });
  await relayAfterCommit(opts.mail);
}
