/**
 * Reminders to instructors short of their program's courses-a-year rule (issue 14; YMHFA: 3 a
 * certification year, docs/decisions/023-instructors.md): which one is owed on a day, and what it
 * says. Pure: the caller passes `today`.
 */
import { addDays, startOfDayUtc } from "./program-rules";
import { lastDayOf, type CertificationYear } from "./instructor-standing";
import { CATCH_UP_DAYS, type ReminderOffset } from "./reminders";

/** Days before the end of the certification year: a first nudge with a season left, then a last one. */
export const INSTRUCTOR_REMINDER_DAYS = [90, 30] as const;

/** Offset D is due D days before the year ends (before `endsOn`, the first day of the next year). */
export function instructorReminderDueOn(year: CertificationYear, daysBefore: number): Date {
  return addDays(year.endsOn, -daysBefore);
}

/**
 * As planReminders for certificates: of the offsets whose day has come this year, only the latest is
 * sent (an instructor first found short 40 days before the year ends gets the 30-day reminder, not
 * also the 90-day one), and only while at most `catchUpDays` late; the others are skipped. Offsets due
 * before the year began do not apply.
 */
export function planInstructorReminders(
  year: CertificationYear,
  today: Date,
  reminderDays: readonly number[] = INSTRUCTOR_REMINDER_DAYS,
  catchUpDays = CATCH_UP_DAYS,
): { send: ReminderOffset | null; skip: ReminderOffset[] } {
  const day = startOfDayUtc(today);
  const reached = [...new Set(reminderDays)]
    .sort((a, b) => b - a)
    .map((daysBefore) => ({ daysBefore, dueOn: instructorReminderDueOn(year, daysBefore) }))
    .filter((o) => o.dueOn <= day && o.dueOn >= year.startsOn && day < year.endsOn);
  const latest = reached.at(-1);
  if (!latest) return { send: null, skip: [] };
  if (latest.dueOn < addDays(day, -catchUpDays)) return { send: null, skip: reached };
  return { send: latest, skip: reached.slice(0, -1) };
}

function longDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export type InstructorReminderEmailInput = {
  person: { firstName: string };
  program: { code: string; name: string };
  coursesTaught: number;
  coursesRequired: number;
  year: CertificationYear;
  baseUrl: string;
  unsubscribeUrl: string;
  districtName: string;
};

/** "You have taught 1 of the 3 YMHFA courses needed by Jun 30, 2027." */
export function instructorShortfallSentence(i: Pick<InstructorReminderEmailInput, "program" | "coursesTaught" | "coursesRequired" | "year">): string {
  return `You have taught ${i.coursesTaught} of the ${i.coursesRequired} ${i.program.code} courses needed by ${longDate(lastDayOf(i.year))}.`;
}

export function buildInstructorReminderEmail(i: InstructorReminderEmailInput): { subject: string; text: string; html: string } {
  const needed = Math.max(0, i.coursesRequired - i.coursesTaught);
  const by = longDate(lastDayOf(i.year));
  const subject = `${needed} more ${i.program.code} ${needed === 1 ? "course" : "courses"} to teach by ${by}`;
  const sentence = instructorShortfallSentence(i);
  const why = `To stay certified as a ${i.program.name} instructor you teach at least ${i.coursesRequired} courses each certification year; a course counts once the session is closed.`;
  const schedule = `${i.baseUrl.replace(/\/$/, "")}/sessions/new`;
  const text = [
    `Hello ${i.person.firstName},`,
    "",
    sentence,
    why,
    "",
    `Schedule a session: ${schedule}`,
    "",
    `— ${i.districtName}`,
    `You receive this because you are a ${i.program.code} instructor. Stop these emails: ${i.unsubscribeUrl}`,
  ].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(i.person.firstName)},</p>`,
    `<p><strong>${escapeHtml(sentence)}</strong></p>`,
    `<p>${escapeHtml(why)}</p>`,
    `<p><a href="${escapeHtml(schedule)}">Schedule a session</a></p>`,
    `<p>— ${escapeHtml(i.districtName)}<br>You receive this because you are a ${escapeHtml(i.program.code)} instructor. <a href="${escapeHtml(i.unsubscribeUrl)}">Stop these emails</a>.</p>`,
  ].join("\n");
  return { subject, text, html };
}
