import { describe, expect, it } from "vitest";
import {
  capacityProblem, checkMapping, checkMhfaRows, checkRosterRows, countPlans, decideOutcome, delimiterProblem, findMhfaColumns,
  foldName, guessRosterField, mappingToSave, parseChoice, parseCompletionStatus, parseCourseDate, parseKind, parseSavedMapping,
  planRows, splitFullName, suggestMapping, unchosenMessage, clearlyDifferentPerson, describeRow, resolution,
  type CheckedPersonRow, type KnownPerson, type Lookups,
} from "./roster-import";

const row = (line: number, values: Record<string, string>) => ({ line, values });

describe("column mapping", () => {
  it("guesses fields from the header names districts use", () => {
    expect(guessRosterField("employee_id")).toBe("district_id");
    expect(guessRosterField("student_id")).toBe("district_id");
    expect(guessRosterField("student_number")).toBe("district_id");
    expect(guessRosterField("first_name")).toBe("first_name");
    expect(guessRosterField("preferred_first_name")).toBe("first_name");
    expect(guessRosterField("surname")).toBe("last_name");
    expect(guessRosterField("email_address")).toBe("email");
    expect(guessRosterField("primary_e_mail")).toBe("email");
    expect(guessRosterField("name")).toBe("full_name");
    expect(guessRosterField("type")).toBe("kind");
    // The school column is the trainer's to map: a sheet's "School" may hold anything.
    expect(guessRosterField("school")).toBe("ignore");
    expect(guessRosterField("school_code")).toBe("ignore");
    expect(guessRosterField("hire_date")).toBe("ignore");
  });

  it("suggests each field once, prefers first/last to a full name, and lets the saved mapping win", () => {
    expect(suggestMapping(["school", "employee_id", "first_name", "last_name", "name", "email_address", "email"])).toEqual([
      "ignore", "district_id", "first_name", "last_name", "ignore", "email", "ignore",
    ]);
    // Last time this user said "badge" is the district ID and "email" is to be ignored.
    const saved = { badge: "district_id" as const, email: "ignore" as const, other_file_column: "kind" as const };
    expect(suggestMapping(["badge", "employee_id", "full_name", "email"], saved)).toEqual(["district_id", "ignore", "full_name", "ignore"]);
  });

  it("reads a saved mapping defensively and merges the new one over it", () => {
    expect(parseSavedMapping(null)).toEqual({});
    expect(parseSavedMapping("not json")).toEqual({});
    expect(parseSavedMapping('["district_id"]')).toEqual({});
    expect(parseSavedMapping('{"a":"email","b":"password"}')).toEqual({ a: "email" });
    expect(mappingToSave(["a", "b"], ["district_id", "ignore"], { a: "email", c: "kind" })).toEqual({ a: "district_id", b: "ignore", c: "kind" });
  });

  it("refuses a mapping without names, with a field twice, or with both name styles", () => {
    expect(checkMapping(["id", "first", "last"], ["district_id", "first_name", "last_name"])).toEqual([]);
    expect(checkMapping(["id", "name"], ["district_id", "full_name"])).toEqual([]);
    expect(checkMapping(["id", "email"], ["district_id", "email"])).toEqual([expect.stringContaining("No column is mapped to first name and last name")]);
    expect(checkMapping(["first"], ["first_name"])).toEqual(["No column is mapped to last name."]);
    expect(checkMapping(["a", "b", "c"], ["first_name", "last_name", "last_name"])).toEqual([expect.stringContaining("Last name is chosen for more than one column (b, c)")]);
    expect(checkMapping(["a", "b", "c"], ["first_name", "last_name", "full_name"])).toEqual([expect.stringContaining("not both")]);
  });

  it("recognizes files separated by semicolons or tabs", () => {
    expect(delimiterProblem("\uFEFFid;first;last\n1;a;b")).toMatch(/^Line 1: .*semicolons/);
    expect(delimiterProblem("id\tfirst\tlast\n")).toMatch(/tabs/);
    expect(delimiterProblem("id,first\n")).toBeNull();
    expect(delimiterProblem("name\n")).toBeNull();
    // Blank lines above the header: the message names the header's own line.
    expect(delimiterProblem("\r\n\r\nid;first;last\r\n")).toMatch(/^Line 3: .*semicolons/);
  });
});

describe("values", () => {
  it("splits full names written either way, keeping accents", () => {
    expect(splitFullName("Núñez, José")).toEqual({ firstName: "José", lastName: "Núñez" });
    expect(splitFullName("  José   Núñez ")).toEqual({ firstName: "José", lastName: "Núñez" });
    expect(splitFullName("Ana María de la Cruz")).toEqual({ firstName: "Ana María de la", lastName: "Cruz" });
    expect(splitFullName("De la Cruz, Ana María")).toEqual({ firstName: "Ana María", lastName: "De la Cruz" });
    // Decomposed (Mac) accents become composed ones.
    expect(splitFullName("Jose\u0301 Nu\u0301n\u0303ez")).toEqual({ firstName: "José", lastName: "Núñez" });
    expect(splitFullName("Cher")).toEqual({ error: expect.stringContaining("only one word") });
    expect(splitFullName("a, b, c")).toEqual({ error: expect.stringContaining("more than one comma") });
    expect(splitFullName(", José")).toEqual({ error: expect.stringContaining("both a last and a first") });
    expect(splitFullName("  ")).toEqual({ error: "is blank" });
  });

  it("folds case, accents and spaces only for comparing", () => {
    expect(foldName(" JOSÉ  Núñez")).toBe(foldName("jose nunez"));
  });

  it("reads kinds as people write them", () => {
    expect(parseKind("Student")).toBe("STUDENT");
    expect(parseKind("STAFF")).toBe("STAFF");
    expect(parseKind("community partner")).toBe("COMMUNITY");
    expect(parseKind("Teachers")).toBe("STAFF");
    expect(parseKind("alien")).toBeNull();
  });

  it("reads MHFA dates and statuses", () => {
    expect(parseCourseDate("11/14/2026")).toEqual(new Date(Date.UTC(2026, 10, 14)));
    expect(parseCourseDate("2026-11-14")).toEqual(new Date(Date.UTC(2026, 10, 14)));
    expect(parseCourseDate("1/5/2026")).toEqual(new Date(Date.UTC(2026, 0, 5)));
    expect(parseCourseDate("2/30/2026")).toBeNull();
    expect(parseCourseDate("14/11/2026")).toBeNull();
    expect(parseCourseDate("11/14/26")).toBeNull();
    expect(parseCourseDate("yesterday")).toBeNull();
    expect(parseCompletionStatus("Completed")).toBe("COMPLETED");
    expect(parseCompletionStatus(" in progress ")).toBe("NOT_COMPLETED");
    expect(parseCompletionStatus("Incomplete")).toBe("NOT_COMPLETED");
    expect(parseCompletionStatus("done-ish")).toBeNull();
  });
});

describe("checkRosterRows", () => {
  const headers = ["employee_id", "first_name", "last_name", "email", "type", "school"];
  const mapping = suggestMapping(headers, { school: "school" });

  it("turns valid rows into people, trimming, lower-casing email and using the default kind", () => {
    const rows = checkRosterRows(headers, [
      row(2, { employee_id: "E100", first_name: "José", last_name: "Núñez", email: "Jose.Nunez@Example.org ", type: "", school: "x" }),
      row(3, { employee_id: "", first_name: "Ana", last_name: "Li", email: "", type: "student", school: "x" }),
    ], mapping, "STAFF");
    expect(rows).toEqual([
      { line: 2, person: { districtId: "E100", firstName: "José", lastName: "Núñez", email: "jose.nunez@example.org", kind: "STAFF" }, errors: [], duplicateOfLine: null, school: { text: "x", column: "school" } },
      { line: 3, person: { districtId: null, firstName: "Ana", lastName: "Li", email: null, kind: "STUDENT" }, errors: [], duplicateOfLine: null, school: { text: "x", column: "school" } },
    ]);
  });

  it("carries the school a row names, tidied; a blank cell or no school column means the session's school (null)", () => {
    const rows = checkRosterRows(headers, [
      row(2, { employee_id: "E1", first_name: "A", last_name: "B", email: "", type: "", school: "  Lakeside   High " }),
      row(3, { employee_id: "E2", first_name: "C", last_name: "D", email: "", type: "", school: "" }),
      row(4, { employee_id: "E3", first_name: "E", last_name: "F", email: "", type: "", school: "Lake\nside" }),
    ], mapping, "STAFF");
    expect(rows.map((r) => r.school)).toEqual([{ text: "Lakeside High", column: "school" }, null, { text: "Lake side", column: "school" }]);
    expect(rows[2].person).toBeNull();
    expect(rows[2].errors).toEqual(["Line 4: school (column school) contains a line break or a control character"]);
    const unmapped = checkRosterRows(headers, [row(2, { employee_id: "E1", first_name: "A", last_name: "B", email: "", type: "", school: "LHS" })],
      ["district_id", "first_name", "last_name", "email", "kind", "ignore"], "STAFF");
    expect(unmapped[0].school).toBeNull();
  });

  it("names the line, the field and the column of every problem", () => {
    const [checked] = checkRosterRows(headers, [
      row(7, { employee_id: "E 1", first_name: "", last_name: "x".repeat(101), email: "bob@", type: "alien", school: "" }),
    ], mapping, "STAFF");
    expect(checked.person).toBeNull();
    expect(checked.errors).toEqual([
      expect.stringMatching(/^Line 7: district ID \(column employee_id\) "E 1" may hold only/),
      "Line 7: first name (column first_name) is blank",
      "Line 7: last name (column last_name) is longer than 100 characters",
      'Line 7: email (column email) "bob@" is not a valid email address',
      'Line 7: kind (column type) "alien" is not one of staff, student, community',
    ]);
  });

  it("refuses a line break, a tab or another control character in a name instead of turning it into a space", () => {
    const rows = checkRosterRows(headers, [
      row(2, { employee_id: "", first_name: "Jo\nsé", last_name: "Núñez", email: "", type: "", school: "" }),
      row(4, { employee_id: "", first_name: "Ana", last_name: "Li\tWong", email: "", type: "", school: "" }),
      row(5, { employee_id: "", first_name: "Zoë\u001b", last_name: "Ng", email: "", type: "", school: "" }),
      // Runs of ordinary spaces are still tidied.
      row(6, { employee_id: "", first_name: "Ana   María", last_name: " de la  Cruz ", email: "", type: "", school: "" }),
    ], mapping, "STAFF");
    expect(rows.map((r) => r.errors)).toEqual([
      ["Line 2: first name (column first_name) contains a line break or a control character"],
      ["Line 4: last name (column last_name) contains a line break or a control character"],
      ["Line 5: first name (column first_name) contains a line break or a control character"],
      [],
    ]);
    expect(rows[3].person).toMatchObject({ firstName: "Ana María", lastName: "de la Cruz" });
    const [full] = checkRosterRows(["name"], [row(2, { name: "Núñez,\nJosé" })], ["full_name"], "STAFF");
    expect(full.errors).toEqual(["Line 2: full name (column name) contains a line break or a control character"]);
  });

  it("drops characters that draw nothing (zero-width space, stray BOM) from IDs, names and emails, and refuses bidi overrides", () => {
    const rows = checkRosterRows(headers, [
      row(2, { employee_id: "E\u200b1001", first_name: "\ufeffJosé", last_name: "Núñez\u2060", email: "jose\u200b@example.org", type: "", school: "" }),
      row(3, { employee_id: "", first_name: "\u200b", last_name: "Li", email: "ana\u202e@example.org", type: "", school: "" }),
    ], mapping, "STAFF");
    expect(rows[0].person).toEqual({ districtId: "E1001", firstName: "José", lastName: "Núñez", email: "jose@example.org", kind: "STAFF" });
    expect(rows[1].errors).toEqual([
      "Line 3: first name (column first_name) is blank",
      "Line 3: email (column email) contains a line break or a control character",
    ]);
  });

  it("splits a full-name column", () => {
    const rows = checkRosterRows(["id", "name"], [row(2, { id: "S1", name: "Núñez, José" }), row(3, { id: "S2", name: "Madonna" })], ["district_id", "full_name"], "STUDENT");
    expect(rows[0].person).toMatchObject({ firstName: "José", lastName: "Núñez", kind: "STUDENT" });
    expect(rows[1].errors).toEqual([expect.stringMatching(/^Line 3: full name \(column name\) "Madonna" has only one word/)]);
  });

  it("skips a repeated line, but refuses a district ID reused with another name and same-named people it cannot tell apart", () => {
    const rows = checkRosterRows(headers, [
      row(2, { employee_id: "E1", first_name: "José", last_name: "Núñez", email: "", type: "", school: "" }),
      row(3, { employee_id: "E1", first_name: "JOSE", last_name: "NUNEZ", email: "", type: "", school: "" }),
      row(4, { employee_id: "E1", first_name: "Maria", last_name: "Lopez", email: "", type: "", school: "" }),
      row(5, { employee_id: "", first_name: "Kim", last_name: "Ng", email: "kim@example.org", type: "", school: "" }),
      row(6, { employee_id: "", first_name: "Kim", last_name: "Ng", email: "kim@example.org", type: "", school: "" }),
      row(7, { employee_id: "", first_name: "Al", last_name: "Bo", email: "", type: "", school: "" }),
      row(8, { employee_id: "", first_name: "Al", last_name: "Bo", email: "", type: "", school: "" }),
    ], mapping, "STAFF");
    expect(rows.map((r) => [r.line, r.duplicateOfLine, r.errors.length])).toEqual([[2, null, 0], [3, 2, 0], [4, null, 1], [5, null, 0], [6, 5, 0], [7, null, 0], [8, null, 1]]);
    expect(rows[2].errors[0]).toMatch(/^Line 4: district ID "E1" is also on line 2 with a different name or email/);
    expect(rows[6].errors[0]).toMatch(/^Line 8: Al Bo is also on line 7, and neither line has a district ID or email/);
  });
});

describe("outcomes", () => {
  const known = (over: Partial<KnownPerson>): KnownPerson => ({
    id: "p1", districtId: null, firstName: "José", lastName: "Núñez", email: "jose@example.org", kind: "STAFF", enrolled: false, ...over,
  });
  const lookups = (people: KnownPerson[]): Lookups => {
    const l: Lookups = { byDistrictId: new Map(), byEmail: new Map(), enrolledByName: new Map(), hiddenDistrictIds: new Set() };
    for (const p of people) {
      if (p.districtId) l.byDistrictId.set(p.districtId, p);
      if (p.email) l.byEmail.set(p.email, [...(l.byEmail.get(p.email) ?? []), p]);
      if (p.enrolled) l.enrolledByName.set(foldName(`${p.firstName} ${p.lastName}`), [p]);
    }
    return l;
  };
  const checked = (person: Partial<NonNullable<CheckedPersonRow["person"]>>, line = 2): CheckedPersonRow => ({
    line, errors: [], duplicateOfLine: null,
    person: { districtId: null, firstName: "José", lastName: "Núñez", email: "jose@example.org", kind: "STAFF", ...person },
  });

  it("matches on district ID first, whatever the name", () => {
    const p = known({ districtId: "E1", firstName: "Joe", lastName: "Nunez", email: null });
    expect(decideOutcome(checked({ districtId: "E1" }), lookups([p]), null)).toEqual({ status: "matched", person: p, notes: [expect.stringContaining("district ID decides")] });
    expect(decideOutcome(checked({ districtId: "E1" }), lookups([{ ...p, enrolled: true }]), null)).toMatchObject({ status: "on-roster" });
  });

  it("sends a district ID held under a clearly different name to review, never a plain match", () => {
    const p = known({ districtId: "E1", firstName: "Zzyzx", lastName: "Quarrington", email: "zq@example.org" });
    const plan = decideOutcome(checked({ districtId: "E1", firstName: "Pat", lastName: "Tester", email: "pat@example.org" }), lookups([p]), null);
    expect(plan).toEqual({ status: "review", candidates: [p], choice: null, idMismatch: true });
    expect(resolution(plan)).toBeNull();
    // "Create a new person" is no choice: the ID is taken. Only confirming the existing person is.
    expect(decideOutcome(checked({ districtId: "E1", firstName: "Pat", lastName: "Tester" }), lookups([p]), { use: "new" })).toMatchObject({ status: "review", choice: null });
    const confirmed = decideOutcome(checked({ districtId: "E1", firstName: "Pat", lastName: "Tester" }), lookups([p]), { use: "existing", personId: p.id });
    expect(resolution(confirmed)).toEqual({ existing: p });
    const view = describeRow({ ...checked({ districtId: "E1", firstName: "Pat", lastName: "Tester" }), plan });
    expect(view.label).toMatch(/^Possible mistake: the district ID belongs to Zzyzx Quarrington \(E1\)/);
    expect(view.candidates.map((c) => c.value)).toEqual([`person:${p.id}`]);
    expect(unchosenMessage([{ line: 2, plan }])).toMatch(/^Check the district ID on line 2: it belongs to someone with a different name/);
    expect(countPlans([plan])).toMatchObject({ review: 1, unchosen: 1, matched: 0, toAdd: 0 });
  });

  it("tells a typo in an ID from a nickname, an accent, a swapped or a changed name", () => {
    const same = (row: [string, string, string | null], known: [string, string, string | null]) =>
      !clearlyDifferentPerson({ firstName: row[0], lastName: row[1], email: row[2] }, { firstName: known[0], lastName: known[1], email: known[2] });
    expect(same(["Jose", "NUNEZ", null], ["José", "Núñez", null])).toBe(true);
    expect(same(["José", "Núñez", "jose@x.org"], ["Joseph", "Nunes", "joseph@x.org"])).toBe(true);
    expect(same(["Ann", "Smyth", "a@x.org"], ["Anna", "Smith", "b@x.org"])).toBe(true);
    expect(same(["Rob", "Smith", null], ["Robert", "Smith", "r@x.org"])).toBe(true);
    expect(same(["Núñez", "José", null], ["José", "Núñez", null])).toBe(true);
    expect(same(["Ana", "García", null], ["Ana", "García-López", null])).toBe(true);
    // Married: same first name, new surname, no email to contradict; or the same email.
    expect(same(["Maria", "Lopez", null], ["Maria", "Garcia", "m@x.org"])).toBe(true);
    expect(same(["Maria", "Lopez", "m@x.org"], ["Maria", "Garcia", "M@x.org"])).toBe(true);
    // Someone else: nothing agrees, or only a common first name and the emails differ.
    expect(same(["Pat", "Tester", null], ["Zzyzx", "Quarrington", null])).toBe(false);
    expect(same(["Maria", "Lopez", "ml@x.org"], ["Maria", "Garcia", "mg@x.org"])).toBe(false);
    expect(same(["Al", "Bo", null], ["Alfred", "Bond", null])).toBe(false);
  });

  it("makes a district ID the viewer may not see an error that names nobody", () => {
    const l = lookups([]);
    l.hiddenDistrictIds = new Set(["STU-9"]);
    const plan = decideOutcome(checked({ districtId: "STU-9", firstName: "Any", lastName: "Body" }, 7), l, null);
    expect(plan).toEqual({ status: "error", errors: ['Line 7: district ID "STU-9" cannot be matched from this session. If it is a student of another school, an administrator can add them; otherwise check the ID.'] });
  });

  it("suggests a name + email match for review and never decides it alone", () => {
    const p = known({});
    const plan = decideOutcome(checked({ firstName: "JOSE", lastName: "nunez" }), lookups([p]), null);
    expect(plan).toEqual({ status: "review", candidates: [p], choice: null });
    expect(decideOutcome(checked({}), lookups([p]), { use: "existing", personId: "p1" })).toMatchObject({ status: "review", choice: { use: "existing", personId: "p1" } });
    // A choice naming someone who is not a candidate is ignored.
    expect(decideOutcome(checked({}), lookups([p]), { use: "existing", personId: "someone-else" })).toMatchObject({ status: "review", choice: null });
    // Same email, another name: not a candidate.
    expect(decideOutcome(checked({ firstName: "Maria" }), lookups([p]), null)).toEqual({ status: "new" });
  });

  it("does not suggest someone who holds a different district ID", () => {
    const p = known({ districtId: "E9" });
    expect(decideOutcome(checked({ districtId: "E1" }), lookups([p]), null)).toEqual({ status: "new" });
    // The row has no ID: the person with one may well be them.
    expect(decideOutcome(checked({}), lookups([p]), null)).toMatchObject({ status: "review" });
  });

  it("compares rows with neither ID nor email with the session's roster by name", () => {
    const p = known({ email: null, enrolled: true });
    expect(decideOutcome(checked({ email: null }), lookups([p]), null)).toMatchObject({ status: "review", candidates: [p] });
    expect(decideOutcome(checked({ email: null }), lookups([{ ...p, enrolled: false }]), null)).toEqual({ status: "new" });
  });

  it("counts, blocks unchosen reviews naming the lines, and treats two rows resolving to one person as a duplicate", () => {
    const p = known({});
    const enrolled = known({ id: "p2", districtId: "E2", enrolled: true });
    const rows = [
      checked({ districtId: "E2" }, 2),
      checked({}, 3),
      checked({ firstName: "New", email: null }, 4),
      checked({}, 5),
      { line: 6, person: null, errors: ["Line 6: first name is blank"], duplicateOfLine: null },
    ];
    const choices = new Map([[5, { use: "existing" as const, personId: "p1" }]]);
    const planned = planRows(rows, lookups([p, enrolled]), choices);
    expect(planned.map((r) => r.plan.status)).toEqual(["on-roster", "review", "new", "review", "error"]);
    expect(unchosenMessage(planned)).toMatch(/^Choose .* for line 3: it matches someone by name and email/);
    expect(countPlans(planned.map((r) => r.plan))).toEqual({ rows: 5, newPeople: 1, matched: 1, onRoster: 1, duplicates: 0, review: 2, unchosen: 1, errors: 1, toAdd: 2 });

    const both = planRows(rows.slice(1, 4), lookups([p]), new Map([[3, { use: "existing" as const, personId: "p1" }], [5, { use: "existing" as const, personId: "p1" }]]));
    expect(both.map((r) => r.plan)).toEqual([
      { status: "review", candidates: [p], choice: { use: "existing", personId: "p1" } },
      { status: "new" },
      { status: "duplicate", firstLine: 3, reason: "is the same person as line 3" },
    ]);
    expect(unchosenMessage(both)).toBeNull();
  });

  it("parses the choice a select posts", () => {
    expect(parseChoice("new")).toEqual({ use: "new" });
    expect(parseChoice("person:abc")).toEqual({ use: "existing", personId: "abc" });
    expect(parseChoice("")).toBeNull();
    expect(parseChoice("person:")).toBeNull();
  });

  it("explains capacity", () => {
    expect(capacityProblem(null, 100, 100)).toBeNull();
    expect(capacityProblem(30, 25, 5)).toBeNull();
    expect(capacityProblem(30, 25, 6)).toMatch(/holds 30 people and has 25; this import adds 6, 1 over the limit/);
  });
});

describe("MHFA export", () => {
  const headers = ["learner_first_name", "learner_last_name", "learner_email", "course_start_date", "course_end_date", "completion_status", "course_name"];

  it("finds the expected columns or names the missing ones", () => {
    expect(findMhfaColumns(headers)).toMatchObject({ ok: true, columns: { firstName: "learner_first_name", status: "completion_status" } });
    expect(findMhfaColumns(["learner_first_name", "learner_last_name"])).toEqual({
      ok: false, error: expect.stringMatching(/^The file is missing the columns "Learner Email", "Course Start Date", "Course End Date", "Completion Status"\./),
    });
  });

  it("checks rows: status, dates, email; completed needs an end date; repeats with another status are errors", () => {
    const found = findMhfaColumns(headers);
    if (!found.ok) throw new Error(found.error);
    const r = (line: number, v: Partial<Record<string, string>>) => row(line, {
      learner_first_name: "José", learner_last_name: "Núñez", learner_email: "jose@example.org",
      course_start_date: "11/14/2026", course_end_date: "11/14/2026", completion_status: "Completed", course_name: "YMHFA", ...v,
    });
    const rows = checkMhfaRows(found.columns, [
      r(2, {}),
      r(3, { learner_email: "a@example.org", completion_status: "Maybe" }),
      r(4, { learner_email: "b@example.org", course_end_date: "" }),
      r(5, { learner_email: "c@example.org", completion_status: "In Progress", course_end_date: "" }),
      r(6, { learner_email: "d@example.org", course_end_date: "2026-13-01" }),
      r(7, { learner_email: "" }),
      r(8, {}),
      r(9, { completion_status: "Incomplete" }),
    ], "STAFF");
    expect(rows[0]).toMatchObject({ person: { firstName: "José", email: "jose@example.org", districtId: null }, status: "COMPLETED", endDate: new Date(Date.UTC(2026, 10, 14)) });
    expect(rows[1].errors).toEqual(['Line 3: Completion Status "Maybe" is not one of Completed, Incomplete, In Progress, Not Started']);
    expect(rows[2].errors).toEqual([expect.stringMatching(/^Line 4: Course End Date is blank; a completed learner/)]);
    expect(rows[3]).toMatchObject({ errors: [], status: "NOT_COMPLETED", endDate: null });
    expect(rows[4].errors).toEqual(['Line 6: Course End Date "2026-13-01" is not a date like 11/14/2026 or 2026-11-14']);
    expect(rows[5].errors).toEqual(["Line 7: Learner Email is blank"]);
    expect(rows[6]).toMatchObject({ duplicateOfLine: 2, errors: [] });
    expect(rows[7].errors).toEqual([expect.stringMatching(/^Line 9: this learner is also on line 2 with a different Completion Status/)]);
  });
});
