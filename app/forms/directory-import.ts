import { z } from "zod";
import { DIRECTORY_FIELDS, type DirectoryField } from "~/domain/directory/plain-csv";

/** The upload form of a directory import: what the files are and the school year they describe. */
export const DirectoryUploadSchema = z.object({
  format: z.enum(["oneroster", "staff-csv", "student-csv"], { errorMap: () => ({ message: "Choose what the files are: a OneRoster export, a staff CSV or a student CSV" }) }),
  schoolYear: z.coerce
    .number({ invalid_type_error: "Choose the school year the files describe" })
    .int("Choose the school year the files describe")
    .min(2000, "Choose a school year from the list")
    .max(2100, "Choose a school year from the list"),
});

/** The buttons of an import's page. */
export const DirectoryImportIntentSchema = z.object({
  intent: z.enum(["map", "commit", "discard", "recheck"], { errorMap: () => ({ message: "Choose what to do with this import" }) }),
});

export const OUTCOMES = ["NEW", "UPDATED", "UNCHANGED", "REVIEW", "IGNORED"] as const;

/** An import page's query string: which rows to list, and the page. */
export const DirectoryRowsQuerySchema = z.object({
  show: z.enum(OUTCOMES, { errorMap: () => ({ message: "show must be one of NEW, UPDATED, UNCHANGED, REVIEW, IGNORED" }) }).optional(),
  page: z.coerce.number({ invalid_type_error: "page must be a whole number from 1" }).int("page must be a whole number from 1").min(1, "page must be a whole number from 1").max(1_000_000, "page is past the last page").default(1),
});

/** The mapping step's field for column i. */
export const mappingField = (index: number) => `column-${index}`;

/** The posted mapping, one field per column, or null when any column's choice is missing or unknown. */
export function mappingFromForm(formData: FormData, columnCount: number) {
  const mapping: DirectoryField[] = [];
  for (let i = 0; i < columnCount; i += 1) {
    const value = formData.get(mappingField(i));
    const field = DIRECTORY_FIELDS.find((f) => f === value);
    if (!field) return null;
    mapping.push(field);
  }
  return mapping;
}
