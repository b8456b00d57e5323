import { z } from "zod";
import { checkbox, optionalText } from "~/utils/forms";
import {
  DISTRICT_ID_MAX, EMAIL_MAX, NAME_MAX, PERSON_KINDS, districtIdProblem, emailProblem, isRosterField, parseChoice,
  type ColumnMapping, type RowChoice,
} from "~/domain/roster-import";
import type { NamedSchool } from "~/domain/membership-from-work";

/** The "school" select of the create form: the default for the kind, no school, or a school's id. */
export const SCHOOL_DEFAULT = "default";
export const SCHOOL_NONE = "none";
const schoolChoice = z
  .string()
  .trim()
  .max(40, "Choose a school from the list")
  .regex(/^[A-Za-z0-9_-]*$/, "Choose a school from the list")
  .optional()
  .transform((v): NamedSchool => (!v || v === SCHOOL_DEFAULT ? { use: "default" } : v === SCHOOL_NONE ? { use: "none" } : { use: "school", schoolId: v }));

/** "Create a person on the spot and add them" on the roster page. */
export const NewPersonSchema = z.object({
  districtId: optionalText(DISTRICT_ID_MAX).refine(
    (v) => v === undefined || districtIdProblem(v) === null,
    "District ID may hold only letters, digits, dots, dashes, underscores and slashes",
  ),
  firstName: z.string({ required_error: "First name is required" }).trim().min(1, "First name is required").max(NAME_MAX, `First name must be at most ${NAME_MAX} characters`),
  lastName: z.string({ required_error: "Last name is required" }).trim().min(1, "Last name is required").max(NAME_MAX, `Last name must be at most ${NAME_MAX} characters`),
  email: optionalText(EMAIL_MAX).refine((v) => v === undefined || emailProblem(v.toLowerCase()) === null, "Enter an email address like name@example.org, or leave it blank"),
  kind: z.enum(PERSON_KINDS, { errorMap: () => ({ message: "Choose staff, student or community partner" }) }),
  /** Which school they belong to this school year, when they belong to none yet. */
  school: schoolChoice,
  overrideCapacity: checkbox,
  /** Ticked after a name + email lookalike was shown: this is someone else. */
  confirmNew: checkbox,
});

export const AddPersonSchema = z.object({
  personId: z.string({ required_error: "Choose a person to add" }).trim().min(1, "Choose a person to add").max(40),
  overrideCapacity: checkbox,
});

export const RemoveSchema = z.object({
  enrollmentId: z.string({ required_error: "Choose a person to remove" }).trim().min(1, "Choose a person to remove").max(40),
});

export const SearchSchema = z.object({ q: z.string().trim().max(100).catch("").default("") });

/**
 * The import steps share one form: the file's text and the mapping travel in hidden fields
 * (the server keeps nothing between steps). upload → map columns → preview → commit.
 */
export const IMPORT_INTENTS = ["upload", "map", "preview", "commit"] as const;
export const ImportStepSchema = z.object({
  intent: z.enum(IMPORT_INTENTS, { errorMap: () => ({ message: "Choose upload, preview or import" }) }),
  fileName: optionalText(200),
  defaultKind: z.enum(PERSON_KINDS).catch("STAFF").optional(),
  overrideCapacity: checkbox,
});

export const columnField = (index: number) => `column_${index}`;
export const choiceField = (line: number) => `choice_${line}`;

/** The mapping posted by the column selects; null when a column is missing or names no known field. */
export function mappingFromForm(formData: FormData, columnCount: number): ColumnMapping | null {
  const mapping: ColumnMapping = [];
  for (let i = 0; i < columnCount; i++) {
    const value = formData.get(columnField(i));
    if (!isRosterField(value)) return null;
    mapping.push(value);
  }
  return mapping;
}

/** The trainer's choices for "possible duplicate" rows, by line. */
export function choicesFromForm(formData: FormData): Map<number, RowChoice> {
  const choices = new Map<number, RowChoice>();
  for (const [key, value] of formData.entries()) {
    const match = /^choice_(\d{1,7})$/.exec(key);
    if (!match) continue;
    const choice = parseChoice(value);
    if (choice) choices.set(Number(match[1]), choice);
  }
  return choices;
}
