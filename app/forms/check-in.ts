import { z } from "zod";
import { CHECK_IN_MESSAGES, type CheckInLanguage } from "~/domain/check-in-messages";
import { districtIdProblem } from "~/domain/roster-import";

export type CheckInInput = { districtId: string } | { firstName: string; lastName: string; email: string };

// A practical check; the server never sends mail to it, it only matches people.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const text = z.unknown().transform((v) => (typeof v === "string" ? v.trim() : ""));

/**
 * The public check-in form, with messages in the page's language: a district ID, or else
 * first name, last name and email. Over-long input is refused, never truncated.
 */
export function checkInFormSchema(lang: CheckInLanguage) {
  const m = CHECK_IN_MESSAGES[lang].errors;
  return z
    .object({ districtId: text, firstName: text, lastName: text, email: text })
    .transform((v, ctx): CheckInInput => {
      if (v.districtId) {
        if (v.districtId.length > 40) ctx.addIssue({ code: "custom", path: ["districtId"], message: m.districtIdTooLong });
        // The roster import's rule: anyone it put on a roster can check in with their ID.
        else if (districtIdProblem(v.districtId) !== null) ctx.addIssue({ code: "custom", path: ["districtId"], message: m.districtIdFormat });
        return { districtId: v.districtId };
      }
      if (!v.firstName && !v.lastName && !v.email) {
        ctx.addIssue({ code: "custom", path: ["districtId"], message: m.nothingEntered });
        return { districtId: "" };
      }
      if (!v.firstName) ctx.addIssue({ code: "custom", path: ["firstName"], message: m.firstNameRequired });
      else if (v.firstName.length > 80) ctx.addIssue({ code: "custom", path: ["firstName"], message: m.nameTooLong });
      if (!v.lastName) ctx.addIssue({ code: "custom", path: ["lastName"], message: m.lastNameRequired });
      else if (v.lastName.length > 80) ctx.addIssue({ code: "custom", path: ["lastName"], message: m.nameTooLong });
      if (!v.email) ctx.addIssue({ code: "custom", path: ["email"], message: m.emailRequired });
      else if (v.email.length > 200) ctx.addIssue({ code: "custom", path: ["email"], message: m.emailTooLong });
      else if (!EMAIL.test(v.email)) ctx.addIssue({ code: "custom", path: ["email"], message: m.emailInvalid });
      return { firstName: v.firstName, lastName: v.lastName, email: v.email };
    });
}

/** The trainer's buttons on the check-in screen. */
export const CheckInControlSchema = z.object({
  intent: z.enum(["open", "close"], { errorMap: () => ({ message: "Choose to open or close check-in" }) }),
  dayId: z.string({ required_error: "Choose a day of this session" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose a day of this session"),
});

/** The trainer's Approve and Dismiss buttons beside a walk-in. */
export const WalkInDecisionSchema = z.object({
  intent: z.enum(["approve", "dismiss"], { errorMap: () => ({ message: "Choose to approve or dismiss the walk-in" }) }),
  walkInId: z.string({ required_error: "Choose a walk-in" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "Choose a walk-in"),
});
