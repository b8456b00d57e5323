/**
 * The one strict reading of a date or a time a person typed (a form, a query string, a CSV cell).
 * A calendar date is "YYYY-MM-DD" and must name a day that exists: 2026-02-30 is refused, never
 * rolled over to 2 March the way `new Date()` and `Date.UTC()` do. A time is "HH:MM", 00:00-23:59.
 * Pure: no framework; the zod helper in app/utils/forms.ts and the query-string readers build on it.
 */

/** Years a person may type; outside them a date is almost certainly a typo (20266-01-01, 0026-01-01). */
export const EARLIEST_DATE = "1900-01-01";
export const LATEST_DATE = "2199-12-31";

export type DateBounds = { earliest?: string; latest?: string };

export type ParsedCalendarDate =
  | { ok: true; iso: string; date: Date }
  /** `problem` reads after the field's name: "Deadline: 2026-02-30 is not a real date". */
  | { ok: false; problem: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** What was typed, short enough to quote back in a message. */
function quoted(text: string): string {
  return text.length > 24 ? `"${text.slice(0, 24)}…"` : `"${text}"`;
}

/**
 * The calendar day year-month-day (month 1-12) at 00:00 UTC, the way calendar dates are stored;
 * null when no such day exists. setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 19xx.
 */
export function calendarDay(year: number, month: number, day: number): Date | null {
  if (![year, month, day].every(Number.isInteger)) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** "2026-06-30" → that day at 00:00 UTC, or why not. Surrounding spaces are ignored. */
export function parseCalendarDate(text: string, bounds: DateBounds = {}): ParsedCalendarDate {
  const t = text.trim();
  const match = ISO_DATE.exec(t);
  if (!match) return { ok: false, problem: `${quoted(t)} is not a date written as YYYY-MM-DD (e.g. 2026-06-30)` };
  const date = calendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
  if (!date) return { ok: false, problem: `${t} is not a real date` };
  const earliest = bounds.earliest ?? EARLIEST_DATE;
  const latest = bounds.latest ?? LATEST_DATE;
  // ISO dates of four-digit years compare correctly as text.
  if (t < earliest) return { ok: false, problem: `${t} is before ${earliest}` };
  if (t > latest) return { ok: false, problem: `${t} is after ${latest}` };
  return { ok: true, iso: t, date };
}

/** The message for a field: "Deadline: 2026-02-30 is not a real date"; null when the date is good. */
export function calendarDateError(label: string, text: string, bounds: DateBounds = {}): string | null {
  const parsed = parseCalendarDate(text, bounds);
  return parsed.ok ? null : `${label}: ${parsed.problem}`;
}

/** A calendar date already checked (parseCalendarDate) as stored: 00:00 UTC. */
export function calendarDateToUtc(iso: string): Date {
  const parsed = parseCalendarDate(iso);
  if (!parsed.ok) throw new RangeError(`Not a calendar date: ${iso}`);
  return parsed.date;
}

/** A stored calendar date (00:00 UTC) as "YYYY-MM-DD". */
export function isoCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export type ParsedClockTime = { ok: true; hhmm: string; minutes: number } | { ok: false; problem: string };

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "09:30" → minutes after midnight, or why not. 24:00 and 9:75 are refused. */
export function parseClockTime(text: string): ParsedClockTime {
  const t = text.trim();
  const match = CLOCK_TIME.exec(t);
  if (!match) return { ok: false, problem: `${quoted(t)} is not a time written as HH:MM (00:00 to 23:59)` };
  return { ok: true, hhmm: t, minutes: Number(match[1]) * 60 + Number(match[2]) };
}
