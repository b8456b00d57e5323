import { prisma } from "~/db.server";

/** Emails kept in the app when no SMTP server is configured: an administrator reads them here. */
export const OUTBOX_PAGE_SIZE = 50;

export async function listOutboxMessages({ page, pageSize = OUTBOX_PAGE_SIZE }: { page: number; pageSize?: number }) {
  const [total, messages] = await Promise.all([
    prisma.outboxMessage.count(),
    prisma.outboxMessage.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: { id: true, toAddress: true, subject: true, createdAt: true },
    }),
  ]);
  return { total, messages, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export function getOutboxMessage(id: string) {
  return prisma.outboxMessage.findUnique({
    where: { id },
    select: { id: true, toAddress: true, subject: true, textBody: true, htmlBody: true, reminderId: true, createdAt: true },
  });
}
