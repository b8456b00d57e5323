import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

/** Issued on or before the day, not expired on it, and not revoked. */
export function currentOn(asOf: Date): Prisma.CertificationWhereInput {
  const day = startOfDayUtc(asOf);
  return { issuedOn: { lte: day }, revokedAt: null, OR: [{ expiresOn: null }, { expiresOn: { gt: day } }] };
}

export function listCertificationsForPerson(personId: string) {
  return prisma.certification.findMany({
    where: { personId },
    orderBy: [{ issuedOn: "desc" }],
    select: {
      id: true, issuedOn: true, expiresOn: true, renewedById: true, verificationCode: true, revokedAt: true, source: true,
      program: { select: { code: true, name: true, renewalWindowDays: true, renewalGuidance: true } },
      session: { select: { id: true, title: true } },
    },
  });
}

/**
 * The ids of the current certifications, not renewed nor revoked, that expire within `days` days of `day`, of the
 * staff and partners (never students) with a membership at one of the schools in the school year, in the
 * lists' order: expiry, last name, first name.
 *
 * Driven from the schools' memberships of the year (a few hundred people a school) to each one's
 * certificates by personId. "Not renewed" is checked on the rows, not in the WHERE: there,
 * `"renewedById" IS NULL` lets SQLite's planner (without statistics) pick the unique index on renewedById,
 * which holds nearly every certificate, and read most of the table (0.4 s at district scale, 15 s when
 * repeated per person). The rows before that check are the window's certificates of these people: few.
 */
export async function expiringCertificationIds(schoolIds: readonly string[], schoolYear: number, day: Date, days: number): Promise<string[]> {
  if (schoolIds.length === 0) return [];
  const rows = await prisma.$queryRaw<Array<{ id: string; renewedById: string | null }>>`
    SELECT c."id" AS "id", c."renewedById" AS "renewedById"
    FROM "Certification" c
    JOIN "Person" p ON p."id" = c."personId"
    WHERE c."personId" IN (
        SELECT a."personId" FROM "Affiliation" a WHERE a."schoolYear" = ${schoolYear} AND a."schoolId" IN (${Prisma.join(schoolIds)})
      )
      AND p."kind" <> 'STUDENT'
      AND c."issuedOn" <= ${day} AND c."expiresOn" > ${day} AND c."expiresOn" <= ${addDays(day, days)}
      AND c."revokedAt" IS NULL
    ORDER BY c."expiresOn" ASC, p."lastName" ASC, p."firstName" ASC, c."id" ASC`;
  return rows.filter((r) => r.renewedById === null).map((r) => r.id);
}

/** Rows by id, in the order of `ids`: fetched in slices that stay under every engine's bound-value limit. */
export async function byIdsInOrder<T extends { id: string }>(ids: readonly string[], fetch: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const found = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await fetch(ids.slice(i, i + 500))) found.set(row.id, row);
  }
  return ids.flatMap((id) => {
    const row = found.get(id);
    return row ? [row] : [];
  });
}

/**
 * Current certifications at the coordinator's schools that expire within `days` (staff and
 * partners; students excluded), each person through person-visibility like every people query.
 * The page shows the first 500.
 */
export async function listExpiringAtSchools(viewer: VisibilityViewer, schoolYear: number, asOf: Date, days = 90) {
  const schoolIds = [...viewer.schoolIds];
  const ids = (await expiringCertificationIds(schoolIds, schoolYear, startOfDayUtc(asOf), days)).slice(0, 500);
  const certs = await byIdsInOrder(ids, (slice) =>
    prisma.certification.findMany({
      where: { id: { in: slice } },
      select: {
        id: true, expiresOn: true,
        program: { select: { code: true, name: true } },
        person: {
          select: { ...visiblePersonSelect, affiliations: { select: { schoolId: true, schoolYear: true, school: { select: { name: true } } } } },
        },
      },
    }),
  );
  return certs.flatMap((c) => {
    const person = maskPerson(viewer, c.person, { via: "reach" }, asOf);
    if (person.hidden) return [];
    const schools = c.person.affiliations.filter((a) => a.schoolYear === schoolYear && schoolIds.includes(a.schoolId)).map((a) => a.school.name);
    return [{ id: c.id, expiresOn: c.expiresOn, program: c.program, person, schools }];
  });
}

/** 128 random bits, URL-safe: the public check's code can't be guessed or enumerated. */
export { newVerificationCode } from "~/domain/verification-code";
