import { prisma } from "~/db.server";
import { startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { byIdsInOrder, expiringCertificationIds } from "~/models/certification.server";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

/**
 * The coordinator's export: staff and community partners affiliated this school year with the
 * given schools whose current certificate expires within `days` days. Students are never
 * included (their records are education records; this file leaves the system). Not capped like
 * the page's list: the export is the whole answer. Each person still goes through person-visibility.
 */
export async function listExpiringForExport(viewer: VisibilityViewer, asOf: Date, days = 90) {
  const schoolIds = [...viewer.schoolIds];
  if (schoolIds.length === 0) return [];
  const day = startOfDayUtc(asOf);
  const schoolYear = schoolYearOf(day);
  // The query that picks them drives from the schools' memberships (see expiringCertificationIds).
  const ids = await expiringCertificationIds(schoolIds, schoolYear, day, days);
  const certs = await byIdsInOrder(ids, (slice) =>
    prisma.certification.findMany({
      where: { id: { in: slice } },
      select: {
        id: true,
        expiresOn: true,
        program: { select: { name: true } },
        person: {
          select: {
            ...visiblePersonSelect,
            affiliations: { select: { schoolId: true, schoolYear: true, school: { select: { name: true } } }, orderBy: { school: { name: "asc" } } },
          },
        },
      },
    }),
  );
  return certs.flatMap((c) => {
    const person = maskPerson(viewer, c.person, { via: "export" });
    if (person.hidden) return [];
    return [{
      lastName: person.lastName,
      firstName: person.firstName,
      schools: c.person.affiliations.filter((a) => a.schoolYear === schoolYear && schoolIds.includes(a.schoolId)).map((a) => a.school.name),
      program: c.program.name,
      expiresOn: c.expiresOn,
      email: person.email,
    }];
  });
}
