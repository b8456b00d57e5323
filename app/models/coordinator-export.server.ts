import { prisma } from "~/db.server";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";

/**
 * The coordinator's export: staff and community partners affiliated this school year with the
 * given schools whose current certificate expires within `days` days. Students are never
 * included (their records are education records; this file leaves the system). Not capped like
 * the page's list: the export is the whole answer.
 */
export async function listExpiringForExport(schoolIds: string[], asOf: Date, days = 90) {
  if (schoolIds.length === 0) return [];
  const day = startOfDayUtc(asOf);
  const schoolYear = schoolYearOf(day);
  const certs = await prisma.certification.findMany({
    where: {
      renewedById: null,
      issuedOn: { lte: day },
      expiresOn: { gt: day, lte: addDays(day, days) },
      person: { kind: { not: "STUDENT" }, affiliations: { some: { schoolId: { in: schoolIds }, schoolYear } } },
    },
    orderBy: [{ expiresOn: "asc" }, { person: { lastName: "asc" } }, { person: { firstName: "asc" } }, { id: "asc" }],
    select: {
      expiresOn: true,
      program: { select: { name: true } },
      person: {
        select: {
          firstName: true, lastName: true, email: true,
          affiliations: {
            where: { schoolId: { in: schoolIds }, schoolYear },
            orderBy: { school: { name: "asc" } },
            select: { school: { select: { name: true } } },
          },
        },
      },
    },
  });
  return certs.map((c) => ({
    lastName: c.person.lastName,
    firstName: c.person.firstName,
    schools: c.person.affiliations.map((a) => a.school.name),
    program: c.program.name,
    expiresOn: c.expiresOn,
    email: c.person.email,
  }));
}
