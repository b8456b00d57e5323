import { prisma } from "~/db.server";
import { ROLES } from "~/domain/roles";

const PERSON_KINDS = ["STAFF", "STUDENT", "COMMUNITY"] as const;

/** The administrator's overview: how much of each thing the system holds. Counts only, no records. */
export async function adminOverview() {
  const [schools, activeSchools, regions, peopleByKind, usersByRole, activeUsers, programs, activePrograms, sessions, certifications] =
    await Promise.all([
      prisma.school.count(),
      prisma.school.count({ where: { active: true } }),
      prisma.region.count(),
      // Merged records are kept for history but are not separate people.
      prisma.person.groupBy({ by: ["kind"], where: { mergedIntoId: null }, _count: { _all: true } }),
      prisma.user.groupBy({ by: ["role"], _count: { _all: true } }),
      prisma.user.count({ where: { active: true } }),
      prisma.program.count(),
      prisma.program.count({ where: { active: true } }),
      prisma.trainingSession.count(),
      prisma.certification.count(),
    ]);
  // Every kind and role is listed, with zero where there are none, so the page's shape never changes.
  const people = PERSON_KINDS.map((kind) => ({ kind, count: peopleByKind.find((g) => g.kind === kind)?._count._all ?? 0 }));
  const users = ROLES.map((role) => ({ role, count: usersByRole.find((g) => g.role === role)?._count._all ?? 0 }));
  return {
    schools, activeSchools, regions, people, users, activeUsers, programs, activePrograms, sessions, certifications,
    peopleTotal: people.reduce((sum, p) => sum + p.count, 0),
    usersTotal: users.reduce((sum, u) => sum + u.count, 0),
  };
}
