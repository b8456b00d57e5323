/**
 * Correcting a person's record (/people/:personId/edit, administrators only): names, email,
 * district ID, kind, written with an audit event that says what changed from what.
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { EditPersonForm } from "~/forms/person";
import { recordAudit } from "~/models/audit.server";

export class PersonInputError extends Error {
  constructor(public field: string, message: string) {
    super(message);
  }
}

export function getPersonForEdit(personId: string) {
  return prisma.person.findUnique({
    where: { id: personId },
    select: {
      id: true, firstName: true, lastName: true, email: true, districtId: true, kind: true,
      mergedInto: { select: { id: true, firstName: true, lastName: true } },
    },
  });
}

const FIELDS = ["firstName", "lastName", "email", "districtId", "kind"] as const;

const takenMessage = (districtId: string, holder: { firstName: string; lastName: string }) =>
  `District ID ${districtId} is already held by ${holder.firstName} ${holder.lastName}; if they are one person, merge the two records instead`;

/**
 * Saves the form in one transaction with its audit event. Returns the fields that changed (none:
 * nothing is written). A merged record is refused (the survivor is the one to correct), as is a
 * district ID another record holds, naming that record: only administrators edit, and they see everyone.
 */
export async function updatePerson(personId: string, input: EditPersonForm, actorId: string): Promise<{ changed: string[] } | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const person = await tx.person.findUnique({
        where: { id: personId },
        select: { id: true, firstName: true, lastName: true, email: true, districtId: true, kind: true, mergedIntoId: true, mergedInto: { select: { firstName: true, lastName: true } } },
      });
      if (!person) return null;
      if (person.mergedIntoId) {
        const into = person.mergedInto ? `${person.mergedInto.firstName} ${person.mergedInto.lastName}` : "another record";
        throw new PersonInputError("form", `This record was merged into ${into}: edit that record instead (or undo the merge first)`);
      }
      if (input.districtId && input.districtId !== person.districtId) {
        const holder = await tx.person.findUnique({ where: { districtId: input.districtId }, select: { id: true, firstName: true, lastName: true } });
        if (holder && holder.id !== person.id) throw new PersonInputError("districtId", takenMessage(input.districtId, holder));
      }
      const changes: Record<string, [string | null, string | null]> = {};
      for (const field of FIELDS) if (person[field] !== input[field]) changes[field] = [person[field], input[field]];
      const changed = Object.keys(changes);
      if (changed.length === 0) return { changed };
      await tx.person.update({ where: { id: person.id }, data: input });
      await recordAudit(tx, { actorId, action: "person.update", entityType: "Person", entityId: person.id, details: { changes } });
      return { changed };
    });
  } catch (error) {
    // Another save took the ID between our check and our write: the unique index refuses it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && input.districtId) {
      throw new PersonInputError("districtId", `District ID ${input.districtId} is already held by another record`);
    }
    throw error;
  }
}
