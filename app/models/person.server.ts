import { prisma } from "~/db.server";
import type { PersonKind, Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";

const personSummary = { id: true, districtId: true, firstName: true, lastName: true, email: true, kind: true } as const;

/**
 * People search for building a roster: a district ID matches exactly, otherwise name or
 * email contains the words. Merged records are left out: their survivor shows instead.
 */
export async function searchPeople(q: string, limit = 20) {
  const text = q.trim();
  if (text.length < 2) return [];
  const byId = await prisma.person.findUnique({ where: { districtId: text }, select: personSummary });
  const words = text.split(/\s+/).filter(Boolean).slice(0, 3);
  const where: Prisma.PersonWhereInput = {
    mergedIntoId: null,
    AND: words.map((w) => ({ OR: [{ firstName: { contains: w } }, { lastName: { contains: w } }, { email: { contains: w.toLowerCase() } }] })),
  };
  const found = await prisma.person.findMany({ where, select: personSummary, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], take: limit });
  return byId ? [byId, ...found.filter((p) => p.id !== byId.id)] : found;
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
    throw new PersonInputError("districtId", `Someone already has district ID ${districtId}: search for them instead`);
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

/** People known by name + email (case-insensitive): candidates a human may confirm as the same person. */
export function findByNameAndEmail(firstName: string, lastName: string, email: string) {
  return prisma.person.findMany({
    where: { mergedIntoId: null, email: email.trim().toLowerCase(), firstName: { equals: firstName.trim() }, lastName: { equals: lastName.trim() } },
    select: personSummary,
    take: 5,
  });
}
