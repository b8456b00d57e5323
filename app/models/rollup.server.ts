import { prisma } from "~/db.server";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { currentOn } from "~/models/certification.server";

/**
 * Staff reach per school: the share of a school's staff (headcount for the school year)
 * who hold a current certification of the program. A person at two schools counts at both.
 */
export async function schoolStaffReach(schoolIds: string[], programCode: string, asOf: Date) {
  const schoolYear = schoolYearOf(asOf);
  const day = startOfDayUtc(asOf);
  const schools = await prisma.school.findMany({
    where: { id: { in: schoolIds } },
    orderBy: { name: "asc" },
    select: { id: true, code: true, name: true, headcounts: { where: { schoolYear }, select: { staffCount: true, studentCount: true } } },
  });
  return Promise.all(
    schools.map(async (school) => {
      const staffHere = { kind: "STAFF" as const, affiliations: { some: { schoolId: school.id, schoolYear } } };
      const [certifiedStaff, expiringSoon] = await Promise.all([
        prisma.person.count({
          where: { ...staffHere, certifications: { some: { program: { code: programCode }, ...currentOn(day) } } },
        }),
        prisma.person.count({
          where: {
            ...staffHere,
            certifications: {
              some: { program: { code: programCode }, renewedById: null, issuedOn: { lte: day }, expiresOn: { gt: day, lte: addDays(day, 90) } },
            },
          },
        }),
      ]);
      const staffHeadcount = school.headcounts[0]?.staffCount ?? null;
      return {
        id: school.id, code: school.code, name: school.name, staffHeadcount, certifiedStaff, expiringSoon,
        // No headcount means no denominator: the page shows "no headcount", never 0% or NaN.
        staffReach: staffHeadcount ? certifiedStaff / staffHeadcount : null,
      };
    }),
  );
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
