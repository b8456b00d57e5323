import { randomBytes } from "node:crypto";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

/** Issued on or before the day and not expired on it. */
export function currentOn(asOf: Date): Prisma.CertificationWhereInput {
  const day = startOfDayUtc(asOf);
  return { issuedOn: { lte: day }, OR: [{ expiresOn: null }, { expiresOn: { gt: day } }] };
}

export function listCertificationsForPerson(personId: string) {
  return prisma.certification.findMany({
    where: { personId },
    orderBy: [{ issuedOn: "desc" }],
    select: {
      id: true, issuedOn: true, expiresOn: true, renewedById: true, verificationCode: true,
      program: { select: { code: true, name: true, renewalWindowDays: true, renewalGuidance: true } },
      session: { select: { id: true, title: true } },
    },
  });
}

/**
 * Current certifications at the coordinator's schools that expire within `days` (staff and
 * partners; students excluded), each person through person-visibility like every people query.
 */
export async function listExpiringAtSchools(viewer: VisibilityViewer, schoolYear: number, asOf: Date, days = 90) {
  const schoolIds = [...viewer.schoolIds];
  if (schoolIds.length === 0) return [];
  const day = startOfDayUtc(asOf);
  const certs = await prisma.certification.findMany({
    where: {
      renewedById: null,
      issuedOn: { lte: day },
      expiresOn: { gt: day, lte: addDays(day, days) },
      person: { kind: { not: "STUDENT" }, affiliations: { some: { schoolId: { in: schoolIds }, schoolYear } } },
    },
    orderBy: { expiresOn: "asc" },
    take: 500,
    select: {
      id: true, expiresOn: true,
      program: { select: { code: true, name: true } },
      person: {
        select: { ...visiblePersonSelect, affiliations: { select: { schoolId: true, schoolYear: true, school: { select: { name: true } } } } },
      },
    },
  });
  return certs.flatMap((c) => {
    const person = maskPerson(viewer, c.person, { via: "reach" }, asOf);
    if (person.hidden) return [];
    const schools = c.person.affiliations.filter((a) => a.schoolYear === schoolYear && schoolIds.includes(a.schoolId)).map((a) => a.school.name);
    return [{ id: c.id, expiresOn: c.expiresOn, program: c.program, person, schools }];
  });
}

/** 128 random bits, URL-safe: the public check's code can't be guessed or enumerated. */
export function newVerificationCode(): string {
  return randomBytes(16).toString("base64url");
}
