/**
 * What a directory import does with one person of the district's file (docs/domain.md, "People and identity";
 * docs/decisions/012-directory-import.md). Pure rules: the model looks the people up, these decide.
 *
 * The district ID decides who a row is. A row whose ID belongs to someone with a clearly different name is held
 * for a human; a row with an ID nobody has, whose name and email match a record without an ID (a community partner,
 * a walk-in), is suggested as that person and held too: nobody is merged silently.
 */
import { clearlyDifferentPerson, foldName } from "~/domain/roster-import";

export type DirectoryKind = "STAFF" | "STUDENT";
export type FilePerson = { districtId: string; firstName: string; lastName: string; email: string | null; kind: DirectoryKind };
export type KnownPerson = {
  id: string; districtId: string | null; firstName: string; lastName: string; email: string | null;
  kind: "STAFF" | "STUDENT" | "COMMUNITY"; mergedIntoId: string | null;
};

export const PERSON_FIELDS = ["firstName", "lastName", "email", "kind"] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];
export type FieldChanges = Partial<Record<PersonField | "districtId", [string | null, string | null]>>;

export type RowDecision =
  | { outcome: "NEW" }
  | { outcome: "UPDATED"; personId: string; changes: FieldChanges }
  | { outcome: "UNCHANGED"; personId: string }
  | { outcome: "REVIEW"; personId: string; reason: string; changes: FieldChanges };

const fullName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

/** The fields the file would change; a blank email in the file keeps the one on record. */
export function changesFrom(file: FilePerson, known: KnownPerson): FieldChanges {
  const changes: FieldChanges = {};
  const after: Record<PersonField, string | null> = { firstName: file.firstName, lastName: file.lastName, email: file.email ?? known.email, kind: file.kind };
  for (const field of PERSON_FIELDS) {
    if (after[field] !== known[field]) changes[field] = [known[field], after[field]];
  }
  return changes;
}

/** A partner or walk-in (no district ID) whose name and email are the row's: a suggestion, never a silent merge. */
export function isSuggestedMatch(file: FilePerson, candidate: KnownPerson): boolean {
  return (
    candidate.districtId === null && candidate.mergedIntoId === null && file.email !== null && candidate.email !== null &&
    file.email.toLowerCase() === candidate.email.toLowerCase() && foldName(fullName(file)) === foldName(fullName(candidate))
  );
}

export function decideDirectoryRow(file: FilePerson, byId: KnownPerson | null, suggestions: readonly KnownPerson[]): RowDecision {
  if (byId) {
    const changes = changesFrom(file, byId);
    if (byId.mergedIntoId !== null) {
      return { outcome: "REVIEW", personId: byId.id, changes, reason: `District ID ${file.districtId} belongs to a record of ${fullName(byId)} that was merged into another; decide which record keeps it.` };
    }
    if (clearlyDifferentPerson(file, byId)) {
      return { outcome: "REVIEW", personId: byId.id, changes, reason: `District ID ${file.districtId} belongs to ${fullName(byId)}; the file names ${fullName(file)}. A typo in the ID, or the same person?` };
    }
    return Object.keys(changes).length ? { outcome: "UPDATED", personId: byId.id, changes } : { outcome: "UNCHANGED", personId: byId.id };
  }
  const suggestion = suggestions.find((c) => isSuggestedMatch(file, c));
  if (suggestion) {
    const changes: FieldChanges = { ...changesFrom(file, suggestion), districtId: [null, file.districtId] };
    return {
      outcome: "REVIEW", personId: suggestion.id, changes,
      reason: `No one has district ID ${file.districtId}, but ${fullName(suggestion)} (${suggestion.email}) has the same name and email and no district ID. The same person?`,
    };
  }
  return { outcome: "NEW" };
}

export type DirectoryCounts = {
  NEW: number; UPDATED: number; UNCHANGED: number; REVIEW: number; IGNORED: number;
  guardians: number; membershipsAdded: number; membershipsEnded: number; membershipsRetitled: number;
};

export const EMPTY_COUNTS: DirectoryCounts = {
  NEW: 0, UPDATED: 0, UNCHANGED: 0, REVIEW: 0, IGNORED: 0, guardians: 0, membershipsAdded: 0, membershipsEnded: 0, membershipsRetitled: 0,
};

const COUNT_KEYS = [
  "NEW", "UPDATED", "UNCHANGED", "REVIEW", "IGNORED", "guardians", "membershipsAdded", "membershipsEnded", "membershipsRetitled",
] as const satisfies ReadonlyArray<keyof DirectoryCounts>;

/** Stored counts read back; anything missing or odd is 0. */
export function parseCounts(json: string): DirectoryCounts {
  let value: unknown = {};
  try {
    value = JSON.parse(json);
  } catch {
    value = {};
  }
  const counts = { ...EMPTY_COUNTS };
  if (value && typeof value === "object") {
    const stored = new Map<string, unknown>(Object.entries(value));
    for (const key of COUNT_KEYS) {
      const n = stored.get(key);
      if (typeof n === "number" && Number.isFinite(n)) counts[key] = n;
    }
  }
  return counts;
}

export const DIRECTORY_FORMATS = ["oneroster", "staff-csv", "student-csv"] as const;
export type DirectoryFormat = (typeof DIRECTORY_FORMATS)[number];
export const DIRECTORY_FORMAT_LABELS: Record<string, string> = {
  oneroster: "OneRoster CSV",
  "oneroster-1.1": "OneRoster 1.1",
  "oneroster-1.2": "OneRoster 1.2",
  "staff-csv": "Staff CSV (HR)",
  "student-csv": "Student CSV (SIS)",
};
