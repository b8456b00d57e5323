import { dateInZone } from "~/domain/time";

/**
 * Which session day a trainer page shows. A ?day= that names one of the session's days wins;
 * one that does not (mistyped, or another session's) falls back to the first day; with no
 * ?day= the page opens on today's day (in the district's zone), else the first.
 */
export function chooseSessionDay<D extends { id: string; startsAt: Date }>(
  days: readonly D[], requested: string | null, now: Date, timeZone: string,
): D | null {
  if (days.length === 0) return null;
  if (requested !== null) return days.find((d) => d.id === requested) ?? days[0];
  const today = dateInZone(now, timeZone);
  return days.find((d) => dateInZone(d.startsAt, timeZone) === today) ?? days[0];
}

/**
 * When a day may be recorded: once its calendar date has begun in the district's zone, not at its
 * start time. Trainers mark the door list and open QR check-in before the class starts, and a paper
 * sheet is entered after it; what must never happen is attendance for a day that is still to come.
 */
export function dayHasStarted(day: { startsAt: Date }, now: Date, timeZone: string): boolean {
  // ISO dates compare correctly as text.
  return dateInZone(day.startsAt, timeZone) <= dateInZone(now, timeZone);
}

/** "Tuesday, December 8, 2026": the day's date in the district, for messages. */
export function longDistrictDate(instant: Date, timeZone: string): string {
  return instant.toLocaleDateString("en-US", { weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone });
}

/** Why attendance cannot be recorded for this day now, or null when it can. */
export function attendanceRefusal(day: { startsAt: Date }, now: Date, timeZone: string): string | null {
  if (dayHasStarted(day, now, timeZone)) return null;
  return `${longDistrictDate(day.startsAt, timeZone)} has not started yet: attendance for that day can be recorded from that day on`;
}

/**
 * Why the session cannot be closed now, or null when it can. A session closes once its last day
 * has begun (same rule as recording it): trainers close right after the last class, and closing
 * issues certificates from that day's attendance, which cannot exist before the day.
 */
export function closingRefusal(days: ReadonlyArray<{ startsAt: Date }>, now: Date, timeZone: string): string | null {
  if (days.length === 0) return "This session has no days.";
  const last = days.reduce((a, b) => (b.startsAt > a.startsAt ? b : a));
  if (dayHasStarted(last, now, timeZone)) return null;
  return `This session's last day, ${longDistrictDate(last.startsAt, timeZone)}, has not started yet: close the session on or after that day`;
}

/**
 * Why a completion date (post-work, evaluation; "YYYY-MM-DD") cannot be recorded, or null: a step
 * cannot have been done on a day still to come. `today` is the district's date (dateInZone(now, zone)).
 */
export function completionDateRefusal(label: string, iso: string, today: string): string | null {
  return iso > today ? `${label}: ${iso} is in the future (today is ${today} in the district)` : null;
}
