/**
 * Malformed roster CSV files, generated deterministically, each with the problem the import
 * must report: file-level (the file cannot be read as a roster at all), mapping-level (the
 * columns do not give every person a name) or row-level (named lines with a named field).
 *
 * The files are built as bytes, as a browser uploads them: with and without a BOM, with LF,
 * CRLF or CR line ends, quoted cells that span lines (so a row's line is not its record number),
 * and bytes that are not UTF-8 or not text at all.
 */
import type { RosterField } from "~/domain/roster-import";
import { mulberry32 as seeded } from "../../prisma/seed/random";

/** What the import must say about a file. */
export type MalformedExpectation =
  /** Refused before any column is matched: the message must match (and name the line when there is one). */
  | { level: "file"; message: RegExp }
  /** The columns cannot give every person a name (or the posted mapping is unusable). */
  | { level: "mapping"; message: RegExp }
  /** Row errors: exactly these lines, each message naming the field (and column, where the file has one). */
  | { level: "rows"; errors: Array<{ line: number; field: RegExp }> };

export type MalformedCsv = {
  name: string;
  fileName: string;
  bytes: Uint8Array;
  expect: MalformedExpectation;
  /** A mapping to post instead of the one the import suggests (column index → field). */
  mapping?: Array<RosterField | string> | null;
};

type Eol = "\n" | "\r\n" | "\r";
const EOLS: Array<{ name: string; eol: Eol; bom: boolean }> = [
  { name: "LF", eol: "\n", bom: false },
  { name: "CRLF", eol: "\r\n", bom: false },
  { name: "BOM+CRLF", eol: "\r\n", bom: true },
  { name: "CR", eol: "\r", bom: false },
];

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A cell as a spreadsheet writes it: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * CSV text from records, and the line each record starts on (the header is line 1): a quoted
 * cell with a line break makes the next record start further down.
 */
export function buildCsv(records: string[][], eol: Eol = "\n", opts: { bom?: boolean; raw?: boolean } = {}): { text: string; lines: number[] } {
  const lines: number[] = [];
  let line = 1;
  const out: string[] = [];
  for (const record of records) {
    lines.push(line);
    // Line breaks inside a cell are the file's own line ends, as a spreadsheet saves them.
    const cells = record.map((c) => (opts.raw ? c : csvCell(c)).replace(/\r\n|\n|\r/g, eol));
    out.push(cells.join(","));
    line += 1 + record.reduce((n, c) => n + (c.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
  }
  return { text: (opts.bom ? "\uFEFF" : "") + out.join(eol) + eol, lines };
}

// --- Layouts: header rows roster files really have -------------------------------------

type Field = "id" | "first" | "last" | "full" | "email" | "kind" | "other";
type Layout = { name: string; headers: string[]; fields: Field[]; column: Partial<Record<Field, string>> };

const LAYOUTS: Layout[] = [
  {
    name: "first/last/id/email",
    headers: ["First Name", "Last Name", "Employee ID", "Email"],
    fields: ["first", "last", "id", "email"],
    column: { first: "first_name", last: "last_name", id: "employee_id", email: "email" },
  },
  {
    name: "full name/student id/email/type",
    headers: ["Name", "Student ID", "Email", "Type"],
    fields: ["full", "id", "email", "kind"],
    column: { full: "name", id: "student_id", email: "email", kind: "type" },
  },
  {
    name: "reordered with extra columns",
    headers: ["School", "Email Address", "Last Name", "First Name", "Employee ID", "Type", "Notes"],
    fields: ["other", "email", "last", "first", "id", "kind", "other"],
    column: { email: "email_address", last: "last_name", first: "first_name", id: "employee_id", kind: "type" },
  },
  {
    name: "Spanish headers, no district ID",
    headers: ["Nombre", "Apellido", "Correo"],
    fields: ["first", "last", "email"],
    column: { first: "nombre", last: "apellido", email: "correo" },
  },
];

const FIRST = ["José", "María", "Zoë", "Ana María", "Chloé", "Søren", "Nguyễn", "Aaliyah", "Jamal", "Wei"];
const LAST = ["Núñez", "García", "O'Brien", "de la Cruz", "Müller", "Đặng", "Okafor", "Kim", "Łukasz", "Smith"];

type Person = { id: string; first: string; last: string; email: string; kind: string };

function goodPerson(i: number, tag: string): Person {
  return {
    id: `E${tag}${1000 + i}`,
    first: FIRST[i % FIRST.length],
    last: LAST[(i * 3) % LAST.length],
    email: `learner.${tag.toLowerCase()}${i}@example.org`,
    kind: ["staff", "Student", "community partner"][i % 3],
  };
}

function cellsOf(layout: Layout, p: Person, row: number): string[] {
  return layout.fields.map((f) => {
    switch (f) {
      case "id": return p.id;
      case "first": return p.first;
      case "last": return p.last;
      // "Last, First" as district systems export it, quoted because of the comma.
      case "full": return p.first === "" && p.last === "" ? "" : `${p.last}, ${p.first}`;
      case "email": return p.email;
      case "kind": return p.kind;
      case "other": return `Lincoln High, room ${row}`;
    }
  });
}

// --- Row-level defects ------------------------------------------------------------------

type RowDefect = {
  name: string;
  /** Fields the layout must have for the defect to apply. */
  needs: Field[];
  /** The field the message must name. */
  field: Field;
  apply: (p: Person) => Person;
  /** Cells to write in the full-name column instead of "Last, First". */
  full?: string;
  /** A message that does not name a column (in-file duplicates name the field in words). */
  fieldWords?: RegExp;
};

const LONG = (n: number, unit = "x") => unit.repeat(n);

const ROW_DEFECTS: RowDefect[] = [
  { name: "blank first name", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: "" }) },
  { name: "blank last name", needs: ["last"], field: "last", apply: (p) => ({ ...p, last: "   " }) },
  { name: "first name over 100 characters", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: LONG(101, "é") }) },
  { name: "last name of 5,000 characters", needs: ["last"], field: "last", apply: (p) => ({ ...p, last: LONG(5000) }) },
  { name: "line break inside a first name", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: "Jo\nsé" }) },
  { name: "tab inside a last name", needs: ["last"], field: "last", apply: (p) => ({ ...p, last: "Nú\tñez" }) },
  { name: "escape character in a first name", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: "Jos\u001b[31mé" }) },
  { name: "line separator (U+2028) in a first name", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: "José\u2028María" }) },
  { name: "C1 control (U+0085) in a last name", needs: ["last"], field: "last", apply: (p) => ({ ...p, last: "Nú\u0085ñez" }) },
  { name: "right-to-left override in a last name", needs: ["last"], field: "last", apply: (p) => ({ ...p, last: "Núñez\u202egpj.exe" }) },
  { name: "first name of zero-width spaces only", needs: ["first"], field: "first", apply: (p) => ({ ...p, first: "\u200b\u200b\ufeff" }) },
  { name: "full name of one word", needs: ["full"], field: "full", apply: (p) => p, full: "Madonna" },
  { name: "full name with two commas", needs: ["full"], field: "full", apply: (p) => p, full: "Núñez, José, Jr." },
  { name: "full name with nothing before the comma", needs: ["full"], field: "full", apply: (p) => p, full: ", José" },
  { name: "full name with nothing after the comma", needs: ["full"], field: "full", apply: (p) => p, full: "Núñez," },
  { name: "blank full name", needs: ["full"], field: "full", apply: (p) => p, full: "" },
  { name: "full name over 100 characters", needs: ["full"], field: "full", apply: (p) => p, full: `Núñez, ${LONG(120, "a")}` },
  { name: "line break inside a full name", needs: ["full"], field: "full", apply: (p) => p, full: "Núñez,\nJosé" },
  { name: "district ID with a space", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "E 1001" }) },
  { name: "district ID with a hash", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "#1001" }) },
  { name: "district ID starting with a dash", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "-1001" }) },
  { name: "district ID that is a formula (=)", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "=1+2" }) },
  { name: "district ID that is a formula (@)", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "@SUM(A1:A9)" }) },
  { name: "district ID that is a formula (+)", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "+15551234" }) },
  { name: "district ID of 41 characters", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: LONG(41, "9") }) },
  { name: "district ID with an accent", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "É1001" }) },
  { name: "district ID with SQL in it", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: "1;DROP TABLE Person" }) },
  { name: "district ID with a quote", needs: ["id"], field: "id", apply: (p) => ({ ...p, id: `E1"001` }) },
  { name: "email without @", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose.nunez.example.org" }) },
  { name: "email without a domain", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose@" }) },
  { name: "email without a local part", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "@example.org" }) },
  { name: "email without a top-level domain", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose@example" }) },
  { name: "email with two @", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose@@example.org" }) },
  { name: "email with a space", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose nunez@example.org" }) },
  { name: "two emails in one cell (;)", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "a@example.org;b@example.org" }) },
  { name: "two emails in one cell (,)", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "a@example.org, b@example.org" }) },
  { name: "email that is a formula", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: `=HYPERLINK("http://evil.example","x")` }) },
  { name: "email of 300 characters", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: `${LONG(280, "a")}@example.org` }) },
  { name: "email with a one-letter top-level domain", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose@example.c" }) },
  { name: "email in angle brackets", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "<jose@example.org>" }) },
  { name: "email with a display name", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "José Núñez <jose@example.org>" }) },
  { name: "email with a right-to-left override", needs: ["email"], field: "email", apply: (p) => ({ ...p, email: "jose\u202e@example.org" }) },
  { name: "kind misspelled", needs: ["kind"], field: "kind", apply: (p) => ({ ...p, kind: "teacherz" }) },
  { name: "kind that is not a person's", needs: ["kind"], field: "kind", apply: (p) => ({ ...p, kind: "administrator" }) },
  { name: "kind that is a formula", needs: ["kind"], field: "kind", apply: (p) => ({ ...p, kind: "=cmd|' /C calc'!A0" }) },
  { name: "kind that is a number", needs: ["kind"], field: "kind", apply: (p) => ({ ...p, kind: "42" }) },
];

/** Where in a file of `size` rows the defect goes: first, middle or last row, in turn. */
const positionFor = (i: number, size: number) => [0, Math.floor(size / 2), size - 1][i % 3];

function rowDefectFiles(): MalformedCsv[] {
  const files: MalformedCsv[] = [];
  let n = 0;
  for (const layout of LAYOUTS) {
    for (const defect of ROW_DEFECTS) {
      if (!defect.needs.every((f) => layout.fields.includes(f))) continue;
      const { eol, bom, name: eolName } = EOLS[n % EOLS.length];
      const size = 5 + (n % 4);
      const bad = positionFor(n, size);
      const tag = `R${n}`;
      const records = [layout.headers];
      for (let i = 0; i < size; i++) {
        const p = i === bad ? defect.apply(goodPerson(i, tag)) : goodPerson(i, tag);
        const cells = cellsOf(layout, p, i);
        if (i === bad && defect.full !== undefined) cells[layout.fields.indexOf("full")] = defect.full;
        records.push(cells);
      }
      const { text, lines } = buildCsv(records, eol, { bom });
      const column = layout.column[defect.field] ?? "";
      files.push({
        name: `row: ${defect.name} (${layout.name}, ${eolName}, row ${bad + 1} of ${size})`,
        fileName: `roster-${n}.csv`,
        bytes: utf8(text),
        expect: { level: "rows", errors: [{ line: lines[bad + 1], field: fieldPattern(defect.field, column) }] },
      });
      n += 1;
    }
  }
  return files;
}

const FIELD_WORDS: Record<Field, string> = {
  id: "district ID", first: "first name", last: "last name", full: "full name", email: "email", kind: "kind", other: "",
};

function fieldPattern(field: Field, column: string): RegExp {
  return new RegExp(`: ${FIELD_WORDS[field]} \\(column ${column}\\) `);
}

/** Several problems in one file: every one of them is named, each on its own line. */
function manyDefectFiles(): MalformedCsv[] {
  return LAYOUTS.map((layout, li) => {
    const defects = ROW_DEFECTS.filter((d) => d.needs.every((f) => layout.fields.includes(f)));
    const records = [layout.headers];
    const badRows: Array<{ record: number; field: Field }> = [];
    defects.forEach((defect, i) => {
      // A good row between bad ones: it is not written either.
      records.push(cellsOf(layout, goodPerson(2 * i, `M${li}`), 2 * i));
      const cells = cellsOf(layout, defect.apply(goodPerson(2 * i + 1, `M${li}`)), 2 * i + 1);
      if (defect.full !== undefined) cells[layout.fields.indexOf("full")] = defect.full;
      records.push(cells);
      badRows.push({ record: records.length - 1, field: defect.field });
    });
    const { text, lines } = buildCsv(records, "\r\n", { bom: true });
    return {
      name: `rows: every defect at once (${layout.name}, ${defects.length} bad rows)`,
      fileName: `many-${li}.csv`,
      bytes: utf8(text),
      expect: { level: "rows", errors: badRows.map((b) => ({ line: lines[b.record], field: fieldPattern(b.field, layout.column[b.field] ?? "") })) },
    };
  });
}

/** Duplicates inside one file that a person must settle. */
function duplicateFiles(): MalformedCsv[] {
  const files: MalformedCsv[] = [];
  const a = LAYOUTS[0];
  const dupId = (eol: Eol, caseChange: boolean, i: number) => {
    const p = goodPerson(1, `D${i}`);
    const other = { ...goodPerson(2, `D${i}`), id: caseChange ? p.id.toLowerCase() : p.id };
    const { text, lines } = buildCsv([a.headers, cellsOf(a, goodPerson(0, `D${i}`), 0), cellsOf(a, p, 1), cellsOf(a, goodPerson(3, `D${i}`), 3), cellsOf(a, other, 2)], eol);
    files.push({
      name: `row: district ID reused with another name${caseChange ? " (in another case)" : ""}`,
      fileName: `dup-id-${i}.csv`,
      bytes: utf8(text),
      expect: { level: "rows", errors: [{ line: lines[4], field: /: district ID "[^"]+" is also on line 3 with a different name or email/ }] },
    });
  };
  dupId("\n", false, 0);
  dupId("\r\n", true, 1);
  const b = LAYOUTS[1];
  {
    const p = goodPerson(4, "D2");
    const other = { ...goodPerson(5, "D2"), id: p.id };
    const { text, lines } = buildCsv([b.headers, cellsOf(b, p, 0), cellsOf(b, goodPerson(6, "D2"), 1), cellsOf(b, other, 2)], "\r\n", { bom: true });
    files.push({
      name: "row: student ID reused with another name (full-name layout)",
      fileName: "dup-id-2.csv",
      bytes: utf8(text),
      expect: { level: "rows", errors: [{ line: lines[3], field: /: district ID "[^"]+" is also on line 2/ }] },
    });
  }
  // The same name twice with neither a district ID nor an email: two people or one?
  for (const [i, layout] of [LAYOUTS[0], LAYOUTS[3]].entries()) {
    const p = { ...goodPerson(7, `N${i}`), id: "", email: "" };
    const { text, lines } = buildCsv([layout.headers, cellsOf(layout, p, 0), cellsOf(layout, goodPerson(8, `N${i}`), 1), cellsOf(layout, { ...p, first: p.first.toUpperCase() }, 2)], "\n");
    files.push({
      name: `row: same name twice without district ID or email (${layout.name})`,
      fileName: `dup-name-${i}.csv`,
      bytes: utf8(text),
      expect: { level: "rows", errors: [{ line: lines[3], field: /is also on line 2, and neither line has a district ID or email/ }] },
    });
  }
  return files;
}

/** Quoted cells with line breaks before the bad row: the message gives the line in the file, not the record number. */
function lineNumberFiles(): MalformedCsv[] {
  const layout = LAYOUTS[2];
  return EOLS.slice(0, 3).map(({ eol, bom, name }, i) => {
    const records = [layout.headers];
    for (let r = 0; r < 4; r++) {
      const cells = cellsOf(layout, goodPerson(r, `L${i}`), r);
      cells[6] = `Needs a ramp.\nAsk for ${"room\n".repeat(r)}the side door.`;
      records.push(cells);
    }
    records.push(cellsOf(layout, { ...goodPerson(9, `L${i}`), email: "not-an-email" }, 9));
    const { text, lines } = buildCsv(records, eol, { bom });
    return {
      name: `row: bad email after multi-line notes (${name}); line ${lines[5]}, record 6`,
      fileName: `multiline-${i}.csv`,
      bytes: utf8(text),
      expect: { level: "rows", errors: [{ line: lines[5], field: fieldPattern("email", "email_address") }] },
    };
  });
}

/** Every row of a big file is bad: the import names each, not only the first. */
function bigFiles(): MalformedCsv[] {
  const layout = LAYOUTS[0];
  const records = [layout.headers];
  for (let i = 0; i < 300; i++) records.push(cellsOf(layout, { ...goodPerson(i, "B"), email: `bad-email-${i}` }, i));
  const all = buildCsv(records, "\r\n", { bom: true });
  // The most rows a file may have, the last one bad: all 20,000 rows are checked, none written.
  const max = [layout.headers];
  for (let i = 0; i < 19_999; i++) max.push(cellsOf(layout, goodPerson(i, "X"), i));
  max.push(cellsOf(layout, { ...goodPerson(19_999, "X"), id: "E 20000" }, 19_999));
  const maxFile = buildCsv(max, "\n");
  return [
    {
      name: "rows: all 300 rows have a bad email",
      fileName: "all-bad.csv",
      bytes: utf8(all.text),
      expect: { level: "rows", errors: all.lines.slice(1).map((line) => ({ line, field: fieldPattern("email", "email") })) },
    },
    {
      name: "row: 20,000 rows, the last one with a bad district ID",
      fileName: "max-rows.csv",
      bytes: utf8(maxFile.text),
      expect: { level: "rows", errors: [{ line: 20_001, field: fieldPattern("id", "employee_id") }] },
    },
  ];
}

// --- File-level problems ----------------------------------------------------------------

const NOT_UTF8 = /not UTF-8 text/;
const NOT_CSV = /does not look like CSV text/;
const EMPTY = /is empty/;
const NO_ROWS = /^Line 1 is the header row and the file has no data rows below it\.$/;

function fileLevelFiles(): MalformedCsv[] {
  const files: MalformedCsv[] = [];
  const add = (name: string, bytes: Uint8Array, message: RegExp, fileName = "roster.csv") =>
    files.push({ name: `file: ${name}`, fileName, bytes, expect: { level: "file", message } });

  add("a 0-byte file", new Uint8Array(0), /^The file empty\.csv is empty\.$/, "empty.csv");
  add("spaces and blank lines only", utf8("   \n\n \t \r\n"), EMPTY);
  add("a BOM only", utf8("\uFEFF"), EMPTY);
  add("a BOM and line ends only", utf8("\uFEFF\r\n\r\n"), EMPTY);
  for (const eol of ["\n", "\r\n", "\r"]) add(`line ends only (${JSON.stringify(eol)})`, utf8(eol.repeat(5)), EMPTY);
  add("commas only", utf8(",,,\n,,,\n,,,\n"), EMPTY);
  add("quoted blanks only", utf8('"","",""\n"","",""\n'), EMPTY);

  for (const layout of LAYOUTS) {
    for (const { eol, bom, name } of EOLS.slice(0, 3)) add(`header row only (${layout.name}, ${name})`, utf8(buildCsv([layout.headers], eol, { bom }).text), NO_ROWS);
    add(`header row only, no final line end (${layout.name})`, utf8(layout.headers.join(",")), NO_ROWS);
    add(`header row and blank spreadsheet rows (${layout.name})`, utf8(`${layout.headers.join(",")}\n${",".repeat(layout.headers.length - 1)}\n\n${",".repeat(layout.headers.length - 1)}\n`), NO_ROWS);
  }

  add("separated by semicolons", utf8("First Name;Last Name;Email\nJosé;Núñez;jose@example.org\n"), /^Line 1: the header row is separated by semicolons/);
  add("separated by semicolons, with a BOM (Excel in Europe)", utf8("\uFEFFEmployee ID;Nombre;Apellido\r\nE1;José;Núñez\r\n"), /^Line 1: the header row is separated by semicolons/);
  add("separated by tabs", utf8("First Name\tLast Name\tEmail\nJosé\tNúñez\tjose@example.org\n"), /^Line 1: the header row is separated by tabs/);
  add("separated by tabs after blank lines", utf8("\n\nFirst Name\tLast Name\nJosé\tNúñez\n"), /^Line 3: the header row is separated by tabs/);

  // Quotes: the line named is where the problem is.
  for (const [i, at] of [2, 4, 9].entries()) {
    const records = [LAYOUTS[0].headers, ...Array.from({ length: 10 }, (_, r) => cellsOf(LAYOUTS[0], goodPerson(r, `Q${i}`), r))];
    const { text } = buildCsv(records, i === 1 ? "\r\n" : "\n");
    const rows = text.split(i === 1 ? "\r\n" : "\n");
    rows[at - 1] = rows[at - 1].replace(/^([^,]*),/, '"$1,'); // an opening quote that never closes
    add(`a quoted value never closed (line ${at})`, utf8(rows.join(i === 1 ? "\r\n" : "\n")), new RegExp(`^Line ${at}: a quoted value is never closed`));
  }
  for (const [i, at] of [2, 3, 7].entries()) {
    const records = [LAYOUTS[0].headers, ...Array.from({ length: 8 }, (_, r) => cellsOf(LAYOUTS[0], goodPerson(r, `O${i}`), r))];
    const rows = buildCsv(records).text.split("\n");
    rows[at - 1] = rows[at - 1].replace(/^([^,]*),([^,]*),/, '$1,Jo"se,'); // a quote inside an unquoted value
    add(`a quote inside an unquoted value (line ${at})`, utf8(rows.join("\n")), new RegExp(`^Line ${at}: a double quote appears inside a value that is not quoted`));
  }
  for (const [i, at] of [2, 5].entries()) {
    const records = [LAYOUTS[0].headers, ...Array.from({ length: 6 }, (_, r) => cellsOf(LAYOUTS[0], goodPerson(r, `C${i}`), r))];
    const rows = buildCsv(records).text.split("\n");
    rows[at - 1] = rows[at - 1].replace(/^([^,]*),/, '"$1" Jr.,'); // text after the closing quote
    add(`text after a closing quote (line ${at})`, utf8(rows.join("\n")), new RegExp(`^Line ${at}: text follows a closing double quote`));
  }
  add("a JSON file", utf8('[{"first_name":"José","last_name":"Núñez"}]\n'), /^Line 1: a double quote appears inside a value that is not quoted/, "roster.json.csv");

  // Wrong number of cells on a row.
  for (const [i, at] of [2, 6, 11].entries()) {
    const layout = LAYOUTS[i % 2 === 0 ? 0 : 2];
    const records = [layout.headers, ...Array.from({ length: 10 }, (_, r) => cellsOf(layout, goodPerson(r, `W${i}`), r))];
    records[at - 1] = [...records[at - 1], "extra"];
    add(`a row with one value too many (line ${at})`, utf8(buildCsv(records, "\r\n").text), new RegExp(`^Line ${at}: has ${layout.headers.length + 1} values but the header row has ${layout.headers.length} columns`));
  }
  for (const [i, at] of [2, 5, 9].entries()) {
    const layout = LAYOUTS[0];
    const records = [layout.headers, ...Array.from({ length: 9 }, (_, r) => cellsOf(layout, goodPerson(r, `F${i}`), r))];
    records[at - 1] = records[at - 1].slice(0, 2);
    add(`a row with values missing (line ${at})`, utf8(buildCsv(records).text), new RegExp(`^Line ${at}: has 2 values but the header row has 4 columns`));
  }
  {
    // An unquoted comma in a name: the classic.
    const { text } = buildCsv([LAYOUTS[0].headers, ["José", "Núñez, Jr.", "E1", "jose@example.org"].map((c) => c)], "\n", { raw: true });
    add("an unquoted comma in a name (line 2)", utf8(text), /^Line 2: has 5 values but the header row has 4 columns\. Put values that contain commas in double quotes\.$/);
    const many = [LAYOUTS[0].headers, ...Array.from({ length: 6 }, (_, r) => [goodPerson(r, "U").first, `${goodPerson(r, "U").last}, Jr.`, `E${r}`, `u${r}@example.org`])];
    add("unquoted commas on every row", utf8(buildCsv(many, "\n", { raw: true }).text), /^Line 2: has 5 values .* \(5 more lines have the same problem\)$/);
  }
  add("two columns with the same name", utf8("First Name,Last Name,Email,email\nJosé,Núñez,a@example.org,b@example.org\n"), /^Line 1: columns 3 and 4 are both named "email"\./);
  add("two columns with names that normalize alike", utf8("Employee ID,employee-id,First Name,Last Name\nE1,E2,José,Núñez\n"), /^Line 1: columns 1 and 2 are both named "employee_id"\./);
  add("a column with values but no name", utf8("First Name,,Last Name\nJosé,extra,Núñez\n"), /^Line 1: column 2 has values but no name in the header row\./);
  add("a NUL byte in a name", utf8("First Name,Last Name\nJos\u0000é,Núñez\n"), NOT_CSV);

  // Not UTF-8.
  add("Latin-1 (Windows-1252) accents", concat(utf8("First Name,Last Name\nJos"), [0xe9], utf8(",N"), [0xfa, 0xf1], utf8("ez\n")), NOT_UTF8);
  add("a lone continuation byte", concat(utf8("First Name,Last Name\nJos"), [0x80], utf8(",Nunez\n")), NOT_UTF8);
  add("an overlong encoding of /", concat(utf8("First Name,Last Name\nJose"), [0xc0, 0xaf], utf8(",Nunez\n")), NOT_UTF8);
  add("a UTF-8 surrogate", concat(utf8("First Name,Last Name\nJose"), [0xed, 0xa0, 0x80], utf8(",Nunez\n")), NOT_UTF8);
  add("a multi-byte character cut at the end", concat(utf8("First Name,Last Name\nJosé,Nu"), [0xc3]), NOT_UTF8);
  add("a code point beyond U+10FFFF", concat(utf8("First Name,Last Name\nJose,"), [0xf4, 0x90, 0x80, 0x80], utf8("\n")), NOT_UTF8);
  const utf16 = (text: string, littleEndian: boolean, bom: boolean) => {
    const out: number[] = bom ? (littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
    for (const ch of text) {
      const c = ch.charCodeAt(0);
      out.push(...(littleEndian ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff]));
    }
    return Uint8Array.from(out);
  };
  add("UTF-16 LE with a BOM (Excel's Unicode text)", utf16("First Name,Last Name\r\nJosé,Núñez\r\n", true, true), NOT_UTF8);
  add("UTF-16 BE with a BOM", utf16("First Name,Last Name\r\nJosé,Núñez\r\n", false, true), NOT_UTF8);
  add("UTF-16 LE without a BOM", utf16("First Name,Last Name\r\nJose,Nunez\r\n", true, false), NOT_CSV);

  // Not text at all.
  for (let seed = 1; seed <= 6; seed++) {
    const random = seeded(seed);
    const junk = Uint8Array.from({ length: 256 + seed * 300 }, () => Math.floor(random() * 256));
    add(`random bytes (seed ${seed})`, junk, /not UTF-8 text|does not look like CSV text/);
  }
  add("a PNG image renamed .csv", concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], utf8("IHDR"), [0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]), /not UTF-8 text|does not look like CSV text/, "photo.csv");
  add("a PDF renamed .csv", concat(utf8("%PDF-1.7\n%"), [0xe2, 0xe3, 0xcf, 0xd3], utf8("\n1 0 obj\n")), NOT_UTF8, "roster.pdf.csv");
  add("a gzip file renamed .csv", Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0xcb]), NOT_UTF8, "roster.csv.gz.csv");
  add("an Excel workbook saved with a .csv name", concat(utf8("PK"), [0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x62, 0xee, 0x9d, 0x68]), /not UTF-8 text|does not look like CSV text/, "roster.csv");
  add("an Excel workbook (.xlsx)", utf8("First Name,Last Name\nJosé,Núñez\n"), /That is an Excel workbook/, "roster.xlsx");
  add("an old Excel workbook (.XLS)", Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /That is an Excel workbook/, "ROSTER.XLS");

  // Too big.
  {
    const header = `${LAYOUTS[2].headers.join(",")}\n`;
    const row = (i: number) => `${csvCell(`Lincoln High ${"x".repeat(900)}`)},p${i}@example.org,Núñez,José,E${i},staff,\n`;
    const rows: string[] = [header];
    let size = header.length;
    for (let i = 0; size <= 5 * 1024 * 1024; i++) {
      const r = row(i);
      rows.push(r);
      size += r.length;
    }
    add("larger than 5 MB", utf8(rows.join("")), /^The file is larger than 5 MB/);
  }
  {
    const records = [LAYOUTS[0].headers];
    for (let i = 0; i < 20_001; i++) records.push([`A${i}`, "B", `E${i}`, ""]);
    add("20,001 rows, one over the limit", utf8(buildCsv(records).text), /^The file has more than 20,000 rows; at most 20,000 can be imported at once/);
  }
  return files;
}

// --- Mapping-level problems -------------------------------------------------------------

function mappingFiles(): MalformedCsv[] {
  const files: MalformedCsv[] = [];
  const add = (name: string, text: string, message: RegExp, mapping?: MalformedCsv["mapping"]) =>
    files.push({ name: `mapping: ${name}`, fileName: "roster.csv", bytes: utf8(text), expect: { level: "mapping", message }, mapping });
  const NO_NAME = /No column is mapped to first name and last name \(or to full name\)/;

  add("headers that name nothing known", "foo,bar,baz\n1,2,3\n", NO_NAME);
  add("no header row: the first person is read as the header", "José,Núñez,E1001,jose@example.org\nMaría,García,E1002,maria@example.org\n", NO_NAME);
  add("district ID and email only", "Employee ID,Email\nE1,jose@example.org\n", NO_NAME);
  add("one column of values", "x\n1\n2\n", NO_NAME);
  add("an HTML page", "<!DOCTYPE html>\n<html><head><title>Roster</title></head>\n<body><table><tr><td>José</td></tr></table></body></html>\n", NO_NAME);
  add("first name without last name", "First Name,Email\nJosé,jose@example.org\n", /^No column is mapped to last name\.$/);
  add("last name without first name", "Surname,Email\nNúñez,jose@example.org\n", /^No column is mapped to first name\.$/);
  const std = "First Name,Last Name,Employee ID,Email\nJosé,Núñez,E1001,jose@example.org\n";
  add("both a full name and first/last chosen", "Name,First Name,Last Name\n\"Núñez, José\",José,Núñez\n", /Map either a full name column or first and last name columns, not both/, ["full_name", "first_name", "last_name"]);
  add("one field chosen for two columns", std, /First name is chosen for more than one column \(first_name, last_name\)/, ["first_name", "first_name", "district_id", "email"]);
  add("email chosen for two columns", std, /Email is chosen for more than one column \(employee_id, email\)/, ["first_name", "last_name", "email", "email"]);
  add("every column ignored", std, NO_NAME, ["ignore", "ignore", "ignore", "ignore"]);
  add("a column left without a choice", std, /^Choose a field for every column\.$/, ["first_name", "last_name", "district_id"]);
  add("a choice that is not a field", std, /^Choose a field for every column\.$/, ["first_name", "last_name", "password", "email"]);
  add("a choice that is a script", std, /^Choose a field for every column\.$/, ["first_name", "last_name", "<script>alert(1)</script>", "email"]);
  return files;
}

/** Every malformed file, in a stable order, with unique names. */
export function malformedRosterFiles(): MalformedCsv[] {
  const files = [...fileLevelFiles(), ...mappingFiles(), ...rowDefectFiles(), ...duplicateFiles(), ...lineNumberFiles(), ...manyDefectFiles(), ...bigFiles()];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name)) throw new Error(`Two malformed files are named "${f.name}"`);
    seen.add(f.name);
  }
  return files;
}
