/**
 * Roster imports (a district CSV, or the official MHFA platform's roster export): pure rules,
 * no database. Column mapping, row validation, full-name splitting, duplicates within the file,
 * and what each row will do given the people already known. Every message names the line and
 * the field, so a trainer can fix the file.
 *
 * Identity rules (docs/domain.md): a district ID decides; name + email only ever *suggests*
 * a match, which a human confirms row by row. Nothing is merged silently.
 */
import type { CsvRow } from "./csv-rows";
import { calendarDay } from "./calendar-date";

export const PERSON_KINDS = ["STAFF", "STUDENT", "COMMUNITY"] as const;
export type PersonKindName = (typeof PERSON_KINDS)[number];
export const PERSON_KIND_LABELS: Record<PersonKindName, string> = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" };

export const ROSTER_FIELDS = ["district_id", "first_name", "last_name", "full_name", "email", "kind", "school", "ignore"] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
export const ROSTER_FIELD_LABELS: Record<RosterField, string> = {
  district_id: "District ID",
  first_name: "First name",
  last_name: "Last name",
  full_name: "Full name",
  email: "Email",
  kind: "Kind (staff, student, community)",
  school: "School (code or name)",
  ignore: "Ignore this column",
};

export function isRosterField(value: unknown): value is RosterField {
  return typeof value === "string" && (ROSTER_FIELDS as readonly string[]).includes(value);
}

export function isPersonKind(value: unknown): value is PersonKindName {
  return typeof value === "string" && (PERSON_KINDS as readonly string[]).includes(value);
}

export const DISTRICT_ID_MAX = 40;
export const NAME_MAX = 100;
export const EMAIL_MAX = 254;

/** Header names as csv.server's normalizeHeader gives them ("Employee ID" → employee_id). */
/**
 * The school column is never guessed: a "School" or "Site" column in a sign-up sheet holds
 * whatever people wrote, and matched against our schools every row could become an error the
 * trainer never asked for. The trainer maps it, and the mapping is remembered.
 */
const HEADER_GUESSES: Record<Exclude<RosterField, "ignore" | "school">, string[]> = {
  district_id: [
    "district_id", "districtid", "employee_id", "employeeid", "employee_number", "employee_no", "employee_num", "emp_id", "empid",
    "emp_no", "staff_id", "staff_number", "student_id", "studentid", "student_number", "student_no", "id", "id_number", "person_id",
    "local_id", "sis_id", "badge_number",
  ],
  first_name: ["first_name", "firstname", "first", "given_name", "preferred_first_name", "learner_first_name", "fname", "nombre"],
  last_name: ["last_name", "lastname", "last", "surname", "family_name", "learner_last_name", "lname", "apellido", "apellidos"],
  full_name: ["name", "full_name", "fullname", "student_name", "employee_name", "staff_name", "participant", "participant_name", "learner_name", "learner", "attendee", "attendee_name"],
  email: ["email", "email_address", "e_mail", "e_mail_address", "work_email", "school_email", "district_email", "learner_email", "mail", "correo"],
  kind: ["kind", "type", "person_type", "role", "category", "participant_type", "audience", "staff_or_student"],
};

/** The field a column most likely holds, from its (normalized) header name. */
export function guessRosterField(header: string): RosterField {
  const h = header.trim().toLowerCase();
  for (const [field, names] of Object.entries(HEADER_GUESSES)) {
    if (names.includes(h) && isRosterField(field)) return field;
  }
  if (/(^|_)e_?mail(_|$)/.test(h)) return "email";
  if (/(employee|student|staff|district|badge)_?(id|number|no|num|code)$/.test(h)) return "district_id";
  if (/(^|_)first(_|$)/.test(h) || /given/.test(h)) return "first_name";
  if (/(^|_)last(_|$)/.test(h) || /surname|family/.test(h)) return "last_name";
  return "ignore";
}

/** A column mapping, column by column, in the file's order. */
export type ColumnMapping = RosterField[];

/** A remembered column mapping (header → field) read back from its JSON; anything the guard does not accept is dropped. */
export function parseFieldMapping<F extends string>(json: string | null | undefined, isField: (value: unknown) => value is F): Record<string, F> {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  const saved: Record<string, F> = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [header, field] of Object.entries(value)) if (isField(field)) saved[header] = field;
  }
  return saved;
}

/** A saved mapping (User.rosterImportMapping) read back; anything unexpected is dropped. */
export function parseSavedMapping(json: string | null | undefined): Record<string, RosterField> {
  return parseFieldMapping(json, isRosterField);
}

/** The mapping to remember, keyed by header name; merged over the saved one so other files' columns are kept. */
export function mappingToSave(headers: readonly string[], mapping: ColumnMapping, saved: Record<string, RosterField>): Record<string, RosterField> {
  const next = { ...saved };
  headers.forEach((h, i) => {
    next[h] = mapping[i] ?? "ignore";
  });
  return next;
}

/**
 * The mapping offered first: the user's last mapping for a header they used before, else a
 * guess from the header's name. A field goes to one column only (the first that claims it),
 * and a full-name column is left out when first and last name columns are there.
 */
export function suggestMapping(headers: readonly string[], saved: Record<string, RosterField> = {}): ColumnMapping {
  const mapping: ColumnMapping = headers.map((h) => saved[h] ?? "ignore");
  const taken = new Set<RosterField>();
  mapping.forEach((field, i) => {
    if (field === "ignore") return;
    if (taken.has(field)) mapping[i] = "ignore";
    else taken.add(field);
  });
  headers.forEach((h, i) => {
    if (h in saved) return;
    const guess = guessRosterField(h);
    if (guess !== "ignore" && !taken.has(guess)) {
      mapping[i] = guess;
      taken.add(guess);
    }
  });
  if (taken.has("first_name") && taken.has("last_name") && taken.has("full_name")) {
    const i = mapping.indexOf("full_name");
    mapping[i] = "ignore";
  }
  return mapping;
}

/** File-level problems with a mapping, each naming the field; empty when it can be used. */
export function checkMapping(headers: readonly string[], mapping: ColumnMapping): string[] {
  const problems: string[] = [];
  if (mapping.length !== headers.length) problems.push("Choose a field for every column of the file.");
  const columnsOf = new Map<RosterField, string[]>();
  mapping.forEach((field, i) => {
    if (field === "ignore") return;
    columnsOf.set(field, [...(columnsOf.get(field) ?? []), headers[i] ?? `column ${i + 1}`]);
  });
  for (const [field, columns] of columnsOf) {
    if (columns.length > 1) problems.push(`${ROSTER_FIELD_LABELS[field]} is chosen for more than one column (${columns.join(", ")}); choose it once.`);
  }
  const has = (f: RosterField) => columnsOf.has(f);
  if (has("full_name") && (has("first_name") || has("last_name"))) {
    problems.push("Map either a full name column or first and last name columns, not both.");
  } else if (!has("full_name")) {
    if (!has("first_name") && !has("last_name")) problems.push("No column is mapped to first name and last name (or to full name): every person needs a name.");
    else if (!has("first_name")) problems.push("No column is mapped to first name.");
    else if (!has("last_name")) problems.push("No column is mapped to last name.");
  }
  return problems;
}

/**
 * A file saved with semicolons or tabs reads as one wide column; say so instead of
 * reporting missing columns. null when the header row has commas, or nothing else.
 */
export function delimiterProblem(text: string): string | null {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const index = lines.findIndex((line) => line.trim() !== "");
  const first = lines[index];
  if (first === undefined || first.includes(",")) return null;
  // Blank lines above the header are skipped, so the header is not always line 1.
  const at = `Line ${index + 1}`;
  if (first.includes(";")) return `${at}: the header row is separated by semicolons (;), not commas. Save the file as CSV (comma-separated) and try again.`;
  if (first.includes("\t")) return `${at}: the header row is separated by tabs, not commas. Save the file as CSV (comma-separated) and try again.`;
  return null;
}

// --- Values ---------------------------------------------------------------------------

const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 37)}...` : text}"`;
/**
 * Control characters, line and paragraph separators, and the bidirectional overrides that
 * make text display other than it reads ("trojan source"): refused in names and emails.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Characters that draw nothing and mean nothing in a name, an ID or an email (zero-width space,
 * word joiner, a stray byte-order mark). Copied in from web pages and mail, they would make an
 * ID or email that looks right and never matches; they are removed from every cell.
 */
const INVISIBLE = /[\u200b\u2060\ufeff]/g;

/** A cell as the checks read it: invisible characters removed, spaces trimmed. */
export function cellValue(text: string | undefined): string {
  return (text ?? "").replace(INVISIBLE, "").trim();
}

/** Names as people write them, in one Unicode form (a Mac's "José" and Windows' "José" compare equal) and single spaces. */
export function cleanName(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** For suggesting matches only: case, accents and extra spaces do not count ("Jose NUNEZ" ~ "José Núñez"). */
export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** "Núñez, José" → José Núñez; "José Núñez" → first José, last Núñez; "Ana María de la Cruz" → last name is the last word. */
export function splitFullName(text: string): { firstName: string; lastName: string } | { error: string } {
  const name = cleanName(text);
  if (!name) return { error: "is blank" };
  const parts = name.split(",");
  if (parts.length > 2) return { error: `${quoted(name)} has more than one comma; write it as "Last, First" or "First Last"` };
  if (parts.length === 2) {
    const lastName = parts[0].trim();
    const firstName = parts[1].trim();
    if (!lastName || !firstName) return { error: `${quoted(name)} needs both a last and a first name around the comma` };
    return { firstName, lastName };
  }
  const words = name.split(" ");
  if (words.length < 2) return { error: `${quoted(name)} has only one word; give a first and a last name` };
  return { firstName: words.slice(0, -1).join(" "), lastName: words[words.length - 1] };
}

const KIND_WORDS: Record<string, PersonKindName> = {
  staff: "STAFF", employee: "STAFF", teacher: "STAFF", faculty: "STAFF", certificated: "STAFF", classified: "STAFF", adult: "STAFF",
  student: "STUDENT", pupil: "STUDENT", youth: "STUDENT",
  community: "COMMUNITY", "community partner": "COMMUNITY", partner: "COMMUNITY", parent: "COMMUNITY", guardian: "COMMUNITY", volunteer: "COMMUNITY",
};

/** A kind as a file writes it ("Student", "staff", "Community partner"), or null when unknown. */
export function parseKind(text: string): PersonKindName | null {
  const word = text.trim().toLowerCase().replace(/[\s_-]+/g, " ").replace(/s$/, "");
  return KIND_WORDS[word] ?? null;
}

const EMAIL = /^[^\s@,;:<>()[\]"]+@[^\s@,;:<>()[\]"]+\.[^\s@,;:<>()[\]".]{2,}$/;
const DISTRICT_ID = /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/;

export function emailProblem(email: string): string | null {
  if (email.length > EMAIL_MAX) return `is longer than ${EMAIL_MAX} characters`;
  if (CONTROL.test(email)) return "contains a line break or a control character";
  if (!EMAIL.test(email)) return `${quoted(email)} is not a valid email address`;
  return null;
}

export function districtIdProblem(id: string): string | null {
  if (id.length > DISTRICT_ID_MAX) return `is longer than ${DISTRICT_ID_MAX} characters`;
  if (!DISTRICT_ID.test(id)) return `${quoted(id)} may hold only letters, digits, dots, dashes, underscores and slashes`;
  return null;
}

/**
 * A name cell, cleaned, and what is wrong with it. Line breaks, tabs and other control
 * characters are looked for in the cell as written: cleanName turns them into spaces, which
 * would quietly accept a cell that holds more than a name ("José⏎Núñez" in a first-name column).
 */
function readName(cellText: string): { name: string; problem: string | null } {
  const name = cleanName(cellText);
  if (!name) return { name, problem: "is blank" };
  if (CONTROL.test(cellText)) return { name, problem: "contains a line break or a control character" };
  if (name.length > NAME_MAX) return { name, problem: `is longer than ${NAME_MAX} characters` };
  return { name, problem: null };
}

// --- Rows -----------------------------------------------------------------------------

export type PersonInput = { districtId: string | null; firstName: string; lastName: string; email: string | null; kind: PersonKindName };

/** A row after validation: the person it describes, or its errors; or a repeat of an earlier line, skipped. */
export type CheckedPersonRow = { line: number; person: PersonInput | null; errors: string[]; duplicateOfLine: number | null };

/** The key that says two rows in one file describe the same person. */
function inFileKey(p: PersonInput): string {
  return p.districtId ? `id:${p.districtId.toLowerCase()}` : `name:${foldName(p.firstName)}|${foldName(p.lastName)}|${p.email ?? ""}`;
}

const sameText = (a: string | null, b: string | null) => (a == null ? "" : foldName(a)) === (b == null ? "" : foldName(b));

/**
 * Duplicates within one file. A later line that repeats an earlier one (same district ID and
 * the same name and email, or, without an ID, the same name and email) is skipped, and shown as
 * such. A later line whose district ID is on an earlier line with another name or email is an
 * error: which line is right is for the trainer to say. Two lines with the same name and neither
 * ID nor email cannot be told apart, so the later one is an error too.
 */
export function markInFileDuplicates<R extends CheckedPersonRow>(rows: R[]): R[] {
  const firstLine = new Map<string, { line: number; person: PersonInput }>();
  const marked = rows.map((row) => {
    if (!row.person) return row;
    const key = inFileKey(row.person);
    const first = firstLine.get(key);
    if (!first) {
      firstLine.set(key, { line: row.line, person: row.person });
      return row;
    }
    const p = row.person;
    const q = first.person;
    if (p.districtId) {
      if (sameText(p.firstName, q.firstName) && sameText(p.lastName, q.lastName) && sameText(p.email, q.email)) {
        return { ...row, duplicateOfLine: first.line };
      }
      return {
        ...row, person: null,
        errors: [...row.errors, `Line ${row.line}: district ID ${quoted(p.districtId)} is also on line ${first.line} with a different name or email; keep one of the two lines`],
      };
    }
    if (!p.email) {
      return {
        ...row, person: null,
        errors: [...row.errors, `Line ${row.line}: ${p.firstName} ${p.lastName} is also on line ${first.line}, and neither line has a district ID or email to tell them apart; add one, or remove the repeated line`],
      };
    }
    return { ...row, duplicateOfLine: first.line };
  });
  // The same name and email on a line with a district ID and on one without: most likely one
  // person written twice, but it could be two. Never import both as new people; ask for the file to say.
  const nameEmail = (p: PersonInput) => `${foldName(p.firstName)}|${foldName(p.lastName)}|${p.email ?? ""}`;
  const withId = new Map<string, { line: number; districtId: string }>();
  for (const row of marked) {
    const p = row.person;
    if (p?.districtId && p.email && !withId.has(nameEmail(p))) withId.set(nameEmail(p), { line: row.line, districtId: p.districtId });
  }
  return marked.map((row) => {
    const p = row.person;
    if (!p || p.districtId || !p.email || row.duplicateOfLine) return row;
    const other = withId.get(nameEmail(p));
    if (!other) return row;
    return {
      ...row, person: null,
      errors: [...row.errors, `Line ${row.line}: ${p.firstName} ${p.lastName} (${p.email}) is also on line ${other.line} with district ID ${quoted(other.districtId)}; if it is the same person remove this line, if not give this line its own district ID`],
    };
  });
}

/**
 * A roster row: the person, and the school the file names for them (its code or name, as
 * written; the server matches it to a School). null when the column is not mapped or the cell
 * is blank: the session's school then applies (app/domain/membership-from-work.ts).
 */
export type RosterRow = CheckedPersonRow & { school: { text: string; column: string } | null };

/** Checks each row of a roster file against the chosen mapping; kind falls back to defaultKind when blank or unmapped. */
export function checkRosterRows(
  headers: readonly string[], rows: readonly CsvRow[], mapping: ColumnMapping, defaultKind: PersonKindName,
): RosterRow[] {
  const columnOf = (field: RosterField): string | null => {
    const i = mapping.indexOf(field);
    return i >= 0 ? headers[i] ?? null : null;
  };
  const cols = {
    districtId: columnOf("district_id"), firstName: columnOf("first_name"), lastName: columnOf("last_name"),
    fullName: columnOf("full_name"), email: columnOf("email"), kind: columnOf("kind"), school: columnOf("school"),
  };
  const checked = rows.map((row): RosterRow => {
    const errors: string[] = [];
    const at = (what: string, column: string, problem: string) => errors.push(`Line ${row.line}: ${what} (column ${column}) ${problem}`);
    const cell = (column: string | null) => (column ? cellValue(row.values[column]) : "");

    const districtId = cell(cols.districtId);
    if (cols.districtId && districtId) {
      const problem = districtIdProblem(districtId);
      if (problem) at("district ID", cols.districtId, problem);
    }

    let firstName = "";
    let lastName = "";
    if (cols.fullName) {
      const fullName = cell(cols.fullName);
      const split = splitFullName(fullName);
      if ("error" in split) at("full name", cols.fullName, split.error);
      else if (CONTROL.test(fullName)) at("full name", cols.fullName, "contains a line break or a control character");
      else {
        firstName = split.firstName;
        lastName = split.lastName;
        const problem = readName(firstName).problem ?? readName(lastName).problem;
        if (problem) at("full name", cols.fullName, problem);
      }
    } else {
      const first = readName(cell(cols.firstName));
      const last = readName(cell(cols.lastName));
      firstName = first.name;
      lastName = last.name;
      if (first.problem && cols.firstName) at("first name", cols.firstName, first.problem);
      if (last.problem && cols.lastName) at("last name", cols.lastName, last.problem);
    }

    const email = cell(cols.email).toLowerCase();
    if (cols.email && email) {
      const problem = emailProblem(email);
      if (problem) at("email", cols.email, problem);
    }

    const kindText = cell(cols.kind);
    const kind = kindText ? parseKind(kindText) : defaultKind;
    if (!kind && cols.kind) at("kind", cols.kind, `${quoted(kindText)} is not one of staff, student, community`);

    const schoolText = cleanName(cell(cols.school));
    if (cols.school && schoolText && CONTROL.test(cell(cols.school))) at("school", cols.school, "contains a line break or a control character");
    const school = cols.school && schoolText ? { text: schoolText, column: cols.school } : null;

    if (errors.length > 0 || !kind) return { line: row.line, person: null, errors, duplicateOfLine: null, school };
    return { line: row.line, person: { districtId: districtId || null, firstName, lastName, email: email || null, kind }, errors, duplicateOfLine: null, school };
  });
  return markInFileDuplicates(checked);
}

// --- Outcomes -------------------------------------------------------------------------

/** A person already in the database, as a candidate match for a row. */
export type KnownPerson = {
  id: string; districtId: string | null; firstName: string; lastName: string; email: string | null; kind: PersonKindName;
  /** Already on this session's roster. */
  enrolled: boolean;
};

/** What the database knows, looked up in batches for the whole file. */
export type Lookups = {
  /** By district ID (merged records already replaced by their survivor). */
  byDistrictId: Map<string, KnownPerson>;
  /** By lower-case email; merged records left out. */
  byEmail: Map<string, KnownPerson[]>;
  /** People on this session's roster, by folded "first last". */
  enrolledByName: Map<string, KnownPerson[]>;
  /**
   * District IDs held by someone the importing viewer may not see (a student of another
   * school, docs/decisions/010-person-visibility.md): such a row is an error that names
   * nobody, and it cannot create a new person either (the ID is taken).
   */
  hiddenDistrictIds: ReadonlySet<string>;
};

/** The trainer's answer for a "possible duplicate" row: create a new person, or use one of the candidates. */
export type RowChoice = { use: "new" } | { use: "existing"; personId: string };

export function parseChoice(value: unknown): RowChoice | null {
  if (value === "new") return { use: "new" };
  if (typeof value === "string" && value.startsWith("person:") && value.length > 7) return { use: "existing", personId: value.slice(7) };
  return null;
}

export function choiceValue(choice: RowChoice | null): string {
  return choice === null ? "" : choice.use === "new" ? "new" : `person:${choice.personId}`;
}

export type RowPlan =
  | { status: "error"; errors: string[] }
  | { status: "duplicate"; firstLine: number; reason: string }
  | { status: "new" }
  | { status: "matched"; person: KnownPerson; notes: string[] }
  | { status: "on-roster"; person: KnownPerson }
  /**
   * Name + email match without a district ID to decide: the trainer chooses; null blocks the commit.
   * `idMismatch`: the district ID is known but under a clearly different name (a typo in an ID
   * must not certify the wrong person): the trainer confirms it is that person, or fixes the file.
   */
  | { status: "review"; candidates: KnownPerson[]; choice: RowChoice | null; idMismatch?: true };

export const nameKey = (firstName: string, lastName: string) => foldName(`${firstName} ${lastName}`);

/**
 * The people a row might be, given what is known. A district ID in the database decides
 * outright; otherwise people with the same name and email are candidates (never merged
 * silently), except those holding a different district ID, who are someone else. A row with
 * neither ID nor email is compared by name with the session's roster, so importing one file
 * twice does not double it.
 */
export function findCandidates(person: PersonInput, lookups: Lookups): { byId: KnownPerson | null; candidates: KnownPerson[] } {
  if (person.districtId) {
    const byId = lookups.byDistrictId.get(person.districtId) ?? null;
    if (byId) return { byId, candidates: [] };
    // Someone the viewer may not see: no candidate to offer, and no new person either.
    if (lookups.hiddenDistrictIds.has(person.districtId)) return { byId: null, candidates: [] };
  }
  const key = nameKey(person.firstName, person.lastName);
  let candidates: KnownPerson[] = [];
  if (person.email) {
    candidates = (lookups.byEmail.get(person.email) ?? []).filter((k) => nameKey(k.firstName, k.lastName) === key);
  } else if (!person.districtId) {
    candidates = lookups.enrolledByName.get(key) ?? [];
  }
  if (person.districtId) candidates = candidates.filter((k) => k.districtId === null);
  return { byId: null, candidates };
}

/**
 * The message for a district ID held by someone the viewer may not see. It names the line and
 * the ID from the file, never the person: the same words whoever holds it.
 */
export function hiddenIdMessage(line: number, districtId: string): string {
  return `Line ${line}: district ID ${quoted(districtId)} cannot be matched from this session. If it is a student of another school, an administrator can add them; otherwise check the ID.`;
}

/** The words of a name, folded, split at spaces, hyphens, apostrophes and dots ("O'Brien-Díaz" → o, brien, diaz). */
const nameWords = (text: string) => foldName(text).split(/[\s\-'’.]+/).filter(Boolean);

/**
 * Two name words agree: equal, an initial ("J" for José), a short form ("Rob" for Robert, three
 * letters or more), or one letter apart in words of four or more ("Nunez", "Nunes").
 */
function wordsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if ((short.length === 1 || short.length >= 3) && long.startsWith(short)) return true;
  return short.length >= 4 && oneEditApart(short, long);
}

/** One letter changed, added or dropped (short.length <= long.length). */
function oneEditApart(short: string, long: string): boolean {
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i += 1;
  // Same length: skip the one changed letter in both; one longer: skip the added letter in it.
  return short.length === long.length ? short.slice(i + 1) === long.slice(i + 1) : short.slice(i) === long.slice(i + 1);
}

const anyAgree = (xs: string[], ys: string[]) => xs.some((x) => ys.some((y) => wordsAgree(x, y)));

/**
 * A file's row and the person its district ID belongs to are clearly different people: a typo
 * in the ID, not a nickname, an accent or a changed surname. The same email says same person.
 * Otherwise the last names must agree (either way round, for a file with first and last
 * swapped), or the first names agree with no email saying otherwise.
 */
export function clearlyDifferentPerson(
  row: { firstName: string; lastName: string; email: string | null },
  known: { firstName: string; lastName: string; email: string | null },
): boolean {
  const emailsKnown = row.email !== null && known.email !== null;
  if (emailsKnown && row.email?.toLowerCase() === known.email?.toLowerCase()) return false;
  const [rowFirst, rowLast, knownFirst, knownLast] = [nameWords(row.firstName), nameWords(row.lastName), nameWords(known.firstName), nameWords(known.lastName)];
  if (anyAgree(rowLast, knownLast) || (anyAgree(rowLast, knownFirst) && anyAgree(rowFirst, knownLast))) return false;
  if (anyAgree(rowFirst, knownFirst) && !emailsKnown) return false;
  return true;
}

/**
 * How rows are matched. `rosterByNameAndEmail`: a row without a district ID whose name and email
 * belong to exactly one known person, and that person is on this session's roster, is them (the
 * MHFA platform's export of a course lists that course's learners, whom the trainer already put on
 * the roster). Elsewhere a name + email match is only ever a suggestion.
 */
export type PlanOptions = { rosterByNameAndEmail?: boolean };

/**
 * What one row will do. The choice is honoured only when it names one of the row's
 * candidates; anything else leaves the row unchosen.
 */
export function decideOutcome(row: CheckedPersonRow, lookups: Lookups, choice: RowChoice | null, opts: PlanOptions = {}): RowPlan {
  if (!row.person) return { status: "error", errors: row.errors };
  if (row.duplicateOfLine !== null) return { status: "duplicate", firstLine: row.duplicateOfLine, reason: `repeats line ${row.duplicateOfLine}` };
  if (row.person.districtId && lookups.hiddenDistrictIds.has(row.person.districtId) && !lookups.byDistrictId.has(row.person.districtId)) {
    return { status: "error", errors: [hiddenIdMessage(row.line, row.person.districtId)] };
  }
  const { byId, candidates } = findCandidates(row.person, lookups);
  if (byId) {
    if (byId.enrolled) return { status: "on-roster", person: byId };
    if (clearlyDifferentPerson(row.person, byId)) {
      const valid = choice?.use === "existing" && choice.personId === byId.id ? choice : null;
      return { status: "review", candidates: [byId], choice: valid, idMismatch: true };
    }
    const notes: string[] = [];
    if (nameKey(byId.firstName, byId.lastName) !== nameKey(row.person.firstName, row.person.lastName)) {
      notes.push(`the file says ${row.person.firstName} ${row.person.lastName}; the district ID decides, and the record is not changed`);
    }
    return { status: "matched", person: byId, notes };
  }
  if (candidates.length === 0) return { status: "new" };
  const only = candidates[0];
  if (opts.rosterByNameAndEmail && candidates.length === 1 && only.enrolled && row.person.email && !row.person.districtId) {
    return { status: "on-roster", person: only };
  }
  const valid = choice && (choice.use === "new" || candidates.some((c) => c.id === choice.personId)) ? choice : null;
  return { status: "review", candidates, choice: valid };
}

/** The person a planned row ends up as: an existing id, "create", or nothing. */
export function resolution(plan: RowPlan): { existing: KnownPerson } | { create: true } | null {
  switch (plan.status) {
    case "new":
      return { create: true };
    case "matched":
    case "on-roster":
      return { existing: plan.person };
    case "review":
      if (!plan.choice) return null;
      if (plan.choice.use === "new") return { create: true };
      {
        const personId = plan.choice.personId;
        const chosen = plan.candidates.find((c) => c.id === personId);
        return chosen ? { existing: chosen } : null;
      }
    default:
      return null;
  }
}

/** Two rows that resolve to the same existing person: the later one is a duplicate. */
export function planRows<R extends CheckedPersonRow>(
  rows: R[], lookups: Lookups, choices: Map<number, RowChoice>, opts: PlanOptions = {},
): Array<R & { plan: RowPlan }> {
  const usedBy = new Map<string, number>();
  return rows.map((row) => {
    let plan = decideOutcome(row, lookups, choices.get(row.line) ?? null, opts);
    const r = resolution(plan);
    if (r && "existing" in r) {
      const first = usedBy.get(r.existing.id);
      if (first !== undefined) plan = { status: "duplicate", firstLine: first, reason: `is the same person as line ${first}` };
      else usedBy.set(r.existing.id, row.line);
    }
    return { ...row, plan };
  });
}

export type ImportCounts = {
  rows: number;
  newPeople: number;
  matched: number;
  onRoster: number;
  duplicates: number;
  review: number;
  unchosen: number;
  errors: number;
  /** Enrollments the import will create: new people and matched people not yet on the roster. */
  toAdd: number;
};

export function countPlans(plans: readonly RowPlan[]): ImportCounts {
  const c: ImportCounts = { rows: plans.length, newPeople: 0, matched: 0, onRoster: 0, duplicates: 0, review: 0, unchosen: 0, errors: 0, toAdd: 0 };
  for (const plan of plans) {
    if (plan.status === "error") c.errors += 1;
    else if (plan.status === "duplicate") c.duplicates += 1;
    if (plan.status === "review") {
      c.review += 1;
      if (!plan.choice) c.unchosen += 1;
    }
    const r = resolution(plan);
    if (!r) continue;
    if ("create" in r) c.newPeople += 1;
    else if (r.existing.enrolled) c.onRoster += 1;
    else c.matched += 1;
  }
  c.toAdd = c.newPeople + c.matched;
  return c;
}

/** What a committed import did. */
export type ImportSummary = {
  added: number; matched: number; newPeople: number; onRoster: number; duplicates: number;
  /** School memberships added for the people (roster files; app/domain/membership-from-work.ts). */
  memberships: number;
};

/** The message that blocks a commit while rows still need a choice; null when none do. */
export function unchosenMessage(plans: ReadonlyArray<{ line: number; plan: RowPlan }>): string | null {
  const waiting = plans.filter((p) => p.plan.status === "review" && !p.plan.choice);
  const mismatched = waiting.filter((p) => p.plan.status === "review" && p.plan.idMismatch).map((p) => p.line);
  const lines = waiting.filter((p) => !mismatched.includes(p.line)).map((p) => p.line);
  if (lines.length === 0 && mismatched.length === 0) return null;
  const list = (ls: number[]) => `${ls.length === 1 ? "line" : "lines"} ${ls.slice(0, 20).join(", ")}${ls.length > 20 ? ` and ${ls.length - 20} more` : ""}`;
  const idMessage = mismatched.length === 0 ? null
    : `Check the district ID on ${list(mismatched)}: it belongs to someone with a different name. Fix the file, or confirm "use the existing person" if it really is them.`;
  if (lines.length === 0) return idMessage;
  const shown = lines.slice(0, 20).join(", ");
  const more = lines.length > 20 ? ` and ${lines.length - 20} more` : "";
  return `${idMessage ? `${idMessage} ` : ""}Choose "use the existing person" or "create a new person" for ${lines.length === 1 ? "line" : "lines"} ${shown}${more}: ${lines.length === 1 ? "it matches" : "each matches"} someone by name and email, and nothing is merged without a person deciding.`;
}

/** Seats: how the import stands against the session's limit. */
export function capacityProblem(limit: number | null, enrolled: number, toAdd: number): string | null {
  if (limit == null || enrolled + toAdd <= limit) return null;
  return `This session holds ${limit} people and has ${enrolled}; this import adds ${toAdd}, ${enrolled + toAdd - limit} over the limit. Tick "over capacity on purpose" to import anyway.`;
}

// --- The MHFA platform's roster export ------------------------------------------------

export const MHFA_COLUMNS = {
  firstName: { label: "Learner First Name", names: ["learner_first_name", "first_name"] },
  lastName: { label: "Learner Last Name", names: ["learner_last_name", "last_name"] },
  email: { label: "Learner Email", names: ["learner_email", "email", "learner_email_address", "email_address"] },
  startDate: { label: "Course Start Date", names: ["course_start_date", "start_date"] },
  endDate: { label: "Course End Date", names: ["course_end_date", "end_date"] },
  status: { label: "Completion Status", names: ["completion_status", "status", "learner_status"] },
} as const;
type MhfaColumn = keyof typeof MHFA_COLUMNS;

/** The course's name, when the export has such a column (it is optional: used to name the course in messages). */
const MHFA_COURSE_NAME_COLUMNS = ["course_name", "course", "course_title"];

export type MhfaColumns = Record<MhfaColumn, string> & { courseName?: string | null };

/** The file's column for each expected MHFA column, or the message naming those it lacks. */
export function findMhfaColumns(headers: readonly string[]): { ok: true; columns: MhfaColumns } | { ok: false; error: string } {
  const find = (key: MhfaColumn) => MHFA_COLUMNS[key].names.find((name) => headers.includes(name)) ?? null;
  const [firstName, lastName, email, startDate, endDate, status] = [find("firstName"), find("lastName"), find("email"), find("startDate"), find("endDate"), find("status")];
  if (firstName && lastName && email && startDate && endDate && status) {
    const courseName = MHFA_COURSE_NAME_COLUMNS.find((name) => headers.includes(name)) ?? null;
    return { ok: true, columns: { firstName, lastName, email, startDate, endDate, status, courseName } };
  }
  const missing = Object.values(MHFA_COLUMNS).filter((spec) => !spec.names.some((name) => headers.includes(name))).map((spec) => `"${spec.label}"`);
  return {
    ok: false,
    error: `The file is missing the ${missing.length === 1 ? "column" : "columns"} ${missing.join(", ")}. An MHFA roster export has the columns ${Object.values(MHFA_COLUMNS).map((c) => `"${c.label}"`).join(", ")}.`,
  };
}

export type CompletionStatus = "COMPLETED" | "NOT_COMPLETED";

const STATUS_WORDS: Record<string, CompletionStatus> = {
  completed: "COMPLETED", complete: "COMPLETED", passed: "COMPLETED",
  incomplete: "NOT_COMPLETED", "in progress": "NOT_COMPLETED", "not started": "NOT_COMPLETED", enrolled: "NOT_COMPLETED",
  registered: "NOT_COMPLETED", withdrawn: "NOT_COMPLETED", "no show": "NOT_COMPLETED", failed: "NOT_COMPLETED",
};

export function parseCompletionStatus(text: string): CompletionStatus | null {
  return STATUS_WORDS[text.trim().toLowerCase().replace(/[\s_-]+/g, " ")] ?? null;
}

/** 11/14/2026, 11/14/26 is refused (which century?), 2026-11-14; a calendar day at 00:00 UTC, or null. */
export function parseCourseDate(text: string): Date | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
    if (!match) return null;
    [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = calendarDay(y, m, d); // the one strict reader: 02/30/2026 is refused, never rolled over
  return date && y >= 2000 && y <= 2100 ? date : null;
}

export type MhfaRow = CheckedPersonRow & {
  status: CompletionStatus | null; startDate: Date | null; endDate: Date | null;
  /** The course's name as the export writes it; null without a course name column. */
  course?: string | null;
};

/** Checks the rows of an MHFA export; learners are new people of defaultKind when not matched. */
export function checkMhfaRows(columns: MhfaColumns, rows: readonly CsvRow[], defaultKind: PersonKindName): MhfaRow[] {
  const checked = rows.map((row): MhfaRow => {
    const errors: string[] = [];
    const cell = (key: MhfaColumn) => cellValue(row.values[columns[key]]);
    const at = (key: MhfaColumn, problem: string) => errors.push(`Line ${row.line}: ${MHFA_COLUMNS[key].label} ${problem}`);

    const { name: firstName, problem: firstProblem } = readName(cell("firstName"));
    const { name: lastName, problem: lastProblem } = readName(cell("lastName"));
    if (firstProblem) at("firstName", firstProblem);
    if (lastProblem) at("lastName", lastProblem);

    const email = cell("email").toLowerCase();
    // The platform always has a learner's email; a blank one means the file was edited by hand.
    if (!email) at("email", "is blank");
    else {
      const problem = emailProblem(email);
      if (problem) at("email", problem);
    }

    const statusText = cell("status");
    const status = statusText ? parseCompletionStatus(statusText) : null;
    if (!statusText) at("status", "is blank");
    else if (!status) at("status", `${quoted(statusText)} is not one of Completed, Incomplete, In Progress, Not Started`);

    const dateOf = (key: "startDate" | "endDate") => {
      const text = cell(key);
      if (!text) return null;
      const date = parseCourseDate(text);
      if (!date) at(key, `${quoted(text)} is not a date like 11/14/2026 or 2026-11-14`);
      return date;
    };
    const startDate = dateOf("startDate");
    const endDate = dateOf("endDate");
    if (status === "COMPLETED" && !cell("endDate")) at("endDate", "is blank; a completed learner's post-work date is the course end date");
    if (startDate && endDate && endDate < startDate) at("endDate", "is before the Course Start Date");

    const courseText = columns.courseName ? cleanName(cellValue(row.values[columns.courseName])) : "";
    const course = courseText && !CONTROL.test(courseText) ? courseText.slice(0, NAME_MAX) : null;
    const base = { line: row.line, status, startDate, endDate, course, duplicateOfLine: null };
    if (errors.length > 0) return { ...base, person: null, errors };
    return { ...base, person: { districtId: null, firstName, lastName, email, kind: defaultKind }, errors };
  });
  // The same learner twice: identical lines are skipped; a different status is for the trainer to settle.
  const marked = markInFileDuplicates(checked);
  const statusOfLine = new Map(marked.map((r) => [r.line, r.status]));
  return marked.map((row) => {
    if (row.duplicateOfLine === null || statusOfLine.get(row.duplicateOfLine) === row.status) return row;
    return {
      ...row, person: null, duplicateOfLine: null,
      errors: [`Line ${row.line}: this learner is also on line ${row.duplicateOfLine} with a different Completion Status; keep one of the two lines`],
    };
  });
}

// --- What the preview shows -----------------------------------------------------------

export type OutcomeTone = "ok" | "warn" | "danger" | "muted";

/** One row of a preview, as the page shows it: serializable, in words as well as a colour. */
export type RowView = {
  line: number;
  name: string;
  districtId: string | null;
  email: string | null;
  kind: PersonKindName | null;
  status: RowPlan["status"];
  label: string;
  tone: OutcomeTone;
  messages: string[];
  /** For a "possible duplicate": the people it may be, as choices. */
  candidates: Array<{ value: string; label: string }>;
  /** The choice made so far ("" until the trainer decides). */
  choice: string;
  /** The membership the import adds for this row ("+ Lakeside High, 2026-27"), when it adds one. */
  membership?: string | null;
};

const described = (p: { firstName: string; lastName: string; districtId: string | null }) =>
  `${p.firstName} ${p.lastName}${p.districtId ? ` (${p.districtId})` : ""}`;

export function describeRow(row: CheckedPersonRow & { plan: RowPlan }): RowView {
  const p = row.person;
  const base = {
    line: row.line, name: p ? `${p.firstName} ${p.lastName}` : "", districtId: p?.districtId ?? null, email: p?.email ?? null, kind: p?.kind ?? null,
    status: row.plan.status, messages: [], candidates: [], choice: "",
  };
  const plan = row.plan;
  switch (plan.status) {
    case "error":
      return { ...base, label: "Error", tone: "danger", messages: plan.errors };
    case "duplicate":
      return { ...base, label: `Duplicate in file: ${plan.reason}, skipped`, tone: "muted" };
    case "new":
      return { ...base, label: "New person", tone: "ok" };
    case "matched":
      return { ...base, label: `Matched: ${described(plan.person)}`, tone: "ok", messages: plan.notes };
    case "on-roster":
      return { ...base, label: `Already on roster: ${described(plan.person)}`, tone: "muted" };
    case "review": {
      const names = plan.candidates.map(described).join(" or ");
      const decided = plan.choice === null ? "" : plan.choice.use === "new" ? ": you chose to create a new person" : ": you chose the existing person";
      if (plan.idMismatch) {
        // The district ID is taken, so "create a new person" is no choice: confirm, or fix the file.
        return {
          ...base,
          label: `Possible mistake: the district ID belongs to ${names}, not the name in the file; review${decided}`,
          tone: plan.choice ? "ok" : "warn",
          candidates: plan.candidates.map((c) => ({
            value: choiceValue({ use: "existing", personId: c.id }),
            label: `It is them: use ${described(c)}${c.email ? `, ${c.email}` : ""}`,
          })),
          choice: choiceValue(plan.choice),
        };
      }
      return {
        ...base,
        label: `Possible duplicate of ${names}, review${decided}`,
        tone: plan.choice ? "ok" : "warn",
        candidates: [
          ...plan.candidates.map((c) => ({
            value: choiceValue({ use: "existing", personId: c.id }),
            label: `Use the existing person: ${described(c)}${c.email ? `, ${c.email}` : ""}${c.enrolled ? " (already on this roster)" : ""}`,
          })),
          { value: "new", label: "Create a new person" },
        ],
        choice: choiceValue(plan.choice),
      };
    }
  }
}

const SHOW_ORDER: Record<RowPlan["status"], number> = { error: 0, review: 1, new: 2, matched: 3, "on-roster": 4, duplicate: 5 };

/**
 * The rows a preview draws: every row that needs a decision (all of them, or they could not
 * be chosen), then errors and the rest in file order, up to `limit`. Every row is still imported.
 */
export function rowsToShow<T extends { line: number; status: RowPlan["status"] }>(rows: readonly T[], limit = 500): T[] {
  const review = rows.filter((r) => r.status === "review");
  const others = rows
    .filter((r) => r.status !== "review")
    .sort((a, b) => SHOW_ORDER[a.status] - SHOW_ORDER[b.status] || a.line - b.line)
    .slice(0, Math.max(0, limit - review.length));
  return [...review, ...others].sort((a, b) => SHOW_ORDER[a.status] - SHOW_ORDER[b.status] || a.line - b.line);
}
