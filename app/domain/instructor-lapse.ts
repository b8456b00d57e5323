/**
 * The words of the warning a session shows when its lead trainer's instructor certification does not
 * cover it (issue 14): pure, from the lapse teachingLapse() found (app/domain/instructor-standing.ts).
 */
import { startOfDayUtc } from "./program-rules";
import type { TeachingLapse } from "./instructor-standing";

function shortDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Terry Trainer's", "day 2 (Dec 12, 2026)" and the expiry as a day: the parts both warnings name. */
function lapseWords(lapse: Extract<TeachingLapse, { kind: "lapsed" }>, leadName: string | null, sessionDays: readonly Date[]) {
  const days = sessionDays.map((d) => startOfDayUtc(d).getTime());
  const index = days.indexOf(startOfDayUtc(lapse.day).getTime());
  return {
    whose: leadName ? `${leadName}'s` : "The lead trainer's",
    dayName: `${index >= 0 ? `day ${index + 1}` : "a session day"} (${shortDate(lapse.day)})`,
    expiresOn: lapse.expiresOn ? startOfDayUtc(lapse.expiresOn) : null,
  };
}

export type LapseWarningInput = {
  lapse: TeachingLapse;
  /** The lead trainer's name; null when the session has no lead's name to give. */
  leadName: string | null;
  /** The program's short code, e.g. YMHFA. */
  programCode: string;
  /** The session's days (district dates at UTC midnight), in order: "day 2" counts from them. */
  sessionDays: readonly Date[];
  today: Date;
};

/**
 * "Terry Trainer's YMHFA instructor certification expired on Nov 1, 2026 — it does not cover day 1 (Dec 10, 2026)",
 * "… expires on Dec 11, 2026 — it will have expired by day 2 (Dec 12, 2026)", or "No YMHFA instructor
 * certification on record for the lead trainer (Terry Trainer)".
 */
export function lapseWarningText({ lapse, leadName, programCode, sessionDays, today }: LapseWarningInput): string {
  if (lapse.kind === "none-on-record") {
    return `No ${programCode} instructor certification on record for the lead trainer${leadName ? ` (${leadName})` : ""}.`;
  }
  const { whose, dayName, expiresOn } = lapseWords(lapse, leadName, sessionDays);
  // The certification that decides it runs past the day: it is not yet in force then.
  if (!expiresOn || expiresOn > startOfDayUtc(lapse.day)) {
    return `${whose} ${programCode} instructor certification is not yet in force on ${dayName}.`;
  }
  if (expiresOn <= startOfDayUtc(today)) {
    return `${whose} ${programCode} instructor certification expired on ${shortDate(expiresOn)} — it does not cover ${dayName}.`;
  }
  return `${whose} ${programCode} instructor certification expires on ${shortDate(expiresOn)} — it will have expired by ${dayName}.`;
}

/**
 * For a program whose instructors must hold a current certificate of it themselves (YMHFA: an active
 * First Aider certificate), when the lead trainer's own certificates do not cover a session day:
 * "Terry Trainer's own YMHFA certificate expired on Nov 1, 2026 — a YMHFA instructor also holds a
 * current one, and it does not cover day 1 (Dec 10, 2026)".
 */
export function ownCertificateWarningText({ lapse, leadName, programCode, sessionDays, today }: LapseWarningInput): string {
  const rule = `a ${programCode} instructor also holds a current ${programCode} certificate`;
  if (lapse.kind === "none-on-record") {
    return `No current ${programCode} certificate of their own on record for the lead trainer${leadName ? ` (${leadName})` : ""}: ${rule}.`;
  }
  const { whose, dayName, expiresOn } = lapseWords(lapse, leadName, sessionDays);
  if (!expiresOn || expiresOn > startOfDayUtc(lapse.day)) return `${whose} own ${programCode} certificate is not yet issued on ${dayName}: ${rule}.`;
  if (expiresOn <= startOfDayUtc(today)) return `${whose} own ${programCode} certificate expired on ${shortDate(expiresOn)} — ${rule}, and it does not cover ${dayName}.`;
  return `${whose} own ${programCode} certificate expires on ${shortDate(expiresOn)} — ${rule}, and it will have expired by ${dayName}.`;
}
