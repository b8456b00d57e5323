import { describe, expect, it } from "vitest";
import { MAX_CSV_BYTES, MAX_CSV_ROWS, normalizeHeader, parseCsv, readCsvUpload } from "./csv.server";

describe("parseCsv", () => {
  it("reads a BOM, CRLF endings, quoted commas, multi-line values and accented text, with each row's starting line", () => {
    const text = '\uFEFFCode, School Name ,school-year\r\n0101,"Lincoln High, North Campus",2025\r\n\r\n0102,"École\r\nSaint-Jean",2025-26\r\n,,\r\n0103, Ñandú ,2024\r\n';
    expect(parseCsv(text)).toEqual({
      ok: true,
      headers: ["code", "school_name", "school_year"],
      rows: [
        { line: 2, values: { code: "0101", school_name: "Lincoln High, North Campus", school_year: "2025" } },
        { line: 4, values: { code: "0102", school_name: "École\nSaint-Jean", school_year: "2025-26" } },
        { line: 7, values: { code: "0103", school_name: "Ñandú", school_year: "2024" } },
      ],
    });
  });

  it("normalizes header names", () => {
    expect(normalizeHeader("  Staff - Count ")).toBe("staff_count");
    expect(normalizeHeader("STUDENT__COUNT")).toBe("student_count");
    expect(normalizeHeader("school code")).toBe("school_code");
  });

  it("reports an unclosed quote on the line where it opened", () => {
    expect(parseCsv('a,b\n1,2\n3,"4\n5,6\n')).toEqual({ ok: false, error: 'Line 3: a quoted value is never closed (a " is missing).' });
  });

  it("reports stray quotes with their line", () => {
    expect(parseCsv('a,b\n1,2\n3,x"4"\n')).toEqual({ ok: false, error: expect.stringMatching(/^Line 3: a double quote appears inside/) });
    expect(parseCsv('a,b\n1,2\n3,"4"x\n')).toEqual({ ok: false, error: expect.stringMatching(/^Line 3: text follows a closing double quote/) });
    // A space then text after the quote is another csv-parse error code; the same message.
    expect(parseCsv('a,b\n1,"2" Jr.\n')).toEqual({ ok: false, error: expect.stringMatching(/^Line 2: text follows a closing double quote/) });
  });

  it("reports rows with the wrong number of values", () => {
    const result = parseCsv("a,b\n1,2\n3,4,5\n6\n");
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^Line 3: has 3 values but the header row has 2 columns.*1 more line has the same problem/) });
  });

  it("refuses empty text, repeated and nameless headers", () => {
    expect(parseCsv("")).toEqual({ ok: false, error: "The file is empty." });
    expect(parseCsv("\uFEFF\r\n \r\n")).toEqual({ ok: false, error: "The file is empty." });
    expect(parseCsv("code,Code\n1,2")).toEqual({ ok: false, error: 'Line 1: columns 1 and 2 are both named "code".' });
    expect(parseCsv("code,\n1,2")).toEqual({ ok: false, error: "Line 1: column 2 has values but no name in the header row." });
  });

  it("drops a trailing empty column left by trailing commas", () => {
    expect(parseCsv("a,b,\n1,2,\n")).toEqual({ ok: true, headers: ["a", "b"], rows: [{ line: 2, values: { a: "1", b: "2" } }] });
  });

  it("refuses more rows than the limit and text larger than the limit", () => {
    const many = "a\n" + "1\n".repeat(MAX_CSV_ROWS + 1);
    expect(parseCsv(many)).toEqual({ ok: false, error: expect.stringContaining("at most 20,000") });
    expect(parseCsv("a\n" + "x".repeat(MAX_CSV_BYTES))).toEqual({ ok: false, error: expect.stringContaining("larger than 5 MB") });
  });

  it("stops reading at the row limit: what lies beyond it is never parsed", () => {
    // A broken quote after the limit: a parser that read the whole file would report the quote instead.
    const beyond = "a\n" + "1\n".repeat(MAX_CSV_ROWS + 1) + '"never closed\n';
    expect(parseCsv(beyond)).toEqual({
      ok: false,
      error: "The file has more than 20,000 rows; at most 20,000 can be imported at once. Split it into smaller files.",
    });
    // Blank rows do not count towards the limit.
    expect(parseCsv("a\n" + "1\n,\n".repeat(MAX_CSV_ROWS))).toMatchObject({ ok: true, rows: { length: MAX_CSV_ROWS } });
  });

  it("refuses a 1,000,000-row file quickly instead of parsing all of it", () => {
    const million = "a\n" + "1\n".repeat(1_000_000);
    const started = performance.now();
    expect(parseCsv(million)).toEqual({ ok: false, error: expect.stringContaining("more than 20,000 rows") });
    // Parsing every row takes seconds (about 4 s on the 2-core CI machine); stopping at the limit, a fraction of one.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("refuses binary content", () => {
    expect(parseCsv("PK\u0003\u0004\u0000\u0000")).toEqual({ ok: false, error: expect.stringContaining("does not look like CSV") });
  });
});

describe("readCsvUpload", () => {
  const form = (entries: Record<string, string | File>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(entries)) data.append(k, v);
    return data;
  };

  it("prefers a chosen file over pasted text", async () => {
    const result = await readCsvUpload(form({ file: new File(["a,b\n1,2"], "x.csv"), csvText: "ignored" }));
    expect(result).toEqual({ ok: true, text: "a,b\n1,2", fileName: "x.csv" });
  });

  it("falls back to pasted text when the file input is empty", async () => {
    const result = await readCsvUpload(form({ file: new File([], ""), csvText: "a\n1" }));
    expect(result).toEqual({ ok: true, text: "a\n1", fileName: null });
  });

  it("asks for a file or text when neither is given", async () => {
    expect(await readCsvUpload(form({ csvText: "  " }))).toEqual({ ok: false, error: "Choose a CSV file or paste the CSV text." });
  });

  it("refuses files that are not UTF-8, Excel workbooks and files over the size limit", async () => {
    const latin1 = new File([new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xe9, 0x0a])], "latin1.csv");
    expect(await readCsvUpload(form({ file: latin1 }))).toEqual({ ok: false, error: expect.stringContaining("not UTF-8") });
    expect(await readCsvUpload(form({ file: new File(["x"], "book.xlsx") }))).toEqual({ ok: false, error: expect.stringContaining("Excel workbook") });
    const big = new File([new Uint8Array(MAX_CSV_BYTES + 1).fill(0x61)], "big.csv");
    expect(await readCsvUpload(form({ file: big }))).toEqual({ ok: false, error: expect.stringContaining("larger than 5 MB") });
  });
});
