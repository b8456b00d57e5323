import { describe, expect, it } from "vitest";
import { ROLES, type RoleName } from "./roles";
import {
  canSeeStudentNamesAcrossSchools, canSeeStudentNamesAt, currentSchoolIds, personFieldsFor, NOTHING,
  type PersonFacts, type SeenThrough, type VisibilityViewer,
} from "./person-visibility";

const A = "school-a";
const B = "school-b";
const viewer = (role: RoleName, over: Partial<VisibilityViewer> = {}): VisibilityViewer => ({ id: "u1", role, schoolIds: [], personId: null, ...over });
const studentAtA: PersonFacts = { id: "s-a", kind: "STUDENT", schoolIds: [A] };
const studentAtB: PersonFacts = { id: "s-b", kind: "STUDENT", schoolIds: [B] };
const unaffiliatedStudent: PersonFacts = { id: "s-none", kind: "STUDENT", schoolIds: [] };
const staff: PersonFacts = { id: "st", kind: "STAFF", schoolIds: [A] };
const partner: PersonFacts = { id: "cp", kind: "COMMUNITY", schoolIds: [] };
type SessionFacts = { schoolId: string | null; trainerUserIds: string[] };
const sessionAtA: SessionFacts = { schoolId: A, trainerUserIds: ["u1"] };
const othersSessionAtA: SessionFacts = { schoolId: A, trainerUserIds: ["u2"] };

const onRoster = (session = sessionAtA, printed = false): SeenThrough => ({ via: "session", session, enrolled: true, printed });
const search = (session = sessionAtA): SeenThrough => ({ via: "search", session });
const FULL = { name: true, districtId: true, email: true };
const NAME_AND_ID = { name: true, districtId: true, email: false };

describe("students", () => {
  it("an administrator sees every student, everywhere", () => {
    for (const seen of [onRoster(), search(), { via: "reach" } as const, { via: "export" } as const]) {
      expect(personFieldsFor(viewer("ADMIN"), studentAtB, seen)).toEqual(FULL);
    }
  });

  it("a program lead sees students as counts only, on session pages too", () => {
    for (const seen of [onRoster(othersSessionAtA), search(othersSessionAtA), { via: "reach" } as const, { via: "export" } as const]) {
      expect(personFieldsFor(viewer("PROGRAM_LEAD"), studentAtA, seen)).toEqual(NOTHING);
    }
  });

  it("a coordinator sees their own schools' students, by the student's school, not the session's", () => {
    const coordA = viewer("COORDINATOR", { schoolIds: [A] });
    expect(personFieldsFor(coordA, studentAtA, onRoster(othersSessionAtA))).toEqual(NAME_AND_ID);
    expect(personFieldsFor(coordA, studentAtA, { via: "reach" })).toEqual(NAME_AND_ID);
    // A student of school B on a session at school A: not theirs.
    expect(personFieldsFor(coordA, studentAtB, onRoster(othersSessionAtA))).toEqual(NOTHING);
    expect(personFieldsFor(viewer("COORDINATOR", { schoolIds: [B] }), studentAtA, { via: "reach" })).toEqual(NOTHING);
    expect(personFieldsFor(coordA, unaffiliatedStudent, { via: "reach" })).toEqual(NOTHING);
  });

  it("a trainer finds students of the school their session is at, and sees everyone on their own roster", () => {
    const trainer = viewer("TRAINER");
    expect(personFieldsFor(trainer, studentAtA, search())).toEqual(FULL);
    expect(personFieldsFor(trainer, studentAtB, search())).toEqual(NOTHING);
    expect(personFieldsFor(trainer, studentAtA, search({ schoolId: null, trainerUserIds: ["u1"] }))).toEqual(NOTHING);
    // Someone else's session gives nothing, even at the student's school.
    expect(personFieldsFor(trainer, studentAtA, search(othersSessionAtA))).toEqual(NOTHING);
    // Enrolled in a session they teach: they mark attendance and issue certificates.
    expect(personFieldsFor(trainer, studentAtB, onRoster())).toEqual(FULL);
    expect(personFieldsFor(trainer, studentAtB, onRoster(othersSessionAtA))).toEqual(NOTHING);
    expect(personFieldsFor(trainer, studentAtA, { via: "reach" })).toEqual(NOTHING);
  });

  it("a printed sign-in sheet never carries a student's ID, nor anyone's email", () => {
    expect(personFieldsFor(viewer("TRAINER"), studentAtA, onRoster(sessionAtA, true))).toEqual({ name: true, districtId: false, email: false });
    expect(personFieldsFor(viewer("ADMIN"), studentAtA, onRoster(sessionAtA, true))).toEqual({ name: true, districtId: false, email: false });
    expect(personFieldsFor(viewer("TRAINER"), staff, onRoster(sessionAtA, true))).toEqual({ name: true, districtId: true, email: false });
  });
});

describe("staff and community partners", () => {
  it("trainers find them anywhere; leads and coordinators see them behind figures", () => {
    for (const person of [staff, partner]) {
      expect(personFieldsFor(viewer("TRAINER"), person, search(othersSessionAtA))).toEqual(FULL);
      expect(personFieldsFor(viewer("TRAINER"), person, search())).toEqual(FULL);
      expect(personFieldsFor(viewer("PROGRAM_LEAD"), person, { via: "reach" })).toEqual(FULL);
      expect(personFieldsFor(viewer("PROGRAM_LEAD"), person, onRoster(othersSessionAtA))).toEqual(NAME_AND_ID);
      expect(personFieldsFor(viewer("COORDINATOR", { schoolIds: [B] }), person, onRoster(othersSessionAtA))).toEqual(NAME_AND_ID);
      expect(personFieldsFor(viewer("TRAINER"), person, { via: "reach" })).toEqual(NOTHING);
    }
  });
});

describe("the people directory", () => {
  const directory: SeenThrough = { via: "directory" };
  it("an administrator sees everyone; a program lead sees staff and partners with email, students as counts", () => {
    for (const person of [studentAtA, studentAtB, staff, partner]) expect(personFieldsFor(viewer("ADMIN"), person, directory)).toEqual(FULL);
    for (const person of [staff, partner]) expect(personFieldsFor(viewer("PROGRAM_LEAD"), person, directory)).toEqual(FULL);
    for (const person of [studentAtA, studentAtB, unaffiliatedStudent]) expect(personFieldsFor(viewer("PROGRAM_LEAD"), person, directory)).toEqual(NOTHING);
  });

  it("a coordinator sees the students whose current school is theirs by name and ID, no email, and no other student", () => {
    const coordA = viewer("COORDINATOR", { schoolIds: [A] });
    expect(personFieldsFor(coordA, studentAtA, directory)).toEqual(NAME_AND_ID);
    expect(personFieldsFor(coordA, studentAtB, directory)).toEqual(NOTHING);
    expect(personFieldsFor(coordA, unaffiliatedStudent, directory)).toEqual(NOTHING);
    expect(personFieldsFor(coordA, staff, directory)).toEqual(FULL);
  });

  it("trainers and members see nobody there but themselves", () => {
    for (const person of [studentAtA, staff, partner]) expect(personFieldsFor(viewer("TRAINER"), person, directory)).toEqual(NOTHING);
    expect(personFieldsFor(viewer("MEMBER", { personId: partner.id }), partner, directory)).toEqual(FULL);
    expect(personFieldsFor(viewer("MEMBER", { personId: partner.id }), staff, directory)).toEqual(NOTHING);
  });
});

describe("members", () => {
  it("see themselves and nobody else", () => {
    const member = viewer("MEMBER", { personId: staff.id });
    expect(personFieldsFor(member, staff, { via: "export" })).toEqual(FULL);
    for (const other of [studentAtA, partner]) expect(personFieldsFor(member, other, { via: "export" })).toEqual(NOTHING);
  });
});

it("no role sees a student of another school by name, whatever the way in", () => {
  const ways: SeenThrough[] = [onRoster(othersSessionAtA), search(othersSessionAtA), search(), { via: "reach" }, { via: "directory" }, { via: "export" }];
  for (const role of ROLES) {
    if (role === "ADMIN") continue;
    for (const seen of ways) {
      expect(personFieldsFor(viewer(role, { schoolIds: [A] }), studentAtB, seen).name, `${role} via ${seen.via}`).toBe(false);
    }
  }
});

describe("a student's current school", () => {
  it("is this year's; else the latest before it; else the earliest to come", () => {
    expect(currentSchoolIds([{ schoolId: A, schoolYear: 2024 }, { schoolId: B, schoolYear: 2025 }], 2025)).toEqual([B]);
    expect(currentSchoolIds([{ schoolId: A, schoolYear: 2022 }, { schoolId: B, schoolYear: 2023 }], 2025)).toEqual([B]);
    expect(currentSchoolIds([{ schoolId: A, schoolYear: 2026 }, { schoolId: B, schoolYear: 2027 }], 2025)).toEqual([A]);
    expect(currentSchoolIds([{ schoolId: A, schoolYear: 2025 }, { schoolId: B, schoolYear: 2025 }], 2025)).toEqual([A, B]);
    expect(currentSchoolIds([], 2025)).toEqual([]);
  });
});

it("keeps the reach pages' rules: names at one school for its coordinator and admins; across schools for admins", () => {
  expect(canSeeStudentNamesAt(viewer("COORDINATOR", { schoolIds: [A] }), A)).toBe(true);
  expect(canSeeStudentNamesAt(viewer("COORDINATOR", { schoolIds: [A] }), B)).toBe(false);
  expect(canSeeStudentNamesAt(viewer("PROGRAM_LEAD"), A)).toBe(false);
  expect(canSeeStudentNamesAcrossSchools(viewer("ADMIN"))).toBe(true);
  expect(canSeeStudentNamesAcrossSchools(viewer("PROGRAM_LEAD"))).toBe(false);
});
