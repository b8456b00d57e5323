import { stringify } from "csv-stringify/sync";

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; without it accented names garble. */
export const UTF8_BOM = "\uFEFF";

/**
 * A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel and Sheets:
 * a name typed as "=HYPERLINK(...)" would run when the coordinator opens the file. A leading
 * apostrophe makes it text (OWASP's advice for CSV injection).
 */
export function csvSafeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV text for Excel: BOM, CRLF line ends, every text cell guarded against formulas. */
export function toExcelCsv(header: string[], rows: string[][]): string {
  return UTF8_BOM + stringify([header, ...rows.map((row) => row.map(csvSafeCell))], { record_delimiter: "windows" });
}
