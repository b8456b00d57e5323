/**
 * Directory imports: the district's people files (OneRoster 1.1/1.2, or a plain staff or student CSV) for one
 * school year, checked against the directory into staging rows, previewed, then committed all or nothing.
 * See docs/decisions/012-directory-import.md; the rules are app/domain/directory/*.
 *
 * Checking and committing run as background jobs of the server process: the upload answers at once, the import's
 * page shows progress from the import's record. Checking writes only staging rows, in short transactions; the
 * commit is one transaction of set-based statements over those rows, so 100,000 people take seconds.
 */
import { randomUUID } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { prisma } from "~/db.server";
import { refreshPlannerStatistics } from "~/db/dialect.server";
import { Prisma, type DirectoryRowOutcome } from "~/generated/prisma/client";
import * as OneRoster from "~/domain/directory/oneroster";
import {
  EMPTY_COUNTS, decideDirectoryRow, parseCounts, type DirectoryCounts, type DirectoryKind, type FieldChanges, type FilePerson, type KnownPerson,
} from "~/domain/directory/plan";
import {
  checkDirectoryMapping, gradeTitle, isDirectoryField, parseSavedDirectoryMapping, readPlainRow, suggestDirectoryMapping, type DirectoryMapping,
} from "~/domain/directory/plain-csv";
import { formatSchoolYear } from "~/domain/school-year";
import { refreshReachRollups } from "~/models/reach-rollup.server";
import {
  DirectoryFileError, csvRecords, csvSources, firstRecords, importFolder, keepImportFiles, removeImportFiles, restoreImportFiles,
  type CsvSource, type StoredUpload,
} from "~/models/directory-files.server";

/** People checked, and staging rows written, per transaction. */
const BATCH = 1_000;
/** Problem messages kept on the import (all are counted). */
const PROBLEMS_KEPT = 200;
/** A job that has not touched its import for this long is no longer running (the server stopped). */
const STALE_MS = 5 * 60_000;

// --- Background jobs -------------------------------------------------------------------------------------------

const jobs = new Map<string, Promise<void>>();

/** Resolves when the import's running job (in this process) has ended; at once when none runs. */
export function importJobSettled(importId: string): Promise<void> {
  return jobs.get(importId) ?? Promise.resolve();
}

function runJob(importId: string, work: () => Promise<void>, onFailure: (message: string) => Prisma.DirectoryImportUpdateInput) {
  const job = work()
    .catch(async (error: unknown) => {
      const message =
        error instanceof DirectoryFileError || error instanceof StaleImportError
          ? error.message
          : "The import stopped on an unexpected error and wrote nothing. Try again; if it happens again, the server's log has the details.";
      if (!(error instanceof DirectoryFileError) && !(error instanceof StaleImportError)) console.error(`directory import ${importId}:`, error);
      // Only while the job's own step is unfinished: a failure after the commit's transaction (refreshing reach
      // figures, removing files) must not mark a written import as unwritten.
      await prisma.directoryImport
        .updateMany({ where: { id: importId, status: { in: ["STAGING", "COMMITTING"] } }, data: { phase: "", ...onFailure(message) } })
        .catch(() => undefined);
    })
    .finally(() => jobs.delete(importId));
  jobs.set(importId, job);
}

class StaleImportError extends Error {}

// --- Starting an import ----------------------------------------------------------------------------------------

export type DirectoryFormatChoice = "oneroster" | "staff-csv" | "student-csv";

export function newImportId(): string {
  return randomUUID();
}

/**
 * Records an upload as an import and starts checking it (OneRoster), or waits for its column mapping (plain CSV).
 * The files are already in importFolder(id).
 */
export async function startDirectoryImport(input: {
  id: string; format: DirectoryFormatChoice; schoolYear: number; files: StoredUpload[]; actorId: string;
}): Promise<{ ok: true } | { ok: false; error: string }> {
  const { id, format, schoolYear, files, actorId } = input;
  let sources: Map<string, CsvSource>;
  try {
    sources = await csvSources(importFolder(id), files);
  } catch (error) {
    if (error instanceof DirectoryFileError) return { ok: false, error: error.message };
    throw error;
  }
  const fileNames = files.map((f) => f.name).join(", ");
  if (format !== "oneroster") {
    if (sources.size !== 1) return { ok: false, error: `Choose one CSV file for a ${format === "staff-csv" ? "staff" : "student"} import (${sources.size === 0 ? "no CSV was found" : `${sources.size} were sent`}).` };
    await prisma.directoryImport.create({ data: { id, format, schoolYear, fileNames, status: "MAPPING", createdById: actorId } });
    await keepImportFiles(id, files);
    return { ok: true };
  }
  const missing = ["users.csv", "orgs.csv"].filter((name) => !sources.has(name));
  if (missing.length) {
    return { ok: false, error: `The OneRoster export is missing ${missing.join(" and ")}. Send the zip the system exported, or all its CSV files (orgs.csv, users.csv, academicSessions.csv, manifest.csv, and roles.csv for 1.2).` };
  }
  await prisma.directoryImport.create({ data: { id, format: "oneroster", schoolYear, fileNames, status: "STAGING", phase: "Opening the files", createdById: actorId } });
  await keepImportFiles(id, files);
  runJob(id, () => stageOneRoster(id, sources), (message) => ({ status: "FAILED", error: message }));
  return { ok: true };
}

/** The mapping step of a plain CSV: its columns, a few values of each, and the mapping to offer. */
export async function plainCsvColumns(importId: string, userId: string) {
  const found = await prisma.directoryImport.findUnique({ where: { id: importId }, select: { fileNames: true, format: true, mapping: true } });
  if (!found) return null;
  const source = await plainSource(importId);
  const [header, ...samples] = await firstRecords(source, 4);
  const headers = header?.cells.map((h) => h.trim()) ?? [];
  const saved = await prisma.user.findUnique({ where: { id: userId }, select: { directoryImportMapping: true } });
  const previous = parseMapping(found.mapping);
  const mapping = previous?.length === headers.length ? previous : suggestDirectoryMapping(headers, parseSavedDirectoryMapping(saved?.directoryImportMapping));
  return {
    headers,
    mapping,
    samples: headers.map((_, i) => samples.map((r) => (r.cells[i] ?? "").trim()).filter((v) => v !== "")),
  };
}

async function plainSource(importId: string): Promise<CsvSource> {
  const found = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId }, select: { fileNames: true } });
  const files = (await storedFiles(importId)).map((f) => ({ ...f, name: found.fileNames }));
  if (files.length !== 1) throw new DirectoryFileError("The uploaded file is no longer on the server; upload it again.");
  const sources = await csvSources(importFolder(importId), files);
  const [source] = sources.values();
  if (!source) throw new DirectoryFileError(`${found.fileNames} holds no CSV file.`);
  return source;
}

/** The files an upload left in its import's folder (named "<n>-<name>" by receiveDirectoryUpload), restored from the database when this instance lacks them. */
async function storedFiles(importId: string): Promise<StoredUpload[]> {
  await restoreImportFiles(importId);
  const folder = importFolder(importId);
  const names = (await readdir(folder).catch(() => [])).filter((name) => /^\d+-/.test(name));
  return Promise.all(names.map(async (storedAs) => ({ name: storedAs.replace(/^\d+-/, ""), storedAs, bytes: (await stat(path.join(folder, storedAs))).size })));
}

function parseMapping(json: string | null): DirectoryMapping | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every(isDirectoryField) ? value : null;
  } catch {
    return null;
  }
}

/** The admin's column mapping: checked, remembered for their next file, and the checking started. */
export async function mapPlainCsv(importId: string, userId: string, headers: readonly string[], mapping: DirectoryMapping): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  const problems = checkDirectoryMapping(mapping);
  if (problems.length) return { ok: false, problems };
  const saved = parseSavedDirectoryMapping((await prisma.user.findUnique({ where: { id: userId }, select: { directoryImportMapping: true } }))?.directoryImportMapping);
  headers.forEach((h, i) => {
    saved[h] = mapping[i] ?? "ignore";
  });
  await prisma.user.update({ where: { id: userId }, data: { directoryImportMapping: JSON.stringify(saved) } });
  const claimed = await prisma.directoryImport.updateMany({
    where: { id: importId, status: "MAPPING" },
    data: { status: "STAGING", phase: "Opening the file", mapping: JSON.stringify(mapping), error: null },
  });
  if (claimed.count === 1) runJob(importId, () => stagePlainCsv(importId, mapping), (message) => ({ status: "FAILED", error: message }));
  return { ok: true };
}

// --- Checking: file rows to staging rows ------------------------------------------------------------------------

type SchoolIndex = { byCode: Map<string, { id: string; name: string }>; byName: Map<string, Array<{ id: string; name: string }>> };

async function schoolIndex(): Promise<SchoolIndex> {
  const schools = await prisma.school.findMany({ select: { id: true, code: true, name: true } });
  const byCode = new Map<string, { id: string; name: string }>();
  const byName = new Map<string, Array<{ id: string; name: string }>>();
  const fold = (t: string) => t.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
  for (const s of schools) {
    byCode.set(fold(s.code), s);
    byName.set(fold(s.name), [...(byName.get(fold(s.name)) ?? []), s]);
  }
  return { byCode, byName };
}

const foldKey = (t: string) => t.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();

/** A person of the file, with the schools (ours) they belong to this year. */
type PendingPerson = { kind: "person"; file: string; line: number; person: FilePerson; schools: Array<{ schoolId: string; title: string | null }> };
type PendingIgnored = {
  kind: "ignored"; file: string; line: number; districtId: string | null; firstName: string; lastName: string; email: string | null;
  personKind: DirectoryKind | null; reason: string; endsMembership?: boolean;
};
type Pending = PendingPerson | PendingIgnored;

type StagedRow = {
  id: string; importId: string; file: string; line: number; outcome: DirectoryRowOutcome; reason?: string | null; districtId: string | null;
  firstName: string; lastName: string; email: string | null; kind: DirectoryKind | null; personId: string | null; changes?: string | null; memberships?: string | null;
  endsMembership?: boolean;
};
type StagedMembership = { importId: string; personId: string; schoolId: string; change: "ADD"; title: string | null; affiliationId: string };

type Unmatched = { identifier: string; name: string; type: string; users: number };

/** What checking one import accumulates, flushed to staging rows a batch at a time. */
class Stager {
  batch: Pending[] = [];
  seen = new Map<string, number>();
  guardians = 0;
  problems: string[] = [];
  problemCount = 0;
  unmatched = new Map<string, Unmatched>();
  coveredSchools = new Set<string>();
  bytesDone = 0;
  constructor(readonly importId: string, readonly schoolYear: number, readonly bytesTotal: number) {}

  problem(message: string) {
    this.problemCount += 1;
    if (this.problems.length < PROBLEMS_KEPT) this.problems.push(message);
  }

  async add(item: Pending) {
    if (item.kind === "person") {
      const first = this.seen.get(item.person.districtId);
      if (first !== undefined) {
        const { districtId, firstName, lastName, email, kind } = item.person;
        item = { kind: "ignored", file: item.file, line: item.line, districtId, firstName, lastName, email, personKind: kind, reason: `District ID ${districtId} appears again (first on line ${first}); this line is left out.` };
      } else this.seen.set(item.person.districtId, item.line);
    }
    this.batch.push(item);
    if (this.batch.length >= BATCH) await this.flush();
  }

  async flush() {
    const batch = this.batch;
    this.batch = [];
    if (batch.length) await stageBatch(this.importId, batch);
    await prisma.directoryImport.update({ where: { id: this.importId }, data: { progressDone: Math.min(this.bytesDone, this.bytesTotal), progressTotal: this.bytesTotal } });
  }
}

async function stageBatch(importId: string, batch: Pending[]) {
  const ids = [...new Set(batch.flatMap((p) => (p.kind === "person" ? [p.person.districtId] : p.districtId ? [p.districtId] : [])))];
  // Raw SQL: at a thousand rows a batch, Prisma's own IN-list and createMany cost ten times as much.
  const known = new Map<string, KnownPerson>();
  if (ids.length) {
    for (const p of await prisma.$queryRaw<KnownPerson[]>`SELECT ${PERSON_COLUMNS} FROM "Person" WHERE "districtId" IN (${Prisma.join(ids)})`) {
      if (p.districtId) known.set(p.districtId, p);
    }
  }
  const emails = [...new Set(batch.flatMap((p) => (p.kind === "person" && !known.has(p.person.districtId) && p.person.email ? [p.person.email] : [])))];
  const byEmail = new Map<string, KnownPerson[]>();
  if (emails.length) {
    const found = await prisma.$queryRaw<KnownPerson[]>`
      SELECT ${PERSON_COLUMNS} FROM "Person" WHERE "districtId" IS NULL AND "mergedIntoId" IS NULL AND "email" IN (${Prisma.join(emails)})`;
    for (const p of found) if (p.email) byEmail.set(p.email, [...(byEmail.get(p.email) ?? []), p]);
  }

  const rows: StagedRow[] = [];
  const memberships: StagedMembership[] = [];
  for (const item of batch) {
    if (item.kind === "ignored") {
      rows.push({
        id: randomUUID(), importId, file: item.file, line: item.line, outcome: "IGNORED", reason: item.reason, districtId: item.districtId,
        firstName: item.firstName, lastName: item.lastName, email: item.email, kind: item.personKind, personId: item.districtId ? known.get(item.districtId)?.id ?? null : null,
        endsMembership: item.endsMembership ?? false,
      });
      continue;
    }
    const { person, schools } = item;
    const decision = decideDirectoryRow(person, known.get(person.districtId) ?? null, person.email ? byEmail.get(person.email) ?? [] : []);
    const personId = decision.outcome === "NEW" ? randomUUID() : decision.personId;
    const changes: FieldChanges | null = decision.outcome === "UPDATED" || decision.outcome === "REVIEW" ? decision.changes : null;
    rows.push({
      id: randomUUID(), importId, file: item.file, line: item.line, outcome: decision.outcome, reason: decision.outcome === "REVIEW" ? decision.reason : null,
      districtId: person.districtId, firstName: person.firstName, lastName: person.lastName, email: person.email, kind: person.kind, personId,
      changes: changes ? JSON.stringify(changes) : null, memberships: JSON.stringify(schools), endsMembership: false,
    });
    if (decision.outcome === "REVIEW") continue;
    for (const s of schools) memberships.push({ importId, personId, schoolId: s.schoolId, change: "ADD", title: s.title, affiliationId: randomUUID() });
  }
  await prisma.$transaction(async (tx) => {
    await insertValues(tx, "DirectoryImportRow", ROW_COLUMNS, rows.map((r) => ROW_COLUMNS.map((c) => r[c] ?? null)));
    await insertValues(tx, "DirectoryImportMembership", MEMBERSHIP_COLUMNS, memberships.map((m) => MEMBERSHIP_COLUMNS.map((c) => m[c] ?? null)));
  });
}

const PERSON_COLUMNS = Prisma.raw(`"id", "districtId", "firstName", "lastName", "email", "kind", "mergedIntoId"`);
const ROW_COLUMNS = ["id", "importId", "file", "line", "outcome", "reason", "districtId", "firstName", "lastName", "email", "kind", "personId", "changes", "memberships", "endsMembership"] as const;
const MEMBERSHIP_COLUMNS = ["importId", "personId", "schoolId", "change", "title", "affiliationId"] as const;
/** Rows per INSERT: under SQLite's 32,766 bound parameters at 14 columns. */
const ROWS_PER_INSERT = 1_000;

/** A multi-row INSERT (plain SQL both SQLite and PostgreSQL accept), in chunks. */
async function insertValues(tx: Prisma.TransactionClient, table: string, columns: readonly string[], rows: Array<Array<string | number | boolean | null>>) {
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows.slice(i, i + ROWS_PER_INSERT).map((r) => Prisma.sql`(${Prisma.join(r)})`);
    await tx.$executeRaw`${head}${Prisma.join(values)}`;
  }
}

/** Memberships ended, kept and retitled, once every row is staged; then the counts, and the import is ready. */
async function finishStaging(stager: Stager, kinds: readonly DirectoryKind[], endsAbsent: boolean, notes: string[]) {
  await stager.flush();
  const { importId, schoolYear } = stager;
  await prisma.directoryImport.update({ where: { id: importId }, data: { phase: "Comparing memberships" } });
  const covered = [...stager.coveredSchools];
  await prisma.$transaction(async (tx) => {
    if (covered.length) {
      const kindList = Prisma.raw(kinds.map((k) => `'${k}'`).join(", "));
      // A bulk file ends everyone absent from it; a delta file only those it marks tobedeleted or disabled.
      const onlyMarked = endsAbsent
        ? Prisma.empty
        : Prisma.sql`AND EXISTS (SELECT 1 FROM "DirectoryImportRow" x WHERE x."importId" = ${importId} AND x."personId" = a."personId" AND x."outcome" = 'IGNORED' AND x."endsMembership" = true)`;
      await tx.$executeRaw`
        INSERT INTO "DirectoryImportMembership" ("importId", "personId", "schoolId", "change", "title", "affiliationId")
        SELECT ${importId}, a."personId", a."schoolId", 'END', a."title", a."id"
        FROM "Affiliation" a JOIN "Person" p ON p."id" = a."personId"
        WHERE a."schoolYear" = ${schoolYear} AND a."schoolId" IN (${Prisma.join(covered)})
          AND p."kind" IN (${kindList}) AND p."districtId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "DirectoryImportMembership" m WHERE m."importId" = ${importId} AND m."personId" = a."personId" AND m."schoolId" = a."schoolId")
          AND NOT EXISTS (SELECT 1 FROM "DirectoryImportRow" r WHERE r."importId" = ${importId} AND r."personId" = a."personId" AND r."outcome" = 'REVIEW')
          ${onlyMarked}`;
    }
    // Kept as they are: the same school and year, and the file names no other title.
    await tx.$executeRaw`
      DELETE FROM "DirectoryImportMembership"
      WHERE "importId" = ${importId} AND "change" = 'ADD' AND EXISTS (
        SELECT 1 FROM "Affiliation" a WHERE a."personId" = "DirectoryImportMembership"."personId" AND a."schoolId" = "DirectoryImportMembership"."schoolId"
          AND a."schoolYear" = ${schoolYear} AND ("DirectoryImportMembership"."title" IS NULL OR a."title" = "DirectoryImportMembership"."title"))`;
    await tx.$executeRaw`
      UPDATE "DirectoryImportMembership" SET "change" = 'RETITLE', "affiliationId" = NULL
      WHERE "importId" = ${importId} AND "change" = 'ADD' AND EXISTS (
        SELECT 1 FROM "Affiliation" a WHERE a."personId" = "DirectoryImportMembership"."personId" AND a."schoolId" = "DirectoryImportMembership"."schoolId" AND a."schoolYear" = ${schoolYear})`;
  }, { timeout: 120_000, maxWait: 30_000 });

  const counts: DirectoryCounts = { ...EMPTY_COUNTS, guardians: stager.guardians };
  for (const g of await prisma.directoryImportRow.groupBy({ by: ["outcome"], where: { importId }, _count: { _all: true } })) counts[g.outcome] = g._count._all;
  for (const g of await prisma.directoryImportMembership.groupBy({ by: ["change"], where: { importId }, _count: { _all: true } })) {
    if (g.change === "ADD") counts.membershipsAdded = g._count._all;
    else if (g.change === "END") counts.membershipsEnded = g._count._all;
    else counts.membershipsRetitled = g._count._all;
  }
  await prisma.directoryImport.update({
    where: { id: importId },
    data: {
      status: "READY", phase: "", progressDone: stager.bytesTotal, progressTotal: stager.bytesTotal, endsAbsent,
      counts: JSON.stringify(counts), notes: JSON.stringify(notes),
      unmatchedOrgs: JSON.stringify([...stager.unmatched.values()].sort((a, b) => b.users - a.users)),
      problems: JSON.stringify(stager.problems), problemCount: stager.problemCount,
    },
  });
}

async function readAll(source: CsvSource, file: string): Promise<{ headers: string[]; rows: OneRoster.Cells[] }> {
  let headers: string[] = [];
  const rows: OneRoster.Cells[] = [];
  for await (const record of csvRecords(source)) {
    if (!headers.length) {
      headers = record.cells.map((h) => h.trim());
      continue;
    }
    rows.push(cellsOf(headers, record.cells));
  }
  if (!headers.length) throw new DirectoryFileError(`${file} is empty.`);
  return { headers, rows };
}

const cellsOf = (headers: readonly string[], cells: readonly string[]): OneRoster.Cells => {
  const row: OneRoster.Cells = {};
  headers.forEach((h, i) => {
    row[h] = cells[i] ?? "";
  });
  return row;
};

async function stageOneRoster(importId: string, sources: Map<string, CsvSource>) {
  const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId }, select: { schoolYear: true } });
  const year = imp.schoolYear;
  const notes: string[] = [];
  const setPhase = (phase: string) => prisma.directoryImport.update({ where: { id: importId }, data: { phase } });

  const manifestSource = sources.get("manifest.csv");
  const manifest = manifestSource ? OneRoster.readManifest((await readAll(manifestSource, "manifest.csv")).rows) : { version: null, usersMode: null };
  const users = sources.get("users.csv");
  const orgsSource = sources.get("orgs.csv");
  if (!users || !orgsSource) throw new DirectoryFileError("The export needs users.csv and orgs.csv.");
  const [userHeader] = await firstRecords(users, 1);
  const userHeaders = userHeader?.cells.map((h) => h.trim()) ?? [];
  const version = manifest.version ?? OneRoster.guessVersion([...sources.keys()], userHeaders);
  await prisma.directoryImport.update({ where: { id: importId }, data: { format: `oneroster-${version}` } });

  await setPhase("Reading orgs.csv");
  const orgFile = await readAll(orgsSource, "orgs.csv");
  const missingOrgColumns = OneRoster.missingColumns("orgs.csv", orgFile.headers, version);
  if (missingOrgColumns) throw new DirectoryFileError(missingOrgColumns);
  const missingUserColumns = OneRoster.missingColumns("users.csv", userHeaders, version);
  if (missingUserColumns) throw new DirectoryFileError(missingUserColumns);

  const schools = await schoolIndex();
  const orgs = new Map<string, { org: OneRoster.Org; schoolId: string | null }>();
  const stager = new Stager(importId, year, users.bytes);
  for (const row of orgFile.rows) {
    const org = OneRoster.readOrg(row);
    if (!org) continue;
    const school = org.active && org.identifier ? schools.byCode.get(foldKey(org.identifier)) ?? null : null;
    orgs.set(org.sourcedId, { org, schoolId: school?.id ?? null });
    if (school) stager.coveredSchools.add(school.id);
  }

  const sessions = sources.get("academicsessions.csv");
  if (sessions) {
    const named = OneRoster.schoolYearsNamed((await readAll(sessions, "academicSessions.csv")).rows);
    if (named.length && !named.includes(year)) {
      notes.push(`academicSessions.csv names the school year ${named.map(formatSchoolYear).join(", ")}; this import is for ${formatSchoolYear(year)}. Check the year before committing.`);
    }
  }
  const endsAbsent = manifest.usersMode !== "delta";
  if (!endsAbsent) notes.push("manifest.csv says users.csv is a delta file: people absent from it keep their memberships; only those marked tobedeleted lose this year’s.");

  let rolesByUser: Map<string, OneRoster.RoleAssignment[]> | null = null;
  if (version === "1.2") {
    const rolesSource = sources.get("roles.csv");
    if (!rolesSource) throw new DirectoryFileError("A OneRoster 1.2 export needs roles.csv: it says which school each person belongs to, and as what.");
    await setPhase("Reading roles.csv");
    rolesByUser = new Map();
    let headers: string[] = [];
    for await (const record of csvRecords(rolesSource)) {
      if (!headers.length) {
        headers = record.cells.map((h) => h.trim());
        const missing = OneRoster.missingColumns("roles.csv", headers, version);
        if (missing) throw new DirectoryFileError(missing);
        continue;
      }
      const role = OneRoster.readRole(cellsOf(headers, record.cells));
      if (!role) continue;
      const list = rolesByUser.get(role.userSourcedId);
      if (list) list.push(role);
      else rolesByUser.set(role.userSourcedId, [role]);
    }
  }

  await setPhase("Checking users.csv");
  let headers: string[] = [];
  const sourcedIdColumn = "sourcedId";
  for await (const record of csvRecords(users, (n) => (stager.bytesDone += n))) {
    if (!headers.length) {
      headers = record.cells.map((h) => h.trim());
      continue;
    }
    const cells = cellsOf(headers, record.cells);
    const roles = rolesByUser ? rolesByUser.get(OneRoster.cell(cells, sourcedIdColumn)) ?? [] : undefined;
    const verdict = OneRoster.readUser(cells, record.line, version, year, roles);
    if (verdict.kind === "guardian") {
      stager.guardians += 1;
      continue;
    }
    if (verdict.kind === "invalid") {
      stager.problem(verdict.message);
      continue;
    }
    if (verdict.kind === "ignored") {
      await stager.add({
        kind: "ignored", file: "users.csv", line: verdict.line, districtId: verdict.districtId, firstName: verdict.firstName, lastName: verdict.lastName,
        email: verdict.email, personKind: verdict.personKind, reason: verdict.reason, endsMembership: verdict.endsMembership,
      });
      continue;
    }
    const { person } = verdict;
    const schoolsOf = new Map<string, string | null>();
    const unknown: string[] = [];
    for (const m of person.memberships) {
      const found = orgs.get(m.orgSourcedId);
      if (found?.schoolId) {
        if (!schoolsOf.has(found.schoolId) || schoolsOf.get(found.schoolId) === null) schoolsOf.set(found.schoolId, m.title);
      } else if (!found) {
        unknown.push(m.orgSourcedId);
        noteUnmatched(stager, m.orgSourcedId, "", "(not in orgs.csv)");
      } else if (isSchoolLike(found.org.type)) {
        unknown.push(found.org.identifier || found.org.sourcedId);
        noteUnmatched(stager, found.org.identifier || found.org.sourcedId, found.org.name, found.org.type);
      }
    }
    const filePerson: FilePerson = { districtId: person.districtId, firstName: person.firstName, lastName: person.lastName, email: person.email, kind: person.kind };
    if (schoolsOf.size === 0) {
      await stager.add({
        kind: "ignored", file: "users.csv", line: person.line, districtId: person.districtId, firstName: person.firstName, lastName: person.lastName,
        email: person.email, personKind: person.kind,
        reason: unknown.length ? `No school in the tracker: their ${unknown.length === 1 ? "org is" : "orgs are"} ${unknown.slice(0, 3).join(", ")}.` : "Belongs to no school (only to the district or a department).",
      });
      continue;
    }
    await stager.add({ kind: "person", file: "users.csv", line: person.line, person: filePerson, schools: [...schoolsOf].map(([schoolId, title]) => ({ schoolId, title })) });
  }
  await finishStaging(stager, ["STAFF", "STUDENT"], endsAbsent, notes);
}

/** Orgs that are schools (or may be): a district or state org is expected to match no school. */
const isSchoolLike = (type: string) => !["district", "local", "state", "national"].includes(type.trim().toLowerCase());

function noteUnmatched(stager: Stager, identifier: string, name: string, type: string) {
  const entry = stager.unmatched.get(identifier);
  if (entry) entry.users += 1;
  else stager.unmatched.set(identifier, { identifier, name, type, users: 1 });
}

async function stagePlainCsv(importId: string, mapping: DirectoryMapping) {
  const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId }, select: { schoolYear: true, format: true } });
  const kind: DirectoryKind = imp.format === "student-csv" ? "STUDENT" : "STAFF";
  const source = await plainSource(importId);
  const stager = new Stager(importId, imp.schoolYear, source.bytes);
  const schools = await schoolIndex();
  const schoolOf = new Map<string, { schoolId: string } | { problem: string }>();
  const lookUp = (text: string) => {
    const key = foldKey(text);
    let found = schoolOf.get(key);
    if (!found) {
      const byCode = schools.byCode.get(key);
      const byName = schools.byName.get(key) ?? [];
      found = byCode ? { schoolId: byCode.id } : byName.length === 1 ? { schoolId: byName[0].id } : { problem: byName.length > 1 ? "is the name of more than one school; use its code" : "is not the code or name of a school in the tracker" };
      schoolOf.set(key, found);
      if ("schoolId" in found) stager.coveredSchools.add(found.schoolId);
    }
    return found;
  };
  await prisma.directoryImport.update({ where: { id: importId }, data: { phase: `Checking ${source.label}` } });
  let headers: string[] = [];
  for await (const record of csvRecords(source, (n) => (stager.bytesDone += n))) {
    if (!headers.length) {
      headers = record.cells.map((h) => h.trim());
      if (headers.length !== mapping.length) throw new DirectoryFileError(`${source.label} now has ${headers.length} columns, not ${mapping.length}; upload it again.`);
      continue;
    }
    const verdict = readPlainRow(record.cells, mapping, record.line, source.label, headers);
    if (verdict.kind === "invalid") {
      stager.problem(verdict.message);
      continue;
    }
    if (verdict.kind === "ignored") {
      const { line, districtId, firstName, lastName, email, reason } = verdict;
      await stager.add({ kind: "ignored", file: source.label, line, districtId, firstName, lastName, email, reason, personKind: kind });
      continue;
    }
    const school = lookUp(verdict.school);
    const person: FilePerson = { districtId: verdict.districtId, firstName: verdict.firstName, lastName: verdict.lastName, email: verdict.email, kind };
    if ("problem" in school) {
      noteUnmatched(stager, verdict.school, "", "school");
      const { districtId, firstName, lastName, email } = person;
      await stager.add({ kind: "ignored", file: source.label, line: verdict.line, districtId, firstName, lastName, email, personKind: kind, reason: `School "${verdict.school}" ${school.problem}.` });
      continue;
    }
    const title = kind === "STUDENT" ? gradeTitle(verdict.title) : verdict.title;
    await stager.add({ kind: "person", file: source.label, line: verdict.line, person, schools: [{ schoolId: school.schoolId, title }] });
  }
  if (!headers.length) throw new DirectoryFileError(`${source.label} is empty.`);
  const notes = [`People absent from this file lose their ${formatSchoolYear(imp.schoolYear)} membership only at the schools the file names.`];
  await finishStaging(stager, [kind], true, notes);
}

// --- Commit ----------------------------------------------------------------------------------------------------

export type CommitStart = { ok: true } | { ok: false; message: string };

/** Starts writing a checked import; refused unless it is ready, has no unreadable rows, and no one started it already. */
export async function commitDirectoryImport(importId: string, actorId: string): Promise<CommitStart> {
  const claimed = await prisma.directoryImport.updateMany({
    where: { id: importId, status: "READY", problemCount: 0 },
    data: { status: "COMMITTING", phase: "Writing people and memberships", error: null, committedById: actorId },
  });
  if (claimed.count !== 1) {
    const current = await prisma.directoryImport.findUnique({ where: { id: importId }, select: { status: true, problemCount: true } });
    if (current?.status === "READY" && current.problemCount > 0) return { ok: false, message: `Fix the ${current.problemCount} rows that cannot be read, then upload the files again: an import writes every row or none.` };
    if (current?.status === "COMMITTING" || current?.status === "COMMITTED") return { ok: false, message: "This import is already being written (or was): it is written once." };
    return { ok: false, message: "This import cannot be committed now." };
  }
  runJob(importId, () => writeImport(importId, actorId), (message) => ({ status: "READY", error: message }));
  return { ok: true };
}

async function writeImport(importId: string, actorId: string) {
  const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId }, select: { schoolYear: true } });
  const year = imp.schoolYear;
  const now = new Date();
  await prisma.$transaction(async (tx) => {
    const taken = await tx.$queryRaw<Array<{ districtId: string; line: number }>>`
      SELECT r."districtId", r."line" FROM "DirectoryImportRow" r JOIN "Person" p ON p."districtId" = r."districtId"
      WHERE r."importId" = ${importId} AND r."outcome" = 'NEW' ORDER BY r."line" LIMIT 3`;
    if (taken.length) {
      throw new StaleImportError(
        `Since this preview, someone else was given district ID ${taken.map((t) => `${t.districtId} (line ${t.line})`).join(", ")}. Nothing was written: check the files again, then commit.`,
      );
    }
    await tx.$executeRaw`
      INSERT INTO "Person" ("id", "districtId", "firstName", "lastName", "email", "kind", "createdAt", "updatedAt")
      SELECT r."personId", r."districtId", r."firstName", r."lastName", r."email", r."kind", ${now}, ${now}
      FROM "DirectoryImportRow" r WHERE r."importId" = ${importId} AND r."outcome" = 'NEW'`;
    await tx.$executeRaw`
      UPDATE "Person" SET "firstName" = r."firstName", "lastName" = r."lastName", "email" = COALESCE(r."email", "Person"."email"),
        "kind" = r."kind", "updatedAt" = ${now}
      FROM "DirectoryImportRow" r
      WHERE r."importId" = ${importId} AND r."outcome" = 'UPDATED' AND r."personId" = "Person"."id"`;
    const via = `directory import ${importId}`;
    await tx.$executeRaw`
      INSERT INTO "AuditEvent" ("id", "actorId", "action", "entityType", "entityId", "details", "createdAt")
      SELECT 'dir-' || r."id", ${actorId}, CASE WHEN r."outcome" = 'NEW' THEN 'person.create' ELSE 'person.update' END, 'Person', r."personId",
        CASE WHEN r."outcome" = 'NEW' THEN '{"via":"' || ${via} || '"}' ELSE '{"via":"' || ${via} || '","changes":' || r."changes" || '}' END,
        ${now}
      FROM "DirectoryImportRow" r WHERE r."importId" = ${importId} AND r."outcome" IN ('NEW', 'UPDATED')`;
    // Each event is about its person (AuditEventPerson, as app/models/audit.server.ts writes for one event).
    await tx.$executeRaw`
      INSERT INTO "AuditEventPerson" ("eventId", "personId", "createdAt")
      SELECT 'dir-' || r."id", r."personId", ${now}
      FROM "DirectoryImportRow" r WHERE r."importId" = ${importId} AND r."outcome" IN ('NEW', 'UPDATED')`;
    await tx.$executeRaw`
      INSERT INTO "Affiliation" ("id", "personId", "schoolId", "schoolYear", "title")
      SELECT m."affiliationId", m."personId", m."schoolId", ${year}, m."title"
      FROM "DirectoryImportMembership" m WHERE m."importId" = ${importId} AND m."change" = 'ADD'
      ON CONFLICT ("personId", "schoolId", "schoolYear") DO NOTHING`;
    await tx.$executeRaw`
      UPDATE "Affiliation" SET "title" = m."title"
      FROM "DirectoryImportMembership" m
      WHERE m."importId" = ${importId} AND m."change" = 'RETITLE' AND m."personId" = "Affiliation"."personId"
        AND m."schoolId" = "Affiliation"."schoolId" AND "Affiliation"."schoolYear" = ${year}`;
    await tx.$executeRaw`
      DELETE FROM "Affiliation" WHERE "schoolYear" = ${year} AND EXISTS (
        SELECT 1 FROM "DirectoryImportMembership" m WHERE m."importId" = ${importId} AND m."change" = 'END'
          AND m."personId" = "Affiliation"."personId" AND m."schoolId" = "Affiliation"."schoolId")`;
    await tx.directoryImportRow.updateMany({ where: { importId, outcome: "REVIEW" }, data: { reviewState: "OPEN" } });
    await tx.directoryImport.update({ where: { id: importId }, data: { status: "COMMITTED", committedAt: now, phase: "Updating reach figures" } });
  }, { timeout: 600_000, maxWait: 60_000 });
  await removeImportFiles(importId);
  // The rollup's queue now holds everyone the import touched: pay for it here rather than in the next dashboard read.
  // Not a read of figures: while a full rebuild runs (or this import's size starts one) it returns at once,
  // and the rebuild counts the import.
  await refreshReachRollups({ forFigures: false });
  await refreshPlannerStatistics(prisma);
  await prisma.directoryImport.update({ where: { id: importId }, data: { phase: "" } });
}

/** Checks the stored files again (after a stale commit, or a changed directory): the staging rows are rebuilt. */
export async function recheckDirectoryImport(importId: string): Promise<boolean> {
  const imp = await prisma.directoryImport.findUnique({ where: { id: importId }, select: { status: true, format: true, mapping: true } });
  if (!imp || imp.status !== "READY") return false;
  const mapping = parseMapping(imp.mapping);
  const claimed = await prisma.directoryImport.updateMany({ where: { id: importId, status: "READY" }, data: { status: "STAGING", phase: "Opening the files", error: null, progressDone: 0 } });
  if (claimed.count !== 1) return false;
  await prisma.$transaction([
    prisma.directoryImportRow.deleteMany({ where: { importId } }),
    prisma.directoryImportMembership.deleteMany({ where: { importId } }),
  ]);
  runJob(importId, async () => {
    if (imp.format.startsWith("oneroster")) {
      await stageOneRoster(importId, await csvSources(importFolder(importId), await storedFiles(importId)));
    } else if (mapping) await stagePlainCsv(importId, mapping);
    else throw new DirectoryFileError("The column mapping of this file is lost; upload it again.");
  }, (message) => ({ status: "FAILED", error: message }));
  return true;
}

/**
 * Drops an import that was not committed: its staging rows and files go, its record stays. A job that stopped with
 * its server (no progress for STALE_MS, not running here) may be dropped too: its transaction rolled back.
 */
export async function discardDirectoryImport(importId: string, now = new Date()): Promise<boolean> {
  if (jobs.has(importId)) return false;
  const claimed = await prisma.directoryImport.updateMany({
    where: {
      id: importId,
      OR: [
        { status: { in: ["MAPPING", "READY", "FAILED"] } },
        { status: { in: ["STAGING", "COMMITTING"] }, updatedAt: { lt: new Date(now.getTime() - STALE_MS) } },
      ],
    },
    data: { status: "DISCARDED", phase: "" },
  });
  if (claimed.count !== 1) return false;
  await prisma.$transaction([
    prisma.directoryImportRow.deleteMany({ where: { importId } }),
    prisma.directoryImportMembership.deleteMany({ where: { importId } }),
  ]);
  await removeImportFiles(importId);
  return true;
}

// --- Reading imports for the pages -----------------------------------------------------------------------------

export const ROW_PAGE_SIZE = 50;

function parseJsonArray(json: string): unknown[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const strings = (json: string) => parseJsonArray(json).filter((v): v is string => typeof v === "string");

function unmatchedList(json: string): Unmatched[] {
  return parseJsonArray(json).flatMap((v) => {
    if (!v || typeof v !== "object") return [];
    const entry = new Map<string, unknown>(Object.entries(v));
    const text = (k: string) => {
      const x = entry.get(k);
      return typeof x === "string" ? x : "";
    };
    const users = entry.get("users");
    return [{ identifier: text("identifier"), name: text("name"), type: text("type"), users: typeof users === "number" ? users : 0 }];
  });
}

/** An import as its page shows it, or null. A job no longer running anywhere is reported as interrupted. */
export async function getDirectoryImport(importId: string, now = new Date()) {
  const imp = await prisma.directoryImport.findUnique({
    where: { id: importId },
    include: { createdBy: { select: { name: true } } },
  });
  if (!imp) return null;
  const running = imp.status === "STAGING" || imp.status === "COMMITTING";
  const interrupted = running && !jobs.has(importId) && now.getTime() - imp.updatedAt.getTime() > STALE_MS;
  const committedBy = imp.committedById ? await prisma.user.findUnique({ where: { id: imp.committedById }, select: { name: true } }) : null;
  return {
    id: imp.id, format: imp.format, schoolYear: imp.schoolYear, fileNames: imp.fileNames, status: imp.status, phase: imp.phase,
    progress: imp.progressTotal > 0 ? Math.min(100, Math.round((imp.progressDone / imp.progressTotal) * 100)) : null,
    counts: parseCounts(imp.counts), unmatchedOrgs: unmatchedList(imp.unmatchedOrgs), notes: strings(imp.notes),
    problems: strings(imp.problems), problemCount: imp.problemCount, error: imp.error, endsAbsent: imp.endsAbsent,
    createdBy: imp.createdBy.name, createdAt: imp.createdAt, committedAt: imp.committedAt, committedBy: committedBy?.name ?? null,
    running, interrupted,
  };
}

export type DirectoryImportView = NonNullable<Awaited<ReturnType<typeof getDirectoryImport>>>;

/** One page of an import's rows of one outcome, in file order. */
export async function importRows(importId: string, outcome: DirectoryRowOutcome, page: number) {
  const where = { importId, outcome };
  const [total, rows] = await Promise.all([
    prisma.directoryImportRow.count({ where }),
    prisma.directoryImportRow.findMany({
      where, orderBy: [{ file: "asc" }, { line: "asc" }], skip: (page - 1) * ROW_PAGE_SIZE, take: ROW_PAGE_SIZE,
      select: { id: true, file: true, line: true, districtId: true, firstName: true, lastName: true, email: true, kind: true, reason: true, changes: true, personId: true, reviewState: true },
    }),
  ]);
  return {
    total, page, pageCount: Math.max(1, Math.ceil(total / ROW_PAGE_SIZE)),
    rows: rows.map((r) => ({ ...r, changes: describeChanges(r.changes) })),
  };
}

const FIELD_WORDS: Record<string, string> = { firstName: "first name", lastName: "last name", email: "email", kind: "kind", districtId: "district ID" };

function describeChanges(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([field, pair]) => {
      if (!Array.isArray(pair)) return [];
      const show = (v: unknown) => (typeof v === "string" && v ? v : "(none)");
      return [`${FIELD_WORDS[field] ?? field}: ${show(pair[0])} → ${show(pair[1])}`];
    });
  } catch {
    return [];
  }
}

/** Memberships the import adds, ends and retitles, school by school. */
export async function membershipChangesBySchool(importId: string) {
  const groups = await prisma.directoryImportMembership.groupBy({ by: ["schoolId", "change"], where: { importId }, _count: { _all: true } });
  const schools = await prisma.school.findMany({ where: { id: { in: [...new Set(groups.map((g) => g.schoolId))] } }, select: { id: true, code: true, name: true } });
  const bySchool = new Map(schools.map((s) => [s.id, { school: s, ADD: 0, END: 0, RETITLE: 0 }]));
  for (const g of groups) {
    const entry = bySchool.get(g.schoolId);
    if (entry) entry[g.change] = g._count._all;
  }
  return [...bySchool.values()].sort((a, b) => a.school.name.localeCompare(b.school.name));
}

/** Every import, newest first: the record an admin opens later. */
export async function listDirectoryImports(page: number, pageSize = 25) {
  const [total, imports] = await Promise.all([
    prisma.directoryImport.count(),
    prisma.directoryImport.findMany({
      orderBy: { createdAt: "desc" }, skip: (page - 1) * pageSize, take: pageSize,
      select: { id: true, format: true, schoolYear: true, fileNames: true, status: true, counts: true, createdAt: true, committedAt: true, createdBy: { select: { name: true } } },
    }),
  ]);
  return {
    total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)),
    imports: imports.map((i) => ({ ...i, counts: parseCounts(i.counts), createdBy: i.createdBy.name })),
  };
}

/** What each committed import did to a person: their row (new, updated, held) and their memberships added or ended. */
export async function importHistoryOf(personIds: string[]) {
  const [rows, memberships] = await Promise.all([
    prisma.directoryImportRow.findMany({
      where: { personId: { in: personIds }, import: { status: "COMMITTED" } },
      orderBy: { import: { committedAt: "desc" } },
      take: 50,
      select: { importId: true, outcome: true, reason: true, reviewState: true, changes: true, file: true, line: true },
    }),
    prisma.directoryImportMembership.findMany({
      where: { personId: { in: personIds }, import: { status: "COMMITTED" } },
      take: 200,
      select: { importId: true, change: true, title: true, schoolId: true },
    }),
  ]);
  const importIds = [...new Set([...rows.map((r) => r.importId), ...memberships.map((m) => m.importId)])];
  const [imports, schools] = await Promise.all([
    prisma.directoryImport.findMany({ where: { id: { in: importIds } }, select: { id: true, format: true, schoolYear: true, committedAt: true }, orderBy: { committedAt: "desc" } }),
    prisma.school.findMany({ where: { id: { in: [...new Set(memberships.map((m) => m.schoolId))] } }, select: { id: true, name: true } }),
  ]);
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const CHANGE_WORDS = { ADD: "membership added", END: "membership ended", RETITLE: "new job or grade" } as const;
  return imports.map((imp) => {
    const row = rows.find((r) => r.importId === imp.id);
    return {
      ...imp,
      row: row ? { outcome: row.outcome, reason: row.reason, reviewState: row.reviewState, where: `${row.file}, line ${row.line}`, changes: describeChanges(row.changes) } : null,
      memberships: memberships
        .filter((m) => m.importId === imp.id)
        .map((m) => `${schoolName.get(m.schoolId) ?? "A school"}: ${CHANGE_WORDS[m.change]}${m.title && m.change !== "END" ? ` (${m.title})` : ""}`),
    };
  });
}
