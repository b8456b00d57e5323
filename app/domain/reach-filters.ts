/**
 * The reach pages' query string: school year, program, audience, region, as-of date, sorting.
 * Validated with zod so a bad value gets a message that names the filter, never a crash.
 */
import { z } from "zod";
import { formatSchoolYear, parseSchoolYear, schoolYearOf } from "./school-year";
import { startOfDayUtc } from "./program-rules";
import { parseCalendarDate } from "./calendar-date";

export const AUDIENCES = ["all", "staff", "students", "community"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_LABELS: Record<Audience, string> = {
  all: "Everyone",
  staff: "Staff",
  students: "Students",
  community: "Community partners",
};

export const SCHOOL_SORTS = [
  "name", "code", "region", "headcount", "current", "reach", "studentsYear", "studentsAllTime",
  "community", "expiring", "ymhfaReach",
] as const;
export type SchoolSort = (typeof SCHOOL_SORTS)[number];
export const SORT_DIRS = ["asc", "desc"] as const;
export type SortDir = (typeof SORT_DIRS)[number];

/** A calendar day typed as YYYY-MM-DD, read by the one strict parser; kept at 00:00 UTC. */
export function parseIsoDay(text: string): Date | null {
  const parsed = parseCalendarDate(text, { earliest: "1990-01-01", latest: "2100-12-31" });
  return parsed.ok ? parsed.date : null;
}

export function isoDay(date: Date): string {
  return startOfDayUtc(date).toISOString().slice(0, 10);
}

/** Query-string fields shared by the reach, goal and report pages: a blank value is no value. */
export const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** An optional day written YYYY-MM-DD; anything else is an error naming the field. */
export const dayField = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const day = parseIsoDay(v);
        if (!day) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} must be a real date written as YYYY-MM-DD, e.g. 2026-06-30` });
          return z.NEVER;
        }
        return day;
      }),
  );

/** An optional code or id: letters, digits, "-" and "_". */
export const code = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z.string().trim().max(64, `${label} is too long`).regex(/^[A-Za-z0-9_-]+$/, `${label} is not a known value`).optional(),
  );

/** A school year in a query string: "2025-26" or "2025"; blank is "not chosen". */
export const schoolYearField = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const year = parseSchoolYear(v);
        if (year == null) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "School year must look like 2025-26 (or 2025)" });
          return z.NEVER;
        }
        return year;
      }),
  );

export const ReachFilterSchema = z.object({
  year: schoolYearField(),
  asOf: dayField("As-of date"),
  program: code("Program"),
  region: code("Region"),
  audience: z.preprocess(
    blankToUndefined,
    z.enum(AUDIENCES, { errorMap: () => ({ message: "Audience must be one of: all, staff, students, community" }) }).default("all"),
  ),
  q: z.preprocess(blankToUndefined, z.string().trim().max(100, "School name search must be at most 100 characters").optional()),
  sort: z.preprocess(
    blankToUndefined,
    z.enum(SCHOOL_SORTS, { errorMap: () => ({ message: `Sort must be one of: ${SCHOOL_SORTS.join(", ")}` }) }).default("name"),
  ),
  dir: z.preprocess(blankToUndefined, z.enum(SORT_DIRS, { errorMap: () => ({ message: "Direction must be asc or desc" }) }).optional()),
  page: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{1,6}$/, "Page must be a whole number")
      .transform(Number)
      .refine((n) => n >= 1, "Page must be 1 or more")
      .optional(),
  ),
});

export type ReachFilters = {
  schoolYear: number;
  asOf: Date;
  programCode: string | null;
  regionId: string | null;
  audience: Audience;
  q: string;
  sort: SchoolSort;
  dir: SortDir;
  page: number;
};

export type ParsedFilters = { ok: true; filters: ReachFilters } | { ok: false; errors: Record<string, string>; filters: ReachFilters };

/** Text sorts read A→Z by default, figures largest first. */
export function defaultDirFor(sort: SchoolSort): SortDir {
  return sort === "name" || sort === "code" || sort === "region" ? "asc" : "desc";
}

/**
 * Reads the filters. The school year defaults to the one the as-of date falls in; the as-of date to
 * today. On a bad value the errors name each filter, and the defaults stand in so the page still renders.
 */
export function parseReachFilters(params: URLSearchParams, today: Date): ParsedFilters {
  const raw: Record<string, string> = {};
  for (const key of ["year", "asOf", "program", "region", "audience", "q", "sort", "dir", "page"]) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const result = ReachFilterSchema.safeParse(raw);
  const fallback = (asOf: Date): ReachFilters => ({
    schoolYear: schoolYearOf(asOf), asOf, programCode: null, regionId: null, audience: "all", q: "", sort: "name", dir: "asc", page: 1,
  });
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors, filters: fallback(startOfDayUtc(today)) };
  }
  const v = result.data;
  const asOf = v.asOf ?? startOfDayUtc(today);
  return {
    ok: true,
    filters: {
      schoolYear: v.year ?? schoolYearOf(asOf),
      asOf,
      programCode: v.program ?? null,
      regionId: v.region ?? null,
      audience: v.audience,
      q: v.q ?? "",
      sort: v.sort,
      dir: v.dir ?? defaultDirFor(v.sort),
      page: v.page ?? 1,
    },
  };
}

/** The filters as a query string, for links that keep them (sorting, paging, drill-down, CSV). */
export function filtersToParams(f: ReachFilters, overrides: Record<string, string | null> = {}): URLSearchParams {
  const params = new URLSearchParams();
  params.set("year", formatSchoolYear(f.schoolYear));
  params.set("asOf", isoDay(f.asOf));
  if (f.programCode) params.set("program", f.programCode);
  if (f.regionId) params.set("region", f.regionId);
  if (f.audience !== "all") params.set("audience", f.audience);
  if (f.q) params.set("q", f.q);
  if (f.sort !== "name") params.set("sort", f.sort);
  if (f.dir !== defaultDirFor(f.sort)) params.set("dir", f.dir);
  if (f.page > 1) params.set("page", String(f.page));
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  return params;
}

/** The first and last+1 day of a school year: 1 July to 1 July. */
export function schoolYearBounds(year: number): { startsOn: Date; endsBefore: Date } {
  return { startsOn: new Date(Date.UTC(year, 6, 1)), endsBefore: new Date(Date.UTC(year + 1, 6, 1)) };
}
