/**
 * Member accounts for people of the directory: made on their first sign-in by email link or single sign-on, never by
 * hand. A new account is a MEMBER (roles still come from an administrator) with no password and no sign-in address of
 * its own: its person's email may be a mailbox several people share.
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

export type AccountUser = { id: string; role: "ADMIN" | "PROGRAM_LEAD" | "TRAINER" | "COORDINATOR" | "MEMBER"; active: boolean };

/**
 * The account of a person, made when they have none. Two first sign-ins at once make one account: the person is unique
 * on User, so the second create fails and reads the first's. A merged record signs in as the record it was merged into.
 */
export async function accountForPerson(personId: string): Promise<AccountUser | null> {
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { id: true, firstName: true, lastName: true, mergedIntoId: true } });
  if (!person) return null;
  if (person.mergedIntoId) return accountForPerson(person.mergedIntoId);
  const select = { id: true, role: true, active: true } as const;
  const existing = await prisma.user.findUnique({ where: { personId: person.id }, select });
  if (existing) return existing;
  try {
    return await prisma.user.create({
      data: { name: `${person.firstName} ${person.lastName}`, role: "MEMBER", personId: person.id, email: null, passwordHash: null },
      select,
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return prisma.user.findUnique({ where: { personId: person.id }, select });
    }
    throw error;
  }
}
