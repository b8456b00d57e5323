import { z } from "zod";
import { checkbox } from "~/utils/forms";
import { CODE_MAX_LENGTH, CODE_PATTERN, CODE_RULE, NAME_MAX_LENGTH, SCHOOL_LEVELS } from "~/domain/school";

/** The new-school form. */
export const NewSchoolSchema = z.object({
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
  regionId: z.string({ required_error: "Choose a region" }).min(1, "Choose a region"),
  level: z.enum(SCHOOL_LEVELS, { errorMap: () => ({ message: "Choose a level" }) }),
});

/** The edit-school form: the same fields, plus whether the school is still open. */
export const EditSchoolSchema = NewSchoolSchema.extend({ active: checkbox });

export type NewSchoolForm = z.infer<typeof NewSchoolSchema>;
export type EditSchoolForm = z.infer<typeof EditSchoolSchema>;
