/**
 * How a program's rules read to an administrator. No database, no framework.
 */
import type { ProgramRules } from "~/domain/program-rules";

export const PROGRAM_AUDIENCES = ["ADULTS", "STUDENTS", "ANYONE", "TRAINERS"] as const;
export type ProgramAudienceName = (typeof PROGRAM_AUDIENCES)[number];

export const PROGRAM_AUDIENCE_LABELS: Record<ProgramAudienceName, string> = {
  ADULTS: "Adults",
  STUDENTS: "Students",
  ANYONE: "Anyone, students included",
  TRAINERS: "Trainers (instructor certification)",
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** 36 → "3 years", 18 → "18 months", null → "Never expires". */
export function describeValidity(validityMonths: number | null): string {
  if (validityMonths == null) return "Never expires";
  if (validityMonths % 12 === 0) return plural(validityMonths / 12, "year", "years");
  return plural(validityMonths, "month", "months");
}

/** 90 → "90 days before expiry", null → "No renewal path". */
export function describeRenewalWindow(renewalWindowDays: number | null): string {
  if (renewalWindowDays == null) return "No renewal path";
  return `${plural(renewalWindowDays, "day", "days")} before expiry`;
}

/** What a learner must do for a certificate: "Attendance, post-work and evaluation". */
export function describeCompletion(rules: Pick<ProgramRules, "requiresAttendance" | "requiresPostWork" | "requiresEvaluation">): string {
  const parts = [
    rules.requiresAttendance ? "attendance" : null,
    rules.requiresPostWork ? "post-work" : null,
    rules.requiresEvaluation ? "evaluation" : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return "Enrolment only";
  const text = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
