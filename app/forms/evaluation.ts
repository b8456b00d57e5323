import { z } from "zod";
import { COMMENT_MAX_LENGTH, EVALUATION_MESSAGES, type EvaluationLanguage } from "~/domain/evaluation-messages";
import { EVALUATION_RATINGS, type EvaluationRating } from "~/domain/evaluation-summary";
import { checkInFormSchema, type CheckInInput } from "~/forms/check-in";

export type EvaluationInput = {
  identity: CheckInInput;
  ratings: Record<EvaluationRating, number>;
  recommend: boolean | null;
  comment: string | null;
};

const text = z.unknown().transform((v) => (typeof v === "string" ? v : ""));

/**
 * The public evaluation form, with messages in the page's language: who you are (as check-in
 * asks it, app/forms/check-in.ts), four ratings 1-5, would you recommend (yes, no or blank) and an
 * optional comment. Over-long input is refused, never truncated.
 */
export function evaluationFormSchema(lang: EvaluationLanguage) {
  const m = EVALUATION_MESSAGES[lang];
  const identitySchema = checkInFormSchema(lang);
  return z
    .object({
      districtId: text, firstName: text, lastName: text, email: text,
      overall: text, content: text, trainers: text, confidence: text, recommend: text, comment: text,
    })
    .transform((v, ctx): EvaluationInput => {
      const identity = identitySchema.safeParse({ districtId: v.districtId, firstName: v.firstName, lastName: v.lastName, email: v.email });
      if (!identity.success) for (const issue of identity.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      const ratings: Record<EvaluationRating, number> = { overall: 0, content: 0, trainers: 0, confidence: 0 };
      for (const rating of EVALUATION_RATINGS) {
        const raw = v[rating].trim();
        if (!/^[1-5]$/.test(raw)) ctx.addIssue({ code: "custom", path: [rating], message: m.errors.chooseRating(m.questions[rating]) });
        else ratings[rating] = Number(raw);
      }
      const recommend = v.recommend === "yes" ? true : v.recommend === "no" ? false : null;
      if (v.recommend !== "" && recommend === null) ctx.addIssue({ code: "custom", path: ["recommend"], message: m.errors.chooseRecommend });
      const comment = v.comment.trim();
      if (comment.length > COMMENT_MAX_LENGTH) ctx.addIssue({ code: "custom", path: ["comment"], message: m.errors.commentTooLong });
      return { identity: identity.success ? identity.data : { districtId: "" }, ratings, recommend, comment: comment || null };
    });
}

/** The trainer's buttons on the evaluation page. */
export const EvaluationControlSchema = z.object({
  intent: z.enum(["open", "close"], { errorMap: () => ({ message: "Choose to open or close the evaluation" }) }),
});
