import { z } from "zod";
import { calendarDateError, parseClockTime } from "~/domain/calendar-date";
import { optionalText, optionalWholeNumber } from "~/utils/forms";

/** Day rows on the form: blank rows are ignored, so the plain HTML form offers a fixed number. */
export const MAX_SESSION_DAYS = 6;

/** Session days a trainer may schedule: anything outside is a typo (20226-12-01). */
const SESSION_DATE_BOUNDS = { earliest: "2000-01-01", latest: "2100-12-31" };

function collectDays(values: Record<string, unknown>) {
  const days: Array<{ row: number; date: string; start: string; end: string }> = [];
  for (let i = 0; i < MAX_SESSION_DAYS; i++) {
    const pick = (k: string) => {
      const v = values[`day${i}${k}`];
      return typeof v === "string" ? v.trim() : "";
    };
    const day = { row: i, date: pick("Date"), start: pick("Start"), end: pick("End") };
    if (day.date || day.start || day.end) days.push(day);
  }
  return days;
}

export const SESSION_FORMATS = ["IN_PERSON", "VIRTUAL", "BLENDED"] as const;
export const SESSION_AUDIENCES = ["STAFF", "STUDENTS", "COMMUNITY", "MIXED"] as const;
export const FORMAT_LABELS: Record<(typeof SESSION_FORMATS)[number], string> = {
  IN_PERSON: "In person", VIRTUAL: "Virtual", BLENDED: "Blended (self-paced pre-work + instructor-led)",
};
export const AUDIENCE_LABELS: Record<(typeof SESSION_AUDIENCES)[number], string> = {
  STAFF: "Staff", STUDENTS: "Students", COMMUNITY: "Community", MIXED: "Mixed",
};

const base = z.object({
  programId: z.string({ required_error: "Program is required" }).min(1, "Program is required"),
  title: optionalText(120),
  format: z.enum(SESSION_FORMATS, { errorMap: () => ({ message: "Choose a format" }) }),
  audience: z.enum(SESSION_AUDIENCES, { errorMap: () => ({ message: "Choose an audience" }) }),
  schoolId: optionalText(40),
  siteName: optionalText(120),
  hostOrganization: optionalText(120),
  leadTrainerId: optionalText(40),
  coTrainerIds: z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean)),
  capacity: optionalWholeNumber("Capacity", { min: 1, max: 1000 }),
  notes: optionalText(2000),
});

/** The session form. Day rows are named day0Date, day0Start, day0End, ... */
export const SessionFormSchema = z
  .record(z.unknown())
  .transform((values, ctx) => {
    const parsed = base.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue);
    }
    const days = collectDays(values);
    if (days.length === 0) ctx.addIssue({ code: "custom", path: ["day0Date"], message: "Add at least one day with a date, start and end time" });
    for (const d of days) {
      const label = `Day ${d.row + 1}`;
      const dateError = d.date ? calendarDateError(`${label} date`, d.date, SESSION_DATE_BOUNDS) : `${label} date is required`;
      if (dateError) ctx.addIssue({ code: "custom", path: [`day${d.row}Date`], message: dateError });
      const start = d.start ? parseClockTime(d.start) : null;
      const end = d.end ? parseClockTime(d.end) : null;
      if (!start?.ok) ctx.addIssue({ code: "custom", path: [`day${d.row}Start`], message: start ? `${label} starts: ${start.problem}` : `${label} start time is required (HH:MM)` });
      if (!end?.ok) ctx.addIssue({ code: "custom", path: [`day${d.row}End`], message: end ? `${label} ends: ${end.problem}` : `${label} end time is required (HH:MM)` });
      else if (start?.ok && end.minutes <= start.minutes)
        ctx.addIssue({ code: "custom", path: [`day${d.row}End`], message: `${label}: the end time must be after the start` });
    }
    const dates = days.map((d) => d.date);
    const repeated = dates.find((d, i) => dates.indexOf(d) !== i);
    if (repeated) ctx.addIssue({ code: "custom", path: ["day0Date"], message: `The date ${repeated} is listed twice` });
    if (!parsed.success) return z.NEVER;
    const data = parsed.data;
    if (data.format !== "VIRTUAL" && !data.schoolId && !data.siteName)
      ctx.addIssue({ code: "custom", path: ["schoolId"], message: "Choose a school or type another site (or make the session virtual)" });
    return { ...data, days: days.map(({ date, start, end }) => ({ date, start, end })).sort((a, b) => a.date.localeCompare(b.date)) };
  });

export type SessionFormData = z.infer<typeof SessionFormSchema>;
