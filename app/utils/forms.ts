import { z } from "zod";
import { parseCalendarDate, parseClockTime, type DateBounds } from "~/domain/calendar-date";

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

/** Reads one date value; null when blank (the caller decides whether blank is allowed). */
function readCalendarDate(value: unknown, ctx: z.RefinementCtx, label: string, bounds: DateBounds): string | null {
  if (value !== undefined && typeof value !== "string") {
    ctx.addIssue({ code: "custom", message: `${label}: give one date` });
    return z.NEVER;
  }
  const text = value?.trim() ?? "";
  if (text === "") return null;
  const parsed = parseCalendarDate(text, bounds);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: `${label}: ${parsed.problem}` });
    return z.NEVER;
  }
  return parsed.iso;
}

/**
 * A calendar date typed as YYYY-MM-DD, read by the one strict parser (app/domain/calendar-date.ts):
 * 2026-02-30 is refused as "Deadline: 2026-02-30 is not a real date", never rolled over. Gives the
 * ISO text; add `.transform(calendarDateToUtc)` where the stored Date is wanted.
 */
export const calendarDateField = (label: string, bounds: DateBounds = {}) =>
  z.unknown().transform((value, ctx): string => {
    const iso = readCalendarDate(value, ctx, label, bounds);
    if (iso === null) {
      ctx.addIssue({ code: "custom", message: `${label} is required` });
      return z.NEVER;
    }
    return iso;
  });

/** The same, where blank means "no date" (undefined). */
export const optionalCalendarDateField = (label: string, bounds: DateBounds = {}) =>
  z.unknown().transform((value, ctx): string | undefined => readCalendarDate(value, ctx, label, bounds) ?? undefined);

/** A wall-clock time typed as HH:MM (00:00-23:59); the message names the field. */
export const clockTimeField = (label: string) =>
  z.unknown().transform((value, ctx) => {
    const text = typeof value === "string" ? value.trim() : "";
    if (text === "") {
      ctx.addIssue({ code: "custom", message: `${label} is required` });
      return z.NEVER;
    }
    const parsed = parseClockTime(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `${label}: ${parsed.problem}` });
      return z.NEVER;
    }
    return parsed.hhmm;
  });
