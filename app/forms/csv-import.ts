import { z } from "zod";
import { MAX_CSV_BYTES, TOO_LARGE_CSV_MESSAGE } from "~/domain/csv-rows";

/**
 * The CSV import form: a file or pasted text. The browser sees the file input's FileList,
 * the server a File, so "a file was chosen" is checked for either shape.
 */
function hasFile(value: unknown): boolean {
  // An empty file input posts a nameless, empty file; a chosen file has a name even when empty,
  // and then the reader says the file is empty rather than that none was chosen.
  if (typeof File !== "undefined" && value instanceof File) return value.name !== "" || value.size > 0;
  if (typeof FileList !== "undefined" && value instanceof FileList) return value.length > 0;
  return false;
}

/** The chosen file's size in bytes, in the browser (a FileList) or on the server (a File). */
function fileSize(value: unknown): number {
  if (typeof File !== "undefined" && value instanceof File) return value.size;
  if (typeof FileList !== "undefined" && value instanceof FileList) return value[0]?.size ?? 0;
  return 0;
}

export const CsvImportSchema = z
  .object({
    intent: z.enum(["preview", "commit"]).default("preview"),
    csvText: z.string().optional(),
    file: z.unknown().optional(),
  })
  .refine((form) => hasFile(form.file) || (form.csvText ?? "").trim() !== "", {
    path: ["file"],
    message: "Choose a CSV file or paste the CSV text",
  })
  // Checked in the browser before a large file is sent: past the server's upload limit the
  // answer would be a bare 413 rather than this message beside the field.
  .refine((form) => fileSize(form.file) <= MAX_CSV_BYTES, { path: ["file"], message: TOO_LARGE_CSV_MESSAGE });

/** The form's fields as the action reads them: the file is not a text value, so it is read on its own. */
export function csvImportValues(formData: FormData) {
  return {
    intent: formData.get("intent") ?? undefined,
    csvText: formData.get("csvText") ?? undefined,
    file: formData.get("file") ?? undefined,
  };
}
