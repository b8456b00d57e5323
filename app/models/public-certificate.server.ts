import { prisma } from "~/db.server";
import { certificationStatus, type CertificationStatus } from "~/domain/program-rules";
import { isVerificationCode } from "~/domain/verification-code";
import type { PublicCertificateStatus } from "~/domain/verify-messages";

export type PublicCertificate = {
  nameAsPrinted: string;
  programName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  status: PublicCertificateStatus;
  /** When it was revoked (status "revoked"); the reason is never selected. */
  revokedOn: Date | null;
};

const PUBLIC_STATUS: Record<CertificationStatus, PublicCertificateStatus> = {
  active: "active",
  "renewal-window": "renewal-due",
  expired: "expired",
  renewed: "renewed",
  "not-yet-issued": "not-yet-valid",
  revoked: "revoked",
};

/**
 * The public certificate check: only the name as printed, the program, the dates and the
 * status, found by the exact unguessable code. A malformed code is not looked up at all.
 * The query selects nothing else, so no email, district ID or school can reach the page.
 */
export async function getPublicCertificate(code: string, asOf = new Date()): Promise<PublicCertificate | null> {
  if (!isVerificationCode(code)) return null;
  const cert = await prisma.certification.findUnique({
    where: { verificationCode: code },
    select: {
      issuedOn: true,
      expiresOn: true,
      renewedById: true,
      revokedAt: true,
      person: { select: { firstName: true, lastName: true } },
      program: { select: { name: true, renewalWindowDays: true } },
    },
  });
  if (!cert) return null;
  return {
    nameAsPrinted: nameAsPrinted(cert.person),
    programName: cert.program.name,
    issuedOn: cert.issuedOn,
    expiresOn: cert.expiresOn,
    status: PUBLIC_STATUS[certificationStatus(cert, cert.program, asOf)],
    revokedOn: cert.revokedAt,
  };
}

/** The name as the certificate prints it. */
export function nameAsPrinted(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`.replace(/\s+/g, " ").trim();
}
