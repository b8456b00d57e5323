/**
 * The one rule for "may this viewer see this person's name, district ID, email".
 * Student records are education records (docs/domain.md, Privacy): a student is shown only to
 * those who work with that student's school, and the student's school is where they are now
 * (the current school year's affiliation; the latest one when they have none this year), never
 * the school of the session they are seen through. Every query that returns people applies it
 * through app/models/people-visibility.server.ts. (docs/decisions/010-person-visibility.md)
 */
import type { RoleName } from "./roles";

export type VisibilityViewer = { id: string; role: RoleName; schoolIds: readonly string[]; personId: string | null };

export type PersonKindName = "STAFF" | "STUDENT" | "COMMUNITY";

/** What is known about a person for this decision; `schoolIds` are the student's current schools (see currentSchoolIds). */
export type PersonFacts = { id: string; kind: PersonKindName; schoolIds: readonly string[] };

/**
 * Where the person is seen. On a session's pages, `enrolled` says the person is on that
 * session's roster; `search` is a roster search or a file being matched for that session.
 * `printed` is a paper sheet that leaves the building. `directory` is the people pages (/people
 * and a person's page): as on the reach pages, which people are in scope (a coordinator's schools)
 * is the query's business; this rule decides whose name, ID and email show.
 */
export type SeenThrough =
  | { via: "session"; session: { schoolId: string | null; trainerUserIds: readonly string[] }; enrolled: boolean; printed?: boolean }
  | { via: "search"; session: { schoolId: string | null; trainerUserIds: readonly string[] } }
  | { via: "reach" }
  | { via: "directory" }
  | { via: "export" };

export type PersonFields = { name: boolean; districtId: boolean; email: boolean };

export const NOTHING: PersonFields = { name: false, districtId: false, email: false };
const FULL: PersonFields = { name: true, districtId: true, email: true };

/** Whether the viewer runs this session (leads or co-trains it). */
const trains = (viewer: VisibilityViewer, session: { trainerUserIds: readonly string[] }) =>
  viewer.role === "TRAINER" && session.trainerUserIds.includes(viewer.id);

/** A coordinator works with the students of their own schools. */
const coordinatesSchoolOf = (viewer: VisibilityViewer, person: PersonFacts) =>
  viewer.role === "COORDINATOR" && person.schoolIds.some((s) => viewer.schoolIds.includes(s));

function studentFields(viewer: VisibilityViewer, person: PersonFacts, seen: SeenThrough): PersonFields {
  switch (viewer.role) {
    case "ADMIN":
      return FULL;
    case "PROGRAM_LEAD":
      // A district-wide role works with no one school's students: counts only, everywhere.
      return NOTHING;
    case "COORDINATOR":
      // Their school's students, by name and ID; a student's email only to those who teach them.
      return coordinatesSchoolOf(viewer, person) ? { name: true, districtId: true, email: false } : NOTHING;
    case "TRAINER":
      if (seen.via === "session") {
        // The trainer teaches everyone on their roster: marks attendance, issues certificates.
        return seen.enrolled && trains(viewer, seen.session) ? FULL : NOTHING;
      }
      if (seen.via === "search") {
        // Finding someone to add: only students of the school the session is at.
        const at = seen.session.schoolId;
        return trains(viewer, seen.session) && at !== null && person.schoolIds.includes(at) ? FULL : NOTHING;
      }
      return NOTHING;
    default:
      return NOTHING;
  }
}

function adultFields(viewer: VisibilityViewer, seen: SeenThrough): PersonFields {
  switch (viewer.role) {
    case "ADMIN":
      return FULL;
    case "PROGRAM_LEAD":
    case "COORDINATOR":
      // Staff and partners behind the figures; their emails only where a page needs to reach them.
      return seen.via === "session" ? { name: true, districtId: true, email: false } : FULL;
    case "TRAINER":
      // Trainers find staff and community partners anywhere in the district: they train them.
      if (seen.via === "session") return trains(viewer, seen.session) ? FULL : { name: true, districtId: true, email: false };
      return seen.via === "search" ? FULL : NOTHING;
    default:
      return NOTHING;
  }
}

/** What of a person the viewer may see, seen through `seen`. */
export function personFieldsFor(viewer: VisibilityViewer, person: PersonFacts, seen: SeenThrough): PersonFields {
  // Everyone sees their own record; a member sees nobody else.
  if (viewer.personId !== null && viewer.personId === person.id) return printedLimits(FULL, person, seen);
  if (viewer.role === "MEMBER") return NOTHING;
  const fields = person.kind === "STUDENT" ? studentFields(viewer, person, seen) : adultFields(viewer, seen);
  return printedLimits(fields, person, seen);
}

/** A printed sign-in sheet carries names only: no email, and never a student's ID. */
function printedLimits(fields: PersonFields, person: PersonFacts, seen: SeenThrough): PersonFields {
  if (seen.via !== "session" || !seen.printed) return fields;
  return { name: fields.name, districtId: fields.districtId && person.kind !== "STUDENT", email: false };
}

/** May the viewer see this person's name here (else they are a count only)? */
export function canSeePerson(viewer: VisibilityViewer, person: PersonFacts, seen: SeenThrough): boolean {
  return personFieldsFor(viewer, person, seen).name;
}

/**
 * A person's current schools from their affiliations: this school year's; when they have
 * none this year, the latest earlier year's (a student who left keeps their last school, not
 * every school they ever attended); failing that, the earliest year to come.
 */
export function currentSchoolIds(affiliations: ReadonlyArray<{ schoolId: string; schoolYear: number }>, currentYear: number): string[] {
  if (affiliations.length === 0) return [];
  const past = affiliations.filter((a) => a.schoolYear <= currentYear);
  const year = past.length > 0 ? Math.max(...past.map((a) => a.schoolYear)) : Math.min(...affiliations.map((a) => a.schoolYear));
  return [...new Set(affiliations.filter((a) => a.schoolYear === year).map((a) => a.schoolId))];
}

/** Students' names at one school's reach page (an administrator, or that school's coordinator). */
export function canSeeStudentNamesAt(viewer: { role: RoleName; schoolIds: readonly string[] }, schoolId: string): boolean {
  if (viewer.role === "ADMIN") return true;
  return viewer.role === "COORDINATOR" && viewer.schoolIds.includes(schoolId);
}

/** Students' names across a region or the district: only administrators. */
export function canSeeStudentNamesAcrossSchools(viewer: { role: RoleName }): boolean {
  return viewer.role === "ADMIN";
}

/** The label a hidden person gets in place of a name. */
export const HIDDEN_STUDENT_LABEL = "Student (not shown)";
