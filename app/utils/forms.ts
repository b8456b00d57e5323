import { z } from "zod";

export type FieldErrors = Record<string, string>;

/** The first message per field, keyed by the field's name ("form" for whole-form errors). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Form values as zod sees them: text fields as strings, repeated names as arrays. */
export function formValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = all.length > 1 ? all : all[0];
  }
  return values;
}

export type ParsedForm<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Server-side validation, the source of truth: field errors come back with status 400. */
export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): ParsedForm<z.infer<S>> {
  const values = formValues(formData);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const echo: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === "string" && k !== "password") echo[k] = v;
  return { ok: false, errors: fieldErrorsOf(result.error), values: echo };
}

/** A checkbox posts "on" when ticked and nothing when not. */
export const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean(), z.undefined()])
  .transform((v) => v === "on" || v === "true" || v === true);

/** Optional text: blank becomes undefined. */
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, `Must be at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** A whole number typed into a form; blank is refused with the field's own message. */
export const wholeNumber = (label: string, { min = 0, max = 10_000_000 } = {}) =>
  z
    .string({ required_error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .regex(/^\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${label} must be between ${min} and ${max}`);

/** An optional whole number: blank means "none". */
export const optionalWholeNumber = (label: string, { min = 0, max = 10_000_000 } = {}) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^\d+$/.test(v), `${label} must be a whole number or blank`)
    .transform((v) => (v ? Number(v) : null))
    .refine((n) => n === null || (n >= min && n <= max), `${label} must be between ${min} and ${max}`);

/** A page number from a query string: anything odd falls back to 1. */
export function pageParam(url: URL): number {
  const raw = url.searchParams.get("page");
  const n = raw && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(1, n);
}
