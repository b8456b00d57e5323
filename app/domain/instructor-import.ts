/**
 * Validation of an instructor-certification CSV (issue 14: "entered by an admin or imported"): pure
 * rules, no database. Every message names the line and the column, so the file can be fixed.
 */
import type { CheckedRow, CheckedRows, CsvRow } from "./csv-rows";
import { missingColumnsMessage } from "./csv-rows";
import { parseCalendarDate } from "./calendar-date";
import { checkInstructorCertificationDates } from "./instructor-standing";
import { EVIDENCE_NOTE_MAX, SOURCE_MAX } from "./certificate-records";

/** Required in the header; district_id or email may be blank on a row, not both. */
export const INSTRUCTOR_IMPORT_COLUMNS = ["district_id", "email", "program_code", "issued_on", "expires_on", "source"] as const;

export type InstructorImportRow = {
  districtId: string | null;
  email: string | null;
  programCode: string;
  issuedOn: Date;
  expiresOn: Date | null;
  source: string;
  evidenceNote: string | null;
};

export const INSTRUCTOR_IMPORT_EXAMPLE = [
  INSTRUCTOR_IMPORT_COLUMNS.join(","),
  "E10442,,YMHFA,2025-07-01,2028-07-01,MHFA USA instructor training",
  ",terry.trainer@partner.example,QPR,2024-09-15,,QPR Institute instructor training",
].join("\n");

const cell = (row: CsvRow, column: string) => (row.values[column] ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

export function validateInstructorImportRows(headers: readonly string[], rows: readonly CsvRow[], today: string): CheckedRows<InstructorImportRow> {
  const missing = missingColumnsMessage(headers, INSTRUCTOR_IMPORT_COLUMNS);
  if (missing) return { ok: false, error: missing };
  if (rows.length === 0) return { ok: false, error: "The file has a header row but no data rows." };

  const firstLineOfKey = new Map<string, number>();
  const checked = rows.map((row): CheckedRow<InstructorImportRow> => {
    const errors: string[] = [];
    const line = row.line;
    const districtId = cell(row, "district_id") || null;
    const email = cell(row, "email").toLowerCase() || null;
    if (!districtId && !email) errors.push(`Line ${line}: district_id and email are both blank; give one to find the person`);
    else if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push(`Line ${line}: email ${quoted(email)} is not an email address`);

    const programCode = cell(row, "program_code").toUpperCase();
    if (!programCode) errors.push(`Line ${line}: program_code is blank`);

    const issuedText = cell(row, "issued_on");
    const issued = issuedText ? parseCalendarDate(issuedText) : null;
    if (!issuedText) errors.push(`Line ${line}: issued_on is blank`);
    else if (issued && !issued.ok) errors.push(`Line ${line}: issued_on ${issued.problem}`);

    const expiresText = cell(row, "expires_on");
    const expires = expiresText ? parseCalendarDate(expiresText) : null;
    if (expires && !expires.ok) errors.push(`Line ${line}: expires_on ${expires.problem}`);

    let dates: { issuedOn: Date; expiresOn: Date | null } | null = null;
    if (issued?.ok && (!expires || expires.ok)) {
      const check = checkInstructorCertificationDates({ issuedOn: issued.iso, expiresOn: expires?.ok ? expires.iso : undefined, today });
      if (check.ok) dates = { issuedOn: check.issuedOn, expiresOn: check.expiresOn };
      else errors.push(`Line ${line}: ${check.field === "issuedOn" ? "issued_on" : "expires_on"} ${check.message.replace(/^[^:]+: /, "")}`);
    }

    const source = cell(row, "source");
    if (!source) errors.push(`Line ${line}: source is blank; say where the certification was earned`);
    else if (source.length > SOURCE_MAX) errors.push(`Line ${line}: source is longer than ${SOURCE_MAX} characters`);

    const evidenceNote = cell(row, "evidence_note") || null;
    if (evidenceNote && evidenceNote.length > EVIDENCE_NOTE_MAX) errors.push(`Line ${line}: evidence_note is longer than ${EVIDENCE_NOTE_MAX} characters`);

    if (programCode && issued?.ok && (districtId || email)) {
      const key = [districtId ?? "", email ?? "", programCode, issued.iso].join("\u0000");
      const first = firstLineOfKey.get(key);
      if (first !== undefined) errors.push(`Line ${line}: the same person, program_code and issued_on are repeated (first on line ${first})`);
      else firstLineOfKey.set(key, line);
    }

    if (errors.length > 0 || !dates || !programCode || !source) return { line, cells: row.values, value: null, errors };
    return { line, cells: row.values, value: { districtId, email, programCode, ...dates, source, evidenceNote }, errors };
  });
  return { ok: true, rows: checked };
}
