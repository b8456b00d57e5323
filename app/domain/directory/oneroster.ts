/**
 * Reading a district's OneRoster CSV export (1EdTech OneRoster 1.1 and 1.2, CSV binding): pure rules, no
 * database, no framework, no files. The import around it streams the files, groups 1.2's roles.csv rows by
 * user, matches people and schools, and stages the result; this module says what each row means.
 *
 * What the specification says and how we read it:
 * - Headers are camelCase and case-sensitive in the spec; districts' tools rename them, so any case, spaces,
 *   underscores or dashes are accepted (`cell`).
 * - `status` is "active" or "tobedeleted" (blank is allowed in 1.1 bulk files; 1.0's "inactive" is read as
 *   gone too). `enabledUser` is "true" or "false".
 * - 1.1: users.csv carries the user's `role` and `orgSourcedIds` (a comma-separated list in a quoted cell).
 *   1.2: roles move to roles.csv (one row per user, org and role, with `roleType` primary/secondary and optional
 *   `beginDate`/`endDate`); users.csv gains `primaryOrgSourcedId` and preferred names.
 * - `identifier` is the district's human-readable ID (employee number, student ID): our district ID.
 * - academicSessions.csv's `schoolYear` is the year the school year ENDS ("2027" for 2026-27); ours are named
 *   by the year they start (app/domain/school-year.ts).
 * - Guardians, parents and relatives are counted and never stored (docs/domain.md, Privacy).
 */
import { cellValue, cleanName, districtIdProblem, emailProblem, NAME_MAX } from "~/domain/roster-import";
import { formatSchoolYear, parseSchoolYear, schoolYearOf } from "~/domain/school-year";
import { parseCalendarDate } from "~/domain/calendar-date";

export type OneRosterVersion = "1.1" | "1.2";
export type OneRosterFile = "manifest.csv" | "orgs.csv" | "users.csv" | "roles.csv" | "academicSessions.csv";
/** Rows arrive as header-name → cell objects (headers exactly as in the file, BOM already removed by the reader). */
export type Cells = Record<string, string>;

// --- Columns ---------------------------------------------------------------------------

/** The same as the roster import's: refused in names (line breaks, bidirectional overrides). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** "Org Sourced IDs", "org_sourced_ids", "\uFEFForgSourcedIds" → "orgsourcedids". */
function columnKey(header: string): string {
  return header.replace(/[\u200b\u2060\ufeff]/g, "").toLowerCase().replace(/[\s_-]+/g, "");
}

// Headers repeat on every row of a large file; their keys are worked out once. Bounded so that files with
// ever-new headers cannot grow it without end.
const keyCache = new Map<string, string>();
function cachedKey(header: string): string {
  let key = keyCache.get(header);
  if (key === undefined) {
    if (keyCache.size > 2000) keyCache.clear();
    key = columnKey(header);
    keyCache.set(header, key);
  }
  return key;
}

/**
 * Column lookup tolerant of case, spaces, underscores: cell(row, "orgSourcedIds"). The cell comes back trimmed,
 * with invisible characters (zero-width spaces, a stray BOM) removed; "" when the column is not there.
 */
export function cell(row: Cells, column: string): string {
  if (Object.hasOwn(row, column)) return cellValue(row[column]);
  const wanted = cachedKey(column);
  for (const header of Object.keys(row)) {
    if (cachedKey(header) === wanted) return cellValue(row[header]);
  }
  return "";
}

/**
 * The columns we need to read each file, by version. The spec defines more (and requires some we never read,
 * such as username); only the ones this import cannot do without are demanded.
 */
const REQUIRED_COLUMNS: Record<OneRosterVersion, Record<OneRosterFile, readonly string[]>> = {
  "1.1": {
    "manifest.csv": ["propertyName", "value"],
    "orgs.csv": ["sourcedId", "name", "type", "identifier"],
    "users.csv": ["sourcedId", "givenName", "familyName", "identifier", "role", "orgSourcedIds"],
    "roles.csv": [],
    "academicSessions.csv": ["sourcedId", "type", "schoolYear"],
  },
  "1.2": {
    "manifest.csv": ["propertyName", "value"],
    "orgs.csv": ["sourcedId", "name", "type", "identifier"],
    "users.csv": ["sourcedId", "givenName", "familyName", "identifier"],
    "roles.csv": ["userSourcedId", "role", "orgSourcedId"],
    "academicSessions.csv": ["sourcedId", "type", "schoolYear"],
  },
};

/** null when fine, else a message naming the file and the missing column(s). */
export function missingColumns(file: OneRosterFile, headers: readonly string[], version: OneRosterVersion): string | null {
  const present = new Set(headers.map(columnKey));
  const required = REQUIRED_COLUMNS[version][file];
  const missing = required.filter((column) => !present.has(columnKey(column)));
  if (missing.length === 0) return null;
  const noun = missing.length === 1 ? "column" : "columns";
  return `${file} is missing the ${noun} ${missing.join(", ")}. A OneRoster ${version} ${file} must name: ${required.join(", ")}.`;
}

const REQUIRED_FILES: Record<OneRosterVersion, readonly OneRosterFile[]> = {
  "1.1": ["orgs.csv", "users.csv"],
  "1.2": ["orgs.csv", "users.csv", "roles.csv"],
};

const baseName = (path: string) => (path.split(/[\\/]/).pop() ?? path).toLowerCase();

/**
 * null when the export has the files this import reads, else a message naming the missing ones. File names
 * may carry folders ("export/users.csv"); case does not count.
 */
export function missingFiles(files: readonly string[], version: OneRosterVersion): string | null {
  const present = new Set(files.map(baseName));
  const missing = REQUIRED_FILES[version].filter((file) => !present.has(file.toLowerCase()));
  if (missing.length === 0) return null;
  const why = version === "1.2" && missing.includes("roles.csv") ? " (in OneRoster 1.2, roles.csv says who works or studies where)" : "";
  return `The OneRoster ${version} export is missing ${missing.join(", ")}${why}. It must include ${REQUIRED_FILES[version].join(", ")}.`;
}

// --- manifest.csv and the version --------------------------------------------------------

export type Manifest = { version: OneRosterVersion | null; usersMode: "bulk" | "delta" | "absent" | null };

function versionOf(text: string): OneRosterVersion | null {
  const match = /^v?\s*1\.([12])(?:\.\d+)*$/i.exec(text.trim());
  if (!match) return null;
  return match[1] === "1" ? "1.1" : "1.2";
}

/** manifest.csv's propertyName/value rows: `oneroster.version` and `file.users`. */
export function readManifest(rows: readonly Cells[]): Manifest {
  const manifest: Manifest = { version: null, usersMode: null };
  for (const row of rows) {
    const property = cell(row, "propertyName").toLowerCase();
    const value = cell(row, "value");
    if (property === "oneroster.version") manifest.version = versionOf(value);
    if (property === "file.users") {
      const mode = value.toLowerCase();
      manifest.usersMode = mode === "bulk" || mode === "delta" || mode === "absent" ? mode : null;
    }
  }
  return manifest;
}

/** Version when there is no manifest (or it names none): 1.2 when roles.csv is present or users.csv has primaryOrgSourcedId. */
export function guessVersion(files: readonly string[], userHeaders: readonly string[]): OneRosterVersion {
  if (files.some((file) => baseName(file) === "roles.csv")) return "1.2";
  if (userHeaders.some((header) => columnKey(header) === "primaryorgsourcedid")) return "1.2";
  return "1.1";
}

// --- status ----------------------------------------------------------------------------------

type Status = { ok: true; active: boolean } | { ok: false; problem: string };

/** Blank (1.1 bulk files) and "active" are active; "tobedeleted" (any case) and 1.0's "inactive" are not. */
function readStatus(text: string): Status {
  const value = text.toLowerCase();
  if (value === "" || value === "active") return { ok: true, active: true };
  if (value === "tobedeleted" || value === "inactive") return { ok: true, active: false };
  return { ok: false, problem: `status ${quoted(text)} is not "active" or "tobedeleted"` };
}

const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 37)}...` : text}"`;

// --- orgs.csv ------------------------------------------------------------------------------------

export type Org = { sourcedId: string; identifier: string; name: string; type: string; active: boolean };

/** null when sourcedId is blank. An org whose status is not understood counts as active (it names a place). */
export function readOrg(row: Cells): Org | null {
  const sourcedId = cell(row, "sourcedId");
  if (!sourcedId) return null;
  const status = readStatus(cell(row, "status"));
  return {
    sourcedId,
    identifier: cell(row, "identifier"),
    name: cleanName(cell(row, "name")),
    type: cell(row, "type"),
    active: status.ok ? status.active : true,
  };
}

// --- academicSessions.csv ---------------------------------------------------------------------

/** The start year of a session's school year, from schoolYear (the END year, "2027") or, failing that, its startDate. */
function sessionStartYear(row: Cells): number | null {
  const text = cell(row, "schoolYear");
  if (/^\d{4}$/.test(text)) {
    const start = Number(text) - 1;
    return parseSchoolYear(String(start));
  }
  // Some exporters write the span ("2026-2027"): that names its start.
  if (text) {
    const start = parseSchoolYear(text);
    if (start !== null && /\D/.test(text)) return start;
  }
  const startDate = parseCalendarDate(cell(row, "startDate").slice(0, 10));
  return startDate.ok ? schoolYearOf(startDate.date) : null;
}

/**
 * School years named by the file's academicSessions of type schoolYear, as start years (2026 for 2026-27),
 * sorted. Sessions marked tobedeleted are left out. When there is no session of type schoolYear at all, the
 * terms' and semesters' schoolYear column is read instead.
 */
export function schoolYearsNamed(rows: readonly Cells[]): number[] {
  const live = rows.filter((row) => {
    const status = readStatus(cell(row, "status"));
    return !status.ok || status.active;
  });
  const years = live.filter((row) => cell(row, "type").toLowerCase() === "schoolyear");
  const named = (years.length > 0 ? years : live).map(sessionStartYear).filter((year): year is number => year !== null);
  return [...new Set(named)].sort((a, b) => a - b);
}

// --- roles ---------------------------------------------------------------------------------------

export type PersonKindOfRole = "STAFF" | "STUDENT" | "GUARDIAN" | "UNKNOWN";

const roleKey = (role: string) => role.trim().toLowerCase().replace(/[\s_-]+/g, "");

/** Staff roles of 1.1 and 1.2 (and "staff", which exporters use), with their membership titles. */
const STAFF_TITLES: Record<string, string> = {
  teacher: "Teacher",
  aide: "Aide",
  administrator: "Administrator",
  counselor: "Counselor",
  staff: "Staff",
  principal: "Principal",
  proctor: "Proctor",
  siteadministrator: "Site administrator",
  districtadministrator: "District administrator",
  systemadministrator: "System administrator",
};
const GUARDIAN_ROLES = new Set(["guardian", "parent", "relative"]);

/** Staff roles → "STAFF"; student → "STUDENT"; guardian, parent, relative → "GUARDIAN"; else (ext: roles…) "UNKNOWN". */
export function kindOfRole(role: string): PersonKindOfRole {
  const key = roleKey(role);
  if (key in STAFF_TITLES) return "STAFF";
  if (key === "student") return "STUDENT";
  if (GUARDIAN_ROLES.has(key)) return "GUARDIAN";
  return "UNKNOWN";
}

/** CEDS grade-level codes, as OneRoster uses them. "Other" and anything unknown are left out of titles. */
const GRADE_LABELS: Record<string, string> = {
  IT: "Infant/toddler",
  PR: "Preschool",
  PK: "Pre-kindergarten",
  TK: "Transitional kindergarten",
  KG: "Kindergarten",
  PS: "Postsecondary",
  UG: "Ungraded",
};

function gradeLabel(code: string): string | null {
  const text = code.trim().toUpperCase();
  if (/^\d{1,2}$/.test(text)) {
    const grade = Number(text);
    return grade >= 1 && grade <= 13 ? `Grade ${grade}` : null;
  }
  return GRADE_LABELS[text] ?? null;
}

/** The comma-separated lists OneRoster puts in one quoted cell: trimmed, blanks and repeats dropped. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(",").map((item) => item.trim()).filter(Boolean))];
}

/**
 * The membership title: "Teacher", "Aide", "Counselor"...; students "Grade 10" from grades ("10", "KG" →
 * "Kindergarten", "PK" → "Pre-kindergarten"); several grades "Grades 9, 10"; a student without a readable grade
 * "Student". null for guardians and roles we do not know.
 */
export function titleFor(role: string, grades: string): string | null {
  const kind = kindOfRole(role);
  if (kind === "STAFF") return STAFF_TITLES[roleKey(role)] ?? null;
  if (kind !== "STUDENT") return null;
  const labels = [...new Set(splitList(grades).map(gradeLabel).filter((label): label is string => label !== null))];
  if (labels.length === 0) return "Student";
  if (labels.length === 1) return labels[0];
  if (labels.every((label) => label.startsWith("Grade "))) return `Grades ${labels.map((label) => label.slice(6)).join(", ")}`;
  return labels.join(", ");
}

export type RoleAssignment = {
  userSourcedId: string; orgSourcedId: string; role: string; roleType: "primary" | "secondary" | null;
  beginDate: string | null; endDate: string | null; active: boolean;
};

/** A date cell: "2026-08-15", or a dateTime whose day is read ("2026-08-15T00:00:00Z"). */
function readDate(text: string): { ok: true; date: string | null } | { ok: false; problem: string } {
  if (!text) return { ok: true, date: null };
  const day = /^\d{4}-\d{2}-\d{2}T/.test(text) ? text.slice(0, 10) : text;
  const parsed = parseCalendarDate(day);
  return parsed.ok ? { ok: true, date: parsed.iso } : { ok: false, problem: parsed.problem };
}

function parseRole(row: Cells): { role: RoleAssignment } | { problem: string } {
  const userSourcedId = cell(row, "userSourcedId");
  const orgSourcedId = cell(row, "orgSourcedId");
  const role = cell(row, "role");
  if (!userSourcedId) return { problem: "userSourcedId is blank" };
  if (!orgSourcedId) return { problem: "orgSourcedId is blank" };
  if (!role) return { problem: "role is blank" };
  const status = readStatus(cell(row, "status"));
  if (!status.ok) return { problem: status.problem };
  const begin = readDate(cell(row, "beginDate"));
  if (!begin.ok) return { problem: `beginDate ${begin.problem}` };
  const end = readDate(cell(row, "endDate"));
  if (!end.ok) return { problem: `endDate ${end.problem}` };
  if (begin.date && end.date && begin.date > end.date) return { problem: `beginDate ${begin.date} is after endDate ${end.date}` };
  const type = cell(row, "roleType").toLowerCase();
  return {
    role: {
      userSourcedId, orgSourcedId, role,
      roleType: type === "primary" || type === "secondary" ? type : null,
      beginDate: begin.date, endDate: end.date, active: status.active,
    },
  };
}

/** One roles.csv row; null when it cannot be read (see roleProblem for why). */
export function readRole(row: Cells): RoleAssignment | null {
  const parsed = parseRole(row);
  return "role" in parsed ? parsed.role : null;
}

/** Why a roles.csv row cannot be read, naming the file, line and column; null when readRole reads it. */
export function roleProblem(row: Cells, line: number): string | null {
  const parsed = parseRole(row);
  return "problem" in parsed ? `roles.csv line ${line}: ${parsed.problem}` : null;
}

/** Whether the role's dates (either may be blank) overlap the school year, 1 July to 30 June. */
function overlapsYear(role: RoleAssignment, schoolYear: number): boolean {
  const first = `${schoolYear}-07-01`;
  const last = `${schoolYear + 1}-06-30`;
  // ISO dates compare correctly as text.
  return (role.beginDate === null || role.beginDate <= last) && (role.endDate === null || role.endDate >= first);
}

/** A 1.2 role counts for a school year when active and its begin/end dates overlap that year. */
export function roleCoversYear(role: RoleAssignment, schoolYear: number): boolean {
  return role.active && overlapsYear(role, schoolYear);
}

// --- users.csv ------------------------------------------------------------------------------------

export type UserMembership = { orgSourcedId: string; title: string | null };
export type DirectoryPerson = {
  line: number; districtId: string; firstName: string; lastName: string; email: string | null;
  kind: "STAFF" | "STUDENT"; memberships: UserMembership[];
};
export type UserVerdict =
  | { kind: "person"; person: DirectoryPerson }
  | {
    kind: "ignored"; line: number; districtId: string | null; firstName: string; lastName: string; email: string | null;
    personKind: "STAFF" | "STUDENT" | null; reason: string; endsMembership: boolean;
  }
  | { kind: "guardian"; line: number }
  | { kind: "invalid"; line: number; message: string };

type Placement =
  | { kind: "STAFF" | "STUDENT"; memberships: UserMembership[] }
  | { kind: "none"; personKind: "STAFF" | "STUDENT" | null; reason: string; endsMembership: boolean };

const personKindOf = (kinds: readonly PersonKindOfRole[]): "STAFF" | "STUDENT" | null =>
  kinds.includes("STAFF") ? "STAFF" : kinds.includes("STUDENT") ? "STUDENT" : null;

const unknownRole = (role: string) => `role ${quoted(role)} is not a staff, student or guardian role this import reads`;

/** 1.1: the row's own role and orgSourcedIds. */
function placement11(row: Cells): Placement | { guardian: true } | { problem: string; personKind: "STAFF" | "STUDENT" | null } {
  const role = cell(row, "role");
  if (!role) return { problem: "role is blank", personKind: null };
  const kind = kindOfRole(role);
  if (kind === "GUARDIAN") return { guardian: true };
  if (kind === "UNKNOWN") {
    return { kind: "none", personKind: null, reason: unknownRole(role), endsMembership: false };
  }
  const orgs = splitList(cell(row, "orgSourcedIds"));
  if (orgs.length === 0) return { problem: "orgSourcedIds is blank; every user belongs to at least one org", personKind: kind };
  const title = titleFor(role, cell(row, "grades"));
  return { kind, memberships: orgs.map((orgSourcedId) => ({ orgSourcedId, title })) };
}

/**
 * 1.2: the user's roles.csv rows. Roles outside the school year (or marked tobedeleted) are dropped. Any staff
 * role makes the person staff, with the orgs of their staff roles only (a teacher who is also a parent, a
 * student aide); student-only users are students. Memberships start with primaryOrgSourcedId, then primary
 * roles, then the rest in file order; one per org, titled by the first role there.
 */
function placement12(row: Cells, schoolYear: number, roles: readonly RoleAssignment[]): Placement | { guardian: true } {
  const kinds = roles.map((role) => kindOfRole(role.role));
  if (!kinds.includes("STAFF") && !kinds.includes("STUDENT") && kinds.includes("GUARDIAN")) return { guardian: true };
  if (roles.length === 0) return { kind: "none", personKind: null, reason: "no role in roles.csv", endsMembership: false };
  const inYear = roles.filter((role) => roleCoversYear(role, schoolYear));
  const yearKind = personKindOf(inYear.map((role) => kindOfRole(role.role)));
  if (!yearKind) {
    // Roles of this year that the source marked tobedeleted say the person has left: their membership ends.
    const deleted = roles.some((role) => !role.active && overlapsYear(role, schoolYear) && kindOfRole(role.role) !== "GUARDIAN");
    const unknownOnly = inYear.length > 0 && personKindOf(kinds) === null;
    const reason = unknownOnly
      ? unknownRole(inYear[0].role)
      : `no role in ${formatSchoolYear(schoolYear)}`;
    return { kind: "none", personKind: personKindOf(kinds), reason, endsMembership: deleted };
  }
  const primaryOrg = cell(row, "primaryOrgSourcedId");
  const rank = (role: RoleAssignment) => (role.orgSourcedId === primaryOrg ? 0 : role.roleType === "primary" ? 1 : 2);
  const chosen = inYear
    .map((role, index) => ({ role, index }))
    .filter(({ role }) => kindOfRole(role.role) === yearKind)
    .sort((a, b) => rank(a.role) - rank(b.role) || a.index - b.index);
  const grades = cell(row, "grades");
  const memberships: UserMembership[] = [];
  const seen = new Set<string>();
  for (const { role } of chosen) {
    if (seen.has(role.orgSourcedId)) continue;
    seen.add(role.orgSourcedId);
    memberships.push({ orgSourcedId: role.orgSourcedId, title: titleFor(role.role, grades) });
  }
  return { kind: yearKind, memberships };
}

/**
 * A name cell, cleaned (one Unicode form, single spaces), and what is wrong with it, read after the column's
 * name ("givenName is blank"). Control characters are looked for in the cell as written: cleanName turns line
 * breaks into spaces, which would quietly accept a cell holding more than a name.
 */
function readName(text: string): { name: string; problem: string | null } {
  const name = cleanName(text);
  if (!name) return { name, problem: "is blank" };
  if (CONTROL.test(text)) return { name, problem: "contains a line break or a control character" };
  if (name.length > NAME_MAX) return { name, problem: `is longer than ${NAME_MAX} characters` };
  return { name, problem: null };
}

/**
 * One users.csv row (line: the header is line 1). 1.1: role and orgSourcedIds from the row. 1.2: `roles` are
 * this user's roles.csv rows (read by readRole; the import groups them by userSourcedId); the row's own role
 * column, if any, is ignored.
 *
 * In order: guardians are only counted (nothing else about them is read); a status or enabledUser we cannot read
 * makes the row invalid; tobedeleted and disabled users are ignored and their memberships end; a user without an
 * identifier is ignored (there is no district ID to hold them by), as is one with no role we read or, in 1.2, no
 * role in the school year; then the identifier, names and email are checked, each problem naming the column.
 *
 * Names are the legal givenName/familyName, not preferredGivenName/preferredFamilyName: the directory holds the
 * district's records, and certificates carry the name on those records. Emails are lower-cased, as the roster
 * import stores them.
 */
export function readUser(
  row: Cells, line: number, version: OneRosterVersion, schoolYear: number, roles: readonly RoleAssignment[] = [],
): UserVerdict {
  const at = `users.csv line ${line}`;
  const invalid = (problems: string[]): UserVerdict => ({ kind: "invalid", line, message: `${at}: ${problems.join("; ")}` });

  const place = version === "1.1" ? placement11(row) : placement12(row, schoolYear, roles);
  if ("guardian" in place) return { kind: "guardian", line };

  const status = readStatus(cell(row, "status"));
  const enabledText = cell(row, "enabledUser");
  const enabled = enabledText.toLowerCase();
  const problems: string[] = [];
  if (!status.ok) problems.push(status.problem);
  if (enabled !== "" && enabled !== "true" && enabled !== "false") problems.push(`enabledUser ${quoted(enabledText)} is not "true" or "false"`);
  if (problems.length > 0) return invalid(problems);

  const given = readName(cell(row, "givenName"));
  const family = readName(cell(row, "familyName"));
  const firstName = given.name;
  const lastName = family.name;
  const idText = cell(row, "identifier");
  const emailText = cell(row, "email").toLowerCase();
  const ignored = (reason: string, endsMembership: boolean, personKind: "STAFF" | "STUDENT" | null): UserVerdict => ({
    kind: "ignored", line, firstName, lastName, reason, endsMembership, personKind,
    // Only values that could name someone in the directory: an ID or email we would refuse matches no one.
    districtId: idText && !districtIdProblem(idText) ? idText : null,
    email: emailText && !emailProblem(emailText) ? emailText : null,
  });
  const personKind = "problem" in place || place.kind === "none" ? place.personKind : place.kind;

  // A user on their way out is not held to the rules for a record we keep (a blank role or orgs list).
  if (status.ok && !status.active) return ignored("marked tobedeleted in the source system", true, personKind);
  if (enabled === "false") return ignored("disabled in the source system", true, personKind);
  if (!idText) return ignored("no district ID (identifier)", false, personKind);
  if ("problem" in place) problems.push(place.problem);
  else if (place.kind === "none") return ignored(place.reason, place.endsMembership, place.personKind);

  const idProblem = districtIdProblem(idText);
  if (idProblem) problems.push(`identifier ${idProblem}`);
  if (given.problem) problems.push(`givenName ${given.problem}`);
  if (family.problem) problems.push(`familyName ${family.problem}`);
  const mailProblem = emailText ? emailProblem(emailText) : null;
  if (mailProblem) problems.push(`email ${mailProblem}`);
  if (problems.length > 0 || "problem" in place) return invalid(problems);

  return {
    kind: "person",
    person: { line, districtId: idText, firstName, lastName, email: emailText || null, kind: place.kind, memberships: place.memberships },
  };
}
