/**
 * `npm run sample:oneroster`: writes samples/oneroster-demo-1.2.zip, a OneRoster 1.2 export of the demo district in the
 * database DATABASE_URL names (default ./data/app.db, as `npm start`), to try the directory import with
 * (Administration → Directory imports → Import people files).
 *
 * What is in it, for the current school year (or --year 2026):
 * - orgs: the district, every active school by its real code, and one org whose identifier no school has (listed
 *   as unmatched; its people get no membership);
 * - academicSessions: the school year and its two semesters;
 * - users and roles: new staff and students spread over the schools (a few itinerants with a second school), about
 *   twenty people already in the directory by their district IDs (some renamed slightly: updated), two whose ID is
 *   held by someone with a clearly different name (held for review), two guardians (never stored), one user marked
 *   tobedeleted and one disabled.
 * The manifest says users.csv is a *delta* file: a bulk file ends the memberships of everyone missing from it at the
 * schools it names, and a sample of a few hundred people would empty every school of the demo.
 *
 * Deterministic: the same database gives the same bytes (a seeded generator, fixed timestamps).
 * planSampleExport is pure (no database, no files): the browser test builds its upload with it.
 *
 *   npm run sample:oneroster -- [--year 2026] [--out samples/oneroster-demo-1.2.zip]
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import yazl from "yazl";
import { formatSchoolYear, schoolYearOf } from "../app/domain/school-year";
import { mulberry32 } from "../prisma/seed/random";
import { databaseLocation, describeDatabase } from "./lib/db-setup";
import { openReadOnly } from "./lib/read-only-query";

// --- What the export is made from -------------------------------------------------------------

export type SnapshotSchool = { code: string; name: string; level: string };
/** Someone in the directory with a district ID and exactly one membership in the school year. */
export type SnapshotPerson = {
  districtId: string; firstName: string; lastName: string; email: string | null; kind: string; schoolCode: string; title: string | null;
};
export type DirectorySnapshot = {
  schools: SnapshotSchool[];
  people: SnapshotPerson[];
  /** Every district ID and email in use, so that new people take none of them. */
  takenIds: Set<string>;
  takenEmails: Set<string>;
};

/** Reads what the sample needs from the app's database (SQLite or PostgreSQL), read-only (the server may be running). */
export async function readDirectorySnapshot(databaseUrl: string, schoolYear: number): Promise<DirectorySnapshot> {
  const db = await openReadOnly(databaseUrl);
  try {
    const schools = await db.all<SnapshotSchool>(`SELECT "code", "name", "level" FROM "School" WHERE "active" = TRUE ORDER BY "code"`);
    const people = await db.all<SnapshotPerson>(`
      SELECT p."districtId", p."firstName", p."lastName", p."email", p."kind", s."code" AS "schoolCode", a."title"
      FROM (SELECT "personId" FROM "Affiliation" WHERE "schoolYear" = $1 GROUP BY "personId" HAVING COUNT(*) = 1) one
        JOIN "Person" p ON p."id" = one."personId" JOIN "Affiliation" a ON a."personId" = p."id" AND a."schoolYear" = $1
        JOIN "School" s ON s."id" = a."schoolId"
      WHERE p."districtId" IS NOT NULL AND p."mergedIntoId" IS NULL AND p."kind" IN ('STAFF', 'STUDENT')
        AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."personId" = p."id")
      ORDER BY p."districtId"`, [schoolYear]);
    const values = async (sql: string) => new Set((await db.all<{ v: string }>(sql)).map((r) => r.v));
    const takenIds = await values(`SELECT "districtId" AS "v" FROM "Person" WHERE "districtId" IS NOT NULL`);
    const takenEmails = await values(`SELECT lower("email") AS "v" FROM "Person" WHERE "email" IS NOT NULL`);
    return { schools, people, takenIds, takenEmails };
  } finally {
    await db.close();
  }
}

// --- The plan (pure) ----------------------------------------------------------------------------

export type SampleOptions = {
  schoolYear: number;
  newStaff?: number;
  newStudents?: number;
  /** School codes whose people are left as they are (the browser tests keep the coordinator's schools untouched). */
  leaveAlone?: readonly string[];
  seed?: number;
};

export type SampleFile = { name: string; text: string };
/** What the import should make of the files: the browser test checks the preview against it. */
export type SampleExpectation = {
  NEW: number; UPDATED: number; UNCHANGED: number; REVIEW: number; IGNORED: number; guardians: number;
  membershipsAdded: number; membershipsRetitled: number;
};
export type SampleExport = {
  schoolYear: number;
  files: SampleFile[];
  expected: SampleExpectation;
  /** Rows held for review: the file's name against the record's. */
  held: Array<{ districtId: string; fileName: string; recordName: string }>;
  renamed: Array<{ districtId: string; before: string; after: string }>;
  unmatchedOrg: { identifier: string; name: string };
};

const DISTRICT_DOMAIN = "lakeside.k12.example";
const STUDENT_DOMAIN = `students.${DISTRICT_DOMAIN}`;

const FIRST_NAMES = [
  "Adriana", "Alonso", "Amara", "Benjamin", "Bianca", "Cecilia", "Cristina", "Dalia", "Dmitri", "Elias", "Esperanza", "Farah", "Felipe",
  "Gianna", "Gustavo", "Hector", "Ines", "Iris", "Javier", "Joaquin", "Kaitlyn", "Kenji", "Lena", "Leonardo", "Marisol", "Mohammed",
  "Nadia", "Nicolas", "Oscar", "Paola", "Quinn", "Renata", "Rosalind", "Santiago", "Selena", "Soo-ah", "Thiago", "Trinity", "Ulises",
  "Veronica", "Wendy", "Xavier", "Yara", "Yesenia", "Zachary", "Zainab", "Ibrahim", "Sakura", "Tuan", "Mai", "Ravi", "Deepa",
];
const LAST_NAMES = [
  "Acosta", "Aguirre", "Avila", "Bautista", "Cabrera", "Cardenas", "Carrillo", "Contreras", "Dominguez", "Espinoza", "Estrada",
  "Figueroa", "Fuentes", "Galvan", "Ibarra", "Juarez", "Lara", "Luna", "Maldonado", "Marquez", "Mejia", "Miranda", "Molina",
  "Montoya", "Nava", "Ochoa", "Orozco", "Pacheco", "Padilla", "Quintero", "Rangel", "Rosales", "Sandoval", "Serrano", "Solis",
  "Trujillo", "Valdez", "Velasquez", "Zamora", "Bishop", "Crawford", "Fitzgerald", "Holloway", "Lindqvist", "Novak", "Okafor",
  "Pereira", "Rahman", "Takahashi", "Truong", "Vu", "Yilmaz", "Abernathy", "Hwang", "Iyer", "Kowalski", "Mensah", "Osei",
];
/** Accents a records clerk adds or fixes: the same person, a changed name (the file wins). */
const ACCENTED: Record<string, string> = {
  Maria: "María", Jose: "José", Sofia: "Sofía", Lucia: "Lucía", Tomas: "Tomás", Jesus: "Jesús", Angel: "Ángel", Ramirez: "Ramírez",
  Hernandez: "Hernández", Lopez: "López", Martinez: "Martínez", Gonzalez: "González", Rodriguez: "Rodríguez", Perez: "Pérez",
  Sanchez: "Sánchez", Gomez: "Gómez", Diaz: "Díaz", Gutierrez: "Gutiérrez", Jimenez: "Jiménez", Munoz: "Muñoz", Rios: "Ríos",
  Garcia: "García", Alvarez: "Álvarez", Chavez: "Chávez", Vasquez: "Vásquez", Ruben: "Rubén", Ramon: "Ramón", Ivan: "Iván",
};
/** Names no demo record has: a row under one of these with a known ID is clearly someone else. */
const STRANGERS = [
  { first: "Beatrix", last: "Wojciechowski" },
  { first: "Thaddeus", last: "Okonkwo-Hale" },
];
const STAFF_ROLES: ReadonlyArray<readonly [string, number]> = [["teacher", 70], ["aide", 10], ["staff", 11], ["counselor", 5], ["administrator", 4]];
const GRADES: Record<string, readonly string[]> = {
  ELEMENTARY: ["KG", "01", "02", "03", "04", "05"],
  MIDDLE: ["06", "07", "08"],
  HIGH: ["09", "10", "11", "12"],
  K12: ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"],
  CENTER: ["09", "10", "11", "12"],
  OTHER: ["09", "10", "11", "12"],
};
/** The import's membership titles (app/domain/directory/oneroster.ts titleFor), to count retitled memberships. */
const ROLE_TITLES: Record<string, string> = { teacher: "Teacher", aide: "Aide", staff: "Staff", counselor: "Counselor", administrator: "Administrator", principal: "Principal" };

function gradeTitle(code: string): string {
  return code === "KG" ? "Kindergarten" : `Grade ${Number(code)}`;
}

/** The OneRoster role for a demo membership title ("Teacher (English)", "Instructional Aide", "Principal"...). */
function roleForTitle(title: string | null): string {
  const t = (title ?? "").toLowerCase();
  if (t === "principal") return "principal";
  if (t.includes("principal")) return "administrator";
  if (t.includes("counselor")) return "counselor";
  if (t.includes("aide")) return "aide";
  if (t.includes("teacher")) return "teacher";
  return "staff";
}

type UserRow = {
  sourcedId: string; status: "active" | "tobedeleted"; enabledUser: boolean; givenName: string; familyName: string; identifier: string;
  email: string; agentSourcedIds: string; grades: string; primaryOrgSourcedId: string;
};
type RoleRow = { userSourcedId: string; status: "active" | "tobedeleted"; roleType: "primary" | "secondary"; role: string; beginDate: string; endDate: string; orgSourcedId: string };

/** One CSV line: cells with a comma, quote or line break are quoted (RFC 4180). */
function csvLine(cells: ReadonlyArray<string | number>): string {
  return cells.map((c) => {
    const text = String(c);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(",");
}
const csv = (header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>) => [header, ...rows].map(csvLine).join("\r\n") + "\r\n";

const orgId = (code: string) => `org-${code.toLowerCase()}`;

/**
 * The export's files for the snapshot's district, and what the import should make of them. Pure: the same snapshot
 * and options give the same files.
 */
export function planSampleExport(snapshot: DirectorySnapshot, options: SampleOptions): SampleExport {
  const { schoolYear, newStaff = 90, newStudents = 190, leaveAlone = [], seed = 20_261_206 } = options;
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const weighted = (items: ReadonlyArray<readonly [string, number]>) => {
    let roll = random() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((roll -= w) < 0) return item;
    return items[items.length - 1][0];
  };
  const shuffle = <T,>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };

  const stamp = `${schoolYear}-08-10T06:00:00Z`;
  const yearStart = `${schoolYear}-08-17`;
  const yearEnd = `${schoolYear + 1}-06-11`;
  const avoid = new Set(leaveAlone);
  const schools = snapshot.schools.filter((s) => !avoid.has(s.code));
  if (schools.length === 0) throw new Error("The database has no schools (other than those left alone) to export.");
  const schoolByCode = new Map(snapshot.schools.map((s) => [s.code, s]));

  let unmatchedCode = "AE900";
  while (schoolByCode.has(unmatchedCode)) unmatchedCode = `${unmatchedCode}X`;
  const unmatchedOrg = { identifier: unmatchedCode, name: "Lakeside Adult Education Center" };

  const users: UserRow[] = [];
  const roles: RoleRow[] = [];
  const expected: SampleExpectation = { NEW: 0, UPDATED: 0, UNCHANGED: 0, REVIEW: 0, IGNORED: 0, guardians: 0, membershipsAdded: 0, membershipsRetitled: 0 };
  const held: SampleExport["held"] = [];
  const renamed: SampleExport["renamed"] = [];
  const emails = new Set(snapshot.takenEmails);
  const uniqueEmail = (local: string, domain: string) => {
    const clean = local.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z.]/g, "");
    let candidate = `${clean}@${domain}`;
    for (let n = 2; emails.has(candidate); n++) candidate = `${clean}${n}@${domain}`;
    emails.add(candidate);
    return candidate;
  };
  const user = (row: Partial<UserRow> & Pick<UserRow, "sourcedId" | "givenName" | "familyName">): UserRow => {
    const full: UserRow = { status: "active", enabledUser: true, identifier: "", email: "", agentSourcedIds: "", grades: "", primaryOrgSourcedId: "", ...row };
    users.push(full);
    return full;
  };
  const role = (row: Partial<RoleRow> & Pick<RoleRow, "userSourcedId" | "role" | "orgSourcedId">) =>
    roles.push({ status: "active", roleType: "primary", beginDate: "", endDate: "", ...row });

  // People already in the directory, by their real district IDs, at the school they are at this year.
  const known = shuffle(snapshot.people.filter((p) => !avoid.has(p.schoolCode) && schoolByCode.has(p.schoolCode)));
  const staffWithEmail = known.filter((p) => p.kind === "STAFF" && p.email);
  const accentable = (p: SnapshotPerson) => ACCENTED[p.firstName] !== undefined || ACCENTED[p.lastName] !== undefined;
  const used = new Set<string>();
  const take = (list: SnapshotPerson[], count: number, when: (p: SnapshotPerson) => boolean = () => true) => {
    const chosen = list.filter((p) => !used.has(p.districtId) && when(p)).slice(0, count);
    for (const p of chosen) used.add(p.districtId);
    return chosen;
  };
  const toRename = take(staffWithEmail, 8, accentable);
  const unchanged = [...take(staffWithEmail, 6), ...take(known.filter((p) => p.kind === "STUDENT" && /^(Grade \d+|Kindergarten)$/.test(p.title ?? "")), 6)];
  const toHold = take(staffWithEmail, STRANGERS.length);
  const [leaving, disabled] = take(staffWithEmail, 2);

  const knownUser = (p: SnapshotPerson, name: { first: string; last: string }, email: string | null, extra: Partial<UserRow> = {}) => {
    const sourcedId = `usr-${p.districtId.toLowerCase()}`;
    const studentGrade = p.kind === "STUDENT" ? (p.title === "Kindergarten" ? "KG" : String(Number((p.title ?? "").replace(/\D/g, ""))).padStart(2, "0")) : "";
    user({ sourcedId, givenName: name.first, familyName: name.last, identifier: p.districtId, email: email ?? "", grades: studentGrade, primaryOrgSourcedId: orgId(p.schoolCode), ...extra });
    const r = p.kind === "STUDENT" ? "student" : roleForTitle(p.title);
    role({
      userSourcedId: sourcedId, role: r, orgSourcedId: orgId(p.schoolCode), status: extra.status ?? "active",
      beginDate: p.kind === "STUDENT" ? yearStart : `${schoolYear - int(1, 9)}-08-01`, endDate: p.kind === "STUDENT" ? yearEnd : "",
    });
    const title = p.kind === "STUDENT" ? gradeTitle(studentGrade) : ROLE_TITLES[r];
    return title !== p.title;
  };
  for (const p of toRename) {
    const after = { first: ACCENTED[p.firstName] ?? p.firstName, last: ACCENTED[p.lastName] ?? p.lastName };
    renamed.push({ districtId: p.districtId, before: `${p.firstName} ${p.lastName}`, after: `${after.first} ${after.last}` });
    if (knownUser(p, after, p.email)) expected.membershipsRetitled += 1;
    expected.UPDATED += 1;
  }
  for (const p of unchanged) {
    if (knownUser(p, { first: p.firstName, last: p.lastName }, p.email)) expected.membershipsRetitled += 1;
    expected.UNCHANGED += 1;
  }
  toHold.forEach((p, i) => {
    const stranger = STRANGERS[i];
    knownUser(p, stranger, uniqueEmail(`${stranger.first}.${stranger.last}`, DISTRICT_DOMAIN));
    held.push({ districtId: p.districtId, fileName: `${stranger.first} ${stranger.last}`, recordName: `${p.firstName} ${p.lastName}` });
    expected.REVIEW += 1;
  });
  if (leaving) {
    knownUser(leaving, { first: leaving.firstName, last: leaving.lastName }, leaving.email, { status: "tobedeleted" });
    expected.IGNORED += 1;
  }
  if (disabled) {
    knownUser(disabled, { first: disabled.firstName, last: disabled.lastName }, disabled.email, { enabledUser: false });
    expected.IGNORED += 1;
  }

  // New people: district IDs nobody holds, in ranges the demo seed does not use.
  let employeeNumber = 900_000;
  const nextEmployeeId = () => {
    do employeeNumber += 1; while (snapshot.takenIds.has(`E${employeeNumber}`));
    return `E${employeeNumber}`;
  };
  let studentNumber = 2_900_000;
  const nextStudentId = () => {
    do studentNumber += 1; while (snapshot.takenIds.has(`S${studentNumber}`));
    return `S${studentNumber}`;
  };
  for (let n = 0; n < newStaff; n++) {
    const school = pick(schools);
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const id = nextEmployeeId();
    const sourcedId = `usr-${id.toLowerCase()}`;
    user({ sourcedId, givenName: first, familyName: last, identifier: id, email: uniqueEmail(`${first}.${last}`, DISTRICT_DOMAIN), primaryOrgSourcedId: orgId(school.code) });
    role({ userSourcedId: sourcedId, role: weighted(STAFF_ROLES), orgSourcedId: orgId(school.code), beginDate: `${schoolYear}-08-01` });
    expected.NEW += 1;
    expected.membershipsAdded += 1;
    // Every twelfth is an itinerant counselor who also serves a second school.
    if (n % 12 === 5 && schools.length > 1) {
      const second = pick(schools.filter((s) => s.code !== school.code));
      role({ userSourcedId: sourcedId, role: "counselor", roleType: "secondary", orgSourcedId: orgId(second.code), beginDate: `${schoolYear}-08-01` });
      expected.membershipsAdded += 1;
    }
    // One also teaches evenings at the adult school, which the tracker does not know: listed, no membership there.
    if (n === 7) role({ userSourcedId: sourcedId, role: "teacher", roleType: "secondary", orgSourcedId: orgId(unmatchedCode), beginDate: `${schoolYear}-08-01` });
  }
  let guardiansLeft = 2;
  for (let n = 0; n < newStudents; n++) {
    const school = pick(schools);
    const grade = pick(GRADES[school.level] ?? GRADES.OTHER);
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const id = nextStudentId();
    const sourcedId = `usr-${id.toLowerCase()}`;
    const secondary = Number(grade) >= 6;
    const student = user({
      sourcedId, givenName: first, familyName: last, identifier: id, grades: grade, primaryOrgSourcedId: orgId(school.code),
      email: secondary && random() < 0.4 ? uniqueEmail(id, STUDENT_DOMAIN) : "",
    });
    role({ userSourcedId: sourcedId, role: "student", orgSourcedId: orgId(school.code), beginDate: yearStart, endDate: yearEnd });
    expected.NEW += 1;
    expected.membershipsAdded += 1;
    // Two younger students come with a parent or guardian: in the export, never stored.
    if (!secondary && guardiansLeft > 0) {
      const guardianId = `usr-g-${id.toLowerCase()}`;
      const parentFirst = pick(FIRST_NAMES);
      user({ sourcedId: guardianId, givenName: parentFirst, familyName: last, email: uniqueEmail(`${parentFirst}.${last}`, "mail.example"), agentSourcedIds: sourcedId, primaryOrgSourcedId: orgId(school.code) });
      role({ userSourcedId: guardianId, role: guardiansLeft === 2 ? "guardian" : "parent", orgSourcedId: orgId(school.code) });
      student.agentSourcedIds = guardianId;
      guardiansLeft -= 1;
      expected.guardians += 1;
    }
  }
  // Adult-school staff only: no school in the tracker, so they are left out (and the org is listed).
  for (let n = 0; n < 3; n++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const id = nextEmployeeId();
    const sourcedId = `usr-${id.toLowerCase()}`;
    user({ sourcedId, givenName: first, familyName: last, identifier: id, email: uniqueEmail(`${first}.${last}`, DISTRICT_DOMAIN), primaryOrgSourcedId: orgId(unmatchedCode) });
    role({ userSourcedId: sourcedId, role: "teacher", orgSourcedId: orgId(unmatchedCode), beginDate: `${schoolYear}-08-01` });
    expected.IGNORED += 1;
  }

  users.sort((a, b) => (a.sourcedId < b.sourcedId ? -1 : a.sourcedId > b.sourcedId ? 1 : 0));
  const userRowIndex = new Map(users.map((u, i) => [u.sourcedId, i]));
  roles.sort((a, b) => (userRowIndex.get(a.userSourcedId) ?? 0) - (userRowIndex.get(b.userSourcedId) ?? 0));

  const manifest: Array<[string, string]> = [
    ["manifest.version", "1.0"], ["oneroster.version", "1.2"],
    ["file.academicSessions", "bulk"], ["file.categories", "absent"], ["file.classes", "absent"], ["file.classResources", "absent"],
    ["file.courses", "absent"], ["file.courseResources", "absent"], ["file.demographics", "absent"], ["file.enrollments", "absent"],
    ["file.lineItemLearningObjectiveIds", "absent"], ["file.lineItems", "absent"], ["file.lineItemScoreScales", "absent"],
    ["file.orgs", "bulk"], ["file.resources", "absent"], ["file.resultLearningObjectiveIds", "absent"], ["file.results", "absent"],
    ["file.resultScoreScales", "absent"], ["file.roles", "delta"], ["file.scoreScales", "absent"], ["file.userProfiles", "absent"],
    ["file.userResources", "absent"], ["file.users", "delta"],
    ["source.systemName", "Lakeside SIS and HR (demo)"], ["source.systemCode", "LUSD-DEMO"],
  ];
  const orgRows = [
    ["org-district", "active", stamp, "Lakeside Unified School District", "district", "LUSD", ""],
    ...snapshot.schools.map((s) => [orgId(s.code), "active", stamp, s.name, "school", s.code, "org-district"]),
    [orgId(unmatchedCode), "active", stamp, unmatchedOrg.name, "school", unmatchedCode, "org-district"],
  ];
  const sessionId = `as-${schoolYear + 1}`;
  const sessionRows = [
    [sessionId, "active", stamp, `${schoolYear}-${schoolYear + 1}`, "schoolYear", yearStart, yearEnd, "", schoolYear + 1],
    [`${sessionId}-s1`, "active", stamp, "Fall semester", "semester", yearStart, `${schoolYear + 1}-01-22`, sessionId, schoolYear + 1],
    [`${sessionId}-s2`, "active", stamp, "Spring semester", "semester", `${schoolYear + 1}-01-26`, yearEnd, sessionId, schoolYear + 1],
  ];
  const files: SampleFile[] = [
    { name: "manifest.csv", text: csv(["propertyName", "value"], manifest) },
    { name: "orgs.csv", text: csv(["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"], orgRows) },
    { name: "academicSessions.csv", text: csv(["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"], sessionRows) },
    {
      name: "users.csv",
      text: csv(
        ["sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId", "pronouns"],
        users.map((u) => [
          u.sourcedId, u.status, stamp, u.enabledUser ? "true" : "false", u.email || u.sourcedId, "", u.givenName, u.familyName, "", u.identifier, u.email,
          "", "", u.agentSourcedIds, u.grades, "", u.identifier, "", "", "", "", u.primaryOrgSourcedId, "",
        ]),
      ),
    },
    {
      name: "roles.csv",
      text: csv(
        ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"],
        roles.map((r, i) => [`role-${String(i + 1).padStart(5, "0")}`, r.status, stamp, r.userSourcedId, r.roleType, r.role, r.beginDate, r.endDate, r.orgSourcedId, ""]),
      ),
    },
  ];
  return { schoolYear, files, expected, held, renamed, unmatchedOrg };
}

/** The files in one zip, as districts' systems hand them out (at the zip's root). Fixed dates: the same bytes each run. */
export function zipExport(files: readonly SampleFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date("2026-08-10T06:00:00Z");
  for (const f of files) zip.addBuffer(Buffer.from(f.text, "utf8"), f.name, { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
  });
}

// --- The command ----------------------------------------------------------------------------------

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const yearText = argument("year");
  const schoolYear = yearText ? Number(yearText) : schoolYearOf(new Date());
  if (!Number.isInteger(schoolYear) || schoolYear < 1990 || schoolYear > 2100) throw new Error(`--year must be the year a school year starts, such as 2026; got "${yearText}"`);
  const out = path.resolve(argument("out") ?? "samples/oneroster-demo-1.2.zip");
  const db = databaseLocation();
  const snapshot = await readDirectorySnapshot(db.url, schoolYear);
  const sample = planSampleExport(snapshot, { schoolYear });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, await zipExport(sample.files));
  const e = sample.expected;
  console.log(`Wrote ${path.relative(process.cwd(), out)}: OneRoster 1.2 for ${formatSchoolYear(schoolYear)} from ${describeDatabase(db)}`);
  console.log(`  expect ${e.NEW} new, ${e.UPDATED} updated, ${e.UNCHANGED} unchanged, ${e.REVIEW} held for review, ${e.IGNORED} ignored, ${e.guardians} guardians`);
  console.log(`  held for review: ${sample.held.map((h) => `${h.districtId} (${h.recordName} in the directory, ${h.fileName} in the file)`).join("; ")}`);
  console.log(`  unmatched org: ${sample.unmatchedOrg.identifier} ${sample.unmatchedOrg.name}`);
}

// Run as a command, not when the browser test imports planSampleExport.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
