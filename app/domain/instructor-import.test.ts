import { describe, expect, it } from "vitest";
import { INSTRUCTOR_IMPORT_COLUMNS, validateInstructorImportRows } from "./instructor-import";

const headers = [...INSTRUCTOR_IMPORT_COLUMNS];
const row = (line: number, values: Partial<Record<string, string>>) => ({
  line,
  values: { district_id: "", email: "", program_code: "YMHFA", issued_on: "2025-07-01", expires_on: "2028-07-01", source: "MHFA USA", ...values } as Record<string, string>,
});

describe("validateInstructorImportRows", () => {
  it("reads a good row by district ID or email, with a blank expiry meaning never", () => {
    const result = validateInstructorImportRows(headers, [row(2, { district_id: "E1" }), row(3, { email: "Terry@Partner.example", expires_on: "", program_code: "qpr" })], "2026-12-07");
    expect(result.ok && result.rows.map((r) => r.value)).toEqual([
      { districtId: "E1", email: null, programCode: "YMHFA", issuedOn: new Date("2025-07-01T00:00:00Z"), expiresOn: new Date("2028-07-01T00:00:00Z"), source: "MHFA USA", evidenceNote: null },
      { districtId: null, email: "terry@partner.example", programCode: "QPR", issuedOn: new Date("2025-07-01T00:00:00Z"), expiresOn: null, source: "MHFA USA", evidenceNote: null },
    ]);
  });

  it("names the line and the column of every problem", () => {
    const result = validateInstructorImportRows(
      headers,
      [
        row(2, {}),
        row(3, { district_id: "E1", issued_on: "2025-02-30" }),
        row(4, { district_id: "E1", expires_on: "2024-01-01" }),
        row(5, { district_id: "E1", issued_on: "2027-01-01", expires_on: "" }),
        row(6, { district_id: "E2", source: "", program_code: "" }),
        row(7, { district_id: "E3" }),
        row(8, { district_id: "E3" }),
      ],
      "2026-12-07",
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.rows.map((r) => r.errors)).toEqual([
      ["Line 2: district_id and email are both blank; give one to find the person"],
      ["Line 3: issued_on 2025-02-30 is not a real date"],
      ["Line 4: expires_on must be after the issue date (2025-07-01)"],
      ["Line 5: issued_on 2027-01-01 is in the future; give the date the certification was issued"],
      ["Line 6: program_code is blank", "Line 6: source is blank; say where the certification was earned"],
      [],
      ["Line 8: the same person, program_code and issued_on are repeated (first on line 7)"],
    ]);
  });

  it("refuses a file without the columns", () => {
    expect(validateInstructorImportRows(["email"], [], "2026-12-07")).toEqual({ ok: false, error: expect.stringContaining("district_id") });
  });
});

describe("the import's audit sentence", () => {
  it("says who imported which file and how many were recorded", async () => {
    const { describeAuditEvent, AUDIT_KINDS } = await import("./audit-words");
    const names = {
      timeZone: "America/Los_Angeles", users: { ada: "Ada Admin" }, people: {}, programs: {}, sessions: {}, schools: {}, regions: {}, days: {}, certificates: {},
    };
    const event = {
      action: "instructor-certification.import", entityType: "InstructorCertificationImport", entityId: "i1", actorId: "ada",
      details: { fileName: "instructors.csv", created: 2, alreadyRecorded: 1 },
    };
    expect(describeAuditEvent(event, names)).toBe("Ada Admin imported instructor certifications from instructors.csv: 2 recorded, 1 already on record");
    expect(AUDIT_KINDS.instructor.prefixes.some((p) => event.action.startsWith(p))).toBe(true);
  });
});
