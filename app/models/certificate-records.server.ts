/**
 * Corrections to a person's certificates, by a program lead or an administrator: revoke one issued by
 * mistake, record one earned elsewhere (app/domain/certificate-records.ts has the rules). Both are
 * audited; reach follows through the Certification triggers (a revocation queues the person in
 * ReachDirty like any other change, prisma/migrations/20261210000100_certificate_revocations_and_records).
 */
import { prisma } from "~/db.server";
import { lockForTransaction } from "~/db/dialect.server";
import { recordedCertificateDates } from "~/domain/certificate-records";
import { certificationStatus, renewsPrevious } from "~/domain/program-rules";
import { dateInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import type { RecordCertificateForm } from "~/forms/certificate-records";
import { recordAudit } from "~/models/audit.server";
import { newVerificationCode } from "~/models/certification.server";
import { canOpenPerson, CERTIFICATE_PDF_ROLES, CERTIFICATE_RECORD_ROLES, STATUS_LABELS } from "~/models/people-directory.server";
import { maskPerson, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

export { CERTIFICATE_RECORD_ROLES };

/** Bad input that only the database can tell (an unknown or retired program, a merged record): names its field. */
export class CertificateRecordError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * One certificate shown on the person's page (their own record's, or a record merged into theirs), for the
 * revoke page; null when the viewer may not see the person or the certificate is not theirs (a 404).
 */
export async function getCertificationForRevoke(viewer: VisibilityViewer, personId: string, certificationId: string, now = new Date()) {
  if (!(await canOpenPerson(viewer, personId, now))) return null;
  const cert = await prisma.certification.findFirst({
    where: { id: certificationId, OR: [{ personId }, { person: { mergedIntoId: personId } }] },
    select: {
      id: true, issuedOn: true, expiresOn: true, revokedAt: true, revokedReason: true, source: true,
      revokedBy: { select: { name: true } },
      program: { select: { name: true } },
      session: { select: { id: true, title: true } },
      person: { select: { firstName: true, lastName: true } },
    },
  });
  return cert;
}

export type RevokeOutcome =
  | { kind: "revoked"; revokedAt: Date }
  | { kind: "already-revoked"; revokedAt: Date | null }
  | { kind: "not-found" };

/**
 * Revokes one certificate: one conditional update (WHERE "revokedAt" IS NULL), so a second revocation, or
 * two at once, changes nothing and writes no second audit row; that caller is told it was already revoked.
 * A renewal it made is undone (the certificate it replaced is current again, as if the mistake had not
 * happened), and its waiting reminders are skipped.
 */
export async function revokeCertification(args: {
  personId: string;
  certificationId: string;
  reason: string;
  actorId: string;
  now?: Date;
}): Promise<RevokeOutcome> {
  const now = args.now ?? new Date();
  const { certificationId, personId } = args;
  return prisma.$transaction(async (tx) => {
    const ofPerson = { id: certificationId, OR: [{ personId }, { person: { mergedIntoId: personId } }] };
    const claimed = await tx.certification.updateMany({
      where: { ...ofPerson, revokedAt: null },
      data: { revokedAt: now, revokedById: args.actorId, revokedReason: args.reason },
    });
    if (claimed.count === 0) {
      const found = await tx.certification.findFirst({ where: ofPerson, select: { revokedAt: true } });
      return found ? { kind: "already-revoked" as const, revokedAt: found.revokedAt } : { kind: "not-found" as const };
    }
    const cert = await tx.certification.findUniqueOrThrow({ where: { id: certificationId }, select: { personId: true, programId: true } });
    const replaced = await tx.certification.findMany({ where: { renewedById: certificationId }, select: { id: true } });
    if (replaced.length > 0) {
      await tx.certification.updateMany({ where: { renewedById: certificationId }, data: { renewedById: null } });
    }
    await tx.reminderDelivery.updateMany({ where: { certificationId, status: { in: ["PENDING", "FAILED"] } }, data: { status: "SKIPPED" } });
    await recordAudit(tx, {
      actorId: args.actorId, action: "certification.revoke", entityType: "Certification", entityId: certificationId,
      details: { reason: args.reason, personId: cert.personId, programId: cert.programId, ...(replaced.length > 0 ? { renewalUndone: replaced.map((r) => r.id) } : {}) },
    });
    return { kind: "revoked" as const, revokedAt: now };
  });
}

/** The active programs a certificate may be recorded for, by name. */
export function listProgramsForRecording() {
  return prisma.program.findMany({
    where: { active: true },
    orderBy: { name: "asc" },
    select: { id: true, name: true, validityMonths: true },
  });
}

/** Today's calendar date in the district, as the form's dates are read. */
export function districtToday(now = new Date()): string {
  return dateInZone(now, getEnv().DISTRICT_TIME_ZONE);
}

/**
 * Records a certificate earned elsewhere for the person: no session, the program's validity when no expiry
 * is given, a verification code like any other. It renews the person's current certificate of the program
 * as a session's would (docs/decisions/002-renewals.md), under the same per-program lock as closing a
 * session. Throws CertificateRecordError (naming the field) and writes nothing on bad input.
 */
export async function recordCertificationElsewhere(args: {
  personId: string;
  form: RecordCertificateForm;
  actorId: string;
  now?: Date;
}): Promise<{ id: string; verificationCode: string }> {
  const { personId, form, actorId } = args;
  const today = districtToday(args.now);
  return prisma.$transaction(async (tx) => {
    const program = await tx.program.findUnique({ where: { id: form.programId }, select: { id: true, active: true, validityMonths: true } });
    if (!program) throw new CertificateRecordError("programId", "Program: choose a program from the list");
    if (!program.active) throw new CertificateRecordError("programId", "Program: this program is retired; choose an active one");
    const person = await tx.person.findUnique({ where: { id: personId }, select: { id: true, mergedIntoId: true } });
    if (!person) throw new CertificateRecordError("form", "This person no longer exists");
    if (person.mergedIntoId) throw new CertificateRecordError("form", "This record was merged into another: record the certificate on that record");
    const dates = recordedCertificateDates({ issuedOn: form.issuedOn, expiresOn: form.expiresOn, today, rules: program });
    if (!dates.ok) throw new CertificateRecordError(dates.field, dates.message);

    await lockForTransaction(tx, `certifications:${program.id}`);
    const cert = await tx.certification.create({
      data: {
        personId, programId: program.id, issuedOn: dates.issuedOn, expiresOn: dates.expiresOn,
        verificationCode: newVerificationCode(), source: form.source, evidenceNote: form.evidenceNote,
      },
      select: { id: true, verificationCode: true },
    });
    const previous = await tx.certification.findFirst({
      where: { personId, programId: program.id, renewedById: null, revokedAt: null, id: { not: cert.id }, issuedOn: { lte: dates.issuedOn } },
      orderBy: { issuedOn: "desc" },
    });
    if (previous && renewsPrevious(previous, dates.issuedOn)) {
      await tx.certification.update({ where: { id: previous.id }, data: { renewedById: cert.id } });
      await recordAudit(tx, { actorId, action: "certification.renew", entityType: "Certification", entityId: previous.id, details: { renewedById: cert.id } });
    }
    await recordAudit(tx, {
      actorId, action: "certification.record", entityType: "Certification", entityId: cert.id,
      details: {
        programId: program.id,
        issuedOn: form.issuedOn,
        expiresOn: dates.expiresOn?.toISOString().slice(0, 10) ?? null,
        source: form.source,
        evidenceNote: form.evidenceNote,
      },
    });
    return cert;
  });
}

/**
 * One certificate's own page (/people/:personId/certificates/:certificationId): guarded as the person
 * page is (canOpenPerson; the holder named through the directory's rule), and only a certificate shown on
 * that person's page (their own, or a record's merged into theirs). Null is a 404. Why it was revoked and
 * the evidence for one recorded from elsewhere are for those who correct certificates, as in the audit trail.
 */
export async function getCertificateRecord(viewer: VisibilityViewer, personId: string, certificationId: string, now = new Date()) {
  if (!(await canOpenPerson(viewer, personId, now))) return null;
  const [holder, cert] = await Promise.all([
    prisma.person.findUnique({ where: { id: personId }, select: visiblePersonSelect }),
    prisma.certification.findFirst({
      where: { id: certificationId, OR: [{ personId }, { person: { mergedIntoId: personId } }] },
      select: {
        id: true, personId: true, issuedOn: true, expiresOn: true, renewedById: true, verificationCode: true,
        revokedAt: true, revokedReason: true, source: true, evidenceNote: true,
        revokedBy: { select: { name: true } },
        program: { select: { id: true, name: true, code: true, renewalWindowDays: true } },
        session: { select: { id: true, title: true } },
        renewedBy: { select: { id: true, issuedOn: true, personId: true, person: { select: { mergedIntoId: true } } } },
        renews: { select: { id: true, issuedOn: true, personId: true, person: { select: { mergedIntoId: true } } } },
      },
    }),
  ]);
  if (!holder || !cert) return null;
  const shown = maskPerson(viewer, holder, { via: "directory" }, now);
  if (shown.hidden) return null;
  const correcting = CERTIFICATE_RECORD_ROLES.includes(viewer.role);
  const status = certificationStatus(cert, cert.program, now);
  // The certificate it renews, or that renewed it, under this person's address when it is on their page (their own or a
  // merged record's), else under its holder's.
  const linked = (c: { id: string; issuedOn: Date; personId: string; person: { mergedIntoId: string | null } }) => {
    const under = c.personId === personId || c.person.mergedIntoId === personId ? personId : c.personId;
    return { id: c.id, issuedOn: c.issuedOn, path: `/people/${under}/certificates/${c.id}` };
  };
  return {
    holder: { id: shown.id, firstName: shown.firstName, lastName: shown.lastName },
    /** Held on a record since merged into this person's. */
    onMergedRecord: cert.personId !== personId,
    certificate: {
      id: cert.id,
      program: { name: cert.program.name, code: cert.program.code },
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      status: { status, label: STATUS_LABELS[status] },
      revoked: cert.revokedAt
        ? { on: cert.revokedAt, by: cert.revokedBy?.name ?? null, reason: correcting ? cert.revokedReason : null }
        : null,
      session: cert.session,
      recorded: cert.session ? null : { source: cert.source, evidenceNote: correcting ? cert.evidenceNote : null },
      renewedBy: cert.renewedBy ? linked(cert.renewedBy) : null,
      renews: cert.renews ? linked(cert.renews) : null,
      checkPath: `/verify/${cert.verificationCode}`,
    },
    // The PDF route serves the holder's record's own certificates, never a revoked one.
    pdfPath: CERTIFICATE_PDF_ROLES.includes(viewer.role) && !cert.revokedAt ? `/people/${cert.personId}/certificates/${cert.id}/pdf` : null,
    revokePath: correcting && !cert.revokedAt ? `/people/${personId}/certificates/${cert.id}/revoke` : null,
  };
}

export type CertificateRecord = NonNullable<Awaited<ReturnType<typeof getCertificateRecord>>>;
