/**
 * Renewal reminders: which reminder a certificate is owed on a given day, and what the email says.
 * Pure: no database, no framework, no clock (the caller passes `today`).
 */
import { addDays, daysBetween, renewalWindowOpens, startOfDayUtc } from "~/domain/program-rules";

/** A reminder found late (the server was down, the cert was imported) is still sent up to this many days after its due date. */
export const CATCH_UP_DAYS = 14;
/** A send that keeps failing is retried on later passes until it has failed this many times; then it stays FAILED for an admin to see. */
export const MAX_SEND_ATTEMPTS = 5;

export type ReminderCertification = { issuedOn: Date; expiresOn: Date | null; renewedById: string | null };
export type ReminderOffset = { daysBefore: number; dueOn: Date };
/** `send`: the one reminder to send now (or null); `skip`: earlier reminders that will never be sent. */
export type ReminderPlan = { send: ReminderOffset | null; skip: ReminderOffset[] };

const NOTHING: ReminderPlan = { send: null, skip: [] };

/** Offset D is due D days before the expiry date. */
export function reminderDueOn(expiresOn: Date, daysBefore: number): Date {
  return addDays(expiresOn, -daysBefore);
}

/**
 * The reminders of one certificate on `today`. Offsets whose due date has come are "reached";
 * of those only the most recent one is sent (a certificate first seen 20 days before expiry
 * gets the 7-day reminder, not also the 90- and 30-day ones), and only while it is at most
 * `catchUpDays` late. The others are skipped. Offsets due before the certificate was issued do
 * not apply to it at all. Renewed and never-expiring certificates get nothing.
 */
export function planReminders(
  cert: ReminderCertification,
  reminderDays: readonly number[],
  today: Date,
  catchUpDays = CATCH_UP_DAYS,
): ReminderPlan {
  if (cert.renewedById || cert.expiresOn == null) return NOTHING;
  const expiresOn = cert.expiresOn;
  const day = startOfDayUtc(today);
  const issuedOn = startOfDayUtc(cert.issuedOn);
  const reached = [...new Set(reminderDays)]
    .filter((d) => Number.isInteger(d) && d >= 0)
    .sort((a, b) => b - a)
    .map((daysBefore) => ({ daysBefore, dueOn: reminderDueOn(expiresOn, daysBefore) }))
    .filter((o) => o.dueOn <= day && o.dueOn >= issuedOn);
  const latest = reached.at(-1);
  if (!latest) return NOTHING;
  if (latest.dueOn < addDays(day, -catchUpDays)) return { send: null, skip: reached };
  return { send: latest, skip: reached.slice(0, -1) };
}

/**
 * The expiry dates for which some reminder of a program can be sent on `today`: a certificate
 * outside this range has nothing to send, so the pass never reads it.
 */
export function candidateExpiryRange(
  reminderDays: readonly number[],
  today: Date,
  catchUpDays = CATCH_UP_DAYS,
): { from: Date; to: Date } | null {
  if (reminderDays.length === 0) return null;
  const day = startOfDayUtc(today);
  return { from: addDays(day, Math.min(...reminderDays) - catchUpDays), to: addDays(day, Math.max(...reminderDays)) };
}

export type ReminderEmailInput = {
  person: { firstName: string; lastName: string };
  program: { name: string; renewalWindowDays: number | null; renewalGuidance: string };
  expiresOn: Date;
  /** The day the email is sent: "expires in N days" counts from it, so a late reminder is still right. */
  today: Date;
  /** e.g. https://training.district.example (no trailing slash needed). */
  baseUrl: string;
  unsubscribeUrl: string;
  districtName: string;
  /** The person's language (Person.language). */
  language?: "en" | "es";
  /** The certificate the reminder is about: the email's link lands on it, through the email-link sign-in. */
  certificationId?: string;
};

export type ReminderEmail = { subject: string; text: string; html: string; links: { member: string; upcoming: string; unsubscribe: string } };

const LOCALE = { en: "en-US", es: "es-US" } as const;

function longDate(date: Date, lang: "en" | "es" = "en"): string {
  return date.toLocaleDateString(LOCALE[lang], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

type ReminderWords = {
  when: (days: number) => string;
  subjectExpired: (program: string, date: string) => string;
  subjectExpires: (program: string, when: string, date: string) => string;
  expired: (program: string, date: string, when: string) => string;
  expires: (program: string, date: string, when: string) => string;
  renewWindow: (opens: string, last: string) => string;
  expiredAgain: string;
  beforeExpiry: string;
  hello: (name: string) => string;
  yourCertificate: string;
  upcoming: (program: string) => string;
  footer: (district: string) => string;
  because: (program: string) => string;
  stop: string;
  stopText: string;
};

const REMINDER_WORDS: Record<"en" | "es", ReminderWords> = {
  en: {
    when: (days) => (days > 1 ? `in ${days} days` : days === 1 ? "tomorrow" : days === 0 ? "today" : days === -1 ? "yesterday" : `${-days} days ago`),
    subjectExpired: (p, d) => `Your ${p} certificate has expired (${d})`,
    subjectExpires: (p, w, d) => `Your ${p} certificate expires ${w} (${d})`,
    expired: (p, d, w) => `Your ${p} certificate expired on ${d} (${w}).`,
    expires: (p, d, w) => `Your ${p} certificate expires on ${d} (${w}).`,
    renewWindow: (o, l) => `You can renew it with a short recertification course from ${o} to ${l}. After it expires you will need to take the full course again.`,
    expiredAgain: "To be certified again, sign up for an upcoming course.",
    beforeExpiry: "To stay certified, sign up for an upcoming course before it expires.",
    hello: (n) => `Hello ${n},`,
    yourCertificate: "See your certificate",
    upcoming: (p) => `Find an upcoming ${p} session`,
    footer: (d) => `${d} mental-health training records`,
    because: (p) => `You get this email because you hold a ${p} certificate.`,
    stop: "Stop renewal reminders",
    stopText: "To stop renewal reminders, open:",
  },
  es: {
    when: (days) => (days > 1 ? `en ${days} días` : days === 1 ? "mañana" : days === 0 ? "hoy" : days === -1 ? "ayer" : `hace ${-days} días`),
    subjectExpired: (p, d) => `Su certificado de ${p} venció (${d})`,
    subjectExpires: (p, w, d) => `Su certificado de ${p} vence ${w} (${d})`,
    expired: (p, d, w) => `Su certificado de ${p} venció el ${d} (${w}).`,
    expires: (p, d, w) => `Su certificado de ${p} vence el ${d} (${w}).`,
    renewWindow: (o, l) => `Puede renovarlo con un curso breve de recertificación del ${o} al ${l}. Después de que venza tendrá que tomar el curso completo de nuevo.`,
    expiredAgain: "Para certificarse de nuevo, inscríbase en un próximo curso.",
    beforeExpiry: "Para seguir certificado, inscríbase en un próximo curso antes de que venza.",
    hello: (n) => `Hola, ${n}:`,
    yourCertificate: "Ver su certificado",
    upcoming: (p) => `Buscar una próxima sesión de ${p}`,
    footer: (d) => `Registros de capacitación en salud mental de ${d}`,
    because: (p) => `Recibe este correo porque tiene un certificado de ${p}.`,
    stop: "Dejar de recibir recordatorios",
    stopText: "Para dejar de recibir recordatorios de renovación, abra:",
  },
};

/** One line of header text: no line breaks, so a name cannot inject mail headers. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").trim();
}

/**
 * A link into the member's page that works for someone not signed in: the email-link sign-in, which lands them on
 * the page (and the certificate) once they are in.
 */
export function memberLink(base: string, target: string, lang: "en" | "es"): string {
  return `${base}/login/email?${new URLSearchParams({ redirectTo: target, lang })}`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The renewal reminder email: subject, plain text and HTML, naming the certificate, the person and the deadline, in their language. */
export function buildReminderEmail(input: ReminderEmailInput): ReminderEmail {
  const lang = input.language ?? "en";
  const w = REMINDER_WORDS[lang];
  const base = input.baseUrl.replace(/\/+$/, "");
  const links = {
    member: memberLink(base, input.certificationId ? `/me#certificate-${input.certificationId}` : "/me", lang),
    upcoming: memberLink(base, "/me#upcoming", lang),
    unsubscribe: input.unsubscribeUrl,
  };
  const name = oneLine(`${input.person.firstName} ${input.person.lastName}`);
  const program = oneLine(input.program.name);
  const expiry = startOfDayUtc(input.expiresOn);
  const expired = daysBetween(input.today, expiry) <= 0;
  const when = w.when(daysBetween(input.today, expiry));
  const date = (d: Date) => longDate(d, lang);

  const subject = expired ? w.subjectExpired(program, date(expiry)) : w.subjectExpires(program, when, date(expiry));
  const opens = renewalWindowOpens(expiry, input.program);
  const lastDay = addDays(expiry, -1);
  const deadline = expired ? w.expired(program, date(expiry), when) : w.expires(program, date(expiry), when);
  const renewal = opens && !expired ? w.renewWindow(date(opens), date(lastDay)) : expired ? w.expiredAgain : w.beforeExpiry;
  const guidance = input.program.renewalGuidance.trim();
  const district = oneLine(input.districtName);

  const text = [
    w.hello(name),
    "",
    deadline,
    renewal,
    ...(guidance ? ["", guidance] : []),
    "",
    `${w.yourCertificate}: ${links.member}`,
    `${w.upcoming(program)}: ${links.upcoming}`,
    "",
    "--",
    w.footer(district),
    `${w.because(program)} ${w.stopText} ${links.unsubscribe}`,
    "",
  ].join("\n");

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1d2733;">
<p>${e(w.hello(name))}</p>
<p>${e(deadline)}</p>
<p>${e(renewal)}</p>
${guidance ? `<p>${e(guidance).replace(/\r?\n/g, "<br>")}</p>\n` : ""}<p><a href="${e(links.member)}">${e(w.yourCertificate)}</a></p>
<p><a href="${e(links.upcoming)}">${e(w.upcoming(program))}</a></p>
<hr>
<p style="font-size: 0.9em; color: #55606e;">${e(w.footer(district))}.
${e(w.because(program))}
<a href="${e(links.unsubscribe)}">${e(w.stop)}</a>.</p>
</body>
</html>
`;
  return { subject, text, html, links };
}
