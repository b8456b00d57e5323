/**
 * The rules a program sets as data: when a certificate expires, when renewal opens,
 * and what a learner must do to complete. No database, no framework.
 */
export type ProgramRules = {
  validityMonths: number | null;
  renewalWindowDays: number | null;
  requiresAttendance: boolean;
  requiresPostWork: boolean;
  requiresEvaluation: boolean;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Calendar dates are kept as 00:00 UTC. */
export function startOfDayUtc(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function addDays(date: Date, days: number): Date {
  return new Date(startOfDayUtc(date).getTime() + days * DAY_MS);
}

/** Adds months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(date.getUTCDate(), lastDay)));
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDayUtc(to).getTime() - startOfDayUtc(from).getTime()) / DAY_MS);
}

/** null when the program's validity is blank: the certificate never expires. */
export function expiresOn(issuedOn: Date, rules: Pick<ProgramRules, "validityMonths">): Date | null {
  if (rules.validityMonths == null) return null;
  return addMonths(startOfDayUtc(issuedOn), rules.validityMonths);
}

/** The first day a short recertification is allowed, or null when there is no renewal path. */
export function renewalWindowOpens(
  expiry: Date | null,
  rules: Pick<ProgramRules, "renewalWindowDays">,
): Date | null {
  if (expiry == null || rules.renewalWindowDays == null) return null;
  return addDays(expiry, -rules.renewalWindowDays);
}

export type CertificationStatus = "active" | "renewal-window" | "expired" | "renewed" | "not-yet-issued" | "revoked";

/** A revoked certificate (issued by mistake) is revoked whatever its dates say: it is no longer valid. */
export function certificationStatus(
  cert: { issuedOn: Date; expiresOn: Date | null; renewedById: string | null; revokedAt?: Date | null },
  rules: Pick<ProgramRules, "renewalWindowDays">,
  asOf: Date,
): CertificationStatus {
  const today = startOfDayUtc(asOf);
  if (cert.revokedAt) return "revoked";
  if (cert.renewedById) return "renewed";
  if (startOfDayUtc(cert.issuedOn) > today) return "not-yet-issued";
  if (cert.expiresOn && startOfDayUtc(cert.expiresOn) <= today) return "expired";
  const opens = renewalWindowOpens(cert.expiresOn, rules);
  if (opens && today >= opens) return "renewal-window";
  return "active";
}

/** "Current" means issued on or before the day and not expired on it. */
export function isCurrentOn(cert: { issuedOn: Date; expiresOn: Date | null }, asOf: Date): boolean {
  const today = startOfDayUtc(asOf);
  if (startOfDayUtc(cert.issuedOn) > today) return false;
  return cert.expiresOn == null || startOfDayUtc(cert.expiresOn) > today;
}

export type LearnerRecord = {
  /** Attendance per session day; a missing day counts as absent. */
  attendance: Array<"PRESENT" | "ABSENT" | "PARTIAL" | null>;
  postWorkDone: boolean;
  evaluationDone: boolean;
};

export type CompletionResult = { completed: true } | { completed: false; reasons: string[] };

/**
 * A learner completes when every requirement the program names is met:
 * present on every day (partial does not count), post-work and evaluation where required.
 */
export function evaluateCompletion(rules: ProgramRules, learner: LearnerRecord): CompletionResult {
  const reasons: string[] = [];
  if (rules.requiresAttendance) {
    if (learner.attendance.length === 0) reasons.push("No attendance recorded");
    learner.attendance.forEach((status, i) => {
      const day = learner.attendance.length > 1 ? ` on day ${i + 1}` : "";
      if (status === "PARTIAL") reasons.push(`Partial attendance${day}`);
      else if (status !== "PRESENT") reasons.push(`Absent${day}`);
    });
  }
  if (rules.requiresPostWork && !learner.postWorkDone) reasons.push("Post-work not complete");
  if (rules.requiresEvaluation && !learner.evaluationDone) reasons.push("Evaluation not complete");
  return reasons.length === 0 ? { completed: true } : { completed: false, reasons };
}

/**
 * Whether a new certificate issued on `issuedOn` renews `previous`. It does when the
 * previous one is still current that day: inside its renewal window (the usual case) or
 * earlier (the person retook the course early; the old one is superseded so it gets no
 * more reminders). An expired certificate is never renewed: the full course starts afresh.
 * See docs/decisions/002-renewals.md.
 */
export function renewsPrevious(
  previous: { issuedOn: Date; expiresOn: Date | null; renewedById: string | null },
  issuedOn: Date,
): boolean {
  if (previous.renewedById || previous.expiresOn == null) return false;
  const day = startOfDayUtc(issuedOn);
  return startOfDayUtc(previous.issuedOn) <= day && day < startOfDayUtc(previous.expiresOn);
}

/** The reminder days of a program setting: "90,30,7,0" → [90, 30, 7, 0]. */
export function parseReminderDays(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d{1,4}$/.test(p))) return null;
  const days = [...new Set(parts.map(Number))].sort((a, b) => b - a);
  return days.every((d) => d <= 3650) ? days : null;
}
