/**
 * The record exports (issue 14) as CSV tables: the sessions list, one session's roster with
 * attendance, and the certificates of a program, place and period. Pure: the models fetch (and pass
 * every person through person-visibility), the routes turn these into a file. Dates are calendar
 * dates (YYYY-MM-DD); a hidden person arrives here already as a label, never a name.
 */
import { parseCalendarDate } from "./calendar-date";
import { certificationStatus, evaluateCompletion, type CertificationStatus } from "./program-rules";
import type { CsvTable } from "./reach-csv";
import type { RoleName } from "./roles";

const isoDay = (d: Date | null | undefined): string => (d ? d.toISOString().slice(0, 10) : "");

const FORMAT_WORDS: Record<string, string> = { IN_PERSON: "In person", BLENDED: "Blended", VIRTUAL: "Virtual" };
const SESSION_STATUS_WORDS: Record<string, string> = { SCHEDULED: "Scheduled", CLOSED: "Closed", CANCELLED: "Cancelled" };
const KIND_WORDS: Record<string, string> = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" };
const ATTENDANCE_WORDS: Record<string, string> = { PRESENT: "Present", ABSENT: "Absent", PARTIAL: "Partial" };

export type SessionExportRow = {
  program: string;
  title: string | null;
  format: string;
  school: string | null;
  siteName: string | null;
  status: string;
  days: Date[];
  trainers: string[];
  enrolled: number;
  attended: number;
  certificatesIssued: number;
};

export const SESSIONS_HEADER = [
  "Program", "Title", "Format", "School", "Status", "Days", "Trainers", "Enrolled", "Attended (present at least one day)", "Certificates issued",
];

export function sessionRow(s: SessionExportRow): string[] {
  return [
    s.program, s.title ?? "", FORMAT_WORDS[s.format] ?? s.format, s.school ?? s.siteName ?? "Virtual", SESSION_STATUS_WORDS[s.status] ?? s.status,
    s.days.map(isoDay).join("; "), s.trainers.join("; "), String(s.enrolled), String(s.attended), String(s.certificatesIssued),
  ];
}

export type RosterExportRow =
  | {
    hidden: false;
    name: string;
    districtId: string | null;
    kind: string;
    schools: string[];
    /** One per session day, in day order; null: nothing recorded. */
    attendance: Array<string | null>;
    postWorkOn: Date | null;
    evaluationOn: Date | null;
    certificate: { verificationCode: string; revoked: boolean } | null;
    /** Why no certificate: from the program's completion rule, or the session's state. */
    whyNot: string;
  }
  | { hidden: true; label: string; kind: string };

export function rosterCsv(dayDates: Date[], rows: RosterExportRow[]): CsvTable {
  const header = [
    "Name", "District ID", "Kind", "School",
    ...dayDates.map((d, i) => `Day ${i + 1} (${isoDay(d)})`),
    "Post-work done", "Evaluation done", "Certificate", "Verification code", "Why no certificate",
  ];
  return {
    header,
    rows: rows.map((r) => {
      if (r.hidden) return [r.label, "", KIND_WORDS[r.kind] ?? r.kind, "", ...dayDates.map(() => ""), "", "", "", "", ""];
      const cert = r.certificate;
      return [
        r.name, r.districtId ?? "", KIND_WORDS[r.kind] ?? r.kind, r.schools.join("; "),
        ...dayDates.map((_, i) => { const a = r.attendance[i]; return a ? ATTENDANCE_WORDS[a] ?? a : "Not recorded"; }),
        r.postWorkOn ? isoDay(r.postWorkOn) : "Not done",
        r.evaluationOn ? isoDay(r.evaluationOn) : "Not done",
        cert ? (cert.revoked ? "Revoked" : "Issued") : "Not issued",
        cert && !cert.revoked ? cert.verificationCode : "",
        cert && !cert.revoked ? "" : r.whyNot,
      ];
    }),
  };
}

/** The status words of the certificates export. */
export type CertificateExportStatus = "current" | "expiring" | "expired" | "renewed" | "revoked" | "not yet issued";

export function exportStatus(status: CertificationStatus): CertificateExportStatus {
  switch (status) {
    case "active": return "current";
    case "renewal-window": return "expiring";
    case "not-yet-issued": return "not yet issued";
    default: return status;
  }
}

export type CertificateExportRow = {
  /** null: a person the viewer may not see (counted, not named). */
  person: { name: string; districtId: string | null } | null;
  hiddenLabel: string;
  program: string;
  issuedOn: Date;
  expiresOn: Date | null;
  renewedById: string | null;
  revokedAt: Date | null;
  renewalWindowDays: number | null;
  /** The session that issued it, or null when it was recorded from elsewhere. */
  sessionLabel: string | null;
  source: string | null;
  verificationCode: string;
};

export const CERTIFICATES_HEADER = ["Name", "District ID", "Program", "Issued on", "Expires on", "Status", "Source", "Verification code"];

export function certificateRow(c: CertificateExportRow, asOf: Date): string[] {
  const status = exportStatus(certificationStatus(c, { renewalWindowDays: c.renewalWindowDays }, asOf));
  const source = c.sessionLabel != null ? `Session: ${c.sessionLabel}` : `Recorded from ${c.source?.trim() || "elsewhere"}`;
  return [
    c.person ? c.person.name : c.hiddenLabel, c.person?.districtId ?? "", c.program, isoDay(c.issuedOn), c.expiresOn ? isoDay(c.expiresOn) : "Never",
    status, source,
    // A code opens the public check, which prints the name: never for a person the viewer may not see.
    c.person ? c.verificationCode : "",
  ];
}

export type CertificateExportFilters = {
  programId: string;
  schoolId: string | null;
  regionId: string | null;
  from: Date;
  /** Inclusive: the last calendar day of the period. */
  to: Date;
};

export type CertificateFilterInput = { program: string; school: string; region: string; from: string; to: string };

export function certificateFilterInput(search: URLSearchParams): CertificateFilterInput {
  const get = (k: string) => (search.get(k) ?? "").trim();
  return { program: get("program"), school: get("school"), region: get("region"), from: get("from"), to: get("to") };
}

/** The certificates filter, or each field's problem ("from: …"). Both dates are required: a period bounds the file. */
export function parseCertificateFilters(input: CertificateFilterInput):
  { ok: true; filters: CertificateExportFilters } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!input.program) errors.program = "Choose a program";
  if (input.school && input.region) errors.region = "Choose a school or a region, not both";
  const from = input.from ? parseCalendarDate(input.from) : null;
  const to = input.to ? parseCalendarDate(input.to) : null;
  if (!input.from) errors.from = "Issued from is required (YYYY-MM-DD)";
  else if (from && !from.ok) errors.from = `Issued from: ${from.problem}`;
  if (!input.to) errors.to = "Issued to is required (YYYY-MM-DD)";
  else if (to && !to.ok) errors.to = `Issued to: ${to.problem}`;
  if (from?.ok && to?.ok && from.date > to.date) errors.to = `Issued to (${to.iso}) is before issued from (${from.iso})`;
  if (Object.keys(errors).length > 0 || !from?.ok || !to?.ok) return { ok: false, errors };
  return { ok: true, filters: { programId: input.program, schoolId: input.school || null, regionId: input.region || null, from: from.date, to: to.date } };
}

/**
 * The school years a period touches, each with the part of the period inside it ([start, end), UTC
 * days): a certificate's school is where its holder was in the school year it was issued.
 */
export function schoolYearSlices(from: Date, toInclusive: Date): Array<{ schoolYear: number; start: Date; end: Date }> {
  const endExclusive = new Date(toInclusive.getTime() + 24 * 3600_000);
  const slices = [];
  const firstYear = from.getUTCMonth() >= 6 ? from.getUTCFullYear() : from.getUTCFullYear() - 1;
  for (let y = firstYear; ; y += 1) {
    const yearStart = new Date(Date.UTC(y, 6, 1));
    if (yearStart >= endExclusive) break;
    const yearEnd = new Date(Date.UTC(y + 1, 6, 1));
    slices.push({ schoolYear: y, start: yearStart > from ? yearStart : from, end: yearEnd < endExclusive ? yearEnd : endExclusive });
  }
  return slices;
}

/** Why a person on a roster holds no certificate from it: the session's state, or what the program's rule found missing. */
export function whyNoCertificate(
  sessionStatus: string,
  rules: Parameters<typeof evaluateCompletion>[0],
  learner: Parameters<typeof evaluateCompletion>[1],
  revoked: boolean,
): string {
  if (revoked) return "Certificate revoked";
  if (sessionStatus === "CANCELLED") return "Session cancelled";
  const result = evaluateCompletion(rules, learner);
  if (sessionStatus !== "CLOSED") return result.completed ? "Session not closed yet (requirements met)" : `Session not closed yet: ${result.reasons.join("; ")}`;
  return result.completed ? "Completed; already held a current certificate" : result.reasons.join("; ");
}

/** Who may export certificates: program leads and administrators (any school), coordinators (their schools). */
export const CERTIFICATE_EXPORT_ROLES: RoleName[] = ["PROGRAM_LEAD", "ADMIN", "COORDINATOR"];
