import { prisma } from "~/db.server";
import { ignoringCase } from "~/db/dialect.server";
import type { PersonKind, Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";
import {
  findablePeopleWhere, sessionFacts, sessionFactsSelect, shownOnly, visiblePersonSelect,
  type SeenThrough, type ShownPerson, type VisibilityViewer,
} from "~/models/people-visibility.server";

/** A roster search or match: who is searching, and for which session (the rule scopes students to it). */
export type SearchScope = { viewer: VisibilityViewer; sessionId: string };

async function searchSeen(sessionId: string): Promise<SeenThrough & { via: "search" }> {
  const session = await prisma.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: sessionFactsSelect });
  return { via: "search", session: sessionFacts(session) };
}

/**
 * People search for building a roster: a district ID matches exactly, otherwise name or
 * email contains the words. Merged records are left out: their survivor shows instead.
 * Only people the viewer may find for this session come back (person-visibility): a
 * student of another school is not found, by ID or by name, exactly as if unknown.
 */
export async function searchPeople(q: string, scope: SearchScope, limit = 20): Promise<ShownPerson[]> {
  const text = q.trim();
  if (text.length < 2) return [];
  const seen = await searchSeen(scope.sessionId);
  const findable = findablePeopleWhere(scope.viewer, seen, scope.sessionId);
  const byId = await prisma.person.findFirst({ where: { AND: [{ districtId: text }, findable] }, select: visiblePersonSelect });
  const words = text.split(/\s+/).filter(Boolean).slice(0, 3);
  const where: Prisma.PersonWhereInput = {
    mergedIntoId: null,
    AND: [findable, ...words.map((w) => ({ OR: [{ firstName: { contains: w, ...ignoringCase() } }, { lastName: { contains: w, ...ignoringCase() } }, { email: { contains: w, ...ignoringCase() } }] }))],
  };
  const found = await prisma.person.findMany({ where, select: visiblePersonSelect, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], take: limit });
  const all = byId ? [byId, ...found.filter((p) => p.id !== byId.id)] : found;
  return shownOnly(scope.viewer, all, seen);
}

/** One person the viewer may add to this session, or null (unknown, merged, or not theirs to see: the same answer). */
export async function findPersonToAdd(personId: string, scope: SearchScope): Promise<ShownPerson | null> {
  const person = await prisma.person.findFirst({ where: { id: personId, mergedIntoId: null }, select: visiblePersonSelect });
  if (!person) return null;
  return shownOnly(scope.viewer, [person], await searchSeen(scope.sessionId))[0] ?? null;
}

export class PersonInputError extends Error {
  constructor(public field: string, message: string) {
    super(message);
  }
}

export async function createPerson(
  input: { districtId?: string; firstName: string; lastName: string; email?: string; kind: PersonKind },
  actorId: string | null,
  db: Prisma.TransactionClient | typeof prisma = prisma,
) {
  const districtId = input.districtId?.trim() || null;
  if (districtId && (await db.person.findUnique({ where: { districtId }, select: { id: true } }))) {
    throw new PersonInputError("districtId", `District ID ${districtId} is already in use: search for them and add them instead; a student of another school can be added only by an administrator`);
  }
  const person = await db.person.create({
    data: {
      districtId, firstName: input.firstName.trim(), lastName: input.lastName.trim(),
      email: input.email?.trim().toLowerCase() || null, kind: input.kind,
    },
  });
  await recordAudit(db, { actorId, action: "person.create", entityType: "Person", entityId: person.id, details: { districtId, kind: input.kind } });
  return person;
}

/**
 * People known by name + email (case-insensitive): candidates a human may confirm as the same
 * person. Only those the viewer may find for the session: a hidden student is never suggested.
 */
export async function findByNameAndEmail(firstName: string, lastName: string, email: string, scope: SearchScope): Promise<ShownPerson[]> {
  const seen = await searchSeen(scope.sessionId);
  const people = await prisma.person.findMany({
    where: {
      AND: [findablePeopleWhere(scope.viewer, seen, scope.sessionId)],
      mergedIntoId: null, email: email.trim().toLowerCase(), firstName: { equals: firstName.trim() }, lastName: { equals: lastName.trim() },
    },
    select: visiblePersonSelect,
    take: 5,
  });
  return shownOnly(scope.viewer, people, seen);
}
