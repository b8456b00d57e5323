/**
 * The goal form: scope (district, region, school), program, measure, target, start and deadline.
 * Shared by the page (client validation when JavaScript loads) and the action (the truth).
 */
import { z } from "zod";
import { calendarDateToUtc } from "~/domain/calendar-date";
import { calendarDateField } from "~/utils/forms";

export const GOAL_SCOPES = ["DISTRICT", "REGION", "SCHOOL"] as const;
export const GOAL_MEASURES = ["PEOPLE_TRAINED", "STAFF_REACH"] as const;

export const GOAL_SCOPE_LABELS: Record<(typeof GOAL_SCOPES)[number], string> = {
  DISTRICT: "The whole district",
  REGION: "A region",
  SCHOOL: "A school",
};
export const GOAL_MEASURE_LABELS: Record<(typeof GOAL_MEASURES)[number], string> = {
  PEOPLE_TRAINED: "People trained (count)",
  STAFF_REACH: "Staff reach (% of staff holding a current certificate)",
};

/** Goals run within this century; a date outside is a typo. */
const GOAL_DATE_BOUNDS = { earliest: "2000-01-01", latest: "2100-12-31" };

const day = (label: string) => calendarDateField(label, GOAL_DATE_BOUNDS).transform(calendarDateToUtc);

const optionalId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => (v ? v : undefined));

export const GoalFormSchema = z
  .object({
    scope: z.enum(GOAL_SCOPES, { errorMap: () => ({ message: "Scope must be the district, a region or a school" }) }),
    regionId: optionalId,
    schoolCode: z
      .string()
      .trim()
      .max(40, "School code must be at most 40 characters")
      .optional()
      .transform((v) => (v ? v : undefined)),
    programId: z.string({ required_error: "Program is required" }).trim().min(1, "Program is required").max(100),
    measure: z.enum(GOAL_MEASURES, { errorMap: () => ({ message: "Measure must be people trained or staff reach" }) }),
    target: z
      .string({ required_error: "Target is required" })
      .trim()
      .min(1, "Target is required")
      .regex(/^\d+(\.\d{1,2})?$/, "Target must be a number, e.g. 250 or 12.5")
      .transform(Number),
    startsOn: day("Start date"),
    deadline: day("Deadline"),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "REGION" && !v.regionId) ctx.addIssue({ code: "custom", path: ["regionId"], message: "Region is required for a region goal" });
    if (v.scope === "SCHOOL" && !v.schoolCode) ctx.addIssue({ code: "custom", path: ["schoolCode"], message: "School code is required for a school goal" });
    if (v.measure === "PEOPLE_TRAINED" && (!Number.isInteger(v.target) || v.target < 1 || v.target > 10_000_000)) {
      ctx.addIssue({ code: "custom", path: ["target"], message: "Target must be a whole number of people between 1 and 10,000,000" });
    }
    if (v.measure === "STAFF_REACH" && (v.target <= 0 || v.target > 100)) {
      ctx.addIssue({ code: "custom", path: ["target"], message: "Target must be a percentage above 0 and at most 100" });
    }
    if (v.deadline <= v.startsOn) {
      ctx.addIssue({ code: "custom", path: ["deadline"], message: "Deadline must be after the start date" });
    }
  });

export type GoalForm = z.infer<typeof GoalFormSchema>;

/** A goal's stored values as the form's text fields. */
export function goalFormValues(goal: {
  scope: string; regionId: string | null; school: { code: string } | null; programId: string; measure: string; target: number; startsOn: Date | string; deadline: Date | string;
}): Record<string, string> {
  const iso = (d: Date | string) => (typeof d === "string" ? d : d.toISOString()).slice(0, 10);
  return {
    scope: goal.scope,
    regionId: goal.regionId ?? "",
    schoolCode: goal.school?.code ?? "",
    programId: goal.programId,
    measure: goal.measure,
    target: String(goal.target),
    startsOn: iso(goal.startsOn),
    deadline: iso(goal.deadline),
  };
}
