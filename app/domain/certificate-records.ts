/**
 * Corrections to the certificate record: a certificate issued by mistake is revoked (kept, with who, when
 * and why, but valid nowhere), and a certificate earned elsewhere (another district, the official MHFA
 * platform) is recorded without a session. Pure: no database, no framework.
 */
import { expiresOn, type ProgramRules } from "~/domain/program-rules";
import { calendarDateToUtc } from "~/domain/calendar-date";

export const REVOKE_REASON_MAX = 500;
export const SOURCE_MAX = 120;
export const EVIDENCE_NOTE_MAX = 500;

/** Offered as suggestions for the source; any short text is accepted. */
export const SUGGESTED_SOURCES = ["Official MHFA platform", "Another district", "Partner organisation"] as const;

export type RecordedDates =
  | { ok: true; issuedOn: Date; expiresOn: Date | null; expiryFromProgram: boolean }
  | { ok: false; field: "issuedOn" | "expiresOn"; message: string };

/**
 * The dates of a certificate recorded from elsewhere: issued on or before today (the district's calendar
 * day), and an expiry after the issue date; a blank expiry takes the program's validity, as issued
 * certificates do (null: the program's certificates never expire). Dates come as ISO calendar dates,
 * already checked to be real dates.
 */
export function recordedCertificateDates(input: {
  issuedOn: string;
  expiresOn: string | undefined;
  today: string;
  rules: Pick<ProgramRules, "validityMonths">;
}): RecordedDates {
  if (input.issuedOn > input.today) {
    return { ok: false, field: "issuedOn", message: `Issued on: ${input.issuedOn} is in the future; give the date the certificate was issued` };
  }
  const issuedOn = calendarDateToUtc(input.issuedOn);
  if (input.expiresOn === undefined) {
    return { ok: true, issuedOn, expiresOn: expiresOn(issuedOn, input.rules), expiryFromProgram: true };
  }
  if (input.expiresOn <= input.issuedOn) {
    return { ok: false, field: "expiresOn", message: `Expires on: must be after the issue date (${input.issuedOn})` };
  }
  return { ok: true, issuedOn, expiresOn: calendarDateToUtc(input.expiresOn), expiryFromProgram: false };
}
