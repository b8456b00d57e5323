/**
 * The lists of people behind a figure on a school or region page, and their query string
 * (?list=staff-current&listPage=2), validated so a bad value gets a message naming it.
 */
export type PersonListKind = "STAFF" | "STUDENT" | "COMMUNITY";
export type PersonListMeasure = "current" | "trainedYear" | "trainedAllTime" | "trainedEver" | "expiring" | "notCurrent";

/** The lists a school or region page can open: which measure, for which kind of person. */
export const PEOPLE_LIST_NAMES = [
  "staff-current", "staff-not-current", "staff-year", "staff-expiring",
  "students-year", "students-all", "students-expiring",
  "community-trained", "community-current", "community-expiring",
] as const;
export type PeopleListName = (typeof PEOPLE_LIST_NAMES)[number];

export const PEOPLE_LISTS: Record<PeopleListName, { kind: PersonListKind; measure: PersonListMeasure; label: string }> = {
  "staff-current": { kind: "STAFF", measure: "current", label: "Staff holding a current certificate" },
  "staff-not-current": { kind: "STAFF", measure: "notCurrent", label: "Staff without a current certificate" },
  "staff-year": { kind: "STAFF", measure: "trainedYear", label: "Staff trained this school year" },
  "staff-expiring": { kind: "STAFF", measure: "expiring", label: "Staff whose certificate expires in the next 90 days" },
  "students-year": { kind: "STUDENT", measure: "trainedYear", label: "Students trained this school year" },
  "students-all": { kind: "STUDENT", measure: "trainedAllTime", label: "Students trained while at the school, all time" },
  "students-expiring": { kind: "STUDENT", measure: "expiring", label: "Students whose certificate expires in the next 90 days" },
  "community-trained": { kind: "COMMUNITY", measure: "trainedEver", label: "Community partners trained" },
  "community-current": { kind: "COMMUNITY", measure: "current", label: "Community partners holding a current certificate" },
  "community-expiring": { kind: "COMMUNITY", measure: "expiring", label: "Community partners whose certificate expires in the next 90 days" },
};

export function isPeopleListName(value: string | null | undefined): value is PeopleListName {
  return PEOPLE_LIST_NAMES.some((name) => name === value);
}


export type PeopleQuery =
  | { ok: true; list: PeopleListName | null; page: number; after: string | null; before: string | null }
  | { ok: false; errors: Record<string, string> };

/** A person's id as the Next and Previous links carry it (listAfter, listBefore). */
const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parsePeopleQuery(params: URLSearchParams): PeopleQuery {
  const list = params.get("list") || null;
  const pageText = params.get("listPage") || "1";
  const after = params.get("listAfter") || null;
  const before = params.get("listBefore") || null;
  const errors: Record<string, string> = {};
  if (list !== null && !isPeopleListName(list)) errors.list = `List must be one of: ${PEOPLE_LIST_NAMES.join(", ")}`;
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) errors.listPage = "List page must be a whole number, 1 or more";
  if (after !== null && !PERSON_ID.test(after)) errors.listAfter = "List after must be a person's id (letters, digits, - and _)";
  if (before !== null && !PERSON_ID.test(before)) errors.listBefore = "List before must be a person's id (letters, digits, - and _)";
  if (after !== null && before !== null) errors.listBefore = "List before and list after cannot both be given";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, list: isPeopleListName(list) ? list : null, page: Number(pageText), after, before };
}
