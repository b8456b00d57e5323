/**
 * Memberships from the work itself: a person a trainer adds to a session (a roster file, the
 * "create on the spot" form, an approved walk-in) gets a membership (an Affiliation) for the
 * session's school year when they have none that year, so reach counts them. Pure: the
 * callers load the facts and write the result.
 *
 * Defaults (docs/domain.md, People and identity): staff and students belong to the session's
 * school; community partners to none. The trainer may say otherwise (a school named in the
 * file or chosen on the form, or "no school"). A student is an education record
 * (docs/decisions/010-person-visibility.md): a trainer may place a student only at the
 * session's school, never at one whose coordinator would then see them; an administrator may
 * name any school.
 */
import { formatSchoolYear, schoolYearOf } from "./school-year";

export type MemberKind = "STAFF" | "STUDENT" | "COMMUNITY";

/** What the trainer said about the school: nothing (the default), a school, or no school. */
export type NamedSchool = { use: "default" } | { use: "school"; schoolId: string } | { use: "none" };

export type MembershipFacts = {
  /** The session's school, null for a session held elsewhere. */
  sessionSchoolId: string | null;
  /** The calendar day (00:00 UTC) the person was there: the session's first day, or the walk-in's day. */
  day: Date | null;
  kind: MemberKind;
  named: NamedSchool;
  /** The person already has a membership, at any school, for that school year. */
  hasMembershipThatYear: boolean;
  /** Administrators may place a student at any school; trainers only at the session's. */
  mayPlaceStudentsAnywhere: boolean;
};

export type MembershipToAdd = { schoolId: string; schoolYear: number; title: null };

export type MembershipDecision =
  | { add: MembershipToAdd }
  | { add: null }
  | { refused: string };

export const STUDENT_ELSEWHERE_MESSAGE =
  "a student can be given only the school of this session; an administrator can add a student of another school";

/** Which membership to add for this person, if any, or why the request is refused. */
export function decideMembership(f: MembershipFacts): MembershipDecision {
  const target = f.named.use === "none" ? null
    : f.named.use === "school" ? f.named.schoolId
    : f.kind === "COMMUNITY" ? null
    : f.sessionSchoolId;
  if (f.kind === "STUDENT" && target !== null && target !== f.sessionSchoolId && !f.mayPlaceStudentsAnywhere) {
    return { refused: STUDENT_ELSEWHERE_MESSAGE };
  }
  // "When they have none": any membership that year, at any school, stands as it is.
  if (target === null || f.day === null || f.hasMembershipThatYear) return { add: null };
  return { add: { schoolId: target, schoolYear: schoolYearOf(f.day), title: null } };
}

/** The preview's words for a membership to add: "+ Lakeside High, 2026-27". */
export function describeMembership(schoolName: string, schoolYear: number): string {
  return `+ ${schoolName}, ${formatSchoolYear(schoolYear)}`;
}

export type SchoolRef = { id: string; code: string; name: string };

/**
 * A school as a file or form writes it: its code or its name, in any case. A code wins over a
 * name (codes are unique, names need not be); a name two schools share is not a match.
 */
export function matchSchool(text: string, schools: readonly SchoolRef[]): { school: SchoolRef } | { problem: string } {
  const wanted = text.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
  const byCode = schools.find((s) => s.code.trim().toLowerCase() === wanted);
  if (byCode) return { school: byCode };
  const byName = schools.filter((s) => s.name.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase() === wanted);
  if (byName.length === 1) return { school: byName[0] };
  const shown = `"${text.length > 40 ? `${text.slice(0, 37)}...` : text}"`;
  if (byName.length > 1) return { problem: `${shown} is the name of more than one school; write the school's code instead` };
  return { problem: `${shown} is not the code or name of a school we know` };
}
