import { z } from "zod";

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

export const CsvImportSchema = z
  .object({
    intent: z.enum(["preview", "commit"]).default("preview"),
    csvText: z.string().optional(),
    file: z.unknown().optional(),
  })
  .refine((form) => hasFile(form.file) || (form.csvText ?? "").trim() !== "", {
    path: ["file"],
    message: "Choose a CSV file or paste the CSV text",
  });

/** The form's fields as the action reads them: the file is not a text value, so it is read on its own. */
export function csvImportValues(formData: FormData) {
  return {
    intent: formData.get("intent") ?? undefined,
    csvText: formData.get("csvText") ?? undefined,
    file: formData.get("file") ?? undefined,
  };
}
