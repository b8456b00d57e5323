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
