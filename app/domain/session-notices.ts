/**
 * What enrolled people are told when they are added to a session, when it changes and when it is
 * cancelled: the words of the email (in the district's time zone) and its calendar invitation.
 *
 * The invitation updates the event already in their calendar: one UID per session and day number
 * (`session-<sessionId>-day-<n>@<host>`: a day moved to another date keeps its UID, though the app
 * stores it as a new SessionDay), a SEQUENCE that grows with every change (seconds of the session's
 * updatedAt, counted from 2020 so it stays inside iCalendar's 32-bit INTEGER), METHOD:REQUEST for a
 * new or changed session and METHOD:CANCEL with STATUS:CANCELLED for a cancelled one or a removed day.
 */
import { createEvents, type EventAttributes } from "ics";
import { productId, sequenceOf, sessionDayUid, sessionLocation } from "~/domain/calendar-events";

export { sequenceOf };

export type SessionSnapshot = {
  id: string;
  programName: string;
  title: string | null;
  format: string;
  siteName: string | null;
  school: { name: string } | null;
  leadTrainer: string | null;
  updatedAt: Date;
  /** In time order. */
  days: Array<{ startsAt: Date; endsAt: Date }>;
};

export type Recipient = { firstName: string; lastName: string; email: string };

export type NoticeContext = {
  districtName: string;
  /** Host name for UIDs. */
  host: string;
  timeZone: string;
  /** The organizer of the invitation: the address mail comes from. */
  organizer: { name: string; email: string };
};

export type NoticeAttachment = { filename: string; content: string; contentType: string };
export type Notice = { subject: string; text: string; html: string; attachments: NoticeAttachment[] };

/**
 * The updatedAt to store with a change that people are told about: now, but at least a second after
 * the previous one, so two changes within one second still get a higher SEQUENCE.
 */
export function nextUpdatedAt(previous: Date, now: Date): Date {
  const floor = Math.floor(previous.getTime() / 1000) * 1000 + 1000;
  return new Date(Math.max(now.getTime(), floor));
}


export function sessionName(s: Pick<SessionSnapshot, "programName" | "title">): string {
  return s.title ? `${s.programName}: ${s.title}` : s.programName;
}

/** The languages a person's emails come in (Person.language). */
export type NoticeLanguage = "en" | "es";

export function noticeLanguage(value: string | null | undefined): NoticeLanguage {
  return value === "es" ? "es" : "en";
}

/** Every word of the emails and their calendar files, per language. */
const WORDS = {
  en: {
    locale: "en-US",
    formats: { IN_PERSON: "in person", VIRTUAL: "online", BLENDED: "blended (in person and online)" } as Record<string, string>,
    placeToBeAnnounced: "to be announced",
    day: (n: number) => `Day ${n}`,
    when: "When",
    added: "added",
    removed: "removed",
    name: "Name",
    place: "Place",
    format: "Format",
    yourTrainings: "Your trainings",
    enrolledSubject: (name: string) => `You are enrolled: ${name}`,
    enrolledIntro: (first: string, name: string, how: string) => `Hello ${first}, you have been enrolled in ${name} (${how}).`,
    enrolledAfter: "The attached invitation adds it to your calendar; later changes will update it.",
    changedSubject: (name: string) => `Changed: ${name}`,
    changedIntro: (first: string, name: string) => `Hello ${first}, ${name}, which you are enrolled in, has changed:`,
    now: (how: string) => `Now: ${how}.`,
    changedAfter: "The attached invitation updates your calendar.",
    cancelledSubject: (name: string) => `Cancelled: ${name}`,
    cancelledIntro: (first: string, name: string) => `Hello ${first}, ${name}, which you were enrolled in, has been cancelled.`,
    reason: (reason: string) => `Reason: ${reason}`,
    cancelledAfter: "The attached file removes it from your calendar.",
    removedSubject: (name: string) => `No longer enrolled: ${name}`,
    removedIntro: (first: string, name: string) => `Hello ${first}, you are no longer enrolled in ${name}.`,
    removedAfter: "The attached file removes it from your calendar. If this is a mistake, contact the session's trainer.",
    calendar: {
      dayOf: (n: number, count: number) => ` (day ${n} of ${count})`,
      cancelledTitle: "Cancelled: ",
      cancelledNote: "This session was cancelled.",
      training: (program: string, dayPart: string) => `${program} training${dayPart}.`,
      leadTrainer: (name: string) => `Lead trainer: ${name}.`,
      online: "Online",
      toBeAnnounced: "To be announced",
    },
  },
  es: {
    locale: "es-US",
    formats: { IN_PERSON: "presencial", VIRTUAL: "en línea", BLENDED: "mixto (presencial y en línea)" } as Record<string, string>,
    placeToBeAnnounced: "por anunciar",
    day: (n: number) => `Día ${n}`,
    when: "Cuándo",
    added: "agregado",
    removed: "eliminado",
    name: "Nombre",
    place: "Lugar",
    format: "Modalidad",
    yourTrainings: "Sus capacitaciones",
    enrolledSubject: (name: string) => `Inscripción confirmada: ${name}`,
    enrolledIntro: (first: string, name: string, how: string) => `Hola ${first}, se le ha inscrito en ${name} (${how}).`,
    enrolledAfter: "La invitación adjunta lo agrega a su calendario; los cambios posteriores lo actualizarán.",
    changedSubject: (name: string) => `Cambio: ${name}`,
    changedIntro: (first: string, name: string) => `Hola ${first}, ${name}, en la que está inscrito/a, ha cambiado:`,
    now: (how: string) => `Ahora: ${how}.`,
    changedAfter: "La invitación adjunta actualiza su calendario.",
    cancelledSubject: (name: string) => `Cancelada: ${name}`,
    cancelledIntro: (first: string, name: string) => `Hola ${first}, ${name}, en la que estaba inscrito/a, ha sido cancelada.`,
    reason: (reason: string) => `Motivo: ${reason}`,
    cancelledAfter: "El archivo adjunto la quita de su calendario.",
    removedSubject: (name: string) => `Ya no está inscrito/a: ${name}`,
    removedIntro: (first: string, name: string) => `Hola ${first}, ya no está inscrito/a en ${name}.`,
    removedAfter: "El archivo adjunto la quita de su calendario. Si es un error, comuníquese con el capacitador de la sesión.",
    calendar: {
      dayOf: (n: number, count: number) => ` (día ${n} de ${count})`,
      cancelledTitle: "Cancelada: ",
      cancelledNote: "Esta sesión fue cancelada.",
      training: (program: string, dayPart: string) => `Capacitación de ${program}${dayPart}.`,
      leadTrainer: (name: string) => `Capacitador/a principal: ${name}.`,
      online: "En línea",
      toBeAnnounced: "Por anunciar",
    },
  },
} as const;

function formatWords(format: string, lang: NoticeLanguage = "en"): string {
  return WORDS[lang].formats[format] ?? format.toLowerCase();
}

/** The calendar event's location in the person's language: as sessionLocation, translated. */
function locationWords(s: SessionSnapshot, lang: NoticeLanguage): string {
  if (lang === "en") return sessionLocation(s);
  const place = s.school?.name ?? s.siteName;
  const c = WORDS[lang].calendar;
  if (s.format === "VIRTUAL") return place ? `${c.online} (${place})` : c.online;
  return place ?? c.toBeAnnounced;
}

/** "in person, Lakeside High": how and where, in the person's language. */
function howAndWhere(s: SessionSnapshot, lang: NoticeLanguage): string {
  const place = s.school?.name ?? s.siteName;
  if (!place && s.format === "VIRTUAL") return formatWords(s.format, lang);
  return `${formatWords(s.format, lang)}, ${place ?? (lang === "es" ? "lugar por anunciar" : "to be announced")}`;
}

const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat; timeZoned: Intl.DateTimeFormat }>();
function formattersFor(timeZone: string, lang: NoticeLanguage) {
  const key = `${lang} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const locale = WORDS[lang].locale;
    f = {
      date: new Intl.DateTimeFormat(locale, { timeZone, weekday: "short", month: "short", day: "numeric", year: "numeric" }),
      time: new Intl.DateTimeFormat(locale, { timeZone, hour: "numeric", minute: "2-digit" }),
      timeZoned: new Intl.DateTimeFormat(locale, { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }),
    };
    formatters.set(key, f);
  }
  return f;
}

/** "Tue, Mar 10, 2026, 9:00 AM – 3:30 PM PDT", in the district's zone and the person's language. */
export function dayInWords(day: { startsAt: Date; endsAt: Date }, timeZone: string, lang: NoticeLanguage = "en"): string {
  const f = formattersFor(timeZone, lang);
  return `${f.date.format(day.startsAt)}, ${f.time.format(day.startsAt)} – ${f.timeZoned.format(day.endsAt)}`;
}

export type SessionChange =
  | { kind: "day"; dayNumber: number; before: { startsAt: Date; endsAt: Date } | null; after: { startsAt: Date; endsAt: Date } | null }
  | { kind: "title"; before: string; after: string }
  /** null: no school or site yet ("to be announced"). */
  | { kind: "place"; before: string | null; after: string | null }
  /** Format codes (IN_PERSON, VIRTUAL, BLENDED). */
  | { kind: "format"; before: string; after: string };

/** What changed that an attendee would care about; capacity, notes, trainers' roster and the like are not listed. */
export function sessionChanges(before: SessionSnapshot, after: SessionSnapshot): SessionChange[] {
  const changes: SessionChange[] = [];
  const count = Math.max(before.days.length, after.days.length);
  for (let i = 0; i < count; i++) {
    const b = before.days[i] ?? null;
    const a = after.days[i] ?? null;
    const same = b && a && b.startsAt.getTime() === a.startsAt.getTime() && b.endsAt.getTime() === a.endsAt.getTime();
    if (!same) changes.push({ kind: "day", dayNumber: i + 1, before: b, after: a });
  }
  if (sessionName(before) !== sessionName(after)) changes.push({ kind: "title", before: sessionName(before), after: sessionName(after) });
  const place = (s: SessionSnapshot) => s.school?.name ?? s.siteName ?? null;
  if (place(before) !== place(after)) changes.push({ kind: "place", before: place(before), after: place(after) });
  if (before.format !== after.format) changes.push({ kind: "format", before: before.format, after: after.format });
  return changes;
}

function changeInWords(change: SessionChange, dayCount: number, timeZone: string, lang: NoticeLanguage): string {
  const w = WORDS[lang];
  switch (change.kind) {
    case "day": {
      const label = dayCount > 1 || change.dayNumber > 1 ? w.day(change.dayNumber) : w.when;
      if (change.before && change.after) return `${label}: ${dayInWords(change.before, timeZone, lang)} → ${dayInWords(change.after, timeZone, lang)}`;
      if (change.after) return `${label} (${w.added}): ${dayInWords(change.after, timeZone, lang)}`;
      return `${label} (${w.removed}): ${change.before ? dayInWords(change.before, timeZone, lang) : ""}`;
    }
    case "title":
      return `${w.name}: ${change.before} → ${change.after}`;
    case "place":
      return `${w.place}: ${change.before ?? w.placeToBeAnnounced} → ${change.after ?? w.placeToBeAnnounced}`;
    case "format":
      return `${w.format}: ${formatWords(change.before, lang)} → ${formatWords(change.after, lang)}`;
  }
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function schedule(s: SessionSnapshot, timeZone: string, lang: NoticeLanguage): string[] {
  return s.days.map((d, i) => `${s.days.length > 1 ? `${WORDS[lang].day(i + 1)}: ` : ""}${dayInWords(d, timeZone, lang)}`);
}

/**
 * One person's copy of a notice, in their language (English when not given): the calendars are made
 * once per change, the words once per language, the greeting and attendee per person.
 */
export type Addressee = Recipient & { memberUrl: string; language?: string };
export type NoticeFor = (who: Addressee) => Notice;

function message(
  subject: string, lines: { intro: string; list?: string[]; after: string[] }, ctx: NoticeContext, memberUrl: string, attachments: NoticeAttachment[], lang: NoticeLanguage,
): Notice {
  const text = [
    lines.intro,
    ...(lines.list?.length ? ["", ...lines.list.map((l) => `- ${l}`)] : []),
    "",
    ...lines.after,
    "",
    `${WORDS[lang].yourTrainings}: ${memberUrl}`,
    "",
    ctx.districtName,
  ].join("\n");
  const html = [
    `<p>${escapeHtml(lines.intro)}</p>`,
    lines.list?.length ? `<ul>${lines.list.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>` : "",
    ...lines.after.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(memberUrl)}">${escapeHtml(WORDS[lang].yourTrainings)}</a></p>`,
    `<p>${escapeHtml(ctx.districtName)}</p>`,
  ].join("\n");
  return { subject, text, html, attachments };
}

function dayEvent(
  s: SessionSnapshot, day: { startsAt: Date; endsAt: Date }, dayNumber: number, dayCount: number, ctx: NoticeContext, cancelled: boolean, lang: NoticeLanguage,
): EventAttributes {
  const c = WORDS[lang].calendar;
  const dayPart = dayCount > 1 ? c.dayOf(dayNumber, dayCount) : "";
  return {
    uid: sessionDayUid(s.id, dayNumber, ctx.host),
    sequence: sequenceOf(s.updatedAt),
    title: `${cancelled ? c.cancelledTitle : ""}${sessionName(s)}${dayPart}`,
    start: day.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: day.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    location: locationWords(s, lang),
    description: [cancelled ? c.cancelledNote : null, c.training(s.programName, dayPart), s.leadTrainer ? c.leadTrainer(s.leadTrainer) : null]
      .filter(Boolean).join("\n"),
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    busyStatus: cancelled ? "FREE" : "BUSY",
    transp: cancelled ? "TRANSPARENT" : "OPAQUE",
    organizer: { name: ctx.organizer.name, email: ctx.organizer.email },
  };
}

function calendar(events: EventAttributes[], method: "REQUEST" | "CANCEL", ctx: NoticeContext): string {
  const { error, value } = createEvents(events, { productId: productId(ctx.districtName), method });
  if (error || value == null) throw error ?? new Error("Could not build the calendar invitation");
  return value;
}

function octets(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** RFC 5545 folding: lines of at most 75 octets, never splitting a character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const n = octets(ch);
    if (size + n > limit) {
      parts.push(current);
      current = "";
      size = 0;
      limit = 74; // the continuation's leading space counts
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/**
 * The calendar made once for everyone, with this person as the attendee of each event (RFC 5546 names
 * the attendee in a REQUEST and a CANCEL). Building it with `ics` per person took milliseconds each.
 */
function addressed(text: string, who: Recipient): string {
  const cn = `${who.firstName} ${who.lastName}`.replace(/["\u0000-\u001f\u007f]/g, "").trim();
  const email = who.email.replace(/[\s"]/g, "");
  const line = foldLine(`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE;CN="${cn}":mailto:${email}`);
  return text.replace(/\r\nEND:VEVENT\r\n/g, `\r\n${line}\r\nEND:VEVENT\r\n`);
}

function requestCalendar(s: SessionSnapshot, ctx: NoticeContext, lang: NoticeLanguage): string {
  return calendar(s.days.map((d, i) => dayEvent(s, d, i + 1, s.days.length, ctx, false, lang)), "REQUEST", ctx);
}

/** Cancels days `fromDay`.. of the snapshot (every day when 1), with the SEQUENCE of `sequenceFrom`. */
function cancelCalendar(s: SessionSnapshot, sequenceFrom: SessionSnapshot, fromDay: number, ctx: NoticeContext, lang: NoticeLanguage): string {
  const stamped = { ...s, updatedAt: sequenceFrom.updatedAt };
  return calendar(s.days.slice(fromDay - 1).map((d, i) => dayEvent(stamped, d, fromDay + i, s.days.length, ctx, true, lang)), "CANCEL", ctx);
}

const invite = (text: string, who: Recipient): NoticeAttachment =>
  ({ filename: "invite.ics", content: addressed(text, who), contentType: "text/calendar; charset=utf-8; method=REQUEST" });
const cancellation = (text: string, who: Recipient): NoticeAttachment =>
  ({ filename: "cancel.ics", content: addressed(text, who), contentType: "text/calendar; charset=utf-8; method=CANCEL" });

/** Per language, made once for everyone who reads that language. */
function perLanguage<T>(make: (lang: NoticeLanguage) => T): (lang: NoticeLanguage) => T {
  const made = new Map<NoticeLanguage, T>();
  return (lang) => {
    let value = made.get(lang);
    if (value === undefined) {
      value = make(lang);
      made.set(lang, value);
    }
    return value;
  };
}

export function enrolledNotices(s: SessionSnapshot, ctx: NoticeContext): NoticeFor {
  const name = sessionName(s);
  const list = perLanguage((lang) => schedule(s, ctx.timeZone, lang));
  const request = perLanguage((lang) => requestCalendar(s, ctx, lang));
  return (who) => {
    const lang = noticeLanguage(who.language);
    const w = WORDS[lang];
    return message(
      w.enrolledSubject(name),
      { intro: w.enrolledIntro(who.firstName, name, howAndWhere(s, lang)), list: list(lang), after: [w.enrolledAfter] },
      ctx, who.memberUrl, [invite(request(lang), who)], lang,
    );
  };
}

/** null when nothing the attendee cares about changed. */
export function changedNotices(before: SessionSnapshot, after: SessionSnapshot, ctx: NoticeContext): NoticeFor | null {
  const changes = sessionChanges(before, after);
  if (changes.length === 0) return null;
  const dayCount = Math.max(before.days.length, after.days.length);
  const list = perLanguage((lang) => changes.map((c) => changeInWords(c, dayCount, ctx.timeZone, lang)));
  const now = perLanguage((lang) => [WORDS[lang].now(howAndWhere(after, lang)), ...schedule(after, ctx.timeZone, lang), WORDS[lang].changedAfter]);
  const request = perLanguage((lang) => requestCalendar(after, ctx, lang));
  // Days the session no longer has are taken out of the calendar.
  const removed = before.days.length > after.days.length ? perLanguage((lang) => cancelCalendar(before, after, after.days.length + 1, ctx, lang)) : null;
  return (who) => {
    const lang = noticeLanguage(who.language);
    return message(
      WORDS[lang].changedSubject(sessionName(after)),
      { intro: WORDS[lang].changedIntro(who.firstName, sessionName(before)), list: list(lang), after: now(lang) },
      ctx, who.memberUrl, [invite(request(lang), who), ...(removed ? [cancellation(removed(lang), who)] : [])], lang,
    );
  };
}

export function cancelledNotices(before: SessionSnapshot, after: SessionSnapshot, ctx: NoticeContext, reason: string | null): NoticeFor {
  const name = sessionName(before);
  const list = perLanguage((lang) => schedule(before, ctx.timeZone, lang));
  const cancel = perLanguage((lang) => cancelCalendar(before, after, 1, ctx, lang));
  return (who) => {
    const lang = noticeLanguage(who.language);
    const w = WORDS[lang];
    return message(
      w.cancelledSubject(name),
      { intro: w.cancelledIntro(who.firstName, name), list: list(lang), after: [...(reason ? [w.reason(reason)] : []), w.cancelledAfter] },
      ctx, who.memberUrl, [cancellation(cancel(lang), who)], lang,
    );
  };
}

/**
 * To a person taken off the roster of a session still ahead: their calendar's events for it are
 * cancelled (the same UIDs; the snapshot's updatedAt, moved on by the removal, gives the higher SEQUENCE).
 */
export function removedNotices(s: SessionSnapshot, ctx: NoticeContext): NoticeFor {
  const name = sessionName(s);
  const list = perLanguage((lang) => schedule(s, ctx.timeZone, lang));
  const cancel = perLanguage((lang) => cancelCalendar(s, s, 1, ctx, lang));
  return (who) => {
    const lang = noticeLanguage(who.language);
    const w = WORDS[lang];
    return message(w.removedSubject(name), { intro: w.removedIntro(who.firstName, name), list: list(lang), after: [w.removedAfter] }, ctx, who.memberUrl, [cancellation(cancel(lang), who)], lang);
  };
}

/** "Name <address>" or a bare address, as MAIL_FROM is written. */
export function parseMailbox(value: string): { name: string; email: string } | null {
  const angled = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (angled) return { name: angled[1].trim() || angled[2], email: angled[2] };
  const bare = value.trim();
  return /^[^\s@]+@[^\s@]+$/.test(bare) ? { name: bare, email: bare } : null;
}
