/**
 * A district-scale data set for the reach benchmark, loaded with better-sqlite3 directly:
 * prepared statements (32 rows a statement for the big tables), one big transaction, journaling off
 * during the load only, and the migration's indexes and reach triggers dropped before and created
 * again after loading. The reach rollup (ReachRollup, ReachPersonState), as rebuildReachRollups()
 * would write it, is computed by a worker thread from the records as they are generated
 * (reach-rollup-feed.ts, reach-rollup-worker.ts) and copied in at the end; reach-rollup-verify.ts
 * checks it against rebuildReachRollups().
 *
 * Full size: 1,000 schools, 80,000 staff, 500,000 students, ~3,000,000 attendance records and
 * ~1,500,000 certifications over ten school years (2016-17 to 2025-26). Deterministic (seeded).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { freshBenchDatabase } from "./database";
import { dataSetFingerprint, fingerprintChange, isFingerprint, type Fingerprint } from "./fingerprint";
import { SIDE_TABLES, startRollupFeed } from "./reach-rollup-feed";

export type DataSpec = {
  name: string;
  schools: number;
  staff: number;
  students: number;
  community: number;
  /** Chance a student is trained in QPR in a given enrolled year. */
  studentQprPerYear: number;
  /** How many regions the schools are spread over; by default one for every 40 schools. */
  regions?: number;
};

export const FIRST_YEAR = 2016;
export const LAST_YEAR = 2025;
/** The benchmark's "today": inside school year 2025-26. */
export const BENCH_AS_OF = new Date(Date.UTC(2026, 2, 2));

export const FULL: DataSpec = { name: "full", schools: 1000, staff: 80_000, students: 500_000, community: 20_000, studentQprPerYear: 0.66 };
/** Everything ten times smaller: 100 schools. */
export const SMALL: DataSpec = { name: "small", schools: 100, staff: 8_000, students: 50_000, community: 2_000, studentQprPerYear: 0.66 };
/**
 * A state: ten districts' worth, 10,000 schools in 100 regions, 6 M people, about 15 M certifications. Loaded
 * into PostgreSQL only (reach-data-postgres.ts, bench section "state").
 */
export const STATE: DataSpec = { name: "state", schools: 10_000, staff: 800_000, students: 5_000_000, community: 200_000, studentQprPerYear: 0.66, regions: 100 };
/** As many schools as the full set, a tenth of the people and records: separates "grows with schools" from "grows with records". */
export const SPARSE: DataSpec = { name: "sparse", schools: 1000, staff: 8_000, students: 50_000, community: 2_000, studentQprPerYear: 0.66 };

/**
 * 4: the reach rollup (ReachRollup, ReachPersonState) is built with the data, its triggers kept off during the load.
 * 5: no planner statistics (ANALYZE), as in the app's own databases.
 * Changes to the generator's code, the schema or the migrations need no bump: the fingerprint catches them.
 */
const SPEC_VERSION = 5;

export type Counts = Record<string, number>;
export type BuiltData = {
  file: string;
  url: string;
  built: boolean;
  /** Build and index the records, then the rollup; null when the file was reused. */
  loadSeconds: number | null;
  rollupSeconds: number | null;
  counts: Counts;
};

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayCache = new Map<number, string>();
/** Dates as the Prisma SQLite adapter writes them: ISO 8601 with +00:00. */
function iso(ms: number): string {
  let s = dayCache.get(ms);
  if (!s) {
    s = new Date(ms).toISOString().replace("Z", "+00:00");
    if (dayCache.size < 200_000) dayCache.set(ms, s);
  }
  return s;
}
const DAY = 86_400_000;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m, d);
function addMonthsMs(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return Date.UTC(ty, tm, Math.min(d.getUTCDate(), last));
}

const id = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(7, "0")}`;

export function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let last = -1;
  const started = Date.now();
  return {
    tick(done: number) {
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const line = `${label.padEnd(22)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(pct).padStart(3)}%  ${((Date.now() - started) / 1000).toFixed(0)}s`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (pct % 10 === 0) process.stderr.write(`${line}\n`);
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/**
 * Builds the data set into bench/.data/reach-<name>.db, or reuses it when it was built from the same spec
 * and has the same fingerprint (scripts/bench/fingerprint.ts: this generator's source, the schema, the
 * migrations). The fingerprint is stored inside the data set, in "_ReachBenchMeta", written only once the
 * build finished, so a half-built file never counts as built. A line on stderr says whether the data set
 * was reused or why it is built.
 */
export async function ensureReachData(spec: DataSpec, { rebuild = false } = {}): Promise<BuiltData> {
  const file = `bench/.data/reach-${spec.name}.db`;
  const fingerprint = dataSetFingerprint([GENERATOR]);
  const signature = JSON.stringify({ SPEC_VERSION, spec });
  const stored = rebuild ? null : readStoredMeta(file);
  let reason: string;
  if (rebuild) reason = "asked to rebuild";
  else if (!stored) reason = "no data set yet";
  else if ("unreadable" in stored) reason = "the data set is unfinished or unreadable";
  else if (stored.signature !== signature) reason = "built from another spec or an older generator version";
  else if (!stored.fingerprint) reason = "built before fingerprints were stored";
  else if (stored.fingerprint.hash !== fingerprint.hash) reason = fingerprintChange(stored.fingerprint, fingerprint);
  else {
    process.stderr.write(`reach-${spec.name}: reusing the data set (fingerprint ${fingerprint.hash.slice(0, 12)} matches)\n`);
    return { file, url: `file:${process.cwd()}/${file}`, built: false, loadSeconds: null, rollupSeconds: null, counts: stored.counts };
  }
  process.stderr.write(`reach-${spec.name}: building the data set: ${reason}\n`);
  const started = Date.now();
  const url = freshBenchDatabase(`reach-${spec.name}`);
  const { counts, rollupSeconds } = await load(file, spec);
  const db = new Database(file);
  db.exec(`CREATE TABLE "_ReachBenchMeta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`);
  const put = db.prepare(`INSERT INTO "_ReachBenchMeta" ("key", "value") VALUES (?, ?)`);
  put.run("signature", signature);
  put.run("fingerprint", JSON.stringify(fingerprint));
  put.run("counts", JSON.stringify(counts));
  db.close();
  return { file, url, built: true, loadSeconds: (Date.now() - started) / 1000, rollupSeconds, counts };
}

/**
 * A copy of a data set, used as it is whatever its fingerprint (working on one page's query against a
 * private copy, with an index tried by hand): never for the figures the README takes.
 */
export function useDataSetCopy(file: string): BuiltData {
  const stored = readStoredMeta(file);
  if (!stored || "unreadable" in stored) throw new Error(`${file} is not a finished bench data set`);
  return { file, url: `file:${path.resolve(file)}`, built: false, loadSeconds: null, rollupSeconds: null, counts: stored.counts };
}

/** This generator's entry module; its imports are followed from here. */
const GENERATOR = fileURLToPath(import.meta.url);

type StoredMeta = { signature: string; fingerprint: Fingerprint | null; counts: Counts } | { unreadable: true };

function readStoredMeta(file: string): StoredMeta | null {
  if (!fs.existsSync(file)) return null;
  try {
    const db = new Database(file, { readonly: true });
    try {
      const get = (key: string) => db.prepare(`SELECT "value" FROM "_ReachBenchMeta" WHERE "key" = ?`).get(key);
      const [signature, fingerprint, counts] = [get("signature"), get("fingerprint"), get("counts")];
      if (!isValueRow(signature) || !isValueRow(counts)) return { unreadable: true };
      const parsed: unknown = isValueRow(fingerprint) ? JSON.parse(fingerprint.value) : null;
      return { signature: signature.value, fingerprint: isFingerprint(parsed) ? parsed : null, counts: JSON.parse(counts.value) };
    } finally {
      db.close();
    }
  } catch {
    // No meta table: the build never finished.
    return { unreadable: true };
  }
}

function isValueRow(row: unknown): row is { value: string } {
  return typeof row === "object" && row !== null && "value" in row && typeof row.value === "string";
}

/**
 * Generates the data set's records into `sink` (one per table), table by table as they are made, and feeds
 * each person's records to the rollup worker. Deterministic: the same spec makes the same rows.
 */
export function generate(spec: DataSpec, feed: RollupFeed, sink: (table: TableSpec) => RowSink): Counts {
  const rnd = mulberry32(20260302);
  const pick = (n: number) => Math.floor(rnd() * n);
  const now = iso(BENCH_AS_OF.getTime());
  const counts: Counts = { regions: 0, schools: 0, headcounts: 0, people: 0, affiliations: 0, sessions: 0, sessionDays: 0, enrollments: 0, attendance: 0, certifications: 0 };

  const sinks = Object.fromEntries(Object.entries(TABLES).map(([name, table]) => [name, sink(table)]));
  const ins = sinks as Record<TableName, RowSink>;

  const PROGRAMS = {
    YMHFA: { id: "prog-ymhfa", days: 1, validity: 36 as number | null },
    MHFA: { id: "prog-mhfa", days: 1, validity: 36 as number | null },
    TMHFA: { id: "prog-tmhfa", days: 6, validity: null as number | null },
    QPR: { id: "prog-qpr", days: 1, validity: null as number | null },
  };
  type ProgramKey = keyof typeof PROGRAMS;

  const FIRST = ["Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jon", "Kemi", "Luis", "Mai", "Noor", "Omar", "Paz"];
  const LAST = ["Garcia", "Nguyen", "Smith", "Kim", "Lopez", "Patel", "Brown", "Chen", "Martinez", "Okafor", "Rossi", "Silva", "Tanaka", "Walker"];

  const schoolCount = spec.schools;
  const regionCount = spec.regions ?? Math.max(2, Math.round(schoolCount / 40));
  const totalPeople = spec.staff + spec.students + spec.community;
  const regionOf = Array.from({ length: schoolCount + 1 }, (_, s) => id("rg", 1 + (s % regionCount)));

  // Sessions: one per school, program and month, on a day of the month fixed by a hash.
  const sessions = new Map<string, { id: string; dayIds: string[]; lastDay: number }>();
  let sessionN = 0;
  let dayN = 0;
  const audienceOf: Record<ProgramKey, string> = { YMHFA: "STAFF", MHFA: "MIXED", TMHFA: "STUDENTS", QPR: "MIXED" };
  function sessionFor(school: number, program: ProgramKey, year: number, month: number) {
    const key = `${school}|${program}|${year}|${month}`;
    let s = sessions.get(key);
    if (s) return s;
    const dom = 1 + ((school * 31 + month * 7 + year) % 27);
    const lastDay = utc(year, month, dom);
    const days = PROGRAMS[program].days;
    const dayIds: string[] = [];
    s = { id: id("ts", ++sessionN), dayIds, lastDay };
    const created = iso(lastDay - 30 * DAY);
    ins.session.run(s.id, PROGRAMS[program].id, audienceOf[program], id("sc", school), iso(lastDay), created, created);
    counts.sessions += 1;
    for (let d = days - 1; d >= 0; d -= 1) {
      const start = lastDay - d * 7 * DAY + 16 * 3_600_000;
      const dayId = id("sd", ++dayN);
      ins.day.run(dayId, s.id, iso(start), iso(start + 2 * 3_600_000));
      dayIds.push(dayId);
      counts.sessionDays += 1;
    }
    sessions.set(key, s);
    return s;
  }

  let certN = 0;
  let enrollN = 0;
  let attendN = 0;
  /** One certificate, with its enrollment and attendance; returns the issue day. */
  function train(personId: string, school: number, program: ProgramKey, targetMs: number, certId: string, renewedById: string | null): number {
    const target = new Date(targetMs);
    const s = sessionFor(school, program, target.getUTCFullYear(), target.getUTCMonth());
    const issued = s.lastDay;
    const validity = PROGRAMS[program].validity;
    const expires = validity == null ? null : addMonthsMs(issued, validity);
    const enrollmentId = id("en", ++enrollN);
    ins.enrollment.run(enrollmentId, s.id, personId, program === "YMHFA" ? iso(issued) : null, iso(issued - 40 * DAY));
    counts.enrollments += 1;
    for (const dayId of s.dayIds) {
      ins.attendance.run(id("at", ++attendN), enrollmentId, dayId, iso(issued));
      counts.attendance += 1;
    }
    const expiresOn = expires == null ? null : iso(expires);
    ins.cert.run(certId, personId, PROGRAMS[program].id, s.id, iso(issued), expiresOn, `v${certId}`, renewedById, iso(issued));
    feed.certification(personId, PROGRAMS[program].id, iso(issued), expiresOn);
    counts.certifications += 1;
    return issued;
  }

  const yearStart = (y: number) => utc(y, 6, 1);
  const randomDayInYear = (y: number) => yearStart(y) + pick(330) * DAY;
  const asOfMs = BENCH_AS_OF.getTime();

  /** A chain of YMHFA/MHFA certificates: first training, then renewals inside the window while the person stays. */
  function certifyChain(personId: string, school: number, program: ProgramKey, firstMs: number, lastYear: number, renewChance: number) {
    let target = firstMs;
    let certId = id("ce", ++certN);
    for (;;) {
      if (target > asOfMs) return;
      const validity = PROGRAMS[program].validity ?? 36;
      // Decide the renewal before inserting, so the old certificate can point at the new one.
      const t = new Date(target);
      const issued = sessionFor(school, program, t.getUTCFullYear(), t.getUTCMonth()).lastDay;
      const renewTarget = addMonthsMs(issued, validity) - 40 * DAY;
      const renew = renewTarget <= asOfMs && renewTarget < yearStart(lastYear + 1) && rnd() < renewChance;
      const nextId = renew ? id("ce", certN + 1) : null;
      train(personId, school, program, target, certId, nextId);
      if (!renew || !nextId) return;
      certN += 1;
      certId = nextId;
      target = renewTarget;
    }
  }

  const bar = progressBar(`load ${spec.name}`, totalPeople);
  {
    const regionWidth = Math.max(2, String(regionCount).length);
    for (let r = 1; r <= regionCount; r += 1) {
      const number = String(r).padStart(regionWidth, "0");
      ins.region.run(id("rg", r), `R${number}`, `Region ${number}`, now, now);
      counts.regions += 1;
    }
    const codeWidth = Math.max(4, String(schoolCount).length);
    for (let s = 1; s <= schoolCount; s += 1) {
      const level = ["ELEMENTARY", "MIDDLE", "HIGH"][s % 3];
      const number = String(s).padStart(codeWidth, "0");
      ins.school.run(id("sc", s), `S${number}`, `School ${number}`, level, regionOf[s], now, now);
      counts.schools += 1;
    }
    for (const [code, p] of Object.entries(PROGRAMS)) {
      const audience = code === "TMHFA" ? "STUDENTS" : code === "QPR" ? "ANYONE" : "ADULTS";
      ins.program.run(p.id, code, code, audience, p.validity, p.validity ? 90 : null, code === "YMHFA" ? 1 : 0, now, now);
    }
    const staffAt = new Int32Array(schoolCount * (LAST_YEAR - FIRST_YEAR + 1));
    const studentsAt = new Int32Array(schoolCount * (LAST_YEAR - FIRST_YEAR + 1));
    let personN = 0;
    let affN = 0;
    const person = (kind: string, districtId: string | null) => {
      const pid = id("pe", ++personN);
      ins.person.run(pid, districtId, FIRST[pick(FIRST.length)], LAST[pick(LAST.length)], kind, now, now);
      feed.person(pid, kind);
      counts.people += 1;
      if (personN % 2000 === 0) bar.tick(personN);
      return pid;
    };
    const affiliate = (pid: string, school: number, year: number, title: string) => {
      ins.affiliation.run(id("af", ++affN), pid, id("sc", school), year, title);
      feed.affiliation(pid, year, id("sc", school), regionOf[school]);
      counts.affiliations += 1;
    };

    // Staff: a home school for their tenure; 6% itinerant with a second school.
    for (let i = 0; i < spec.staff; i += 1) {
      const pid = person("STAFF", `E${i + 1}`);
      const school = 1 + (i % schoolCount);
      const second = rnd() < 0.06 ? 1 + ((i * 7 + 13) % schoolCount) : 0;
      const start = rnd() < 0.45 ? FIRST_YEAR : FIRST_YEAR + 1 + pick(LAST_YEAR - FIRST_YEAR);
      const end = Math.min(LAST_YEAR, start + 2 + pick(11));
      for (let y = start; y <= end; y += 1) {
        affiliate(pid, school, y, "Teacher");
        staffAt[(school - 1) * 10 + (y - FIRST_YEAR)] += 1;
        if (second && second !== school) {
          affiliate(pid, second, y, "Counselor");
          staffAt[(second - 1) * 10 + (y - FIRST_YEAR)] += 1;
        }
      }
      if (rnd() < 0.55) certifyChain(pid, school, "YMHFA", randomDayInYear(start + pick(end - start + 1)), end, 0.6);
      if (rnd() < 0.15) certifyChain(pid, school, "MHFA", randomDayInYear(start + pick(end - start + 1)), end, 0.3);
      if (rnd() < 0.45) train(pid, school, "QPR", randomDayInYear(start + pick(end - start + 1)), id("ce", ++certN), null);
    }
    // Students: four years at a school (10% move once); QPR in some years, Teen MHFA once for many.
    for (let i = 0; i < spec.students; i += 1) {
      const pid = person("STUDENT", `S${i + 1}`);
      let school = 1 + pick(schoolCount);
      const cohort = FIRST_YEAR - 3 + pick(LAST_YEAR - FIRST_YEAR + 4);
      const moves = rnd() < 0.1;
      const years: Array<[number, number]> = [];
      for (let y = Math.max(FIRST_YEAR, cohort); y <= Math.min(LAST_YEAR, cohort + 3); y += 1) {
        if (moves && y === cohort + 2) school = 1 + ((school + 37) % schoolCount);
        affiliate(pid, school, y, `Grade ${9 + y - cohort}`);
        studentsAt[(school - 1) * 10 + (y - FIRST_YEAR)] += 1;
        years.push([school, y]);
      }
      for (const [s, y] of years) if (rnd() < spec.studentQprPerYear) train(pid, s, "QPR", randomDayInYear(y), id("ce", ++certN), null);
      if (years.length && rnd() < 0.6) {
        const [s, y] = years[pick(years.length)];
        train(pid, s, "TMHFA", randomDayInYear(y), id("ce", ++certN), null);
      }
    }
    // Community partners: 60% placed at a school for a few years.
    for (let i = 0; i < spec.community; i += 1) {
      const pid = person("COMMUNITY", null);
      const school = 1 + pick(schoolCount);
      const start = FIRST_YEAR + pick(LAST_YEAR - FIRST_YEAR + 1);
      const end = Math.min(LAST_YEAR, start + pick(5));
      if (rnd() < 0.6) for (let y = start; y <= end; y += 1) affiliate(pid, school, y, "Partner");
      if (rnd() < 0.5) train(pid, school, "QPR", randomDayInYear(start), id("ce", ++certN), null);
      if (rnd() < 0.3) certifyChain(pid, school, "YMHFA", randomDayInYear(start), end, 0.4);
      if (rnd() < 0.3) certifyChain(pid, school, "MHFA", randomDayInYear(start), end, 0.4);
    }
    // Headcounts from the affiliations, a little above (vacancies, staff not in the system);
    // 3% of schools have no headcount for the current year.
    let hcN = 0;
    for (let s = 1; s <= schoolCount; s += 1) {
      for (let y = FIRST_YEAR; y <= LAST_YEAR; y += 1) {
        if (y === LAST_YEAR && s % 33 === 0) continue;
        const staff = staffAt[(s - 1) * 10 + (y - FIRST_YEAR)];
        const students = studentsAt[(s - 1) * 10 + (y - FIRST_YEAR)];
        ins.headcount.run(id("hc", ++hcN), id("sc", s), y, Math.round(staff * 1.05) + 1, Math.round(students * 1.02) + 1, now);
        counts.headcounts += 1;
      }
    }
    for (const s of Object.values(ins)) s.flush();
  }
  feed.finish();
  bar.tick(totalPeople);
  bar.done();
  return counts;
}

/** A table the generator writes: run() takes `columns` in this order; `fixed` columns have one value in every row. */
export type TableSpec = { table: string; columns: readonly string[]; fixed?: Readonly<Record<string, string | boolean>> };

/** Every table the generator writes, and how its rows look. */
export const TABLES = {
  region: { table: "Region", columns: ["id", "code", "name", "createdAt", "updatedAt"] },
  school: { table: "School", columns: ["id", "code", "name", "level", "regionId", "createdAt", "updatedAt"], fixed: { active: true } },
  headcount: { table: "Headcount", columns: ["id", "schoolId", "schoolYear", "staffCount", "studentCount", "updatedAt"] },
  program: { table: "Program", columns: ["id", "code", "name", "audience", "validityMonths", "renewalWindowDays", "requiresPostWork", "createdAt", "updatedAt"] },
  person: { table: "Person", columns: ["id", "districtId", "firstName", "lastName", "kind", "createdAt", "updatedAt"] },
  affiliation: { table: "Affiliation", columns: ["id", "personId", "schoolId", "schoolYear", "title"] },
  session: { table: "TrainingSession", columns: ["id", "programId", "audience", "schoolId", "closedAt", "createdAt", "updatedAt"], fixed: { format: "IN_PERSON", status: "CLOSED" } },
  day: { table: "SessionDay", columns: ["id", "sessionId", "startsAt", "endsAt"] },
  enrollment: { table: "Enrollment", columns: ["id", "sessionId", "personId", "postWorkCompletedOn", "createdAt"] },
  attendance: { table: "Attendance", columns: ["id", "enrollmentId", "sessionDayId", "recordedAt"], fixed: { status: "PRESENT", method: "SEED" } },
  cert: { table: "Certification", columns: ["id", "personId", "programId", "sessionId", "issuedOn", "expiresOn", "verificationCode", "renewedById", "createdAt"] },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;

/** Where a table's rows go: prepared statements (SQLite) or a COPY file (PostgreSQL). flush() writes what is buffered. */
export type RowSink = { run(...values: unknown[]): void; flush(): void };
export type RollupFeed = ReturnType<typeof startRollupFeed>;

/**
 * A single-row INSERT … VALUES (…) run as one statement per BATCH_ROWS rows: about half the
 * time per row for the big tables. Rows keep their order within the table; flush() writes the rest.
 */
const BATCH_ROWS = 32;
function sqliteSink(db: Database.Database, spec: TableSpec): RowSink {
  const fixed = Object.entries(spec.fixed ?? {});
  const names = [...spec.columns, ...fixed.map(([c]) => c)].map((c) => `"${c}"`).join(",");
  const literal = (v: string | boolean) => (typeof v === "boolean" ? (v ? "1" : "0") : `'${v}'`);
  const tuple = `(${[...spec.columns.map(() => "?"), ...fixed.map(([, v]) => literal(v))].join(",")})`;
  const head = `INSERT INTO "${spec.table}" (${names}) VALUES `;
  const width = spec.columns.length;
  const one = db.prepare(head + tuple);
  const many = db.prepare(head + new Array(BATCH_ROWS).fill(tuple).join(","));
  const buffer: unknown[] = [];
  return {
    run(...values: unknown[]) {
      for (const v of values) buffer.push(v);
      if (buffer.length === BATCH_ROWS * width) {
        many.run(buffer);
        buffer.length = 0;
      }
    },
    flush() {
      for (let i = 0; i < buffer.length; i += width) one.run(buffer.slice(i, i + width));
      buffer.length = 0;
    },
  };
}

async function load(file: string, spec: DataSpec): Promise<{ counts: Counts; rollupSeconds: number }> {
  // The rollup is computed in a worker thread from the records as they are generated (see reach-rollup-feed.ts).
  const feed = startRollupFeed(`${file}.rollup`, spec.staff + spec.students + spec.community);
  try {
    return await loadWith(file, spec, feed);
  } finally {
    feed.stop();
  }
}

async function loadWith(file: string, spec: DataSpec, feed: RollupFeed): Promise<{ counts: Counts; rollupSeconds: number }> {
  const db = new Database(file);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("temp_store = MEMORY");
  // Indexes after loading: drop the migration's own, keep their SQL, create them again at the end.
  const indexes = db
    .prepare(`SELECT "name", "sql" FROM sqlite_master WHERE type = 'index' AND "sql" IS NOT NULL`)
    .all()
    .filter((r): r is { name: string; sql: string } => typeof r === "object" && r !== null && "name" in r && "sql" in r && typeof r.sql === "string" && typeof r.name === "string");
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  // The reach triggers too (they would queue every person in ReachDirty): the rollup is built at the end.
  const triggers = db
    .prepare(`SELECT "name", "sql" FROM sqlite_master WHERE type = 'trigger' AND "sql" IS NOT NULL`)
    .all()
    .filter((r): r is { name: string; sql: string } => typeof r === "object" && r !== null && "name" in r && "sql" in r && typeof r.sql === "string" && typeof r.name === "string");
  for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);

  let counts: Counts = {};
  db.transaction(() => {
    counts = generate(spec, feed, (table) => sqliteSink(db, table));
  })();

  const ibar = progressBar(`indexes ${spec.name}`, indexes.length);
  indexes.forEach((index, i) => {
    db.exec(index.sql);
    ibar.tick(i + 1);
  });
  ibar.done();
  for (const trigger of triggers) db.exec(trigger.sql);
  // People search's full-text index (an FTS5 table over Person, kept by triggers that were off during the
  // load): filled in one pass, as its migration does.
  db.exec(`INSERT INTO "PersonSearch"("PersonSearch") VALUES ('rebuild')`);

  // No ANALYZE here: the app analyzes a database when it opens it (PRAGMA optimize, a sample), so the bench
  // measures the plans the app gets with the statistics it makes (docs/decisions/018-query-plans-at-scale.md).

  // The rollup: the worker has been computing it from the records as they were loaded; wait for the
  // rest, then copy its rows in. The reach tables' primary keys check them on the way.
  const rollupStarted = Date.now();
  const rollup = await feed.done(progressBar);
  const cbar = progressBar(`rollup copy ${spec.name}`, 2);
  db.prepare(`ATTACH DATABASE ? AS "side"`).run(feed.sideFile);
  db.transaction(() => {
    db.exec(`DELETE FROM "ReachDirty"; DELETE FROM "ReachPersonState"; DELETE FROM "ReachRollup";`);
    db.exec(`INSERT INTO "ReachPersonState" ("who", "state") SELECT "who", "state" FROM "side"."ReachPersonState"`);
    cbar.tick(1);
    const cols = SIDE_TABLES.rowColumns.map((c) => `"${c}"`).join(", ");
    db.exec(`INSERT INTO "ReachRollup" (${cols}) SELECT ${cols} FROM "side"."ReachRollup"`);
  })();
  db.exec(`DETACH DATABASE "side"`);
  cbar.tick(2);
  cbar.done();
  counts.personStates = rollup.states;
  counts.rollupRows = rollup.rows;
  const rollupSeconds = (Date.now() - rollupStarted) / 1000;
  process.stderr.write(`rollup ${spec.name}: worker done ${rollup.afterLoadSeconds.toFixed(1)} s after the last person was loaded (${rollup.rowsSeconds.toFixed(1)} s writing rows); ${rollupSeconds.toFixed(1)} s waiting and copying after the indexes\n`);

  db.pragma("journal_mode = DELETE");
  db.pragma("synchronous = FULL");
  db.close();
  return { counts, rollupSeconds };
}
