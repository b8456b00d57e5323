import { describe, expect, it } from "vitest";
import { absentConflicts, absentUnchosenMessage, courseOutsideSession, daysToMarkPresent, parseAbsentChoice, type SessionDate } from "./mhfa-import";
import { decideOutcome, type KnownPerson, type Lookups } from "./roster-import";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const days: SessionDate[] = [{ id: "d1", date: "2025-11-14" }, { id: "d2", date: "2025-11-15" }];

describe("a course outside the session's days", () => {
  it("flags a start before the first day or after the last, or an end before the first, naming the line and course", () => {
    expect(courseOutsideSession({ line: 4, startDate: day("2025-10-01"), endDate: day("2025-10-02"), course: "YMHFA Oct" }, days)).toBe(
      `Line 4: the course "YMHFA Oct" ran Oct 1, 2025 to Oct 2, 2025, outside this session's days (Nov 14, 2025 to Nov 15, 2025). Check that the export is of this session's course.`,
    );
    expect(courseOutsideSession({ line: 5, startDate: day("2025-11-16"), endDate: null }, days)).toMatch(/^Line 5: the course started Nov 16, 2025, outside/);
    expect(courseOutsideSession({ line: 6, startDate: null, endDate: day("2025-11-13") }, days)).toMatch(/^Line 6: the course ended Nov 13, 2025, outside/);
  });
  it("accepts a course on the session's days, with post-work ending later, and says nothing for a session without days", () => {
    expect(courseOutsideSession({ line: 2, startDate: day("2025-11-14"), endDate: day("2025-11-30") }, days)).toBeNull();
    expect(courseOutsideSession({ line: 2, startDate: day("2025-11-15"), endDate: day("2025-11-15") }, days)).toBeNull();
    expect(courseOutsideSession({ line: 2, startDate: null, endDate: null }, days)).toBeNull();
    expect(courseOutsideSession({ line: 2, startDate: day("2020-01-01"), endDate: null }, [])).toBeNull();
  });
});

describe("absences the platform contradicts", () => {
  const absent = new Map([["p1", new Set(["d2"])], ["p3", new Set(["other-session-day"])]]);
  const rows = [{ line: 2, personId: "p1", name: "Bo Chen" }, { line: 3, personId: "p2", name: "Ana Li" }, { line: 4, personId: "p3", name: "Cy Park" }];

  it("lists completed learners marked absent on a session day, with the choice so far, and blocks until each is chosen", () => {
    const none = absentConflicts(rows, absent, days, new Map());
    expect(none).toEqual([{ line: 2, personId: "p1", name: "Bo Chen", absentDays: [days[1]], choice: null }]);
    expect(absentUnchosenMessage(none)).toMatch(/^Choose "keep absent" or "take the platform's" for line 2: /);
    const chosen = absentConflicts(rows, absent, days, new Map([[2, "keep-absent" as const]]));
    expect(absentUnchosenMessage(chosen)).toBeNull();
  });

  it("marks present every day, except the kept absences", () => {
    const [conflict] = absentConflicts(rows, absent, days, new Map([[2, "keep-absent" as const]]));
    expect(daysToMarkPresent(days, conflict)).toEqual([days[0]]);
    expect(daysToMarkPresent(days, { ...conflict, choice: "platform" })).toEqual(days);
    expect(daysToMarkPresent(days, undefined)).toEqual(days);
  });

  it("reads only the two choices from a form", () => {
    expect([parseAbsentChoice("keep-absent"), parseAbsentChoice("platform"), parseAbsentChoice("PRESENT"), parseAbsentChoice(null)]).toEqual(["keep-absent", "platform", null, null]);
  });
});

describe("recognising a roster member by name and email (the MHFA export)", () => {
  const known = (over: Partial<KnownPerson>): KnownPerson => ({
    id: "p1", districtId: null, firstName: "Ana", lastName: "Li", email: "ana@example.org", kind: "STAFF", enrolled: true, ...over,
  });
  const lookups = (people: KnownPerson[]): Lookups => ({
    byDistrictId: new Map(), byEmail: new Map([["ana@example.org", people]]), enrolledByName: new Map(), hiddenDistrictIds: new Set(),
  });
  const row = { line: 2, person: { districtId: null, firstName: "ANA", lastName: "Li", email: "ana@example.org", kind: "STAFF" as const }, errors: [], duplicateOfLine: null };

  it("is on the roster without a question when the one match is on the roster", () => {
    const p = known({});
    expect(decideOutcome(row, lookups([p]), null, { rosterByNameAndEmail: true })).toEqual({ status: "on-roster", person: p });
    // Without the option (a district roster file) it stays a suggestion.
    expect(decideOutcome(row, lookups([p]), null)).toMatchObject({ status: "review" });
  });
  it("still asks when the match is not on the roster, or when two people share the name and email", () => {
    expect(decideOutcome(row, lookups([known({ enrolled: false })]), null, { rosterByNameAndEmail: true })).toMatchObject({ status: "review" });
    expect(decideOutcome(row, lookups([known({}), known({ id: "p2", enrolled: false })]), null, { rosterByNameAndEmail: true })).toMatchObject({ status: "review" });
  });
});
