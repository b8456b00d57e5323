/**
 * Whether a trainer may still teach a program: their instructor certification for it and, where the
 * program has one, the courses-a-year rule (YMHFA: at least 3 courses per certification year,
 * docs/decisions/023-instructors.md). Pure rules: dates in, standing out.
 *
 * Dates are calendar days at UTC midnight, as everywhere in app/domain. An instructor certification,
 * like a certificate, is current on a day when it was issued on or before it and expires after it
 * (`expiresOn` is the first day it no longer holds).
 */
import { addDays, isCurrentOn, startOfDayUtc } from "./program-rules";

export type InstructorCertificationDates = { issuedOn: Date; expiresOn: Date | null };

/** One certification year: from `startsOn` (inclusive) to `endsOn` (exclusive). */
export type CertificationYear = { startsOn: Date; endsOn: Date };

function addYearsUtc(date: Date, years: number): Date {
  const d = startOfDayUtc(date);
  const year = d.getUTCFullYear() + years;
  const month = d.getUTCMonth();
  // Feb 29 on a year without one becomes Feb 28, not Mar 1: the year never runs a day long.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)));
}

/**
 * The certification year holding `asOf`: years run from the certification's issue date, one after
 * another. Before the issue date it is the first year.
 */
export function certificationYearOn(issuedOn: Date, asOf: Date): CertificationYear {
  const day = startOfDayUtc(asOf);
  let years = Math.max(0, day.getUTCFullYear() - startOfDayUtc(issuedOn).getUTCFullYear() - 1);
  while (addYearsUtc(issuedOn, years + 1) <= day) years += 1;
  return { startsOn: addYearsUtc(issuedOn, years), endsOn: addYearsUtc(issuedOn, years + 1) };
}

/** The last day of a certification year, for "by Jun 30, 2027". */
export function lastDayOf(year: CertificationYear): Date {
  return addDays(year.endsOn, -1);
}

/** Courses (dated by their last day) that fall in the year. */
export function coursesInYear(courseDays: readonly Date[], year: CertificationYear): number {
  return courseDays.filter((d) => {
    const day = startOfDayUtc(d);
    return day >= year.startsOn && day < year.endsOn;
  }).length;
}

export type InstructorStatus =
  /** The certification has expired (or is not yet in force). */
  | "expired"
  /**
   * The instructor certification is current, but the program asks its instructors to hold a current
   * certificate of it themselves (YMHFA: an active First Aider certificate) and they do not.
   */
  | "needs-certificate"
  /** Current, but fewer courses taught this certification year than the rule asks. */
  | "short"
  /** Current, and the rule is met this year (or the program has none). */
  | "current";

export type InstructorStanding = {
  status: InstructorStatus;
  expiresOn: Date | null;
  /** Expires within the next 90 days (and has not yet). */
  expiringSoon: boolean;
  year: CertificationYear;
  coursesTaught: number;
  /** null: the program has no courses-a-year rule. */
  coursesRequired: number | null;
  /** Courses still to teach this year; 0 when met or without a rule. */
  coursesNeeded: number;
  /** The last day of this certification year: the courses are needed by then. */
  neededBy: Date;
  /** The program asks its instructors to hold a current certificate of it, and this one does not. */
  needsCertificate: boolean;
};

export const EXPIRING_SOON_DAYS = 90;

export function instructorStanding(input: {
  certification: InstructorCertificationDates;
  coursesRequired: number | null;
  /** Courses the trainer led or co-led and closed, dated by their last day. */
  courseDays: readonly Date[];
  /**
   * Whether the trainer holds a current certificate of the program themselves, when the program asks
   * that of its instructors; null or absent when it does not.
   */
  holdsCurrentCertificate?: boolean | null;
  asOf: Date;
}): InstructorStanding {
  const { certification, coursesRequired, courseDays, asOf } = input;
  const needsCertificate = input.holdsCurrentCertificate === false;
  const today = startOfDayUtc(asOf);
  const year = certificationYearOn(certification.issuedOn, today);
  const coursesTaught = coursesInYear(courseDays, year);
  const coursesNeeded = coursesRequired == null ? 0 : Math.max(0, coursesRequired - coursesTaught);
  const current = isCurrentOn(certification, today);
  const expiresOn = certification.expiresOn ? startOfDayUtc(certification.expiresOn) : null;
  return {
    status: !current ? "expired" : needsCertificate ? "needs-certificate" : coursesNeeded > 0 ? "short" : "current",
    expiresOn,
    expiringSoon: current && expiresOn != null && expiresOn <= addDays(today, EXPIRING_SOON_DAYS),
    year,
    coursesTaught,
    coursesRequired,
    coursesNeeded,
    neededBy: lastDayOf(year),
    needsCertificate,
  };
}

/**
 * Of a trainer's instructor certifications for one program, the one that decides their standing:
 * the one current on `asOf` that lasts longest, else the one that expired last.
 */
export function decidingCertification<C extends InstructorCertificationDates>(certifications: readonly C[], asOf: Date): C | null {
  const lastsLonger = (a: C, b: C) => {
    if (a.expiresOn == null) return b.expiresOn == null ? a.issuedOn > b.issuedOn : true;
    if (b.expiresOn == null) return false;
    return a.expiresOn > b.expiresOn || (a.expiresOn.getTime() === b.expiresOn.getTime() && a.issuedOn > b.issuedOn);
  };
  let best: C | null = null;
  let bestCurrent = false;
  for (const c of certifications) {
    const current = isCurrentOn(c, asOf);
    if (!best || (current && !bestCurrent) || (current === bestCurrent && lastsLonger(c, best))) {
      best = c;
      bestCurrent = current;
    }
  }
  return best;
}

export type TeachingLapse =
  | { kind: "none-on-record" }
  /** Not current on `day` (the first such session day): expired by then, or not yet in force. */
  | { kind: "lapsed"; day: Date; expiresOn: Date | null };

/**
 * Whether a lead trainer may teach on each of a session's days: null when one of their instructor
 * certifications for the program is current on every day; otherwise why not, naming the first day
 * it fails. Days are calendar days (the district's dates of the session days).
 */
export function teachingLapse(certifications: readonly InstructorCertificationDates[], sessionDays: readonly Date[]): TeachingLapse | null {
  if (certifications.length === 0) return { kind: "none-on-record" };
  const days = [...sessionDays].map(startOfDayUtc).sort((a, b) => a.getTime() - b.getTime());
  for (const day of days) {
    if (!certifications.some((c) => isCurrentOn(c, day))) {
      const deciding = decidingCertification(certifications, day);
      return { kind: "lapsed", day, expiresOn: deciding?.expiresOn ? startOfDayUtc(deciding.expiresOn) : null };
    }
  }
  return null;
}

export type InstructorCertificationDatesCheck =
  | { ok: true; issuedOn: Date; expiresOn: Date | null }
  | { ok: false; field: "issuedOn" | "expiresOn"; message: string };

/**
 * The dates of an instructor certification being recorded (ISO calendar dates, already real dates):
 * issued on or before today (the district's day), and an expiry, when given, after the issue date.
 * A blank expiry means it never expires: instructor certifications carry their own dates, never the
 * program's certificate validity.
 */
export function checkInstructorCertificationDates(input: { issuedOn: string; expiresOn: string | undefined; today: string }): InstructorCertificationDatesCheck {
  if (input.issuedOn > input.today) {
    return { ok: false, field: "issuedOn", message: `Issued on: ${input.issuedOn} is in the future; give the date the certification was issued` };
  }
  if (input.expiresOn !== undefined && input.expiresOn <= input.issuedOn) {
    return { ok: false, field: "expiresOn", message: `Expires on: must be after the issue date (${input.issuedOn})` };
  }
  const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
  return { ok: true, issuedOn: utc(input.issuedOn), expiresOn: input.expiresOn === undefined ? null : utc(input.expiresOn) };
}

/** The standings table's status filter: a status, or "expiring soon" (within EXPIRING_SOON_DAYS). */
export type InstructorStatusFilter = InstructorStatus | "expiring-soon";
export const INSTRUCTOR_STATUS_FILTERS: ReadonlyArray<{ value: InstructorStatusFilter; label: string }> = [
  { value: "short", label: "Short of courses" },
  { value: "expired", label: "Expired" },
  { value: "needs-certificate", label: "Without a current certificate of their own" },
  { value: "expiring-soon", label: `Expiring within ${EXPIRING_SOON_DAYS} days` },
  { value: "current", label: "Current" },
];

export function isInstructorStatusFilter(value: string): value is InstructorStatusFilter {
  return INSTRUCTOR_STATUS_FILTERS.some((f) => f.value === value);
}
