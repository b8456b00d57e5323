import { z } from "zod";
import { checkbox } from "~/utils/forms";
import { SCHOOL_LEVELS } from "~/domain/school";
import { CodeAndName } from "~/forms/region";

/** The new-school form. */
export const NewSchoolSchema = z.object({
  ...CodeAndName,
  regionId: z.string({ required_error: "Choose a region" }).min(1, "Choose a region"),
  level: z.enum(SCHOOL_LEVELS, { errorMap: () => ({ message: "Choose a level" }) }),
});

/** The edit-school form: the same fields, plus whether the school is still open. */
export const EditSchoolSchema = NewSchoolSchema.extend({ active: checkbox });

export type NewSchoolForm = z.infer<typeof NewSchoolSchema>;
export type EditSchoolForm = z.infer<typeof EditSchoolSchema>;
