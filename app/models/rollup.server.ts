import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { currentOn } from "~/models/certification.server";

/**
 * Staff reach per school: the share of a school's staff (headcount for the school year)
 * who hold a current certification of the program. A person at two schools counts at both.
 *
 * One query for all the schools, driven from their memberships of the year (a few hundred people a
 * school): each member's certificates of the program are a correlated lookup by personId. "Not
 * renewed" is read in the select list, never the WHERE: there, `"renewedById" IS NULL` lets SQLite's
 * planner (without statistics) pick the unique index on renewedById, which holds nearly every
 * certificate, once per member (15 s at district scale).
 */
export async function schoolStaffReach(schoolIds: string[], programCode: string, asOf: Date) {
  const schoolYear = schoolYearOf(asOf);
  const day = startOfDayUtc(asOf);
  const [schools, program] = await Promise.all([
    prisma.school.findMany({
      where: { id: { in: schoolIds } },
      orderBy: { name: "asc" },
      select: { id: true, code: true, name: true, headcounts: { where: { schoolYear }, select: { staffCount: true, studentCount: true } } },
    }),
    prisma.program.findUnique({ where: { code: programCode }, select: { id: true } }),
  ]);
  const counts = new Map<string, { certified: number; expiring: number }>();
  if (schools.length > 0 && program) {
    // holds, per member: null (no current certificate), 1 (current), 2 (current, and one not renewed expires within 90 days).
    const rows = await prisma.$queryRaw<Array<{ schoolId: string; certified: number; expiring: number }>>`
      SELECT h."schoolId" AS "schoolId", CAST(COUNT(h."holds") AS INTEGER) AS "certified",
        CAST(SUM(CASE WHEN h."holds" = 2 THEN 1 ELSE 0 END) AS INTEGER) AS "expiring"
      FROM (
        SELECT a."schoolId" AS "schoolId",
          (SELECT MAX(CASE WHEN c."renewedById" IS NULL AND c."expiresOn" <= ${addDays(day, 90)} THEN 2 ELSE 1 END)
            FROM "Certification" c
            WHERE c."personId" = a."personId" AND c."programId" = ${program.id}
              AND c."issuedOn" <= ${day} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${day}) AND c."revokedAt" IS NULL) AS "holds"
        FROM "Affiliation" a
        WHERE a."schoolYear" = ${schoolYear} AND a."schoolId" IN (${Prisma.join(schools.map((s) => s.id))})
          AND EXISTS (SELECT 1 FROM "Person" p WHERE p."id" = a."personId" AND p."kind" = 'STAFF')
      ) h
      GROUP BY h."schoolId"`;
    for (const r of rows) counts.set(r.schoolId, { certified: Number(r.certified), expiring: Number(r.expiring) });
  }
  return schools.map((school) => {
    const certifiedStaff = counts.get(school.id)?.certified ?? 0;
    const expiringSoon = counts.get(school.id)?.expiring ?? 0;
    const staffHeadcount = school.headcounts[0]?.staffCount ?? null;
    return {
      id: school.id, code: school.code, name: school.name, staffHeadcount, certifiedStaff, expiringSoon,
      // No headcount means no denominator: the page shows "no headcount", never 0% or NaN.
      staffReach: staffHeadcount ? certifiedStaff / staffHeadcount : null,
    };
  });
}

/** District totals per program: people holding a current certification, by kind. */
export async function districtTotals(asOf: Date) {
  const day = startOfDayUtc(asOf);
  const schoolYear = schoolYearOf(day);
  const programs = await prisma.program.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } });
  const headcount = await prisma.headcount.aggregate({ where: { schoolYear }, _sum: { staffCount: true, studentCount: true } });
  const rows = await Promise.all(
    programs.map(async (program) => {
      const holds = { certifications: { some: { programId: program.id, ...currentOn(day) } } };
      const [staff, students, community] = await Promise.all([
        prisma.person.count({ where: { kind: "STAFF", ...holds } }),
        prisma.person.count({ where: { kind: "STUDENT", ...holds } }),
        prisma.person.count({ where: { kind: "COMMUNITY", ...holds } }),
      ]);
      return { ...program, staff, students, community };
    }),
  );
  return { schoolYear, staffHeadcount: headcount._sum.staffCount, studentHeadcount: headcount._sum.studentCount, programs: rows };
}
