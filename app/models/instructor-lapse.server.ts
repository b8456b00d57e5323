/**
 * Whether a session's lead trainer is certified to teach it (issue 14): their instructor
 * certifications for the session's program against the session's days. A warning, never a block:
 * the session is still created and kept.
 */
import { prisma } from "~/db.server";
import { dateInZone } from "~/domain/time";
import { decidingCertification, teachingLapse } from "~/domain/instructor-standing";
import { lapseWarningText, ownCertificateWarningText } from "~/domain/instructor-lapse";
import { isCurrentOn, startOfDayUtc } from "~/domain/program-rules";
import { currentCertificateHolders, instructorCertificationsOf } from "~/models/instructors.server";

/** The district's calendar date of an instant, as a UTC-midnight day. */
function districtDate(instant: Date, timeZone: string): Date {
  return new Date(`${dateInZone(instant, timeZone)}T00:00:00Z`);
}

function districtToday(now: Date, timeZone: string): Date {
  return districtDate(now, timeZone);
}

/**
 * The warnings for a session whose lead trainer's instructor certification for its program is
 * missing, or not in force on one of its days, and (where the program asks its instructors to hold
 * a current certificate of it) whose own certificate of the program does not cover one of its days.
 * Empty when all is covered, when the session is closed or cancelled, or has no lead or no days.
 */
export async function sessionLeadLapse(sessionId: string, timeZone: string, now = new Date()): Promise<string[]> {
  const session = await prisma.trainingSession.findUnique({
    where: { id: sessionId },
    select: {
      status: true,
      programId: true,
      program: { select: { code: true, instructorNeedsCertificate: true } },
      days: { select: { startsAt: true }, orderBy: { startsAt: "asc" } },
      trainers: { where: { role: "LEAD" }, select: { user: { select: { name: true, personId: true } } } },
    },
  });
  if (!session || session.status !== "SCHEDULED" || session.days.length === 0) return [];
  const lead = session.trainers[0]?.user;
  if (!lead) return [];
  // An account not linked to a person has no certification on record.
  const certifications = lead.personId
    ? await prisma.instructorCertification.findMany({
        where: { personId: lead.personId, programId: session.programId },
        select: { issuedOn: true, expiresOn: true },
      })
    : [];
  const sessionDays = [...new Set(session.days.map((d) => dateInZone(d.startsAt, timeZone)))].map((d) => new Date(`${d}T00:00:00Z`));
  const today = districtToday(now, timeZone);
  const warnings: string[] = [];
  const lapse = teachingLapse(certifications, sessionDays);
  if (lapse) warnings.push(lapseWarningText({ lapse, leadName: lead.name, programCode: session.program.code, sessionDays, today }));
  if (session.program.instructorNeedsCertificate) {
    // Their own certificates of the program, not revoked (one on a record merged into theirs counts).
    const own = lead.personId
      ? await prisma.certification.findMany({
          where: { programId: session.programId, revokedAt: null, person: { OR: [{ id: lead.personId }, { mergedIntoId: lead.personId }] } },
          select: { issuedOn: true, expiresOn: true },
        })
      : [];
    const ownLapse = teachingLapse(own, sessionDays);
    if (ownLapse) warnings.push(ownCertificateWarningText({ lapse: ownLapse, leadName: lead.name, programCode: session.program.code, sessionDays, today }));
  }
  return warnings;
}

export type OwnInstructorStatus = {
  programId: string;
  programCode: string;
  programName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  /** On the district's today: in force, past its expiry, or issued for a later day. */
  state: "current" | "expired" | "not-yet";
  /**
   * Where the program asks its instructors to hold a current certificate of it (YMHFA): whether they
   * hold one today. null where it does not ask.
   */
  ownCertificate: "current" | "missing" | null;
};

/**
 * For the new-session form: the signed-in trainer's instructor certifications, the deciding one per
 * program, with whether it is current today. Empty when the account is not linked to a person.
 */
export async function ownInstructorStatus(personId: string | null, timeZone: string, now = new Date()): Promise<OwnInstructorStatus[]> {
  if (!personId) return [];
  const today = districtToday(now, timeZone);
  const rows = await instructorCertificationsOf(personId);
  const byProgram = new Map<string, typeof rows>();
  for (const row of rows) byProgram.set(row.programId, [...(byProgram.get(row.programId) ?? []), row]);
  const needing = [...new Set(rows.filter((r) => r.program.instructorNeedsCertificate).map((r) => r.programId))];
  const holders = await currentCertificateHolders([personId], needing, today);
  const result: OwnInstructorStatus[] = [];
  for (const certs of byProgram.values()) {
    const deciding = decidingCertification(certs, today);
    if (!deciding) continue;
    result.push({
      programId: deciding.programId,
      programCode: deciding.program.code,
      programName: deciding.program.name,
      issuedOn: startOfDayUtc(deciding.issuedOn),
      expiresOn: deciding.expiresOn ? startOfDayUtc(deciding.expiresOn) : null,
      state: isCurrentOn(deciding, today) ? "current" : startOfDayUtc(deciding.issuedOn) > today ? "not-yet" : "expired",
      ownCertificate: deciding.program.instructorNeedsCertificate ? (holders.has(`${personId}|${deciding.programId}`) ? "current" : "missing") : null,
    });
  }
  return result.sort((a, b) => a.programName.localeCompare(b.programName));
}
