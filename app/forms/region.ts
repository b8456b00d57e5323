import { z } from "zod";
import { CODE_MAX_LENGTH, CODE_PATTERN, CODE_RULE, NAME_MAX_LENGTH } from "~/domain/school";

/** A region's or school's code and name: the fields both forms share. */
export const CodeAndName = {
  code: z
    .string({ required_error: "Code is required" })
    .trim()
    .min(1, "Code is required")
    .max(CODE_MAX_LENGTH, `Code must be at most ${CODE_MAX_LENGTH} characters`)
    .regex(CODE_PATTERN, `Code ${CODE_RULE}`),
  name: z
    .string({ required_error: "Name is required" })
    .trim()
    .min(1, "Name is required")
    .max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`),
};

/** The region form, for both creating and editing a region. */
export const RegionFormSchema = z.object(CodeAndName);

export type RegionForm = z.infer<typeof RegionFormSchema>;
