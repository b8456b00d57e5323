/**
 * The edit-a-person form (/people/:personId/edit) and the duplicates pages' query strings. One
 * schema per form, shared by the component (react-hook-form) and the action; every message names its field.
 */
import { z } from "zod";
import { DISTRICT_ID_MAX, districtIdProblem, EMAIL_MAX, emailProblem, NAME_MAX, PERSON_KINDS } from "~/domain/roster-import";

const name = (label: string) =>
  z
    .string({ required_error: `${label} is required` })
    .transform((v) => v.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, `${label} is required`).max(NAME_MAX, `${label} must be at most ${NAME_MAX} characters`));

/** Blank means "none"; otherwise the same checks a roster file's cell gets. */
const optionalChecked = (label: string, max: number, problem: (v: string) => string | null, normalise: (v: string) => string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = normalise((v ?? "").trim());
      if (text === "") return null;
      if (text.length > max) {
        ctx.addIssue({ code: "custom", message: `${label} must be at most ${max} characters` });
        return z.NEVER;
      }
      const found = problem(text);
      if (found) {
        ctx.addIssue({ code: "custom", message: `${label}: ${found}` });
        return z.NEVER;
      }
      return text;
    });

export const PERSON_KIND_CHOICES = PERSON_KINDS;
export const PERSON_KIND_WORDS = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" } as const;

export const EditPersonSchema = z.object({
  firstName: name("First name"),
  lastName: name("Last name"),
  email: optionalChecked("Email", EMAIL_MAX, emailProblem, (v) => v.toLowerCase()),
  districtId: optionalChecked("District ID", DISTRICT_ID_MAX, districtIdProblem, (v) => v),
  kind: z.enum(PERSON_KINDS, { errorMap: () => ({ message: "Kind: choose staff, student or community partner" }) }),
});

export type EditPersonForm = z.infer<typeof EditPersonSchema>;

/** A record id as the app makes them; anything else is refused before the database is asked. */
const recordId = (label: string) =>
  z
    .string({ required_error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(64, `${label} is not a record id`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label} is not a record id`);

/** /people/duplicates/compare?a=…&b=… (two records) or ?row=… (an import's held row). */
export const ComparePairSchema = z
  .object({ a: recordId("Record A"), b: recordId("Record B") })
  .refine((v) => v.a !== v.b, { path: ["b"], message: "Record B: choose a record other than record A" });
export const CompareRowSchema = z.object({ row: recordId("Import row") });

export type CompareQuery = { kind: "pair"; a: string; b: string } | { kind: "row"; rowId: string };

/** Reads the compare page's query string; errors name the field. */
export function parseCompareQuery(params: URLSearchParams): { ok: true; query: CompareQuery } | { ok: false; errors: Record<string, string> } {
  const raw = (key: string) => params.get(key) ?? undefined;
  const errorsOf = (error: z.ZodError) => {
    const errors: Record<string, string> = {};
    for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return errors;
  };
  if (params.has("row")) {
    if (params.has("a") || params.has("b")) return { ok: false, errors: { row: "Import row: give either a row or two records (a and b), not both" } };
    const parsed = CompareRowSchema.safeParse({ row: raw("row") });
    return parsed.success ? { ok: true, query: { kind: "row", rowId: parsed.data.row } } : { ok: false, errors: errorsOf(parsed.error) };
  }
  const parsed = ComparePairSchema.safeParse({ a: raw("a"), b: raw("b") });
  return parsed.success ? { ok: true, query: { kind: "pair", a: parsed.data.a, b: parsed.data.b } } : { ok: false, errors: errorsOf(parsed.error) };
}

export const DUPLICATE_SHOWS = ["people", "imports"] as const;
export type DuplicateShow = (typeof DUPLICATE_SHOWS)[number];

/** /people/duplicates: which list (pairs of records, or imports' held rows) and the page. */
export const DuplicateQueueSchema = z.object({
  show: z.enum(DUPLICATE_SHOWS, { errorMap: () => ({ message: "Show: choose people or imports" }) }).default("people"),
  page: z
    .string()
    .regex(/^\d{1,6}$/, "Page must be a whole number")
    .transform(Number)
    .refine((n) => n >= 1, "Page must be 1 or more")
    .default("1"),
});
export type DuplicateQueueQuery = z.infer<typeof DuplicateQueueSchema>;

/** The intents of the compare page's buttons. */
export const COMPARE_INTENTS = ["merge-b-into-a", "merge-a-into-b", "dismiss", "accept-row", "reject-row"] as const;
export const CompareIntentSchema = z.object({
  intent: z.enum(COMPARE_INTENTS, { errorMap: () => ({ message: "Choose one of the buttons" }) }),
});
