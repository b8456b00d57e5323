import { describe, expect, it } from "vitest";
import { decideMembership, describeMembership, matchSchool, STUDENT_ELSEWHERE_MESSAGE, type MembershipFacts } from "./membership-from-work";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const base: MembershipFacts = {
  sessionSchoolId: "lakeside", day: day("2026-11-14"), kind: "STAFF", named: { use: "default" },
  hasMembershipThatYear: false, mayPlaceStudentsAnywhere: false,
};

describe("decideMembership", () => {
  it("staff get the session's school for the school year of the day they were there", () => {
    expect(decideMembership(base)).toEqual({ add: { schoolId: "lakeside", schoolYear: 2026, title: null } });
    // 30 June is the last day of 2025-26; 1 July the first of 2026-27.
    expect(decideMembership({ ...base, day: day("2026-06-30") })).toEqual({ add: { schoolId: "lakeside", schoolYear: 2025, title: null } });
    expect(decideMembership({ ...base, day: day("2026-07-01") })).toEqual({ add: { schoolId: "lakeside", schoolYear: 2026, title: null } });
  });

  it("adds nothing when the person has a membership that year, at any school", () => {
    expect(decideMembership({ ...base, hasMembershipThatYear: true })).toEqual({ add: null });
    expect(decideMembership({ ...base, named: { use: "school", schoolId: "hill" }, hasMembershipThatYear: true })).toEqual({ add: null });
  });

  it("the trainer may say otherwise: another school for staff, or no school", () => {
    expect(decideMembership({ ...base, named: { use: "school", schoolId: "hill" } })).toEqual({ add: { schoolId: "hill", schoolYear: 2026, title: null } });
    expect(decideMembership({ ...base, named: { use: "none" } })).toEqual({ add: null });
  });

  it("community partners default to no school, and get one only when named", () => {
    expect(decideMembership({ ...base, kind: "COMMUNITY" })).toEqual({ add: null });
    expect(decideMembership({ ...base, kind: "COMMUNITY", named: { use: "school", schoolId: "lakeside" } })).toEqual({ add: { schoolId: "lakeside", schoolYear: 2026, title: null } });
  });

  it("a session held at no school gives staff and students nothing by default", () => {
    expect(decideMembership({ ...base, sessionSchoolId: null })).toEqual({ add: null });
    expect(decideMembership({ ...base, sessionSchoolId: null, kind: "STUDENT" })).toEqual({ add: null });
  });

  it("a session without days gives nothing (no school year to name)", () => {
    expect(decideMembership({ ...base, day: null })).toEqual({ add: null });
  });

  it("students get the session's school; a trainer may not place a student at another school, an administrator may", () => {
    expect(decideMembership({ ...base, kind: "STUDENT" })).toEqual({ add: { schoolId: "lakeside", schoolYear: 2026, title: null } });
    expect(decideMembership({ ...base, kind: "STUDENT", named: { use: "school", schoolId: "lakeside" } })).toEqual({ add: { schoolId: "lakeside", schoolYear: 2026, title: null } });
    expect(decideMembership({ ...base, kind: "STUDENT", named: { use: "school", schoolId: "hill" } })).toEqual({ refused: STUDENT_ELSEWHERE_MESSAGE });
    // Refused even when nothing would be added: the trainer asked for something they may not do.
    expect(decideMembership({ ...base, kind: "STUDENT", named: { use: "school", schoolId: "hill" }, hasMembershipThatYear: true })).toEqual({ refused: STUDENT_ELSEWHERE_MESSAGE });
    expect(decideMembership({ ...base, kind: "STUDENT", sessionSchoolId: null, named: { use: "school", schoolId: "hill" } })).toEqual({ refused: STUDENT_ELSEWHERE_MESSAGE });
    expect(decideMembership({ ...base, kind: "STUDENT", named: { use: "school", schoolId: "hill" }, mayPlaceStudentsAnywhere: true })).toEqual({ add: { schoolId: "hill", schoolYear: 2026, title: null } });
    expect(decideMembership({ ...base, kind: "STUDENT", named: { use: "none" } })).toEqual({ add: null });
  });
});

describe("matchSchool", () => {
  const schools = [
    { id: "1", code: "LHS", name: "Lakeside High" },
    { id: "2", code: "HMS", name: "Hill Middle" },
    { id: "3", code: "HMS2", name: "Hill Middle" },
    { id: "4", code: "Lakeside High", name: "Annex" },
  ];
  it("matches a code or a name in any case, spaces tidied; a code wins over a name", () => {
    expect(matchSchool("lhs", schools)).toEqual({ school: schools[0] });
    expect(matchSchool("  HMS2 ", schools)).toEqual({ school: schools[2] });
    expect(matchSchool("lakeside   HIGH", schools)).toEqual({ school: schools[3] });
    expect(matchSchool("annex", schools)).toEqual({ school: schools[3] });
  });
  it("an unknown or shared name is a problem naming the value", () => {
    expect(matchSchool("Nowhere Elementary", schools)).toEqual({ problem: '"Nowhere Elementary" is not the code or name of a school we know' });
    expect(matchSchool("hill middle", schools)).toEqual({ problem: '"hill middle" is the name of more than one school; write the school\'s code instead' });
  });
});

describe("describeMembership", () => {
  it("names the school and the school year", () => {
    expect(describeMembership("Lakeside High", 2026)).toBe("+ Lakeside High, 2026-27");
  });
});
