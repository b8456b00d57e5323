import { prisma } from "~/db.server";
import { enrollPeople, RosterError } from "~/models/enrollment.server";
import { createPerson, findByNameAndEmail, findPersonToAdd, searchPeople, type SearchScope } from "~/models/person.server";
import { partitionPeople, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";
import type { PersonKindName } from "~/domain/roster-import";

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
      program: { select: { name: true, code: true, maxParticipants: true } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: {
          id: true, personId: true,
          person: { select: visiblePersonSelect },
          _count: { select: { attendance: true } },
        },
      },
    },
  });
  const facts = sessionFacts({ schoolId, trainers });
  const { shown, hiddenCount } = partitionPeople(viewer, enrollments, () => ({ via: "session", session: facts, enrolled: true }));
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
 * viewer could not have found (a student of another school): the same "not found".
 */
export async function addToRoster(sessionId: string, personId: string, opts: { overrideCapacity: boolean; actorId: string; viewer: VisibilityViewer }) {
  const person = await findPersonToAdd(personId, { viewer: opts.viewer, sessionId });
  if (!person) throw new RosterError("not-found", "That person was not found; search again.");
  const result = await enrollPeople(sessionId, [person.id], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: "manual" });
  return { person, ...result };
}

export type NewPersonInput = { districtId?: string; firstName: string; lastName: string; email?: string; kind: PersonKindName };

/**
 * Creates a person and enrolls them, in one transaction: refused for capacity, nobody is
 * created. Someone known by the same name and email is suggested, never merged: the trainer
 * adds them instead, or confirms that this is a different person.
 */
export async function createAndEnroll(
  sessionId: string, input: NewPersonInput, opts: { overrideCapacity: boolean; confirmedDifferent: boolean; actorId: string; viewer: VisibilityViewer },
) {
  if (input.email && !opts.confirmedDifferent) {
    const scope: SearchScope = { viewer: opts.viewer, sessionId };
    const lookalikes = await findByNameAndEmail(input.firstName, input.lastName, input.email, scope);
    if (lookalikes.length > 0) return { created: null, lookalikes };
  }
  const created = await prisma.$transaction(async (tx) => {
    const person = await createPerson(input, opts.actorId, tx);
    await enrollPeople(sessionId, [person.id], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: "manual" }, tx);
    return person;
  });
  return { created, lookalikes: [] };
}
