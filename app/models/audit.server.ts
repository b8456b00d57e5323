import { prisma } from "~/db.server";
import { jsonList } from "~/db/dialect.server";
import type { Prisma } from "~/generated/prisma/client";

type Db = Prisma.TransactionClient | typeof prisma;

/** Every string anywhere in an event's details: the candidates for the people it names. */
function stringsIn(value: unknown, found: Set<string>): Set<string> {
  if (typeof value === "string") found.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, found);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringsIn(v, found);
  return found;
}

/**
 * Every change to sessions, attendance, certifications and admin data is attributable. The event is
 * stored with the people it is about (its entity when that is a person, and every person id in its
 * details), so a person's history is read from an index (AuditEventPerson).
 */
export async function recordAudit(
  db: Db,
  event: { actorId: string | null; action: string; entityType: string; entityId: string; details: Record<string, unknown> },
) {
  const candidates = stringsIn(event.details, new Set());
  if (event.entityType === "Person") candidates.add(event.entityId);
  const createdAt = new Date();
  const created = await db.auditEvent.create({
    data: {
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      details: JSON.stringify(event.details),
      createdAt,
    },
  });
  // Which of the strings are people, and the rows saying so, in one statement: an enrollment of a whole
  // file names thousands (row-at-a-time writes took seconds for a 10,000-person roster).
  if (candidates.size > 0) {
    await db.$executeRaw`
      INSERT INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
      SELECT ${created.id}, p."id", ${createdAt} FROM "Person" p WHERE p."id" IN ${jsonList([...candidates])}`;
  }
  return created;
}

export function listAuditFor(entityType: string, entityId: string) {
  return prisma.auditEvent.findMany({
    where: { entityType, entityId },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { actor: { select: { name: true, email: true } } },
  });
}
