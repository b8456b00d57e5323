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
};

export type ReminderEmail = { subject: string; text: string; html: string; links: { member: string; upcoming: string; unsubscribe: string } };

function longDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** One line of header text: no line breaks, so a name cannot inject mail headers. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").trim();
}

function whenText(expiresOn: Date, today: Date): string {
  const days = daysBetween(today, expiresOn);
  if (days > 1) return `in ${days} days`;
  if (days === 1) return "tomorrow";
  if (days === 0) return "today";
  return days === -1 ? "yesterday" : `${-days} days ago`;
}

/** The renewal reminder email: subject, plain text and HTML, naming the certificate, the person and the deadline. */
export function buildReminderEmail(input: ReminderEmailInput): ReminderEmail {
  const base = input.baseUrl.replace(/\/+$/, "");
  const links = { member: `${base}/me`, upcoming: `${base}/me#upcoming`, unsubscribe: input.unsubscribeUrl };
  const name = oneLine(`${input.person.firstName} ${input.person.lastName}`);
  const program = oneLine(input.program.name);
  const expiry = startOfDayUtc(input.expiresOn);
  const expired = daysBetween(input.today, expiry) <= 0;
  const when = whenText(expiry, input.today);

  const subject = expired
    ? `Your ${program} certificate has expired (${longDate(expiry)})`
    : `Your ${program} certificate expires ${when} (${longDate(expiry)})`;

  const opens = renewalWindowOpens(expiry, input.program);
  const lastDay = addDays(expiry, -1);
  const deadline = expired
    ? `Your ${program} certificate expired on ${longDate(expiry)} (${when}).`
    : `Your ${program} certificate expires on ${longDate(expiry)} (${when}).`;
  const renewal =
    opens && !expired
      ? `You can renew it with a short recertification course from ${longDate(opens)} to ${longDate(lastDay)}. After it expires you will need to take the full course again.`
      : expired
        ? "To be certified again, sign up for an upcoming course."
        : "To stay certified, sign up for an upcoming course before it expires.";
  const guidance = input.program.renewalGuidance.trim();

  const text = [
    `Hello ${name},`,
    "",
    deadline,
    renewal,
    ...(guidance ? ["", guidance] : []),
    "",
    `Your certificates: ${links.member}`,
    `Upcoming ${program} sessions: ${links.upcoming}`,
    "",
    "--",
    `${oneLine(input.districtName)} mental-health training records`,
    `You get this email because you hold a ${program} certificate. To stop renewal reminders, open: ${links.unsubscribe}`,
    "",
  ].join("\n");

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1d2733;">
<p>Hello ${e(name)},</p>
<p>${e(deadline)}</p>
<p>${e(renewal)}</p>
${guidance ? `<p>${e(guidance).replace(/\r?\n/g, "<br>")}</p>\n` : ""}<p><a href="${e(links.member)}">See your certificates</a></p>
<p><a href="${e(links.upcoming)}">Find an upcoming ${e(program)} session</a></p>
<hr>
<p style="font-size: 0.9em; color: #55606e;">${e(oneLine(input.districtName))} mental-health training records.
You get this email because you hold a ${e(program)} certificate.
<a href="${e(links.unsubscribe)}">Stop renewal reminders</a>.</p>
</body>
</html>
`;
  return { subject, text, html, links };
}
