import { parse, CsvError } from "csv-parse/sync";
import { MAX_CSV_BYTES, type CsvRow } from "~/domain/csv-rows";

export { MAX_CSV_BYTES };
export const MAX_CSV_ROWS = 20_000;

export type CsvTable = { headers: string[]; rows: CsvRow[] };
export type CsvParseResult = ({ ok: true } & CsvTable) | { ok: false; error: string };

/** "School Code", "school-code" and "SCHOOL_CODE" all name the column school_code. */
export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, "_").replace(/^_+|_+$/g, "");
}

class TooManyRows extends Error {}

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Reads CSV text into a header list and rows keyed by normalized header, with the line each row
 * starts on. Never throws: a malformed file comes back as a message that names the line.
 */
export function parseCsv(input: string): CsvParseResult {
  if (new TextEncoder().encode(input).length > MAX_CSV_BYTES) {
    return { ok: false, error: `The file is larger than ${MB(MAX_CSV_BYTES)}. Split it into smaller files.` };
  }
  if (input.includes("\u0000")) {
    return { ok: false, error: "The file does not look like CSV text. Save the spreadsheet as CSV (UTF-8) and try again." };
  }
  // One line ending for the whole text: csv-parse guesses the record delimiter from the first
  // line, so a file that mixes \r\n and \n (pasted, then edited) would otherwise misparse.
  const text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { ok: false, error: "The file is empty." };

  const records: Array<{ line: number; cells: string[] }> = [];
  let filled = 0;
  try {
    parse(text, {
      trim: true,
      skip_empty_lines: true,
      // A row with the wrong number of cells gets our own message naming its line, below.
      relax_column_count: true,
      on_record: (record, context) => {
        // context.lines is where the record ends; a quoted value can span lines.
        const spanned = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
        const cells = record.map((value) => value.trim());
        // Stop at the limit rather than read a million rows only to refuse them (the header is one more).
        if (cells.some((value) => value !== "") && ++filled > MAX_CSV_ROWS + 1) throw new TooManyRows();
        records.push({ line: context.lines - spanned, cells });
        return null; // collected above, with its line
      },
    });
  } catch (error) {
    if (error instanceof TooManyRows) {
      return {
        ok: false,
        error: `The file has more than ${MAX_CSV_ROWS.toLocaleString("en-US")} rows; at most ${MAX_CSV_ROWS.toLocaleString("en-US")} can be imported at once. Split it into smaller files.`,
      };
    }
    return { ok: false, error: describeParseError(error, text) };
  }

  const withLines = records
    // Spreadsheets export blank rows as ",,,"; they carry nothing.
    .filter(({ cells }) => cells.some((value) => value !== ""));

  const [headerRecord, ...dataRecords] = withLines;
  if (!headerRecord) return { ok: false, error: "The file is empty." };

  const headers = headerRecord.cells.map(normalizeHeader);
  // A trailing comma on every line gives a nameless, empty column: harmless, so it is dropped.
  const keep = headers.map((name, index) => name !== "" || dataRecords.some((r) => (r.cells[index] ?? "") !== ""));
  for (const [index, name] of headers.entries()) {
    if (name === "" && keep[index]) {
      return { ok: false, error: `Line ${headerRecord.line}: column ${index + 1} has values but no name in the header row.` };
    }
    const first = headers.indexOf(name);
    if (name !== "" && first !== index) {
      return { ok: false, error: `Line ${headerRecord.line}: columns ${first + 1} and ${index + 1} are both named "${name}".` };
    }
  }

  const badLength = dataRecords.filter((r) => r.cells.length !== headers.length);
  if (badLength.length > 0) {
    const first = badLength[0];
    const more = badLength.length > 1 ? ` (${badLength.length - 1} more line${badLength.length > 2 ? "s have" : " has"} the same problem)` : "";
    return {
      ok: false,
      error: `Line ${first.line}: has ${first.cells.length} values but the header row has ${headers.length} columns. Put values that contain commas in double quotes.${more}`,
    };
  }

  const rows: CsvRow[] = dataRecords.map(({ line, cells }) => {
    const values: Record<string, string> = {};
    headers.forEach((name, index) => {
      if (keep[index]) values[name] = cells[index] ?? "";
    });
    return { line, values };
  });
  return { ok: true, headers: headers.filter((name, index) => keep[index] && name !== ""), rows };
}

function describeParseError(error: unknown, text: string): string {
  if (!(error instanceof CsvError)) return "The file could not be read as CSV.";
  const at = typeof error.lines === "number" ? `Line ${error.lines}: ` : "";
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED": {
      // csv-parse reports the end of the file; the author needs the line the quote opened on.
      const opened = openQuoteLine(text);
      return `${opened ? `Line ${opened}: ` : at}a quoted value is never closed (a " is missing).`;
    }
    case "INVALID_OPENING_QUOTE":
      return `${at}a double quote appears inside a value that is not quoted. Quote the whole value and double the inner quote ("").`;
    case "CSV_INVALID_CLOSING_QUOTE":
    // With trim on (as here), csv-parse reports text after a closing quote under this code.
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `${at}text follows a closing double quote. Quote the whole value and double any inner quote ("").`;
    default:
      return `${at || "The file could not be read as CSV: "}${error.message}`;
  }
}

/** The line on which the last, unclosed quoted value opened. */
function openQuoteLine(text: string): number | null {
  let line = 1;
  let inQuotes = false;
  let openedOn: number | null = null;
  for (const char of text) {
    if (char === "\n") line += 1;
    else if (char === '"') {
      inQuotes = !inQuotes;
      // An escaped "" toggles twice and lands back inside the same value, keeping its start.
      if (inQuotes && openedOn === null) openedOn = line;
    } else if (!inQuotes) openedOn = null;
  }
  return inQuotes ? openedOn : null;
}

export type CsvUpload = { ok: true; text: string; fileName: string | null } | { ok: false; error: string };

/**
 * The CSV text of an import form: an uploaded file (field "file") when one was chosen,
 * otherwise pasted text (field "csvText").
 */
export async function readCsvUpload(formData: FormData): Promise<CsvUpload> {
  const file = formData.get("file");
  // FormDataEntryValue is string | File; an empty file input posts a nameless, empty file.
  if (file !== null && typeof file !== "string" && (file.size > 0 || file.name !== "")) {
    if (file.size === 0) return { ok: false, error: `The file ${file.name} is empty.` };
    if (file.size > MAX_CSV_BYTES) {
      return { ok: false, error: `The file is larger than ${MB(MAX_CSV_BYTES)}. Split it into smaller files.` };
    }
    if (/\.xlsx?$/i.test(file.name)) {
      return { ok: false, error: "That is an Excel workbook. In Excel choose File › Save As › CSV UTF-8, then upload the .csv file." };
    }
    try {
      // fatal: a Latin-1 or UTF-16 export would otherwise import with garbled accented names.
      const text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
      return { ok: true, text, fileName: file.name || null };
    } catch {
      return { ok: false, error: "The file is not UTF-8 text. In Excel choose File › Save As › CSV UTF-8, then upload it again." };
    }
  }
  const pasted = formData.get("csvText");
  if (typeof pasted === "string" && pasted.trim() !== "") {
    if (new TextEncoder().encode(pasted).length > MAX_CSV_BYTES) {
      return { ok: false, error: `The text is larger than ${MB(MAX_CSV_BYTES)}. Split it into smaller files.` };
    }
    return { ok: true, text: pasted, fileName: null };
  }
  return { ok: false, error: "Choose a CSV file or paste the CSV text." };
}
