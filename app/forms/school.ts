import { z } from "zod";
import { calendarDateField, checkbox } from "~/utils/forms";
import { calendarDateToUtc } from "~/domain/calendar-date";
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

/** A school's safety protocol: the day it was in place, not after the district's today. */
export const safetyProtocolSchema = (today: string) =>
  z.object({ since: calendarDateField("In place since", { latest: today }).transform(calendarDateToUtc) });
