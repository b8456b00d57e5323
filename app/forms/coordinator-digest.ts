import { z } from "zod";

/** The coordinator home's monthly digest switch: one form, a button to turn it on or off. */
export const DIGEST_CHOICES = ["on", "off"] as const;

export const MonthlyDigestSchema = z.object({
  digest: z.enum(DIGEST_CHOICES, { errorMap: () => ({ message: "Monthly digest must be on or off" }) }),
});
