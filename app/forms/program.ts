import { z } from "zod";
import { checkbox, optionalWholeNumber } from "~/utils/forms";
import { parseReminderDays } from "~/domain/program-rules";
import { PROGRAM_AUDIENCES } from "~/domain/program-labels";

export const GUIDANCE_MAX_LENGTH = 1000;
export const DESCRIPTION_MAX_LENGTH = 2000;
export const PROGRAM_NAME_MAX_LENGTH = 120;
export const PROGRAM_CODE_MAX_LENGTH = 20;

const optionalLongText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .optional()
    .transform((v) => v ?? "");

const ruleFields = {
  name: z
    .string({ required_error: "Name is required" })
    .trim()
    .min(1, "Name is required")
    .max(PROGRAM_NAME_MAX_LENGTH, `Name must be at most ${PROGRAM_NAME_MAX_LENGTH} characters`),
  description: optionalLongText("Description", DESCRIPTION_MAX_LENGTH),
  audience: z.enum(PROGRAM_AUDIENCES, { errorMap: () => ({ message: "Choose an audience" }) }),
  validityMonths: optionalWholeNumber("Validity (months)", { min: 1, max: 240 }),
  renewalWindowDays: optionalWholeNumber("Renewal window (days)", { min: 1, max: 365 }),
  requiresAttendance: checkbox,
  requiresPostWork: checkbox,
  requiresEvaluation: checkbox,
  maxParticipants: optionalWholeNumber("Maximum participants", { min: 1, max: 500 }),
  // Stored as text; normalised here ("7, 90,30" → "90,30,7") so reminders read one format.
  reminderDays: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const days = parseReminderDays(text ?? "");
      if (days === null) {
        ctx.addIssue({
          code: "custom",
          message: "Reminder days must be whole numbers of days before expiry (0 to 3650), separated by commas, e.g. 90,30,7,0",
        });
        return z.NEVER;
      }
      return days.join(",");
    }),
  renewalGuidance: optionalLongText("Renewal guidance", GUIDANCE_MAX_LENGTH),
  instructorCoursesPerYear: optionalWholeNumber("Courses an instructor teaches a year", { min: 1, max: 50 }),
  instructorNeedsCertificate: checkbox,
  active: checkbox,
};

type RuleValues = { validityMonths: number | null; renewalWindowDays: number | null };

// The renewal window is counted back from expiry, so it needs an expiry to count from.
function checkRenewalWindow(rules: RuleValues, ctx: z.RefinementCtx) {
  if (rules.renewalWindowDays === null) return;
  if (rules.validityMonths === null) {
    ctx.addIssue({
      code: "custom",
      path: ["renewalWindowDays"],
      message: "Renewal window (days) must be blank when the certificate never expires (validity is blank)",
    });
  } else if (rules.renewalWindowDays >= rules.validityMonths * 28) {
    // 28 days: the shortest month, so the window never opens before the certificate is issued.
    ctx.addIssue({
      code: "custom",
      path: ["renewalWindowDays"],
      message: "Renewal window (days) must be shorter than the validity",
    });
  }
}

/** The edit form: a program's rules. Blank validity means the certificate never expires. */
export const ProgramRulesSchema = z.object(ruleFields).superRefine(checkRenewalWindow);

/** The new-program form: the rules plus a code that other systems and reports use. */
export const NewProgramSchema = z
  .object({
    code: z
      .string({ required_error: "Code is required" })
      .trim()
      .toUpperCase()
      .min(1, "Code is required")
      .max(PROGRAM_CODE_MAX_LENGTH, `Code must be at most ${PROGRAM_CODE_MAX_LENGTH} characters`)
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, "Code may only use letters, digits, dashes and underscores"),
    ...ruleFields,
  })
  .superRefine(checkRenewalWindow);

export type ProgramRulesForm = z.infer<typeof ProgramRulesSchema>;
export type NewProgramForm = z.infer<typeof NewProgramSchema>;
