/**
 * Deciding a directory import's row held for review (outcome REVIEW): the file's person against
 * the record it may be (`personId`). "Same person" writes the file's details onto that record and
 * adds the row's memberships for the import's school year; "not the same person" leaves an ID
 * clash unwritten, or makes a suggested partner match (the row's district ID is nobody's) a new
 * person. A row is decided once: the decision is claimed with a conditional update on
 * reviewState = OPEN, so a double submit writes once. (docs/domain.md, People and identity)
 */
import { z } from "zod";
import { lockForTransaction } from "~/db/dialect.server";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";

type Tx = Prisma.TransactionClient;

/** A decision that cannot be made, in words for the admin; nothing was written. */
export class ReviewRefused extends Error {}

const Memberships = z.array(z.object({ schoolId: z.string(), title: z.string().nullable().optional() }));

function membershipsOf(json: string | null): Array<{ schoolId: string; title: string | null }> {
  if (!json) return [];
  try {
    const parsed = Memberships.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data.map((m) => ({ schoolId: m.schoolId, title: m.title ?? null })) : [];
  } catch {
    return [];
  }
}

/** A held row for the compare page: the file's values, why it was held, its memberships by school, the import's year. */
export async function getHeldRow(rowId: string) {
  const row = await prisma.directoryImportRow.findUnique({
    where: { id: rowId },
    select: {
      id: true, file: true, line: true, outcome: true, reason: true, districtId: true, firstName: true, lastName: true, email: true, kind: true,
      personId: true, memberships: true, reviewState: true, reviewedAt: true,
      import: { select: { id: true, schoolYear: true, status: true, fileNames: true, createdAt: true } },
    },
  });
  if (!row || row.outcome !== "REVIEW") return null;
  const memberships = membershipsOf(row.memberships);
  const schools = await prisma.school.findMany({ where: { id: { in: memberships.map((m) => m.schoolId) } }, select: { id: true, name: true, code: true } });
  const byId = new Map(schools.map((s) => [s.id, s]));
  const idHolder = row.districtId
    ? await prisma.person.findUnique({ where: { districtId: row.districtId }, select: { id: true } })
    : null;
  return {
    ...row,
    memberships: memberships.map((m) => ({ ...m, schoolName: byId.get(m.schoolId)?.name ?? "Unknown school", schoolCode: byId.get(m.schoolId)?.code ?? "" })),
    /** The row's district ID is someone's: "not the same person" leaves it unwritten rather than make a second holder. */
    idClash: idHolder !== null,
  };
}

async function addMemberships(tx: Tx, personId: string, schoolYear: number, memberships: Array<{ schoolId: string; title: string | null }>) {
  for (const m of memberships) {
    await tx.affiliation.upsert({
      where: { personId_schoolId_schoolYear: { personId, schoolId: m.schoolId, schoolYear } },
      create: { personId, schoolId: m.schoolId, schoolYear, title: m.title },
      update: { title: m.title },
    });
  }
}

export type ReviewDecision = "same" | "different";

/**
 * Decides a held row in one transaction. Returns the person the row became (null: rejected, nothing written).
 * "same": the record (or, if it was merged since, its survivor) takes the file's names, kind, email
 * (a blank one keeps the record's) and district ID (only when it has none and nobody holds it).
 */
export async function decideHeldRow(input: { rowId: string; decision: ReviewDecision; actorId: string }): Promise<{ personId: string | null; state: "ACCEPTED" | "REJECTED" }> {
  const { rowId, decision, actorId } = input;
  try {
    return await decide(rowId, decision, actorId);
  } catch (error) {
    // A writer that takes no district ID lock (a person's edit, a directory import) gave the row's ID
    // away between our check and our write: the unique index on Person.districtId (its only one)
    // refuses it, and so do we, in words.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && error.meta?.modelName === "Person") {
      const row = await prisma.directoryImportRow.findUnique({ where: { id: rowId }, select: { districtId: true } });
      if (row?.districtId) throw new ReviewRefused(`District ID ${row.districtId} was just given to another record; nothing was written. Open the row again to decide it.`);
    }
    throw error;
  }
}

/** The lock a decision takes on its row's district ID: "does anyone hold it?" is read, then the ID written. */
export const districtIdLock = (districtId: string) => `district-id:${districtId}`;

async function decide(rowId: string, decision: ReviewDecision, actorId: string): Promise<{ personId: string | null; state: "ACCEPTED" | "REJECTED" }> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.directoryImportRow.findUnique({
      where: { id: rowId },
      select: {
        id: true, outcome: true, districtId: true, firstName: true, lastName: true, email: true, kind: true, personId: true, memberships: true,
        import: { select: { schoolYear: true, status: true } },
      },
    });
    if (!row || row.outcome !== "REVIEW") throw new ReviewRefused("There is no such row held for review.");
    if (row.import.status !== "COMMITTED") throw new ReviewRefused("This import has not been committed: its held rows are decided after the commit.");
    if (row.districtId) {
      // Two rows with one new ID decided at once would both find nobody holding it: the second waits, then sees the first's.
      await lockForTransaction(tx, districtIdLock(row.districtId));
    }
    const holder = row.districtId ? await tx.person.findUnique({ where: { districtId: row.districtId }, select: { id: true } }) : null;
    const state = decision === "same" || holder === null ? "ACCEPTED" : "REJECTED";
    const claimed = await tx.directoryImportRow.updateMany({
      where: { id: rowId, reviewState: "OPEN" },
      data: { reviewState: state, reviewedById: actorId, reviewedAt: new Date() },
    });
    if (claimed.count !== 1) throw new ReviewRefused("This row was decided already.");
    const memberships = membershipsOf(row.memberships);
    const via = { importRowId: row.id };

    if (decision === "different") {
      // An ID clash: the file's ID is someone else's, so there is nothing to write.
      if (holder) return { personId: null, state };
      const created = await tx.person.create({
        data: { districtId: row.districtId, firstName: row.firstName, lastName: row.lastName, email: row.email, kind: row.kind ?? "STAFF" },
        select: { id: true },
      });
      await addMemberships(tx, created.id, row.import.schoolYear, memberships);
      await tx.directoryImportRow.update({ where: { id: rowId }, data: { personId: created.id } });
      await recordAudit(tx, { actorId, action: "person.create", entityType: "Person", entityId: created.id, details: { via: "directory import, after review", ...via } });
      return { personId: created.id, state };
    }

    if (!row.personId) throw new ReviewRefused("This row names no record to compare with.");
    const held = await tx.person.findUnique({ where: { id: row.personId }, select: { id: true, mergedIntoId: true } });
    if (!held) throw new ReviewRefused("The record this row was held against no longer exists.");
    const target = held.mergedIntoId ?? held.id;
    const person = await tx.person.findUniqueOrThrow({ where: { id: target }, select: { firstName: true, lastName: true, email: true, kind: true, districtId: true } });
    const after = {
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email ?? person.email,
      kind: row.kind ?? person.kind,
      districtId: person.districtId ?? (row.districtId && holder === null ? row.districtId : null),
    };
    const changes: Record<string, [string | null, string | null]> = {};
    for (const field of ["firstName", "lastName", "email", "kind", "districtId"] as const) {
      if (person[field] !== after[field]) changes[field] = [person[field], after[field]];
    }
    if (Object.keys(changes).length > 0) {
      await tx.person.update({ where: { id: target }, data: after });
      await recordAudit(tx, { actorId, action: "person.update", entityType: "Person", entityId: target, details: { changes, via: "directory import review", ...via } });
    }
    await addMemberships(tx, target, row.import.schoolYear, memberships);
    return { personId: target, state };
  });
}
