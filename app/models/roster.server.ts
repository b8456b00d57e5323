import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";
import { recordAudit } from "~/models/audit.server";
import { lockForTransaction } from "~/db/dialect.server";
import { enrollPeople, RosterError, sessionSeatsLock } from "~/models/enrollment.server";
import type { MailTransport } from "~/models/mail.server";
import { relayAfterCommit } from "~/models/session-mail.server";
import { createPerson, findByNameAndEmail, findPersonToAdd, PersonInputError, searchPeople, type SearchScope } from "~/models/person.server";
import { partitionPeople, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import type { PersonKindName } from "~/domain/roster-import";
import { decideMembership, type NamedSchool } from "~/domain/membership-from-work";
import { dateInZone } from "~/domain/time";
import { schoolYearOf } from "~/domain/school-year";

type Db = Prisma.TransactionClient;

/** A session day's calendar date in the district, as the membership rule reads it (00:00 UTC). */
export function districtDay(startsAt: Date, timeZone = getEnv().DISTRICT_TIME_ZONE): Date {
  return new Date(`${dateInZone(startsAt, timeZone)}T00:00:00Z`);
}

/**
 * Gives one person the membership their part in a session implies (app/domain/membership-from-work.ts),
 * inside the caller's transaction, audited as "affiliation.create". The Affiliation triggers
 * queue the person for the reach rollup (docs/decisions/005-reach-rollups.md). Returns what
 * was added, or the refusal's message.
 */
export async function addMembershipFromWork(
  db: Db,
  input: {
    personId: string; kind: PersonKindName; sessionSchoolId: string | null; day: Date | null; named: NamedSchool;
    viewer: { id: string; role: string }; source: string;
  },
): Promise<{ added: { schoolId: string; schoolYear: number } | null } | { refused: string }> {
  const year = input.day ? schoolYearOf(input.day) : null;
  // Two sessions at two schools adding the same person at once would each see no membership. Taken
  // after the callers' session locks (never before one), so two transactions never wait on each other.
  if (year !== null) await lockForTransaction(db, `person-memberships:${input.personId}`);
  const existing = year === null ? 0 : await db.affiliation.count({ where: { personId: input.personId, schoolYear: year } });
  const decision = decideMembership({
    sessionSchoolId: input.sessionSchoolId, day: input.day, kind: input.kind, named: input.named,
    hasMembershipThatYear: existing > 0, mayPlaceStudentsAnywhere: input.viewer.role === "ADMIN",
  });
  if ("refused" in decision) return { refused: decision.refused };
  if (!decision.add) return { added: null };
  const { schoolId, schoolYear, title } = decision.add;
  await db.affiliation.create({ data: { personId: input.personId, schoolId, schoolYear, title } });
  await recordAudit(db, {
    actorId: input.viewer.id, action: "affiliation.create", entityType: "Person", entityId: input.personId,
    details: { schoolId, schoolYear, source: input.source },
  });
  return { added: { schoolId, schoolYear } };
}

/** Schools a trainer may name on the roster page's "create a person" form, by name. */
export function listSchoolChoices() {
  return prisma.school.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } });
}

/**
 * The roster page: the session, its seat limit and who is enrolled, as the viewer may see
 * them (people they may not see are a count). Access was checked by requireSessionAccess.
 */
export async function getRoster(sessionId: string, viewer: VisibilityViewer) {
  const { trainers, schoolId, enrollments, ...session } = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      ...sessionFactsSelect,
      id: true, title: true, status: true, capacity: true, audience: true,
      school: { select: { id: true, code: true, name: true } },
      program: { select: { name: true, code: true, maxParticipants: true } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: {
          id: true, personId: true,
          person: { select: visiblePersonSelect },
          // The marks themselves (one per day at most), read by the (enrollmentId, sessionDayId) key: Prisma's
          // relation `_count` would aggregate the whole Attendance table first (2.9 M rows at district scale).
          attendance: { select: { sessionDayId: true } },
        },
      },
    },
  });
  const facts = sessionFacts({ schoolId, trainers });
  const counted = enrollments.map(({ attendance, ...e }) => ({ ...e, attendanceCount: attendance.length }));
  const { shown, hiddenCount } = partitionPeople(viewer, counted, () => ({ via: "session", session: facts, enrolled: true }));
  return { ...session, enrollments: shown, hiddenCount, enrolledCount: enrollments.length, seatLimit: session.capacity ?? session.program.maxParticipants };
}

/** People matching the search, each marked when already on this roster. */
export async function searchForRoster(sessionId: string, q: string, viewer: VisibilityViewer) {
  const found = await searchPeople(q, { viewer, sessionId });
  if (found.length === 0) return [];
  const enrolled = await prisma.enrollment.findMany({
    where: { sessionId, personId: { in: found.map((p) => p.id) } },
    select: { personId: true },
  });
  const on = new Set(enrolled.map((e) => e.personId));
  return found.map((p) => ({ ...p, enrolled: on.has(p.id) }));
}

/**
 * Adds one known person. A merged record is not offered: its survivor is. Nor is someone the
 * viewer could not have found (a student of another school): the same "not found". Staff and
 * students with no school that year get the session's (app/domain/membership-from-work.ts).
 */
export async function addToRoster(
  sessionId: string, personId: string, opts: { overrideCapacity: boolean; actorId: string; viewer: VisibilityViewer; mail?: MailTransport },
) {
  const person = await findPersonToAdd(personId, { viewer: opts.viewer, sessionId });
  if (!person) throw new RosterError("not-found", "That person was not found; search again.");
  const result = await prisma.$transaction(async (tx) => {
    const enrolled = await enrollPeople(sessionId, [person.id], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: "manual" }, tx);
    if (enrolled.added) {
      const session = await tx.trainingSession.findUniqueOrThrow({
        where: { id: sessionId }, select: { schoolId: true, days: { orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } } },
      });
      const { kind } = await tx.person.findUniqueOrThrow({ where: { id: person.id }, select: { kind: true } });
      await addMembershipFromWork(tx, {
        personId: person.id, kind, sessionSchoolId: session.schoolId, day: session.days[0] ? districtDay(session.days[0].startsAt) : null,
        named: { use: "default" }, viewer: opts.viewer, source: "manual",
      });
    }
    return enrolled;
  });
  if (result.added) await relayAfterCommit(opts.mail);
  return { person, ...result };
}

export type NewPersonInput = { districtId?: string; firstName: string; lastName: string; email?: string; kind: PersonKindName; school: NamedSchool };

/**
 * Creates a person and enrolls them, in one transaction: refused for capacity, nobody is
 * created. Someone known by the same name and email is suggested, never merged: the trainer
 * adds them instead, or confirms that this is a different person. The new person gets the
 * membership the session implies for its school year (the session's school unless the form
 * names another, or none); a student at another school is refused for a trainer.
 */
export async function createAndEnroll(
  sessionId: string, input: NewPersonInput,
  opts: { overrideCapacity: boolean; confirmedDifferent: boolean; actorId: string; viewer: VisibilityViewer; mail?: MailTransport },
) {
  if (input.email && !opts.confirmedDifferent) {
    const scope: SearchScope = { viewer: opts.viewer, sessionId };
    const lookalikes = await findByNameAndEmail(input.firstName, input.lastName, input.email, scope);
    if (lookalikes.length > 0) return { created: null, lookalikes };
  }
  const { school, ...personInput } = input;
  const created = await prisma.$transaction(async (tx) => {
    await lockForTransaction(tx, sessionSeatsLock(sessionId));
    const session = await tx.trainingSession.findUniqueOrThrow({
      where: { id: sessionId }, select: { schoolId: true, days: { orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } } },
    });
    if (school.use === "school" && !(await tx.school.findUnique({ where: { id: school.schoolId }, select: { id: true } }))) {
      throw new PersonInputError("school", "Choose a school from the list");
    }
    const person = await createPerson(personInput, opts.actorId, tx);
    const membership = await addMembershipFromWork(tx, {
      personId: person.id, kind: input.kind, sessionSchoolId: session.schoolId, day: session.days[0] ? districtDay(session.days[0].startsAt) : null,
      named: school, viewer: opts.viewer, source: "manual",
    });
    // Thrown inside the transaction: the person is not created either.
    if ("refused" in membership) throw new PersonInputError("school", `School: ${membership.refused}`);
    await enrollPeople(sessionId, [person.id], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: "manual" }, tx);
    return person;
  });
  await relayAfterCommit(opts.mail);
  return { created, lookalikes: [] };
}
