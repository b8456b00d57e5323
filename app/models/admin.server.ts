import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { ROLES } from "~/domain/roles";

const PERSON_KINDS = ["STAFF", "STUDENT", "COMMUNITY"] as const;

/**
 * Every row of a large table, counted as a bare `SELECT COUNT(*)`, which SQLite answers from an index's
 * page headers (under a millisecond for 1.4 M certificates). Prisma's count() wraps the table in a
 * subquery with LIMIT, and SQLite then reads every entry (110 ms).
 */
async function countAll(table: "Person" | "TrainingSession" | "Certification"): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ count: number | bigint }>>`SELECT COUNT(*) AS "count" FROM ${Prisma.raw(`"${table}"`)}`;
  return Number(row.count);
}

/**
 * People by kind, merged records left out (they are kept for history but are not separate people).
 * Students are most of the directory (500,000 of 600,000 at district scale), so they are counted as the
 * rest: everyone (a count of the whole table), less the merged records (a seek in the index on
 * mergedIntoId), less the staff and partners (entries of the index on (mergedIntoId, kind)). Counting
 * every person's index entry instead took 70 ms. A person's kind is one of these three (an enum).
 */
async function peopleByKind(): Promise<Record<(typeof PERSON_KINDS)[number], number>> {
  const [everyone, [merged], adults] = await Promise.all([
    countAll("Person"),
    // Bare SQL: in Prisma's count() wrapper SQLite reads the whole table for this.
    prisma.$queryRaw<Array<{ count: number | bigint }>>`SELECT COUNT(*) AS "count" FROM "Person" WHERE "mergedIntoId" IS NOT NULL`,
    prisma.person.groupBy({ by: ["kind"], where: { mergedIntoId: null, kind: { in: ["STAFF", "COMMUNITY"] } }, _count: { _all: true } }),
  ]);
  const of = (kind: "STAFF" | "COMMUNITY") => adults.find((g) => g.kind === kind)?._count._all ?? 0;
  const staff = of("STAFF");
  const community = of("COMMUNITY");
  return { STAFF: staff, COMMUNITY: community, STUDENT: everyone - Number(merged.count) - staff - community };
}

/** The administrator's overview: how much of each thing the system holds. Counts only, no records. */
export async function adminOverview() {
  const [schools, activeSchools, regions, peopleCounts, usersByRole, activeUsers, programs, activePrograms, sessions, certifications] =
    await Promise.all([
      prisma.school.count(),
      prisma.school.count({ where: { active: true } }),
      prisma.region.count(),
      peopleByKind(),
      prisma.user.groupBy({ by: ["role"], _count: { _all: true } }),
      prisma.user.count({ where: { active: true } }),
      prisma.program.count(),
      prisma.program.count({ where: { active: true } }),
      countAll("TrainingSession"),
      countAll("Certification"),
    ]);
  // Every kind and role is listed, with zero where there are none, so the page's shape never changes.
  const people = PERSON_KINDS.map((kind) => ({ kind, count: peopleCounts[kind] }));
  const users = ROLES.map((role) => ({ role, count: usersByRole.find((g) => g.role === role)?._count._all ?? 0 }));
  return {
    schools, activeSchools, regions, people, users, activeUsers, programs, activePrograms, sessions, certifications,
    peopleTotal: people.reduce((sum, p) => sum + p.count, 0),
    usersTotal: users.reduce((sum, u) => sum + u.count, 0),
  };
}
