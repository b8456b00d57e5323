import { z } from "zod";
import { formValues, optionalText } from "~/utils/forms";
import { DISTRICT_ID_MAX, districtIdProblem } from "~/domain/roster-import";
import { parseCalendarDate } from "~/domain/calendar-date";
import { completionDateRefusal } from "~/domain/session-day";

/**
 * The attendance sheet for one session day. One field per person and column:
 *   status:<enrollmentId>      PRESENT | ABSENT | PARTIAL | "" (not marked)
 *   postWork:<enrollmentId>    YYYY-MM-DD the post-work was done, or "" (not done)
 *   evaluation:<enrollmentId>  YYYY-MM-DD the evaluation was done, or "" (not done)
 * Only the people on the posted form are changed.
 */
export const ATTENDANCE_CHOICES = ["PRESENT", "ABSENT", "PARTIAL"] as const;
export type AttendanceChoice = (typeof ATTENDANCE_CHOICES)[number];
export const ATTENDANCE_LABELS: Record<AttendanceChoice | "", string> = {
  PRESENT: "Present", ABSENT: "Absent", PARTIAL: "Partial", "": "Not marked",
};

export const statusField = (enrollmentId: string) => `status:${enrollmentId}`;
export const postWorkField = (enrollmentId: string) => `postWork:${enrollmentId}`;
export const evaluationField = (enrollmentId: string) => `evaluation:${enrollmentId}`;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ROWS = 2000;

export type AttendanceSheetData = {
  dayId: string;
  marks: Array<{ enrollmentId: string; status: AttendanceChoice | null }>;
  postWork: Array<{ enrollmentId: string; completedOn: Date | null }>;
  evaluation: Array<{ enrollmentId: string; completedOn: Date | null }>;
};

const STEP_LABELS = { postWork: "Post-work date", evaluation: "Evaluation date" } as const;

/** A completion date as stored (00:00 UTC), or an error message naming the field. */
function completionDate(kind: keyof typeof STEP_LABELS, value: string, today: string): Date | string {
  const label = STEP_LABELS[kind];
  const parsed = parseCalendarDate(value, { earliest: "2000-01-01" });
  if (!parsed.ok) return `${label}: ${parsed.problem}`;
  // The model refuses it too (recordCompletionSteps); here it is named before anything is saved.
  return completionDateRefusal(label, parsed.iso, today) ?? parsed.date;
}

/** `today` is the district's calendar date (YYYY-MM-DD): completion dates cannot be later. */
export function attendanceSheetSchema(today: string) {
  return z.record(z.unknown()).transform((values, ctx): AttendanceSheetData => {
    const out: AttendanceSheetData = { dayId: "", marks: [], postWork: [], evaluation: [] };
    const dayId = values.dayId;
    if (typeof dayId !== "string" || !ID.test(dayId)) ctx.addIssue({ code: "custom", path: ["dayId"], message: "Choose a day of this session" });
    else out.dayId = dayId;
    let rows = 0;
    for (const [key, raw] of Object.entries(values)) {
      const colon = key.indexOf(":");
      if (colon < 0) continue;
      const kind = key.slice(0, colon);
      const enrollmentId = key.slice(colon + 1);
      if (kind !== "status" && kind !== "postWork" && kind !== "evaluation") continue;
      if (++rows > MAX_ROWS * 3) {
        ctx.addIssue({ code: "custom", path: ["form"], message: `At most ${MAX_ROWS} people can be saved at once` });
        break;
      }
      if (!ID.test(enrollmentId)) {
        ctx.addIssue({ code: "custom", path: [key], message: "That person is not on this session's roster" });
        continue;
      }
      if (typeof raw !== "string") {
        ctx.addIssue({ code: "custom", path: [key], message: "Give one value per person" });
        continue;
      }
      const value = raw.trim();
      if (kind === "status") {
        const choice = ATTENDANCE_CHOICES.find((c) => c === value);
        if (value !== "" && !choice) ctx.addIssue({ code: "custom", path: [key], message: "Choose present, absent, partial or not marked" });
        else out.marks.push({ enrollmentId, status: choice ?? null });
      } else {
        const date = value === "" ? null : completionDate(kind, value, today);
        if (typeof date === "string") ctx.addIssue({ code: "custom", path: [key], message: date });
        else out[kind].push({ enrollmentId, completedOn: date });
      }
    }
    return out;
  });
}

export const PERSON_KINDS = ["STAFF", "STUDENT", "COMMUNITY"] as const;
export const PERSON_KIND_LABELS: Record<(typeof PERSON_KINDS)[number], string> = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" };

/** A walk-in from the paper sheet who is already known: added to the roster and marked present. */
export const WalkInExistingSchema = z.object({
  dayId: z.string({ required_error: "Choose a day of this session" }).regex(ID, "Choose a day of this session"),
  personId: z.string({ required_error: "Choose a person from the search results" }).regex(ID, "Choose a person from the search results"),
});

/** A walk-in from the paper sheet who is not known yet: created, added and marked present. */
export const WalkInNewSchema = z
  .object({
    dayId: z.string({ required_error: "Choose a day of this session" }).regex(ID, "Choose a day of this session"),
    firstName: z.string({ required_error: "First name is required" }).trim().min(1, "First name is required").max(80, "First name must be at most 80 characters"),
    lastName: z.string({ required_error: "Last name is required" }).trim().min(1, "Last name is required").max(80, "Last name must be at most 80 characters"),
    // The same rule as the roster import and the roster page: an ID one of them accepts is never refused here.
    districtId: optionalText(DISTRICT_ID_MAX).refine((v) => v === undefined || districtIdProblem(v) === null, "District ID may hold only letters, digits, dots, dashes, underscores and slashes"),
    email: optionalText(200).refine((v) => v === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), "Enter an email address like name@example.com"),
    kind: z.enum(PERSON_KINDS, { errorMap: () => ({ message: "Choose staff, student or community partner" }) }),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "COMMUNITY" && v.districtId) ctx.addIssue({ code: "custom", path: ["districtId"], message: "Community partners have no district ID: leave it blank" });
    if (v.kind === "STAFF" && !v.districtId && !v.email) ctx.addIssue({ code: "custom", path: ["districtId"], message: "Enter the employee's district ID (or an email if it is unknown)" });
  });

/** The walk-in search box (?q=): a district ID, a name or an email. */
export function walkInQuery(url: URL): { q: string; error?: string } {
  const q = (url.searchParams.get("q") ?? "").trim();
  if (q.length > 100) return { q: "", error: "Search for at most 100 characters" };
  if (q.length === 1) return { q: "", error: "Type at least 2 characters" };
  return { q };
}

/** The posted text fields, to show the form again as it was sent. */
export function echoValues(form: FormData): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const [k, v] of Object.entries(formValues(form))) if (typeof v === "string") echo[k] = v;
  return echo;
}
