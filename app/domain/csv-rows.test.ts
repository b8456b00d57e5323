import { describe, expect, it } from "vitest";
import {
  HEADCOUNT_COLUMNS,
  SCHOOL_COLUMNS,
  missingColumnsMessage,
  parseCount,
  validateHeadcountRows,
  validateSchoolRows,
  type CsvRow,
} from "./csv-rows";

const schoolHeaders = [...SCHOOL_COLUMNS];
const headcountHeaders = [...HEADCOUNT_COLUMNS];
const row = (line: number, values: Record<string, string>): CsvRow => ({ line, values });

function errorsOf(result: { ok: true; rows: Array<{ errors: string[] }> } | { ok: false; error: string }) {
  if (!result.ok) throw new Error(`expected rows, got file error: ${result.error}`);
  return result.rows.flatMap((r) => r.errors);
}

describe("missingColumnsMessage", () => {
  it("names every missing column and what the header must hold", () => {
    const message = missingColumnsMessage(["code", "name"], SCHOOL_COLUMNS);
    expect(message).toContain("missing the columns region, level");
    expect(message).toContain("code, name, region, level");
  });
  it("uses the singular for one column", () => {
    expect(missingColumnsMessage(["code", "name", "region"], SCHOOL_COLUMNS)).toContain("missing the column level.");
  });
  it("is null when all columns are present, in any order, with extra columns", () => {
    expect(missingColumnsMessage(["level", "notes", "region", "name", "code"], SCHOOL_COLUMNS)).toBeNull();
  });
});

describe("validateSchoolRows", () => {
  it("accepts valid rows and reads levels case-insensitively", () => {
    const result = validateSchoolRows(schoolHeaders, [
      row(2, { code: "0101", name: "Lincoln Elementary", region: "NORTH", level: "Elementary" }),
      row(3, { code: "0102", name: "École Saint-Jean, Annex", region: "North Region", level: "K-12" }),
      row(4, { code: "0103", name: "Hope Center", region: "S", level: "CENTRE" }),
    ]);
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 2, cells: expect.any(Object), errors: [], value: { code: "0101", name: "Lincoln Elementary", region: "NORTH", level: "ELEMENTARY" } },
        { line: 3, cells: expect.any(Object), errors: [], value: { code: "0102", name: "École Saint-Jean, Annex", region: "North Region", level: "K12" } },
        { line: 4, cells: expect.any(Object), errors: [], value: { code: "0103", name: "Hope Center", region: "S", level: "CENTER" } },
      ],
    });
  });

  it("refuses a file without the required columns before looking at rows", () => {
    const result = validateSchoolRows(["code", "name"], [row(2, { code: "1", name: "x" })]);
    expect(result).toEqual({ ok: false, error: expect.stringContaining("region, level") });
  });

  it("refuses a file with no data rows", () => {
    expect(validateSchoolRows(schoolHeaders, [])).toEqual({ ok: false, error: "The file has a header row but no data rows." });
  });

  it("names the line and field of every problem in a row", () => {
    const result = validateSchoolRows(schoolHeaders, [row(7, { code: "a b", name: "", region: "", level: "college" })]);
    expect(errorsOf(result)).toEqual([
      'Line 7: code "a b" may only use letters, digits, dots, dashes and underscores, starting with a letter or digit',
      "Line 7: name is blank",
      "Line 7: region is blank",
      'Line 7: level "college" is not one of elementary, middle, high, k12, center, other',
    ]);
    if (result.ok) expect(result.rows[0].value).toBeNull();
  });

  it("reports a blank code and blank level", () => {
    const result = validateSchoolRows(schoolHeaders, [row(3, { code: "", name: "X", region: "N", level: "" })]);
    expect(errorsOf(result)).toEqual(["Line 3: code is blank", "Line 3: level is blank"]);
  });

  it("refuses a code longer than 32 characters and a name longer than 200", () => {
    const result = validateSchoolRows(schoolHeaders, [row(2, { code: "x".repeat(33), name: "n".repeat(201), region: "N", level: "high" })]);
    const errors = errorsOf(result);
    expect(errors[0]).toMatch(/^Line 2: code ".*" is longer than 32 characters$/);
    expect(errors[1]).toBe("Line 2: name is longer than 200 characters");
  });

  it("marks a repeated code as an error on the later line only", () => {
    const result = validateSchoolRows(schoolHeaders, [
      row(2, { code: "0101", name: "A", region: "N", level: "high" }),
      row(3, { code: "0102", name: "B", region: "N", level: "high" }),
      row(9, { code: "0101", name: "C", region: "N", level: "high" }),
    ]);
    if (!result.ok) throw new Error(result.error);
    expect(result.rows[0].errors).toEqual([]);
    expect(result.rows[0].value).not.toBeNull();
    expect(result.rows[2].errors).toEqual(['Line 9: code "0101" is repeated (first on line 2)']);
    expect(result.rows[2].value).toBeNull();
  });
});

describe("validateHeadcountRows", () => {
  it("accepts both year spellings and whole numbers from 0 to 1,000,000", () => {
    const result = validateHeadcountRows(headcountHeaders, [
      row(2, { school_code: "0101", school_year: "2025", staff_count: "0", student_count: "1000000" }),
      row(3, { school_code: "0101", school_year: "2024-25", staff_count: "48", student_count: "512" }),
    ]);
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 2, cells: expect.any(Object), errors: [], value: { schoolCode: "0101", schoolYear: 2025, staffCount: 0, studentCount: 1_000_000 } },
        { line: 3, cells: expect.any(Object), errors: [], value: { schoolCode: "0101", schoolYear: 2024, staffCount: 48, studentCount: 512 } },
      ],
    });
  });

  it("names the line, the field and the value of a bad number", () => {
    const result = validateHeadcountRows(headcountHeaders, [
      row(7, { school_code: "0101", school_year: "2025", staff_count: "12a", student_count: "-3" }),
    ]);
    expect(errorsOf(result)).toEqual([
      'Line 7: staff_count "12a" is not a whole number',
      'Line 7: student_count "-3" is negative; counts must be 0 or more',
    ]);
  });

  it("refuses decimals, blanks and counts over 1,000,000", () => {
    const result = validateHeadcountRows(headcountHeaders, [
      row(4, { school_code: "0101", school_year: "2025", staff_count: "12.5", student_count: "1000001" }),
      row(5, { school_code: "0102", school_year: "2025", staff_count: "", student_count: "3" }),
    ]);
    expect(errorsOf(result)).toEqual([
      'Line 4: staff_count "12.5" is not a whole number',
      'Line 4: student_count "1000001" is more than 1,000,000',
      "Line 5: staff_count is blank",
    ]);
  });

  it("refuses a school year that is not one", () => {
    const result = validateHeadcountRows(headcountHeaders, [
      row(2, { school_code: "0101", school_year: "2025-27", staff_count: "1", student_count: "1" }),
      row(3, { school_code: "0101", school_year: "next year", staff_count: "1", student_count: "1" }),
      row(4, { school_code: "", school_year: "", staff_count: "1", student_count: "1" }),
    ]);
    expect(errorsOf(result)).toEqual([
      'Line 2: school_year "2025-27" is not a school year like 2025 or 2025-26',
      'Line 3: school_year "next year" is not a school year like 2025 or 2025-26',
      "Line 4: school_code is blank",
      "Line 4: school_year is blank",
    ]);
  });

  it("treats 2025 and 2025-26 as the same year when finding repeated rows", () => {
    const result = validateHeadcountRows(headcountHeaders, [
      row(2, { school_code: "0101", school_year: "2025", staff_count: "1", student_count: "1" }),
      row(3, { school_code: "0101", school_year: "2024", staff_count: "1", student_count: "1" }),
      row(6, { school_code: "0101", school_year: "2025-26", staff_count: "2", student_count: "2" }),
    ]);
    if (!result.ok) throw new Error(result.error);
    expect(result.rows.map((r) => r.errors)).toEqual([
      [],
      [],
      ['Line 6: school_code "0101" with school_year 2025-26 is repeated (first on line 2)'],
    ]);
  });

  it("names the missing headcount columns", () => {
    const result = validateHeadcountRows(["school_code", "school_year"], [row(2, { school_code: "1", school_year: "2025" })]);
    expect(result).toEqual({ ok: false, error: expect.stringContaining("missing the columns staff_count, student_count") });
  });
});

describe("parseCount", () => {
  it("returns the number or an error naming the column", () => {
    expect(parseCount("42", "staff_count", 2)).toEqual({ value: 42 });
    expect(parseCount("4 2", "staff_count", 2)).toEqual({ error: 'Line 2: staff_count "4 2" is not a whole number' });
    expect(parseCount("1e3", "staff_count", 2)).toEqual({ error: 'Line 2: staff_count "1e3" is not a whole number' });
  });
});
