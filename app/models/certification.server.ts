import { randomBytes } from "node:crypto";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { addDays, startOfDayUtc } from "~/domain/program-rules";

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

/** Current certifications at the given schools that expire within `days` (staff and partners; students excluded). */
export function listExpiringAtSchools(schoolIds: string[], schoolYear: number, asOf: Date, days = 90) {
  const day = startOfDayUtc(asOf);
  return prisma.certification.findMany({
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
        select: {
          id: true, firstName: true, lastName: true, email: true,
          affiliations: { where: { schoolId: { in: schoolIds }, schoolYear }, select: { school: { select: { name: true } } } },
        },
      },
    },
  });
}

/** 128 random bits, URL-safe: the public check's code can't be guessed or enumerated. */
export function newVerificationCode(): string {
  return randomBytes(16).toString("base64url");
}
