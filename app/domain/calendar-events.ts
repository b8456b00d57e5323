/**
 * iCalendar text for sessions and renewal deadlines, built with `ics`. What Outlook and Google
 * need: METHOD:PUBLISH, a PRODID, a stable UID per event (so a re-import or a feed refresh
 * updates instead of duplicating), session times in UTC ("Z") and all-day dates as VALUE=DATE.
 * `ics` writes DTSTAMP and CRLF line endings and folds long lines.
 */
import { createEvents, type DateArray, type EventAttributes } from "ics";
import { addDays } from "~/domain/program-rules";

export type CalendarHeader = {
  /** The district's name, for PRODID and the calendar's name. */
  districtName: string;
  /** Host name for UIDs (`session-<sessionId>-day-<n>@<host>`). */
  host: string;
  calendarName?: string;
};

export type SessionDayEvent = {
  sessionId: string;
  /** The session's last change: the event's SEQUENCE, as in the emailed invitations. */
  sessionUpdatedAt: Date;
  startsAt: Date;
  endsAt: Date;
  /** 1-based, and out of how many days the session has. */
  dayNumber: number;
  dayCount: number;
  programName: string;
  sessionTitle: string | null;
  location: string;
  leadTrainer: string | null;
  cancelled: boolean;
};

export type RenewalEvents = {
  certificationId: string;
  programName: string;
  expiresOn: Date;
  windowOpens: Date | null;
  /** How to renew, in plain words (renewal guidance). */
  howToRenew: string;
};

const SEQUENCE_EPOCH_MS = Date.UTC(2020, 0, 1);

/** Grows with every change: the session's updatedAt in whole seconds (since 2020). */
export function sequenceOf(updatedAt: Date): number {
  return Math.max(0, Math.floor((updatedAt.getTime() - SEQUENCE_EPOCH_MS) / 1000));
}

/**
 * One UID per session and day number, the same in the emailed invitation, the .ics download and the
 * calendar feed, so a person who has more than one of them sees one event, updated in place (a day moved
 * to another date keeps its UID, though the app stores it as a new SessionDay).
 */
export function sessionDayUid(sessionId: string, dayNumber: number, host: string): string {
  return `session-${sessionId}-day-${dayNumber}@${host}`;
}

export function productId(districtName: string): string {
  // PRODID is free text but by convention "-//Owner//Product//Language"; "//" inside a part would confuse it.
  return `-//${districtName.replace(/\/+/g, " ")}//Mental Health Training Tracker//EN`;
}

/** Where a session happens, in words: its school, else its site, noting when it is online. */
export function sessionLocation(s: { format: string; siteName: string | null; school: { name: string } | null }): string {
  const place = s.school?.name ?? s.siteName;
  if (s.format === "VIRTUAL") return place ? `Online (${place})` : "Online";
  return place ?? "To be announced";
}

function utcDateArray(date: Date): DateArray {
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

export function sessionDayEvents(days: SessionDayEvent[], host: string): EventAttributes[] {
  return days.map((d) => {
    const name = d.sessionTitle ? `${d.programName}: ${d.sessionTitle}` : d.programName;
    const dayPart = d.dayCount > 1 ? ` (day ${d.dayNumber} of ${d.dayCount})` : "";
    const description = [
      d.cancelled ? "This session was cancelled." : null,
      `${d.programName} training${dayPart}.`,
      d.leadTrainer ? `Lead trainer: ${d.leadTrainer}.` : null,
    ].filter(Boolean).join("\n");
    return {
      uid: sessionDayUid(d.sessionId, d.dayNumber, host),
      sequence: sequenceOf(d.sessionUpdatedAt),
      title: `${d.cancelled ? "Cancelled: " : ""}${name}${dayPart}`,
      start: d.startsAt.getTime(),
      startInputType: "utc",
      startOutputType: "utc",
      end: d.endsAt.getTime(),
      endInputType: "utc",
      endOutputType: "utc",
      location: d.location,
      description,
      status: d.cancelled ? "CANCELLED" : "CONFIRMED",
      busyStatus: d.cancelled ? "FREE" : "BUSY",
      transp: d.cancelled ? "TRANSPARENT" : "OPAQUE",
    };
  });
}

/** All-day events: the expiry date, and the day the renewal window opens when there is one. */
export function renewalEvents(r: RenewalEvents, host: string): EventAttributes[] {
  const allDay = (day: Date) => ({ start: utcDateArray(day), end: utcDateArray(addDays(day, 1)) });
  const events: EventAttributes[] = [];
  if (r.windowOpens) {
    events.push({
      uid: `certificate-${r.certificationId}-renewal-opens@${host}`,
      title: `${r.programName}: renewal window opens`,
      ...allDay(r.windowOpens),
      description: r.howToRenew,
      busyStatus: "FREE",
      transp: "TRANSPARENT",
    });
  }
  events.push({
    uid: `certificate-${r.certificationId}-expires@${host}`,
    title: `${r.programName}: certificate expires`,
    ...allDay(r.expiresOn),
    description: r.howToRenew,
    busyStatus: "FREE",
    transp: "TRANSPARENT",
  });
  return events;
}

export function calendarText(events: EventAttributes[], header: CalendarHeader): string {
  const { error, value } = createEvents(events, {
    productId: productId(header.districtName),
    method: "PUBLISH",
    calName: header.calendarName,
  });
  if (error || value == null) throw error ?? new Error("Could not build the calendar");
  return value;
}
