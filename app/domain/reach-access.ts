/**
 * Who may see what on the reach pages. Student records are education records: names only to
 * those who work with that student's school (docs/domain.md, Privacy).
 *
 * - Program leads and administrators see every school's figures and the staff and partners behind them.
 * - A school coordinator sees the school page of their own schools only (another school is a 404).
 * - Students' names: administrators, and the coordinator of that school. A program lead sees students
 *   as counts only — a district-wide role does not work with any one school's students, and funder
 *   reports need numbers, not names. (docs/decisions/010-person-visibility.md)
 */
import type { RoleName } from "./roles";

export const REACH_DASHBOARD_ROLES: RoleName[] = ["PROGRAM_LEAD", "ADMIN"];
export const SCHOOL_REACH_ROLES: RoleName[] = ["PROGRAM_LEAD", "ADMIN", "COORDINATOR"];

type Viewer = { role: RoleName; schoolIds: string[] };

export function canViewSchoolReach(viewer: Viewer, schoolId: string): boolean {
  if (viewer.role === "ADMIN" || viewer.role === "PROGRAM_LEAD") return true;
  return viewer.role === "COORDINATOR" && viewer.schoolIds.includes(schoolId);
}

// Students' names follow one rule for every page: app/domain/person-visibility.ts.
export { canSeeStudentNamesAt, canSeeStudentNamesAcrossSchools } from "./person-visibility";
