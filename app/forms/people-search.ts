/**
 * The people directory's query string (/people): words, kind, school, school year, page. A bad
 * value is an error that names the field, never a crash; the school's existence and whether it is
 * the viewer's is checked by the loader against the database.
 */
import { z } from "zod";
import { blankToUndefined as blank, schoolYearField } from "~/domain/reach-filters";
import { CODE_MAX_LENGTH, CODE_PATTERN } from "~/domain/school";

export const PERSON_KINDS = ["staff", "student", "community"] as const;
export type PersonKindWord = (typeof PERSON_KINDS)[number];
export const PERSON_KIND_LABELS: Record<PersonKindWord, string> = { staff: "Staff", student: "Students", community: "Community partners" };
export const KIND_OF_WORD = { staff: "STAFF", student: "STUDENT", community: "COMMUNITY" } as const;

export const MAX_SEARCH_LENGTH = 100;
export const FIELD_LABELS: Record<string, string> = { q: "Search", kind: "Kind", school: "School", year: "School year", page: "Page" };


export const PeopleSearchSchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(MAX_SEARCH_LENGTH, `Search must be at most ${MAX_SEARCH_LENGTH} characters`).optional()),
  kind: z.preprocess(
    blank,
    z.enum(PERSON_KINDS, { errorMap: () => ({ message: "Kind must be one of: staff, student, community" }) }).optional(),
  ),
  // A school's code, as schools are named in URLs and files.
  school: z.preprocess(
    blank,
    z.string().trim().max(CODE_MAX_LENGTH, "School code is too long").regex(CODE_PATTERN, "School must be a school code, e.g. LHS-01").optional(),
  ),
  year: schoolYearField(),
  page: z.preprocess(
    blank,
    z.string().regex(/^\d{1,6}$/, "Page must be a whole number").transform(Number).refine((n) => n >= 1, "Page must be 1 or more").optional(),
  ),
});

/** `schoolYear` null: any year (the model gives coordinators the current one: their scope is a year's memberships). */
export type PeopleSearch = { q: string; kind: PersonKindWord | null; schoolCode: string | null; schoolYear: number | null; page: number };

export type ParsedPeopleSearch = { ok: true; search: PeopleSearch } | { ok: false; errors: Record<string, string> };

/** Reads /people's query string. */
export function parsePeopleSearch(params: URLSearchParams): ParsedPeopleSearch {
  const raw: Record<string, string> = {};
  for (const key of ["q", "kind", "school", "year", "page"]) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const result = PeopleSearchSchema.safeParse(raw);
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const v = result.data;
  return {
    ok: true,
    search: { q: v.q ?? "", kind: v.kind ?? null, schoolCode: v.school ?? null, schoolYear: v.year ?? null, page: v.page ?? 1 },
  };
}
