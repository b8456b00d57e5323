import { prisma } from "~/db.server";
import { startOfDayUtc, addDays } from "~/domain/program-rules";

const sessionSummary = {
  id: true, title: true, status: true, format: true, capacity: true,
  program: { select: { code: true, name: true } },
  school: { select: { name: true } },
  siteName: true,
  days: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
  _count: { select: { enrollments: true } },
} as const;

/**
 * A trainer's sessions (lead or co-trainer): those with a day today, those still to come,
 * and past ones not yet closed.
 */
export async function listTrainerDashboard(userId: string, now = new Date()) {
  const today = startOfDayUtc(now);
  const tomorrow = addDays(today, 1);
  const mine = { trainers: { some: { userId } }, status: "SCHEDULED" as const };
  const [todays, upcoming, awaitingClose] = await Promise.all([
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: { startsAt: { gte: today, lt: tomorrow } } } },
      select: sessionSummary,
    }),
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: { startsAt: { gte: tomorrow } } } },
      select: sessionSummary,
      take: 50,
    }),
    prisma.trainingSession.findMany({
      where: { ...mine, days: { some: {} }, NOT: { days: { some: { endsAt: { gte: today } } } } },
      select: sessionSummary,
      take: 50,
    }),
  ]);
  const firstDay = (s: { days: Array<{ startsAt: Date }> }) => s.days[0]?.startsAt.getTime() ?? 0;
  upcoming.sort((a, b) => firstDay(a) - firstDay(b));
  awaitingClose.sort((a, b) => firstDay(a) - firstDay(b));
  return { todays, upcoming, awaitingClose };
}

/** Sessions a person is enrolled in, newest first. */
export function listSessionsForPerson(personId: string) {
  return prisma.trainingSession.findMany({
    where: { enrollments: { some: { personId } } },
    select: sessionSummary,
    orderBy: { createdAt: "desc" },
    take: 100,
  });
}
