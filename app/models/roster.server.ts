import { prisma } from "~/db.server";
import { enrollPeople, RosterError } from "~/models/enrollment.server";
import { createPerson, findByNameAndEmail, searchPeople } from "~/models/person.server";
import type { PersonKindName } from "~/domain/roster-import";

/** The roster page: the session, its seat limit and who is enrolled. Access was checked by requireSessionAccess. */
export async function getRoster(sessionId: string) {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true, title: true, status: true, capacity: true, audience: true,
      program: { select: { name: true, code: true, maxParticipants: true } },
      enrollments: {
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: {
          id: true, personId: true,
          person: { select: { id: true, districtId: true, firstName: true, lastName: true, email: true, kind: true } },
          _count: { select: { attendance: true } },
        },
      },
    },
  });
  return { ...session, seatLimit: session.capacity ?? session.program.maxParticipants };
}

/** People matching the search, each marked when already on this roster. */
export async function searchForRoster(sessionId: string, q: string) {
  const found = await searchPeople(q);
  if (found.length === 0) return [];
  const enrolled = await prisma.enrollment.findMany({
    where: { sessionId, personId: { in: found.map((p) => p.id) } },
    select: { personId: true },
  });
  const on = new Set(enrolled.map((e) => e.personId));
  return found.map((p) => ({ ...p, enrolled: on.has(p.id) }));
}

/** Adds one known person. A merged record is not offered: its survivor is. */
export async function addToRoster(sessionId: string, personId: string, opts: { overrideCapacity: boolean; actorId: string }) {
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { id: true, firstName: true, lastName: true, mergedIntoId: true } });
  if (!person || person.mergedIntoId) throw new RosterError("not-found", "That person was not found; search again.");
  const result = await enrollPeople(sessionId, [person.id], { ...opts, source: "manual" });
  return { person, ...result };
}

export type NewPersonInput = { districtId?: string; firstName: string; lastName: string; email?: string; kind: PersonKindName };

/**
 * Creates a person and enrolls them, in one transaction: refused for capacity, nobody is
 * created. Someone known by the same name and email is suggested, never merged: the trainer
 * adds them instead, or confirms that this is a different person.
 */
export async function createAndEnroll(
  sessionId: string, input: NewPersonInput, opts: { overrideCapacity: boolean; confirmedDifferent: boolean; actorId: string },
) {
  if (input.email && !opts.confirmedDifferent) {
    const lookalikes = await findByNameAndEmail(input.firstName, input.lastName, input.email);
    if (lookalikes.length > 0) return { created: null, lookalikes };
  }
  const created = await prisma.$transaction(async (tx) => {
    const person = await createPerson(input, opts.actorId, tx);
    await enrollPeople(sessionId, [person.id], { overrideCapacity: opts.overrideCapacity, actorId: opts.actorId, source: "manual" }, tx);
    return person;
  });
  return { created, lookalikes: [] };
}
