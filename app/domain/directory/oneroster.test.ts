import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  cell, guessVersion, kindOfRole, missingColumns, missingFiles, readManifest, readOrg, readRole, readUser, roleCoversYear,
  roleProblem, schoolYearsNamed, splitList, titleFor,
  type Cells, type RoleAssignment, type UserVerdict,
} from "./oneroster";

const YEAR = 2026; // 2026-27

const USERS_11 = [
  "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName",
  "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
];
const USERS_12 = [
  "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName", "middleName", "identifier",
  "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
  "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns",
];

/** A 1.1 users.csv row: a valid teacher at org-e101 unless told otherwise. */
const user11 = (over: Cells = {}): Cells => ({
  sourcedId: "u-1", status: "", dateLastModified: "", enabledUser: "true", orgSourcedIds: "org-e101", role: "teacher",
  givenName: "María", familyName: "Hernández", identifier: "T10001", email: "maria@riverside.k12.ca.us", grades: "", ...over,
});
/** A 1.2 users.csv row (no role or orgs: those are in roles.csv). */
const user12 = (over: Cells = {}): Cells => ({
  sourcedId: "u-1", status: "active", dateLastModified: "", enabledUser: "true", givenName: "María", familyName: "Hernández",
  identifier: "T10001", email: "maria@riverside.k12.ca.us", grades: "", primaryOrgSourcedId: "", ...over,
});
const role = (over: Partial<RoleAssignment> = {}): RoleAssignment => ({
  userSourcedId: "u-1", orgSourcedId: "org-e101", role: "teacher", roleType: "primary", beginDate: null, endDate: null, active: true, ...over,
});

function person(verdict: UserVerdict) {
  if (verdict.kind !== "person") throw new Error(`expected a person, got ${JSON.stringify(verdict)}`);
  return verdict.person;
}

describe("cell", () => {
  it("finds a column whatever its case, spaces, underscores or a leftover BOM", () => {
    expect(cell({ orgSourcedIds: "a" }, "orgSourcedIds")).toBe("a");
    expect(cell({ OrgSourcedIDs: "b" }, "orgSourcedIds")).toBe("b");
    expect(cell({ "org sourced ids": "c" }, "orgSourcedIds")).toBe("c");
    expect(cell({ org_sourced_ids: "d" }, "orgSourcedIds")).toBe("d");
    expect(cell({ "\uFEFFsourcedId": "e" }, "sourcedId")).toBe("e");
  });

  it("trims, removes invisible characters, and answers blank for a missing column", () => {
    expect(cell({ identifier: "  T1\u200b0001 " }, "identifier")).toBe("T10001");
    expect(cell({ identifier: "T1" }, "email")).toBe("");
  });
});

describe("missingColumns", () => {
  it("accepts the spec's headers for each file and version", () => {
    expect(missingColumns("users.csv", USERS_11, "1.1")).toBeNull();
    expect(missingColumns("users.csv", USERS_12, "1.2")).toBeNull();
    expect(missingColumns("roles.csv", ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"], "1.2")).toBeNull();
    expect(missingColumns("orgs.csv", ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"], "1.1")).toBeNull();
    expect(missingColumns("academicSessions.csv", ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"], "1.2")).toBeNull();
    expect(missingColumns("manifest.csv", ["propertyName", "value"], "1.1")).toBeNull();
  });

  it("accepts headers in any case or spacing", () => {
    expect(missingColumns("users.csv", ["SourcedId", "Given Name", "FAMILYNAME", "identifier", "Role", "org_sourced_ids"], "1.1")).toBeNull();
  });

  it("names the file and every missing column, version-aware", () => {
    // 1.2's users.csv has no role or orgSourcedIds: read as 1.1 it lacks both.
    expect(missingColumns("users.csv", USERS_12, "1.1")).toBe(
      "users.csv is missing the columns role, orgSourcedIds. A OneRoster 1.1 users.csv must name: sourcedId, givenName, familyName, identifier, role, orgSourcedIds.",
    );
    expect(missingColumns("users.csv", USERS_12.filter((h) => h !== "identifier"), "1.2")).toMatch(/^users\.csv is missing the column identifier\. A OneRoster 1\.2 users\.csv/);
    expect(missingColumns("roles.csv", ["sourcedId", "userSourcedId", "role"], "1.2")).toMatch(/^roles\.csv is missing the column orgSourcedId\./);
    expect(missingColumns("orgs.csv", ["sourcedId", "name", "type"], "1.1")).toMatch(/orgs\.csv is missing the column identifier/);
    expect(missingColumns("academicSessions.csv", ["sourcedId", "type"], "1.1")).toMatch(/academicSessions\.csv is missing the column schoolYear/);
    expect(missingColumns("manifest.csv", ["property", "value"], "1.2")).toMatch(/manifest\.csv is missing the column propertyName/);
  });
});

describe("missingFiles", () => {
  it("asks 1.1 for orgs and users, 1.2 also for roles; folders and case do not count", () => {
    expect(missingFiles(["manifest.csv", "orgs.csv", "users.csv"], "1.1")).toBeNull();
    expect(missingFiles(["export/Orgs.csv", "export/USERS.csv", "export/roles.csv"], "1.2")).toBeNull();
    expect(missingFiles(["orgs.csv", "users.csv"], "1.2")).toBe(
      "The OneRoster 1.2 export is missing roles.csv (in OneRoster 1.2, roles.csv says who works or studies where). It must include orgs.csv, users.csv, roles.csv.",
    );
    expect(missingFiles(["users.csv"], "1.1")).toBe("The OneRoster 1.1 export is missing orgs.csv. It must include orgs.csv, users.csv.");
  });
});

describe("manifest and version", () => {
  const manifest = (pairs: Array<[string, string]>) => pairs.map(([propertyName, value]) => ({ propertyName, value }));

  it("reads oneroster.version and file.users", () => {
    expect(readManifest(manifest([["manifest.version", "1.0"], ["oneroster.version", "1.1"], ["file.users", "bulk"]]))).toEqual({ version: "1.1", usersMode: "bulk" });
    expect(readManifest(manifest([["oneroster.version", "1.2"], ["file.users", "delta"]]))).toEqual({ version: "1.2", usersMode: "delta" });
    expect(readManifest(manifest([["oneroster.version", "1.2.1"], ["file.users", "Absent"]]))).toEqual({ version: "1.2", usersMode: "absent" });
  });

  it("answers null for what it does not know or what is not there", () => {
    expect(readManifest([])).toEqual({ version: null, usersMode: null });
    expect(readManifest(manifest([["oneroster.version", "1.0"], ["file.users", "sometimes"]]))).toEqual({ version: null, usersMode: null });
    expect(readManifest(manifest([["oneroster.version", "2.0"]])).version).toBeNull();
  });

  it("reads headers and property names in any case", () => {
    expect(readManifest([{ PropertyName: "OneRoster.Version", Value: " 1.1 " }, { "property name": "FILE.USERS", value: "BULK" }])).toEqual({ version: "1.1", usersMode: "bulk" });
  });

  it("guesses 1.2 from roles.csv or primaryOrgSourcedId, else 1.1", () => {
    expect(guessVersion(["orgs.csv", "users.csv", "roles.csv"], USERS_12)).toBe("1.2");
    expect(guessVersion(["district/Roles.csv", "users.csv"], [])).toBe("1.2");
    expect(guessVersion(["orgs.csv", "users.csv"], ["sourcedId", "Primary Org Sourced Id"])).toBe("1.2");
    expect(guessVersion(["orgs.csv", "users.csv"], USERS_11)).toBe("1.1");
    // A file merely named like roles.csv is not roles.csv.
    expect(guessVersion(["userroles.csv", "users.csv"], USERS_11)).toBe("1.1");
  });
});

describe("readOrg", () => {
  it("reads an org and whether it is active", () => {
    expect(readOrg({ sourcedId: "org-e101", status: "", name: " Lincoln  Elementary ", type: "school", identifier: " E101 " })).toEqual({
      sourcedId: "org-e101", identifier: "E101", name: "Lincoln Elementary", type: "school", active: true,
    });
    expect(readOrg({ sourcedId: "org-old", status: "tobedeleted", name: "Old", type: "school", identifier: "O1" })?.active).toBe(false);
    expect(readOrg({ sourcedId: "org-1", status: "active", name: "A", type: "school", identifier: "" })?.identifier).toBe("");
  });

  it("is null when sourcedId is blank", () => {
    expect(readOrg({ sourcedId: " ", name: "Nowhere", type: "school", identifier: "N1" })).toBeNull();
  });
});

describe("schoolYearsNamed", () => {
  const session = (over: Cells): Cells => ({ sourcedId: "s", status: "", title: "", type: "schoolYear", startDate: "", endDate: "", schoolYear: "", ...over });

  it("turns OneRoster's end year into our start year", () => {
    expect(schoolYearsNamed([session({ schoolYear: "2027" })])).toEqual([2026]);
  });

  it("reads only schoolYear sessions when there are any, skips deleted ones, and sorts and dedupes", () => {
    expect(schoolYearsNamed([
      session({ schoolYear: "2027" }),
      session({ schoolYear: "2026", status: "tobedeleted" }),
      session({ type: "term", schoolYear: "2030" }),
      session({ type: "SchoolYear", schoolYear: "2025" }),
      session({ schoolYear: "2027" }),
    ])).toEqual([2024, 2026]);
  });

  it("falls back to the terms when no session is a schoolYear, and to startDate when schoolYear is blank", () => {
    expect(schoolYearsNamed([session({ type: "term", schoolYear: "2027" })])).toEqual([2026]);
    expect(schoolYearsNamed([session({ startDate: "2026-08-17", schoolYear: "" })])).toEqual([2026]);
  });

  it("reads a span as its start and ignores what is not a year", () => {
    expect(schoolYearsNamed([session({ schoolYear: "2026-2027" })])).toEqual([2026]);
    expect(schoolYearsNamed([session({ schoolYear: "next year" }), session({ schoolYear: "" })])).toEqual([]);
  });
});

describe("roles", () => {
  it("sorts roles into staff, students, guardians and unknown, in any case", () => {
    for (const r of ["teacher", "aide", "administrator", "counselor", "staff", "principal", "proctor", "siteAdministrator", "districtAdministrator", "systemAdministrator", "Teacher", "SITEADMINISTRATOR"]) {
      expect(kindOfRole(r)).toBe("STAFF");
    }
    expect(kindOfRole("student")).toBe("STUDENT");
    expect(kindOfRole(" Student ")).toBe("STUDENT");
    for (const r of ["guardian", "parent", "relative", "Parent"]) expect(kindOfRole(r)).toBe("GUARDIAN");
    for (const r of ["ext:nurse", "", "learner"]) expect(kindOfRole(r)).toBe("UNKNOWN");
  });

  it("titles staff by role and students by grade", () => {
    expect(titleFor("teacher", "")).toBe("Teacher");
    expect(titleFor("counselor", "10")).toBe("Counselor");
    expect(titleFor("districtAdministrator", "")).toBe("District administrator");
    expect(titleFor("student", "10")).toBe("Grade 10");
    expect(titleFor("student", "07")).toBe("Grade 7");
    expect(titleFor("student", "KG")).toBe("Kindergarten");
    expect(titleFor("student", "pk")).toBe("Pre-kindergarten");
    expect(titleFor("student", "TK")).toBe("Transitional kindergarten");
    expect(titleFor("student", "09, 10")).toBe("Grades 9, 10");
    expect(titleFor("student", "KG,01")).toBe("Kindergarten, Grade 1");
    expect(titleFor("student", "")).toBe("Student");
    expect(titleFor("student", "Other")).toBe("Student");
    expect(titleFor("student", "14")).toBe("Student");
    expect(titleFor("parent", "")).toBeNull();
    expect(titleFor("ext:nurse", "")).toBeNull();
  });

  it("splits comma lists, trimming and dropping blanks and repeats", () => {
    expect(splitList(" org-m201, org-h301 ,,org-m201")).toEqual(["org-m201", "org-h301"]);
    expect(splitList("")).toEqual([]);
  });

  const roleRow = (over: Cells = {}): Cells => ({
    sourcedId: "r-1", status: "active", dateLastModified: "", userSourcedId: "u-1", roleType: "primary", role: "teacher",
    beginDate: "2026-08-01", endDate: "", orgSourcedId: "org-e101", userProfileSourcedId: "", ...over,
  });

  it("reads a roles.csv row", () => {
    expect(readRole(roleRow())).toEqual(role({ beginDate: "2026-08-01" }));
    expect(readRole(roleRow({ roleType: "Secondary", status: "tobedeleted", endDate: "2027-06-30T00:00:00Z" }))).toEqual(
      role({ roleType: "secondary", active: false, beginDate: "2026-08-01", endDate: "2027-06-30" }),
    );
    expect(readRole(roleRow({ roleType: "", status: "", beginDate: "" }))).toEqual(role({ roleType: null }));
  });

  it("refuses a row it cannot read, and says why naming the line and column", () => {
    const cases: Array<[Cells, string]> = [
      [roleRow({ userSourcedId: "" }), "roles.csv line 4: userSourcedId is blank"],
      [roleRow({ orgSourcedId: "" }), "roles.csv line 4: orgSourcedId is blank"],
      [roleRow({ role: " " }), "roles.csv line 4: role is blank"],
      [roleRow({ beginDate: "08/01/2026" }), 'roles.csv line 4: beginDate "08/01/2026" is not a date written as YYYY-MM-DD (e.g. 2026-06-30)'],
      [roleRow({ endDate: "2027-02-30" }), "roles.csv line 4: endDate 2027-02-30 is not a real date"],
      [roleRow({ beginDate: "2027-01-01", endDate: "2026-12-31" }), "roles.csv line 4: beginDate 2027-01-01 is after endDate 2026-12-31"],
      [roleRow({ status: "gone" }), 'roles.csv line 4: status "gone" is not "active" or "tobedeleted"'],
    ];
    for (const [row, message] of cases) {
      expect(readRole(row)).toBeNull();
      expect(roleProblem(row, 4)).toBe(message);
    }
    expect(roleProblem(roleRow(), 4)).toBeNull();
  });

  it("counts a role for a school year, 1 July to 30 June, when active and its dates overlap", () => {
    expect(roleCoversYear(role(), YEAR)).toBe(true);
    expect(roleCoversYear(role({ active: false }), YEAR)).toBe(false);
    expect(roleCoversYear(role({ beginDate: "2027-06-30" }), YEAR)).toBe(true);
    expect(roleCoversYear(role({ beginDate: "2027-07-01" }), YEAR)).toBe(false);
    expect(roleCoversYear(role({ endDate: "2026-07-01" }), YEAR)).toBe(true);
    expect(roleCoversYear(role({ endDate: "2026-06-30" }), YEAR)).toBe(false);
    expect(roleCoversYear(role({ beginDate: "2019-08-01", endDate: "2030-06-30" }), YEAR)).toBe(true);
    expect(roleCoversYear(role({ beginDate: "2026-09-01", endDate: "2026-12-18" }), YEAR)).toBe(true);
  });
});

describe("readUser, OneRoster 1.1", () => {
  const read = (over: Cells = {}, line = 2) => readUser(user11(over), line, "1.1", YEAR);

  it("reads a teacher: identifier as district ID, legal names cleaned, email lower-cased, the org titled", () => {
    expect(read({ givenName: " Mar\u0069\u0301a ", familyName: "Hernández  Ruiz", email: "Maria@Riverside.K12.CA.US" })).toEqual({
      kind: "person",
      person: {
        line: 2, districtId: "T10001", firstName: "María", lastName: "Hernández Ruiz", email: "maria@riverside.k12.ca.us", kind: "STAFF",
        memberships: [{ orgSourcedId: "org-e101", title: "Teacher" }],
      },
    });
    expect(person(read()).firstName.normalize("NFC")).toBe(person(read()).firstName);
  });

  it("keeps a comma inside a name and a blank email as null", () => {
    const p = person(read({ givenName: "José", familyName: "Núñez, Jr.", email: "" }));
    expect(p.lastName).toBe("Núñez, Jr.");
    expect(p.email).toBeNull();
  });

  it("gives a user of several orgs a membership in each, with the role's title", () => {
    expect(person(read({ role: "aide", orgSourcedIds: "org-m201, org-h301" })).memberships).toEqual([
      { orgSourcedId: "org-m201", title: "Aide" }, { orgSourcedId: "org-h301", title: "Aide" },
    ]);
  });

  it("reads a student with a grade title", () => {
    const p = person(read({ role: "student", grades: "10", identifier: "S20003" }));
    expect(p.kind).toBe("STUDENT");
    expect(p.memberships).toEqual([{ orgSourcedId: "org-e101", title: "Grade 10" }]);
  });

  it("uses the legal name, not the preferred one", () => {
    const p = person(read({ givenName: "Robert", preferredGivenName: "Bob", preferredFamilyName: "Chen-Li" }));
    expect([p.firstName, p.lastName]).toEqual(["Robert", "Hernández"]);
  });

  it("only counts guardians, parents and relatives, whatever else the row holds", () => {
    expect(read({ role: "parent", identifier: "", givenName: "" })).toEqual({ kind: "guardian", line: 2 });
    expect(read({ role: "Guardian", email: "not an email" })).toEqual({ kind: "guardian", line: 2 });
    expect(read({ role: "relative", status: "whatever" })).toEqual({ kind: "guardian", line: 2 });
  });

  it("ignores a tobedeleted user and ends their membership, even with a blank org list", () => {
    const expected = {
      kind: "ignored", line: 2, districtId: "T10001", firstName: "María", lastName: "Hernández", email: "maria@riverside.k12.ca.us",
      personKind: "STAFF", reason: "marked tobedeleted in the source system", endsMembership: true,
    };
    expect(read({ status: "tobedeleted" })).toEqual(expected);
    expect(read({ status: "ToBeDeleted", orgSourcedIds: "" })).toEqual(expected);
    expect(read({ status: "inactive" })).toMatchObject({ kind: "ignored", endsMembership: true });
  });

  it("ignores a disabled user and ends their membership", () => {
    expect(read({ enabledUser: "false", role: "student" })).toMatchObject({
      kind: "ignored", reason: "disabled in the source system", endsMembership: true, personKind: "STUDENT", districtId: "T10001",
    });
    expect(read({ enabledUser: "FALSE" })).toMatchObject({ kind: "ignored", endsMembership: true });
    expect(read({ enabledUser: "TRUE" }).kind).toBe("person");
    // enabledUser is required by the spec; a file without it holds enabled users.
    expect(readUser({ ...user11(), enabledUser: "" }, 2, "1.1", YEAR).kind).toBe("person");
  });

  it("ignores a user with no identifier: there is no district ID to hold them by", () => {
    expect(read({ identifier: " " })).toEqual({
      kind: "ignored", line: 2, districtId: null, firstName: "María", lastName: "Hernández", email: "maria@riverside.k12.ca.us",
      personKind: "STAFF", reason: "no district ID (identifier)", endsMembership: false,
    });
  });

  it("ignores a role it does not know, saying which", () => {
    expect(read({ role: "ext:nurse" })).toMatchObject({ kind: "ignored", personKind: null, endsMembership: false, reason: 'role "ext:nurse" is not a staff, student or guardian role this import reads' });
  });

  it("leaves out of an ignored verdict an ID or email that could match no one", () => {
    expect(read({ status: "tobedeleted", identifier: "T 1", email: "nope" })).toMatchObject({ kind: "ignored", districtId: null, email: null });
  });

  it("refuses a row it cannot read, naming users.csv, the line and each column", () => {
    expect(read({ role: "" }, 7)).toEqual({ kind: "invalid", line: 7, message: "users.csv line 7: role is blank" });
    expect(read({ orgSourcedIds: " , " }, 7)).toEqual({ kind: "invalid", line: 7, message: "users.csv line 7: orgSourcedIds is blank; every user belongs to at least one org" });
    expect(read({ status: "deleted" }, 7)).toEqual({ kind: "invalid", line: 7, message: 'users.csv line 7: status "deleted" is not "active" or "tobedeleted"' });
    expect(read({ enabledUser: "yes" }, 7)).toEqual({ kind: "invalid", line: 7, message: 'users.csv line 7: enabledUser "yes" is not "true" or "false"' });
    expect(read({ givenName: "", familyName: "x".repeat(101) }, 7)).toEqual({
      kind: "invalid", line: 7, message: "users.csv line 7: givenName is blank; familyName is longer than 100 characters",
    });
    expect(read({ givenName: "Ana\u202eMaría" }, 7)).toEqual({ kind: "invalid", line: 7, message: "users.csv line 7: givenName contains a line break or a control character" });
    expect(read({ familyName: "Núñez\nDROP" }, 7)).toEqual({ kind: "invalid", line: 7, message: "users.csv line 7: familyName contains a line break or a control character" });
    expect(read({ email: "maria at riverside" }, 7)).toEqual({ kind: "invalid", line: 7, message: 'users.csv line 7: email "maria at riverside" is not a valid email address' });
    expect(read({ identifier: "T 10001" }, 7)).toEqual({
      kind: "invalid", line: 7, message: 'users.csv line 7: identifier "T 10001" may hold only letters, digits, dots, dashes, underscores and slashes',
    });
  });

  it("reads headers in any case", () => {
    const row = { SourcedId: "u-9", Status: "", EnabledUser: "true", OrgSourcedIds: "org-h301", Role: "Student", GivenName: "Zoë", FamilyName: "Müller", Identifier: "S1", Email: "", Grades: "KG" };
    expect(person(readUser(row, 3, "1.1", YEAR))).toMatchObject({ districtId: "S1", firstName: "Zoë", kind: "STUDENT", memberships: [{ orgSourcedId: "org-h301", title: "Kindergarten" }] });
  });
});

describe("readUser, OneRoster 1.2", () => {
  const read = (over: Cells, roles: RoleAssignment[], line = 2) => readUser(user12(over), line, "1.2", YEAR, roles);

  it("takes roles from roles.csv, not from the row", () => {
    const p = person(read({ role: "student", orgSourcedIds: "org-h301" }, [role({ role: "counselor", orgSourcedId: "org-m201" })]));
    expect(p.kind).toBe("STAFF");
    expect(p.memberships).toEqual([{ orgSourcedId: "org-m201", title: "Counselor" }]);
  });

  it("drops roles outside the school year and deleted ones", () => {
    const p = person(read({}, [
      role({ orgSourcedId: "org-h301", endDate: "2026-06-12" }),
      role({ orgSourcedId: "org-e101", active: false }),
      role({ orgSourcedId: "org-m201", beginDate: "2026-08-10" }),
      role({ orgSourcedId: "org-x999", beginDate: "2027-08-01" }),
    ]));
    expect(p.memberships).toEqual([{ orgSourcedId: "org-m201", title: "Teacher" }]);
  });

  it("puts primaryOrgSourcedId first, then primary roles, then the rest; one membership per org", () => {
    const roles = [
      role({ orgSourcedId: "org-h301", roleType: "secondary", role: "counselor" }),
      role({ orgSourcedId: "org-e101", roleType: null, role: "aide" }),
      role({ orgSourcedId: "org-x999", roleType: "primary", role: "teacher" }),
      role({ orgSourcedId: "org-m201", roleType: "secondary", role: "counselor" }),
      role({ orgSourcedId: "org-m201", roleType: "primary", role: "principal" }),
    ];
    expect(person(read({ primaryOrgSourcedId: "org-m201" }, roles)).memberships).toEqual([
      { orgSourcedId: "org-m201", title: "Counselor" },
      { orgSourcedId: "org-x999", title: "Teacher" },
      { orgSourcedId: "org-h301", title: "Counselor" },
      { orgSourcedId: "org-e101", title: "Aide" },
    ]);
    expect(person(read({}, roles)).memberships.map((m) => m.orgSourcedId)).toEqual(["org-x999", "org-m201", "org-h301", "org-e101"]);
  });

  it("makes anyone with a staff role staff, at the staff roles' orgs only", () => {
    const p = person(read({ grades: "12" }, [
      role({ role: "student", orgSourcedId: "org-h301" }),
      role({ role: "aide", orgSourcedId: "org-e101", roleType: "secondary" }),
      role({ role: "parent", orgSourcedId: "org-m201" }),
    ]));
    expect(p.kind).toBe("STAFF");
    expect(p.memberships).toEqual([{ orgSourcedId: "org-e101", title: "Aide" }]);
  });

  it("makes a student-only user a student, titled by grade", () => {
    const p = person(read({ grades: "07" }, [role({ role: "student", orgSourcedId: "org-m201" })]));
    expect(p).toMatchObject({ kind: "STUDENT", memberships: [{ orgSourcedId: "org-m201", title: "Grade 7" }] });
  });

  it("only counts users whose roles are all guardian roles, in any year", () => {
    expect(read({}, [role({ role: "parent" }), role({ role: "guardian", endDate: "2020-06-30" })])).toEqual({ kind: "guardian", line: 2 });
    expect(read({}, [role({ role: "relative" }), role({ role: "ext:coach" })])).toEqual({ kind: "guardian", line: 2 });
  });

  it("ignores a user with no role in the year, and ends the membership only when the source deleted this year's role", () => {
    expect(read({}, [role({ endDate: "2026-06-30" })])).toMatchObject({
      kind: "ignored", reason: "no role in 2026-27", endsMembership: false, personKind: "STAFF", districtId: "T10001",
    });
    expect(read({}, [role({ role: "student", endDate: "2026-06-12" }), role({ role: "student", beginDate: "2026-08-17", active: false })])).toMatchObject({
      kind: "ignored", reason: "no role in 2026-27", endsMembership: true, personKind: "STUDENT",
    });
    expect(read({}, [role({ beginDate: "2027-08-01" })])).toMatchObject({ kind: "ignored", reason: "no role in 2026-27", endsMembership: false });
  });

  it("ignores a user with no roles at all, or only roles it does not know", () => {
    expect(read({}, [])).toMatchObject({ kind: "ignored", reason: "no role in roles.csv", personKind: null, endsMembership: false });
    expect(readUser(user12(), 2, "1.2", YEAR)).toMatchObject({ kind: "ignored", reason: "no role in roles.csv" });
    expect(read({}, [role({ role: "ext:nurse" })])).toMatchObject({ kind: "ignored", reason: 'role "ext:nurse" is not a staff, student or guardian role this import reads', personKind: null });
  });

  it("ignores tobedeleted and disabled users before their roles, ending their memberships", () => {
    expect(read({ status: "tobedeleted" }, [])).toMatchObject({ kind: "ignored", reason: "marked tobedeleted in the source system", endsMembership: true });
    expect(read({ enabledUser: "false" }, [role({ role: "student" })])).toMatchObject({
      kind: "ignored", reason: "disabled in the source system", endsMembership: true, personKind: "STUDENT",
    });
  });

  it("ignores a user with no identifier", () => {
    expect(read({ identifier: "" }, [role()])).toMatchObject({ kind: "ignored", reason: "no district ID (identifier)", districtId: null });
  });

  it("refuses names and emails it cannot keep, naming the column", () => {
    expect(read({ familyName: " ", email: "x@y" }, [role()], 9)).toEqual({
      kind: "invalid", line: 9, message: 'users.csv line 9: familyName is blank; email "x@y" is not a valid email address',
    });
  });
});

// --- The fixture exports ------------------------------------------------------------------------

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/oneroster");

/** A fixture file as the import reads it: header → cell rows, BOM removed. */
function readCsv(version: string, file: string): { headers: string[]; rows: Cells[] } {
  const text = readFileSync(path.join(FIXTURES, version, file), "utf8");
  const rows: Cells[] = parse(text, { columns: true, bom: true, skip_empty_lines: true });
  const headers: string[] = parse(text, { bom: true, to_line: 1 })[0];
  return { headers, rows };
}

type Expected =
  | { kind: "person"; districtId: string; firstName: string; lastName: string; email: string | null; personKind: "STAFF" | "STUDENT"; orgs: Array<[string, string]> }
  | { kind: "ignored"; reason: string; endsMembership: boolean; districtId: string | null; personKind: "STAFF" | "STUDENT" | null }
  | { kind: "guardian" };

const lineOf = (verdict: UserVerdict) => (verdict.kind === "person" ? verdict.person.line : verdict.line);

function summary(verdict: UserVerdict): Expected | { kind: "invalid"; message: string } {
  switch (verdict.kind) {
    case "person": {
      const p = verdict.person;
      return {
        kind: "person", districtId: p.districtId, firstName: p.firstName, lastName: p.lastName, email: p.email, personKind: p.kind,
        orgs: p.memberships.map((m): [string, string] => [m.orgSourcedId, m.title ?? ""]),
      };
    }
    case "ignored":
      return { kind: "ignored", reason: verdict.reason, endsMembership: verdict.endsMembership, districtId: verdict.districtId, personKind: verdict.personKind };
    case "guardian":
      return { kind: "guardian" };
    case "invalid":
      return { kind: "invalid", message: verdict.message };
  }
}

const staff = (districtId: string, firstName: string, lastName: string, email: string | null, orgs: Array<[string, string]>): Expected =>
  ({ kind: "person", districtId, firstName, lastName, email, personKind: "STAFF", orgs });
const student = (districtId: string, firstName: string, lastName: string, email: string | null, orgs: Array<[string, string]>): Expected =>
  ({ kind: "person", districtId, firstName, lastName, email, personKind: "STUDENT", orgs });

/** What both fixture sets hold for the users they share (1.1's u-0NN is 1.2's u-1NN). */
const SHARED: Record<string, Expected> = {
  "01": staff("T10001", "María", "Hernández", "maria.hernandez@riverside.k12.ca.us", [["org-e101", "Teacher"]]),
  "02": staff("T10002", "José", "Núñez, Jr.", "jose.nunez@riverside.k12.ca.us", [["org-h301", "Teacher"]]),
  "03": staff("T10003", "Kevin", "Tran", "kevin.tran@riverside.k12.ca.us", [["org-e101", "Aide"]]),
  "04": staff("T10004", "Aisha", "Okafor", "aisha.okafor@riverside.k12.ca.us", [["org-m201", "Counselor"], ["org-h301", "Counselor"]]),
  "06": student("S20001", "Liam", "O'Brien", null, [["org-e101", "Kindergarten"]]),
  "07": student("S20002", "Sofía", "Ramírez", "sofia.ramirez@students.riverside.k12.ca.us", [["org-m201", "Grade 7"]]),
  "08": student("S20003", "Daniel", "Kim", "daniel.kim@students.riverside.k12.ca.us", [["org-h301", "Grade 10"]]),
  "09": student("S20004", "Zoë", "Müller-Schmidt", "zoe.muller@students.riverside.k12.ca.us", [["org-h301", "Grade 12"]]),
  "10": { kind: "guardian" },
  "11": { kind: "guardian" },
  "12": { kind: "guardian" },
  "13": { kind: "ignored", reason: "marked tobedeleted in the source system", endsMembership: true, districtId: "T10013", personKind: "STAFF" },
  "14": { kind: "ignored", reason: "disabled in the source system", endsMembership: true, districtId: "T10014", personKind: "STAFF" },
  // X999 is no school of ours: the import lists it as unmatched; the person is still read.
  "15": staff("T10015", "Samuel", "Adeyemi", "samuel.adeyemi@riverside.k12.ca.us", [["org-x999", "Teacher"]]),
  "16": { kind: "ignored", reason: "no district ID (identifier)", endsMembership: false, districtId: null, personKind: "STAFF" },
  "17": staff("T10017", "Grace", "Liu", "grace.liu@riverside.k12.ca.us", [["org-h301", "Proctor"]]),
  "18": student("S20005", "Noah", "Williams", null, [["org-e101", "Pre-kindergarten"]]),
  "20": student("S20006", "Ana María", "de la Cruz", null, [["org-m201", "Grade 8"]]),
};

describe("the OneRoster 1.1 fixture export", () => {
  const version = "1.1";

  it("has the files and columns of a 1.1 export, and a BOM the reader removes", () => {
    const raw = readFileSync(path.join(FIXTURES, version, "users.csv"), "utf8");
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const users = readCsv(version, "users.csv");
    expect(users.headers[0]).toBe("sourcedId");
    expect(missingFiles(["manifest.csv", "orgs.csv", "users.csv", "academicSessions.csv"], version)).toBeNull();
    for (const file of ["manifest.csv", "orgs.csv", "users.csv", "academicSessions.csv"] as const) {
      expect(missingColumns(file, readCsv(version, file).headers, version)).toBeNull();
    }
    expect(readManifest(readCsv(version, "manifest.csv").rows)).toEqual({ version: "1.1", usersMode: "bulk" });
    expect(guessVersion(["orgs.csv", "users.csv"], users.headers)).toBe("1.1");
  });

  it("names the district, three schools our district has and one it has not, and the school year 2026-27", () => {
    const orgs = readCsv(version, "orgs.csv").rows.map(readOrg);
    expect(orgs.map((org) => [org?.identifier, org?.type, org?.active])).toEqual([
      ["D001", "district", true], ["E101", "school", true], ["M201", "school", true], ["H301", "school", true], ["X999", "school", true],
    ]);
    expect(schoolYearsNamed(readCsv(version, "academicSessions.csv").rows)).toEqual([YEAR]);
  });

  it("reads every user as expected", () => {
    const verdicts = readCsv(version, "users.csv").rows.map((row, i) => readUser(row, i + 2, version, YEAR));
    const expected: Record<string, Expected> = {
      ...SHARED,
      "05": staff("T10005", "Robert", "Chen", "robert.chen@riverside.k12.ca.us", [["org-district", "Administrator"]]),
      // "Teacher", "TRUE" and "active" spelled as some exporters do.
      "19": staff("T10019", "Hannah", "Schäfer-Ortiz", "hannah.schafer-ortiz@riverside.k12.ca.us", [["org-m201", "Teacher"]]),
      "21": staff("T10021", "Daniel", "Okoro", "daniel.okoro@riverside.k12.ca.us", [["org-e101", "Teacher"], ["org-m201", "Teacher"]]),
    };
    const keys = Object.keys(expected).sort();
    expect(verdicts.map(lineOf)).toEqual(keys.map((_, i) => i + 2));
    expect(verdicts.map(summary)).toEqual(keys.map((key) => expected[key]));
  });
});

describe("the OneRoster 1.2 fixture export", () => {
  const version = "1.2";

  it("has the files and columns of a 1.2 export, CRLF line ends and a BOM", () => {
    const raw = readFileSync(path.join(FIXTURES, version, "users.csv"), "utf8");
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(raw).toContain("\r\n");
    const files = ["manifest.csv", "orgs.csv", "users.csv", "roles.csv", "academicSessions.csv"] as const;
    expect(missingFiles([...files], version)).toBeNull();
    for (const file of files) expect(missingColumns(file, readCsv(version, file).headers, version)).toBeNull();
    expect(readManifest(readCsv(version, "manifest.csv").rows)).toEqual({ version: "1.2", usersMode: "bulk" });
    // Without the manifest, the version is still recognised.
    expect(guessVersion(["orgs.csv", "users.csv"], readCsv(version, "users.csv").headers)).toBe("1.2");
  });

  it("names 2026-27 only: last year's session is marked tobedeleted", () => {
    expect(schoolYearsNamed(readCsv(version, "academicSessions.csv").rows)).toEqual([YEAR]);
    expect(readCsv(version, "orgs.csv").rows.map((row) => readOrg(row)?.identifier)).toEqual(["D001", "E101", "M201", "H301", "X999"]);
  });

  it("reads every role row", () => {
    const rows = readCsv(version, "roles.csv").rows;
    expect(rows.map((row, i) => roleProblem(row, i + 2)).filter(Boolean)).toEqual([]);
  });

  it("reads every user as expected, with this year's roles", () => {
    const rolesByUser = new Map<string, RoleAssignment[]>();
    for (const row of readCsv(version, "roles.csv").rows) {
      const r = readRole(row);
      if (r) rolesByUser.set(r.userSourcedId, [...(rolesByUser.get(r.userSourcedId) ?? []), r]);
    }
    const verdicts = readCsv(version, "users.csv").rows.map((row, i) =>
      readUser(row, i + 2, version, YEAR, rolesByUser.get(cell(row, "sourcedId")) ?? []));
    const expected: Record<string, Expected> = {
      ...SHARED,
      // preferredGivenName "Bob" is not used: the legal name is.
      "05": staff("T10005", "Robert", "Chen", "robert.chen@riverside.k12.ca.us", [["org-district", "District administrator"]]),
      "19": staff("T10019", "Hannah", "Schäfer-Ortiz", "hannah.schafer-ortiz@riverside.k12.ca.us", [["org-m201", "Principal"]]),
      "21": { kind: "ignored", reason: "no role in 2026-27", endsMembership: false, districtId: "T10021", personKind: "STAFF" },
      "22": staff("T10022", "Olivia", "Bennett", "olivia.bennett@riverside.k12.ca.us", [["org-m201", "Teacher"]]),
      "23": staff("T10023", "Marcus", "Johnson", "marcus.johnson@riverside.k12.ca.us", [["org-h301", "Teacher"]]),
      "24": { kind: "ignored", reason: "no role in 2026-27", endsMembership: false, districtId: "T10024", personKind: "STAFF" },
      "25": { kind: "ignored", reason: "no role in 2026-27", endsMembership: true, districtId: "S20007", personKind: "STUDENT" },
      "26": staff("S20008", "Chloe", "Martin", "chloe.martin@students.riverside.k12.ca.us", [["org-e101", "Aide"]]),
    };
    const keys = Object.keys(expected).sort();
    expect(verdicts.map(lineOf)).toEqual(keys.map((_, i) => i + 2));
    expect(verdicts.map(summary)).toEqual(keys.map((key) => expected[key]));
  });

  it("reads the same export as the next school year differently: roles decide the year", () => {
    const rolesByUser = new Map<string, RoleAssignment[]>();
    for (const row of readCsv(version, "roles.csv").rows) {
      const r = readRole(row);
      if (r) rolesByUser.set(r.userSourcedId, [...(rolesByUser.get(r.userSourcedId) ?? []), r]);
    }
    const users = readCsv(version, "users.csv").rows;
    const priya = users.findIndex((row) => cell(row, "sourcedId") === "u-124");
    expect(readUser(users[priya], priya + 2, version, YEAR + 1, rolesByUser.get("u-124"))).toMatchObject({ kind: "person", person: { districtId: "T10024" } });
    const aisha = users.findIndex((row) => cell(row, "sourcedId") === "u-104");
    expect(readUser(users[aisha], aisha + 2, version, YEAR + 1, rolesByUser.get("u-104"))).toMatchObject({ kind: "ignored", reason: "no role in 2027-28" });
  });
});
