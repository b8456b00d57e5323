import { parseCalendarDate, parseClockTime } from "./calendar-date";

/**
 * Session times are entered as wall-clock times in the district's time zone and stored
 * as instants (UTC). These helpers convert between the two with the platform's Intl data.
 */
function partsInZone(instant: Date, timeZone: string) {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const parts = Object.fromEntries(fmt.formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** The offset of the zone from UTC at that instant, in minutes. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = partsInZone(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - instant.getTime()) / 60000);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * "2026-11-22" + "09:30" in the zone → the instant. An impossible date or time (2026-02-30, 24:00)
 * throws rather than rolling over to another day: forms refuse them first (app/utils/forms.ts).
 */
export function wallTimeToUtc(date: string, time: string, timeZone: string): Date {
  const day = parseCalendarDate(date);
  const clock = parseClockTime(time);
  if (!day.ok || !clock.ok) throw new RangeError(`Not a wall time: ${date} ${time}`);
  const guess = day.date.getTime() + clock.minutes * 60000;
  // Two passes settle the offset across a daylight-saving change.
  let instant = guess - offsetMinutes(new Date(guess), timeZone) * 60000;
  instant = guess - offsetMinutes(new Date(instant), timeZone) * 60000;
  return new Date(instant);
}

/** The calendar date of an instant in the zone, as "YYYY-MM-DD". */
export function dateInZone(instant: Date, timeZone: string): string {
  const p = partsInZone(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The wall-clock time of an instant in the zone, as "HH:MM". */
export function timeInZone(instant: Date, timeZone: string): string {
  const p = partsInZone(instant, timeZone);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** The instant the zone's calendar day containing `instant` ends. */
export function endOfDayInZone(instant: Date, timeZone: string): Date {
  const date = dateInZone(instant, timeZone);
  const [y, m, d] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return wallTimeToUtc(next.toISOString().slice(0, 10), "00:00", timeZone);
}
