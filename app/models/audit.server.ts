import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

type Db = Prisma.TransactionClient | typeof prisma;

/** Every change to sessions, attendance, certifications and admin data is attributable. */
export function recordAudit(
  db: Db,
  event: { actorId: string | null; action: string; entityType: string; entityId: string; details: Record<string, unknown> },
) {
  return db.auditEvent.create({
    data: {
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      details: JSON.stringify(event.details),
    },
  });
}

export function listAuditFor(entityType: string, entityId: string) {
  return prisma.auditEvent.findMany({
    where: { entityType, entityId },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { actor: { select: { name: true, email: true } } },
  });
}
