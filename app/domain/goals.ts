/**
 * The growth and report pages' question: which scope (district, region, school), which program,
 * which period; and the goal line read month by month. Pure: no database, no framework.
 */
import { z } from "zod";
import { blankToUndefined, code, dayField, parseIsoDay } from "./reach-filters";
import { addDays, startOfDayUtc } from "./program-rules";
import { goalLineOn, monthsBetween } from "./reach";
import { schoolYearOf } from "./school-year";

export const SCOPE_NAMES = ["district", "region", "school"] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];
export const SCOPE_NAME_LABELS: Record<ScopeName, string> = { district: "The whole district", region: "A region", school: "A school" };

/** What the growth chart's line shows besides the monthly bars. */
export const GROWTH_LINES = ["people", "reach"] as const;
export type GrowthLine = (typeof GROWTH_LINES)[number];
export const GROWTH_LINE_LABELS: Record<GrowthLine, string> = {
  people: "Running total of people trained",
  reach: "Staff reach (% of staff holding a current certificate)",
};

/** Ten years of months: the history the district keeps (docs/domain.md, Reach and goals). */
export const MAX_PERIOD_MONTHS = 120;

export type ScopeChoice = { scope: "district" } | { scope: "region"; region: string } | { scope: "school"; school: string };

export type ScopePeriod = {
  scope: ScopeChoice;
  programCode: string | null;
  from: Date;
  to: Date;
  line: GrowthLine;
};

/** The form's fields as typed, to show again (and to build links). */
export type ScopePeriodValues = Record<"scope" | "region" | "school" | "program" | "from" | "to" | "line", string>;

export type ParsedScopePeriod =
  | { ok: true; query: ScopePeriod; values: ScopePeriodValues }
  | { ok: false; errors: Record<string, string>; values: ScopePeriodValues };

const ScopePeriodSchema = z
  .object({
    scope: z.preprocess(
      blankToUndefined,
      z.enum(SCOPE_NAMES, { errorMap: () => ({ message: "Scope must be district, region or school" }) }).default("district"),
    ),
    region: code("Region"),
    school: code("School code"),
    program: code("Program"),
    from: dayField("From"),
    to: dayField("To"),
    line: z.preprocess(
      blankToUndefined,
      z.enum(GROWTH_LINES, { errorMap: () => ({ message: "Line must be people or reach" }) }).default("people"),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "region" && !v.region) ctx.addIssue({ code: "custom", path: ["region"], message: "Region is required for a region's figures" });
    if (v.scope === "school" && !v.school) ctx.addIssue({ code: "custom", path: ["school"], message: "School code is required for a school's figures" });
  });

/** The first day of the month, eleven months before `to`'s month: the last twelve months. */
export function lastTwelveMonthsFrom(to: Date): Date {
  return new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1));
}

/** 1 July of the school year `to` falls in. */
export function schoolYearStartFrom(to: Date): Date {
  return new Date(Date.UTC(schoolYearOf(to), 6, 1));
}

/**
 * Reads scope, program and period from a query string. `to` defaults to today, `from` to what the
 * page chooses (the last twelve months, or the school year so far). Every bad value gets a message
 * naming its field; nothing is guessed.
 */
export function parseScopePeriod(params: URLSearchParams, today: Date, defaultFrom: (to: Date) => Date): ParsedScopePeriod {
  const raw: Record<string, string> = {};
  for (const key of ["scope", "region", "school", "program", "from", "to", "line"]) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const echo = (k: keyof ScopePeriodValues, fallback = "") => raw[k]?.trim() ?? fallback;
  const result = ScopePeriodSchema.safeParse(raw);
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    const values = {
      scope: echo("scope", "district"), region: echo("region"), school: echo("school"), program: echo("program"),
      from: echo("from"), to: echo("to"), line: echo("line", "people"),
    };
    return { ok: false, errors, values };
  }
  const v = result.data;
  const to = v.to ?? startOfDayUtc(today);
  const from = v.from ?? defaultFrom(to);
  const errors: Record<string, string> = {};
  if (from > to) errors.from = "From must be on or before To";
  else if (monthsBetween(from, to).length > MAX_PERIOD_MONTHS) errors.from = `The period can be at most ${MAX_PERIOD_MONTHS / 12} years long`;
  const values: ScopePeriodValues = {
    scope: v.scope,
    region: v.scope === "region" ? (v.region ?? "") : "",
    school: v.scope === "school" ? (v.school ?? "") : "",
    program: v.program ?? "",
    from: isoDayOf(from),
    to: isoDayOf(to),
    line: v.line,
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors, values: { ...values, from: echo("from", values.from), to: echo("to", values.to) } };
  const scope: ScopeChoice =
    v.scope === "region" && v.region ? { scope: "region", region: v.region }
    : v.scope === "school" && v.school ? { scope: "school", school: v.school }
    : { scope: "district" };
  return { ok: true, query: { scope, programCode: v.program ?? null, from, to, line: v.line }, values };
}

function isoDayOf(d: Date): string {
  return startOfDayUtc(d).toISOString().slice(0, 10);
}

/** The query string that asks for the same scope, program and period (links between pages). */
export function scopePeriodParams(values: Partial<ScopePeriodValues>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  if (params.get("scope") === "district") params.delete("scope");
  if (params.get("line") === "people") params.delete("line");
  return params;
}

/** The last day of a month, given its first day. */
export function monthEnd(monthStart: Date): Date {
  return addDays(new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1)), -1);
}

/**
 * The goal line at the end of each month: the straight path from the value at the start to the
 * target on the deadline, read on the month's last day (the deadline in its own month).
 */
export function goalLineByMonth(
  monthStarts: Date[],
  goal: { startsOn: Date; deadline: Date; target: number; startValue: number },
): number[] {
  const deadline = startOfDayUtc(goal.deadline);
  return monthStarts.map((m) => {
    const end = monthEnd(m);
    return goalLineOn(end > deadline ? deadline : end, goal);
  });
}

/** Months that start after the as-of day have no figures yet: the chart stops there, the goal line goes on. */
export function monthHasStarted(monthStart: Date, asOf: Date): boolean {
  return startOfDayUtc(monthStart) <= startOfDayUtc(asOf);
}

/** The goal pages' "as of" day (?asOf=YYYY-MM-DD): today when absent; a bad value is named, not guessed. */
export function parseAsOf(params: URLSearchParams, today: Date): { ok: true; asOf: Date; value: string } | { ok: false; error: string; asOf: Date; value: string } {
  const raw = params.get("asOf")?.trim() ?? "";
  const fallback = startOfDayUtc(today);
  if (!raw) return { ok: true, asOf: fallback, value: isoDayOf(fallback) };
  const parsed = parseIsoDay(raw);
  if (!parsed) return { ok: false, error: "As-of date must be a real date written as YYYY-MM-DD, e.g. 2026-06-30", asOf: fallback, value: raw };
  return { ok: true, asOf: parsed, value: isoDayOf(parsed) };
}
