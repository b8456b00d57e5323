/**
 * Validation of CSV rows for the school and headcount imports: pure rules, no database.
 * Every message names the line and the column, so an administrator can fix the file.
 */
import { parseSchoolYear, formatSchoolYear } from "./school-year";
import { NAME_MAX_LENGTH, SCHOOL_LEVEL_WORDS, codeProblem, parseSchoolLevel, type SchoolLevelName } from "./school";

/** One data row of a CSV file: its line in the file (the header is line 1) and its cells by column name. */
export type CsvRow = { line: number; values: Record<string, string> };

/** A row after validation: the typed value when the row is valid, else its errors; the cells as written, to show them back. */
export type CheckedRow<T> = { line: number; cells: Record<string, string>; value: T | null; errors: string[] };

export type CheckedRows<T> = { ok: true; rows: Array<CheckedRow<T>> } | { ok: false; error: string };

export const SCHOOL_COLUMNS = ["code", "name", "region", "level"] as const;
export const HEADCOUNT_COLUMNS = ["school_code", "school_year", "staff_count", "student_count"] as const;

export const MAX_COUNT = 1_000_000;

/** The largest CSV file or pasted text an import reads; the browser checks it too, before uploading. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

export const TOO_LARGE_CSV_MESSAGE = "The file is larger than 5 MB. Split it into smaller files.";

export type SchoolRow = { code: string; name: string; region: string; level: SchoolLevelName };
export type HeadcountRow = { schoolCode: string; schoolYear: number; staffCount: number; studentCount: number };

/** A message naming the required columns the header lacks, or null when all are there. */
export function missingColumnsMessage(headers: readonly string[], required: readonly string[]): string | null {
  const missing = required.filter((column) => !headers.includes(column));
  if (missing.length === 0) return null;
  const noun = missing.length === 1 ? "column" : "columns";
  return `The file is missing the ${noun} ${missing.join(", ")}. The header row must name: ${required.join(", ")}.`;
}

function fileProblem(headers: readonly string[], rows: readonly CsvRow[], required: readonly string[]): string | null {
  const missing = missingColumnsMessage(headers, required);
  if (missing) return missing;
  if (rows.length === 0) return "The file has a header row but no data rows.";
  return null;
}

const cell = (row: CsvRow, column: string) => (row.values[column] ?? "").trim();
const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

/** A whole number from 0 to MAX_COUNT, or the error for the cell. */
export function parseCount(text: string, column: string, line: number): { value: number } | { error: string } {
  if (!text) return { error: `Line ${line}: ${column} is blank` };
  if (/^-\d+$/.test(text)) return { error: `Line ${line}: ${column} ${quoted(text)} is negative; counts must be 0 or more` };
  if (!/^\d+$/.test(text)) return { error: `Line ${line}: ${column} ${quoted(text)} is not a whole number` };
  const value = Number(text);
  if (value > MAX_COUNT) return { error: `Line ${line}: ${column} ${quoted(text)} is more than ${MAX_COUNT.toLocaleString("en-US")}` };
  return { value };
}

function checkCode(row: CsvRow, column: string, errors: string[]): string | null {
  const code = cell(row, column);
  const problem = codeProblem(code);
  if (!problem) return code;
  errors.push(code ? `Line ${row.line}: ${column} ${quoted(code)} ${problem}` : `Line ${row.line}: ${column} is blank`);
  return null;
}

/** Checks a school file: columns code, name, region (code or name) and level. */
export function validateSchoolRows(headers: readonly string[], rows: readonly CsvRow[]): CheckedRows<SchoolRow> {
  const problem = fileProblem(headers, rows, SCHOOL_COLUMNS);
  if (problem) return { ok: false, error: problem };

  const firstLineOfCode = new Map<string, number>();
  const checked = rows.map((row): CheckedRow<SchoolRow> => {
    const errors: string[] = [];
    const code = checkCode(row, "code", errors);

    const name = cell(row, "name");
    if (!name) errors.push(`Line ${row.line}: name is blank`);
    else if (name.length > NAME_MAX_LENGTH) errors.push(`Line ${row.line}: name is longer than ${NAME_MAX_LENGTH} characters`);

    const region = cell(row, "region");
    if (!region) errors.push(`Line ${row.line}: region is blank`);

    const levelText = cell(row, "level");
    const level = parseSchoolLevel(levelText);
    if (!levelText) errors.push(`Line ${row.line}: level is blank`);
    else if (!level) errors.push(`Line ${row.line}: level ${quoted(levelText)} is not one of ${SCHOOL_LEVEL_WORDS.join(", ")}`);

    if (code) {
      // The later line is the error: the first one is what the author most likely meant.
      const first = firstLineOfCode.get(code);
      if (first !== undefined) errors.push(`Line ${row.line}: code ${quoted(code)} is repeated (first on line ${first})`);
      else firstLineOfCode.set(code, row.line);
    }

    if (errors.length > 0 || !code || !level) return { line: row.line, cells: row.values, value: null, errors };
    return { line: row.line, cells: row.values, value: { code, name, region, level }, errors };
  });
  return { ok: true, rows: checked };
}

/** Checks a headcount file: columns school_code, school_year, staff_count and student_count. */
export function validateHeadcountRows(headers: readonly string[], rows: readonly CsvRow[]): CheckedRows<HeadcountRow> {
  const problem = fileProblem(headers, rows, HEADCOUNT_COLUMNS);
  if (problem) return { ok: false, error: problem };

  const firstLineOfKey = new Map<string, number>();
  const checked = rows.map((row): CheckedRow<HeadcountRow> => {
    const errors: string[] = [];
    const schoolCode = checkCode(row, "school_code", errors);

    const yearText = cell(row, "school_year");
    const schoolYear = yearText ? parseSchoolYear(yearText) : null;
    if (!yearText) errors.push(`Line ${row.line}: school_year is blank`);
    else if (schoolYear === null) errors.push(`Line ${row.line}: school_year ${quoted(yearText)} is not a school year like 2025 or 2025-26`);

    const staff = parseCount(cell(row, "staff_count"), "staff_count", row.line);
    if ("error" in staff) errors.push(staff.error);
    const students = parseCount(cell(row, "student_count"), "student_count", row.line);
    if ("error" in students) errors.push(students.error);

    if (schoolCode && schoolYear !== null) {
      // "2025" and "2025-26" name the same year, so the key uses the parsed year.
      const key = `${schoolCode}\u0000${schoolYear}`;
      const first = firstLineOfKey.get(key);
      if (first !== undefined) {
        errors.push(`Line ${row.line}: school_code ${quoted(schoolCode)} with school_year ${formatSchoolYear(schoolYear)} is repeated (first on line ${first})`);
      } else firstLineOfKey.set(key, row.line);
    }

    if (errors.length > 0 || !schoolCode || schoolYear === null || "error" in staff || "error" in students) {
      return { line: row.line, cells: row.values, value: null, errors };
    }
    return { line: row.line, cells: row.values, value: { schoolCode, schoolYear, staffCount: staff.value, studentCount: students.value }, errors };
  });
  return { ok: true, rows: checked };
}

export const SCHOOL_CSV_EXAMPLE = [
  "code,name,region,level",
  "0101,Lincoln Elementary,NORTH,elementary",
  '0102,"Roosevelt High School, East Campus",North Region,high',
  "0103,Escuela Nueva Esperanza,SOUTH,k12",
].join("\n");

export const HEADCOUNT_CSV_EXAMPLE = [
  "school_code,school_year,staff_count,student_count",
  "0101,2025-26,48,512",
  "0102,2025,131,2210",
  "0103,2025-26,77,940",
].join("\n");
