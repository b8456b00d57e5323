/**
 * Bench section "concurrency": no page may stall the others (issue 13). The production build, served as
 * `npm start` serves it (scripts/serve.ts), on the district data set (reach-data.ts FULL: 1,000 schools,
 * 600,000 people, 1.44 M certificates), through real HTTP:
 * - alone: a member's page (/me) and a full sign-in (POST /login with email and password, as the form
 *   posts it), each ~20 times one after another;
 * - under load: two clients load the heaviest lead pages in a loop (a region page with its QPR
 *   "students trained, all time" list as an administrator sees it, and the printable report, both for the
 *   school year 2025-26 as of 2026-03-02), while a third client opens the member page and signs in, one
 *   request after another; a fourth asks /healthz every 50 ms, which shows how long the server could not
 *   answer anything at all (better-sqlite3 runs queries synchronously on the server's one event loop).
 * Targets (under load): the member page p95 under 150 ms, a sign-in p95 under 500 ms.
 *
 * The server gets no SMTP_URL (nothing could be emailed) and no REMINDER_SCHEDULE_MINUTES (its reminder
 * schedule stays off, so no pass runs on the bench data). The build goes to bench/.data/concurrency-build
 * (never build/), rebuilt when a file under app/ (or the Vite/Remix config) is newer than it.
 * The bench adds three users (a program lead, an administrator and a member linked to the data set's person
 * with the most certificates); they, their sign-in sessions and every sign-in, audit, outbox and reminder row
 * written since the start are removed at the end, on Ctrl-C, and before a run (what an interrupted run left).
 *
 * Run alone: `npx tsx scripts/bench/concurrency.ts [--json]`; in the suite: `npm run bench -- --only concurrency`.
 * CONCURRENCY_BENCH_DB=<copy of reach-full.db>: a private copy while working (see useDataSetCopy).
 * CONCURRENCY_BENCH_CPU_PROF=1: the server runs with --cpu-prof; the profile goes to bench/.data/concurrency-prof/.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import type { BenchMetric, BenchSection } from "./types";
import { BENCH_AS_OF, ensureReachData, FULL, LAST_YEAR, useDataSetCopy } from "./reach-data";
import { freePort } from "../lib/free-port";

/**
 * The member page is one small person's certificates and sessions: the same 150 ms as every page (issue 13),
 * and it must hold while a lead's heavy page runs, since members and leads use the app at the same time.
 */
const MEMBER_P95_MS = 150;
/**
 * A sign-in is mostly Argon2id verifying the password (deliberately slow, tens to hundreds of ms on this
 * machine; "sign-in alone" shows it); 500 ms leaves room for that plus the throttle's write transaction,
 * and is still a sign-in nobody notices.
 */
const SIGN_IN_P95_MS = 500;
const ALONE_RUNS = 20;
const LOAD_RUNS = 20;
/** The lead pages alone, for comparison with their time under load (each takes a few hundred ms). */
const LEAD_ALONE_RUNS = 3;
/** The load phase stops after this long even if the probes have not had their runs (a stalled server). */
const LOAD_BUDGET_MS = 60_000;
/** One request longer than this counts as timed out (and as over its target). */
const REQUEST_LIMIT_MS = 20_000;
const HEALTH_EVERY_MS = 50;
const BUILD_DIR = "bench/.data/concurrency-build";
const BUILD_STAMP = path.join(BUILD_DIR, ".built-from");
const PROFILE_DIR = "bench/.data/concurrency-prof";
/** A statement that holds the server's event loop longer than this is logged by the server (see SLOW_SQL_HOOK). */
const SLOW_SQL_MS = 25;
const SLOW_SQL_MARK = "[bench-slow-sql]";
/**
 * Loaded into the server with --import: times every better-sqlite3 statement the Prisma adapter runs
 * (it calls run() and all(), synchronously, on the one event loop) and logs those over SLOW_SQL_MS with
 * their SQL, so the report can say which query kept every other request waiting, and for how long. It
 * adds one clock read per statement and changes nothing else.
 */
const SLOW_SQL_HOOK = `import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/package.json");
const Database = require("better-sqlite3");
const db = new Database(":memory:");
const proto = Object.getPrototypeOf(db.prepare("SELECT 1"));
db.close();
for (const method of ["all", "run", "get"]) {
  const original = proto[method];
  proto[method] = function (...args) {
    const start = performance.now();
    try { return original.apply(this, args); } finally {
      const ms = performance.now() - start;
      if (ms > ${SLOW_SQL_MS}) process.stderr.write("${SLOW_SQL_MARK} " + ms.toFixed(1) + " " + this.source.replace(/\\s+/g, " ").slice(0, 400) + "\\n");
    }
  };
}`;
const BENCH_USER_PREFIX = "bench-concurrency-";
const USERS = { lead: "PROGRAM_LEAD", admin: "ADMIN", member: "MEMBER" } as const;
type BenchUser = keyof typeof USERS;
const userId = (who: BenchUser) => `${BENCH_USER_PREFIX}${who}`;
const emailOf = (who: BenchUser) => `${userId(who)}@bench.example`;
const PASSWORD = "bench-concurrency-password-0123";
/** Rows the server may write while the bench runs, removed past the mark stored at the start. */
const MARK_TABLES = ["SignInFailure", "AuditEvent", "OutboxMessage", "ReminderDelivery"] as const;
const MARKS_TABLE = "_ConcurrencyBenchMarks";

const schoolYear = `${LAST_YEAR}-${String((LAST_YEAR + 1) % 100).padStart(2, "0")}`;
const asOf = BENCH_AS_OF.toISOString().slice(0, 10);

function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
const round = (ms: number) => Math.round(ms * 10) / 10;
const log = (line: string) => process.stderr.write(`${line}\n`);

/* ------------------------------------------------------------------------------------------------ */
/* The data set: users, marks, cleanup.                                                             */
/* ------------------------------------------------------------------------------------------------ */

function rowOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object") throw new Error("concurrency bench: a query found nothing");
  return Object.fromEntries(Object.entries(value));
}
const text = (value: unknown) => (typeof value === "string" ? value : String(value));

/** Everything the bench added: its users with their sessions, and rows written since the marks. */
function cleanUp(file: string) {
  const db = new Database(path.resolve(file));
  try {
    db.pragma("busy_timeout = 10000");
    db.pragma("foreign_keys = ON"); // an audit event's AuditEventPerson rows go with it
    const users = Object.keys(USERS).map((who) => userId(who as BenchUser));
    const inUsers = `(${users.map(() => "?").join(", ")})`;
    const hasMarks = db.prepare(`SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "name" = ?`).get(MARKS_TABLE);
    const marks = new Map<string, number>();
    if (hasMarks) for (const r of db.prepare(`SELECT "table", "rowid_mark" FROM "${MARKS_TABLE}"`).all().map(rowOf)) marks.set(text(r.table), Number(r.rowid_mark));
    db.transaction(() => {
      for (const table of MARK_TABLES) {
        const mark = marks.get(table);
        if (mark != null) db.prepare(`DELETE FROM "${table}" WHERE rowid > ?`).run(mark);
      }
      db.prepare(`DELETE FROM "SignInFailure" WHERE "email" IN (${users.map(() => "?").join(", ")})`).run(...users.map((u) => `${u}@bench.example`));
      db.prepare(`DELETE FROM "AuditEvent" WHERE "actorId" IN ${inUsers}`).run(...users);
      db.prepare(`DELETE FROM "AuthSession" WHERE "userId" IN ${inUsers}`).run(...users);
      db.prepare(`DELETE FROM "User" WHERE "id" IN ${inUsers}`).run(...users);
      db.exec(`DROP TABLE IF EXISTS "${MARKS_TABLE}"`);
    })();
  } finally {
    db.close();
  }
}

/** The person whose member page is opened: the one with the most certificates (the heaviest /me). */
function memberPerson(file: string): string {
  const db = new Database(path.resolve(file), { readonly: true });
  try {
    const row = rowOf(
      db.prepare(`SELECT "personId" FROM "Certification" GROUP BY "personId" ORDER BY COUNT(*) DESC, "personId" LIMIT 1`).get(),
    );
    return text(row.personId);
  } finally {
    db.close();
  }
}

function firstRegion(file: string): string {
  const db = new Database(path.resolve(file), { readonly: true });
  try {
    return text(rowOf(db.prepare(`SELECT "id" FROM "Region" ORDER BY "code" LIMIT 1`).get()).id);
  } finally {
    db.close();
  }
}

function storeMarks(file: string) {
  const db = new Database(path.resolve(file));
  try {
    db.exec(`CREATE TABLE "${MARKS_TABLE}" ("table" TEXT PRIMARY KEY, "rowid_mark" INTEGER NOT NULL)`);
    const put = db.prepare(`INSERT INTO "${MARKS_TABLE}" ("table", "rowid_mark") VALUES (?, ?)`);
    for (const table of MARK_TABLES) put.run(table, Number(rowOf(db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS "m" FROM "${table}"`).get()).m));
  } finally {
    db.close();
  }
}

/**
 * The three users, with a password, through the app's own client and password hashing. Returns the time
 * of ALONE_RUNS Argon2id verifications of that password, as a sign-in does them: most of a sign-in's time.
 */
async function createUsers(personId: string): Promise<Series> {
  const { prisma } = await import("~/db.server");
  const { hashPassword } = await import("~/models/user.server");
  const { verify } = await import("@node-rs/argon2");
  try {
    const argon2: Series = { name: "Argon2id password check alone (in the bench process)", times: [] };
    const hash = await hashPassword(PASSWORD);
    for (let i = 0; i < ALONE_RUNS; i += 1) {
      const start = performance.now();
      const ok = await verify(hash, PASSWORD);
      argon2.times.push({ ms: performance.now() - start, ok, status: ok ? "ok" : "wrong" });
    }
    for (const who of Object.keys(USERS) as BenchUser[]) {
      await prisma.user.create({
        data: {
          id: userId(who), email: emailOf(who), name: `Bench ${who}`, role: USERS[who], passwordHash: await hashPassword(PASSWORD),
          ...(who === "member" ? { personId } : {}),
        },
      });
    }
    return argon2;
  } finally {
    await prisma.$disconnect();
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* The build and the server.                                                                        */
/* ------------------------------------------------------------------------------------------------ */

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * The production build in BUILD_DIR, rebuilt when missing or older than the app's source. The stamp holds
 * the time the build started, so a file saved while it ran counts as newer.
 */
function ensureBuild() {
  const sources = ["app", "vite.config.ts", "remix.config.js", "package.json"].filter((p) => fs.existsSync(p));
  const newest = Math.max(...sources.map(newestMtime));
  const builtFrom = fs.existsSync(BUILD_STAMP) && fs.existsSync(path.join(BUILD_DIR, "server/index.js")) ? Number(fs.readFileSync(BUILD_STAMP, "utf8")) : null;
  if (builtFrom != null && builtFrom >= newest) {
    log(`concurrency: reusing the production build in ${BUILD_DIR}`);
    return;
  }
  log(`concurrency: building the app into ${BUILD_DIR} (${builtFrom == null ? "no build yet" : "app/ changed since the last build"})…`);
  const started = Date.now();
  // The build's output goes to stderr: stdout carries the section's result to scripts/bench.ts.
  const result = spawnSync("npx", ["remix", "vite:build"], { env: { ...process.env, REMIX_BUILD_DIR: BUILD_DIR, NODE_ENV: "production" }, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) throw new Error(`concurrency: the build failed (exit ${result.status})`);
  fs.writeFileSync(BUILD_STAMP, String(started));
  log(`concurrency: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

type Server = { url: string; child: ChildProcess; output: () => string };

async function startServer(dataFile: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${path.resolve(dataFile)}`,
    NODE_ENV: "production",
    REMIX_BUILD_DIR: path.resolve(BUILD_DIR),
    SESSION_SECRET: "bench-concurrency-session-secret-0123456789",
    SECURE_COOKIES: "false",
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  };
  // Nothing is emailed and the server's own reminder schedule stays off: no pass runs on the bench data.
  delete env.SMTP_URL;
  delete env.REMINDER_SCHEDULE_MINUTES;
  delete env.TRUST_PROXY;
  const profile = process.env.CONCURRENCY_BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : [];
  const hook = `data:text/javascript,${encodeURIComponent(SLOW_SQL_HOOK)}`;
  const child = spawn(process.execPath, [...profile, "--import", hook, "--import", "tsx", "scripts/serve.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const url = `http://127.0.0.1:${port}`;
  // The first connection runs PRAGMA optimize (statistics for a never-analyzed data set): allow for it.
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`concurrency: the server exited: ${output.slice(-2000)}`);
    if (waited > 120_000) throw new Error(`concurrency: the server did not answer in 120 s: ${output.slice(-2000)}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ok) return { url, child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM, then SIGKILL: a server inside a long synchronous query cannot run its SIGTERM handler. */
async function stopServer(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/* ------------------------------------------------------------------------------------------------ */
/* The clients.                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

type Timed = { ms: number; ok: boolean; status: number | string };

/** One request, its body read to the end, timed from the client; a timeout or error is not ok. */
async function timed(url: string, init: RequestInit, expect: number): Promise<Timed> {
  const start = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
    await res.arrayBuffer();
    return { ms: performance.now() - start, ok: res.status === expect, status: res.status };
  } catch (error) {
    const name = error instanceof Error ? error.name : "error";
    return { ms: performance.now() - start, ok: false, status: name === "TimeoutError" ? "timed out" : name };
  }
}

async function signIn(base: string, who: BenchUser): Promise<{ timed: Timed; cookie: string }> {
  const start = performance.now();
  try {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
      body: new URLSearchParams({ redirectTo: "", lang: "en", email: emailOf(who), password: PASSWORD }),
    });
    await res.arrayBuffer();
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return { timed: { ms: performance.now() - start, ok: res.status === 302 && cookie !== "", status: res.status }, cookie };
  } catch (error) {
    const name = error instanceof Error ? error.name : "error";
    return { timed: { ms: performance.now() - start, ok: false, status: name === "TimeoutError" ? "timed out" : name }, cookie: "" };
  }
}

type Series = { name: string; times: Timed[] };

function summary(series: Series) {
  const failed = series.times.filter((t) => !t.ok);
  // A failed or timed-out request counts at its full time (at least the limit when it timed out): it was not an answer.
  const sorted = series.times.map((t) => (t.ok ? t.ms : Math.max(t.ms, t.status === "timed out" ? REQUEST_LIMIT_MS : t.ms))).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: sorted.length ? round(percentile(sorted, 50)) : NaN,
    p95: sorted.length ? round(percentile(sorted, 95)) : NaN,
    max: sorted.length ? round(sorted[sorted.length - 1]) : NaN,
    failed: failed.length,
    failures: [...new Set(failed.map((t) => String(t.status)))].join(", "),
  };
}

/** Server-side times from the request log (morgan "tiny": `GET /path 200 123 - 45.678 ms`), by path without the query. */
function serverTimes(output: string, from: number) {
  const byPath = new Map<string, number[]>();
  for (const line of output.slice(from).split("\n")) {
    const m = /^(GET|POST) (\S+) \d+ \S+ - ([\d.]+) ms/.exec(line.trim());
    if (!m) continue;
    const key = `${m[1]} ${m[2].split("?")[0]}`;
    byPath.set(key, [...(byPath.get(key) ?? []), Number(m[3])]);
  }
  return [...byPath].map(([key, times]) => {
    const sorted = times.sort((a, b) => a - b);
    return `${key}: n ${sorted.length}, p50 ${round(percentile(sorted, 50))} ms, p95 ${round(percentile(sorted, 95))} ms, max ${round(sorted[sorted.length - 1])} ms`;
  });
}

/** The slowest statements the server logged (SLOW_SQL_HOOK) during the load phase: SQL, count, max and total time. */
function slowStatements(output: string, from: number, top = 5) {
  const bySql = new Map<string, number[]>();
  for (const line of output.slice(from).split("\n")) {
    const at = line.indexOf(SLOW_SQL_MARK);
    if (at < 0) continue;
    const m = /^([\d.]+) (.*)$/.exec(line.slice(at + SLOW_SQL_MARK.length).trim());
    if (!m) continue;
    bySql.set(m[2], [...(bySql.get(m[2]) ?? []), Number(m[1])]);
  }
  return [...bySql]
    .map(([sql, times]) => ({ sql, n: times.length, max: Math.max(...times), total: times.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.max - a.max)
    .slice(0, top)
    .map((s) => `${round(s.max)} ms max, ${s.n}× (${round(s.total)} ms in all): ${s.sql.slice(0, 300)}`);
}

/* ------------------------------------------------------------------------------------------------ */
/* The run.                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

async function measure(server: Server, regionId: string) {
  const base = server.url;
  const lead = await signIn(base, "lead");
  const admin = await signIn(base, "admin");
  const member = await signIn(base, "member");
  for (const [who, s] of [["lead", lead], ["admin", admin], ["member", member]] as const) {
    if (!s.timed.ok) throw new Error(`concurrency: signing in the bench ${who} answered ${s.timed.status}`);
  }
  const get = (cookie: string) => ({ headers: { Cookie: cookie } });
  const memberPage = () => timed(`${base}/me`, get(member.cookie), 200);
  const memberSignIn = async () => (await signIn(base, "member")).timed;
  const leadPages = [
    {
      name: "admin: region page + QPR students list",
      open: () => timed(`${base}/lead/regions/${regionId}?year=${schoolYear}&asOf=${asOf}&program=QPR&list=students-all`, get(admin.cookie), 200),
    },
    { name: "lead: printable report", open: () => timed(`${base}/lead/report?to=${asOf}`, get(lead.cookie), 200) },
  ];

  // Warm-up (query plans, page cache, the member's first visit), and each lead page's time alone.
  const first = await memberPage();
  if (!first.ok) throw new Error(`concurrency: the member page answered ${first.status}`);
  const leadAlone: Series[] = [];
  for (const page of leadPages) {
    log(`  ${page.name}, alone…`);
    const warm = await page.open();
    if (!warm.ok) throw new Error(`concurrency: ${page.name} answered ${warm.status} (${round(warm.ms)} ms)`);
    const series: Series = { name: `${page.name}, alone`, times: [] };
    for (let i = 0; i < LEAD_ALONE_RUNS; i += 1) series.times.push(await page.open());
    leadAlone.push(series);
  }

  log(`  member page and sign-in, alone (${ALONE_RUNS} each)…`);
  const memberAlone: Series = { name: "member page, alone", times: [] };
  const signInAlone: Series = { name: "sign-in, alone", times: [] };
  for (let i = 0; i < ALONE_RUNS; i += 1) memberAlone.times.push(await memberPage());
  for (let i = 0; i < ALONE_RUNS; i += 1) signInAlone.times.push(await memberSignIn());

  log(`  under load: two clients on the lead pages, one on the member page and sign-in (${LOAD_RUNS} each, at most ${LOAD_BUDGET_MS / 1000} s)…`);
  const logFrom = server.output().length;
  const memberLoad: Series = { name: "member page, under load", times: [] };
  const signInLoad: Series = { name: "sign-in, under load", times: [] };
  const health: Series = { name: "health check, under load", times: [] };
  const leadLoad: Series[] = leadPages.map((p) => ({ name: `${p.name}, under load`, times: [] }));
  let loading = true;
  const started = performance.now();
  const overBudget = () => performance.now() - started > LOAD_BUDGET_MS;
  // Each lead client goes through both pages, starting on a different one, so both are always in flight.
  const leadClient = async (offset: number) => {
    for (let i = offset; loading; i += 1) {
      const k = i % leadPages.length;
      leadLoad[k].times.push(await leadPages[k].open());
    }
  };
  const healthClient = async () => {
    while (loading) {
      health.times.push(await timed(`${base}/healthz`, {}, 200));
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
  };
  const probeClient = async () => {
    // Let both lead pages get under way first: the probes are to meet them running.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < LOAD_RUNS && !overBudget(); i += 1) {
      memberLoad.times.push(await memberPage());
      if (overBudget()) break;
      signInLoad.times.push(await memberSignIn());
    }
    loading = false;
  };
  await Promise.all([leadClient(0), leadClient(1), healthClient(), probeClient()]);
  const loadSeconds = (performance.now() - started) / 1000;
  return { memberAlone, signInAlone, leadAlone, memberLoad, signInLoad, leadLoad, health, loadSeconds, serverLog: serverTimes(server.output(), logFrom), slow: slowStatements(server.output(), logFrom) };
}

export async function runConcurrency(): Promise<BenchMetric[]> {
  const copy = process.env.CONCURRENCY_BENCH_DB;
  if (copy) log(`concurrency: using the copy ${copy} as it is (not a fresh data set)`);
  const data = copy ? useDataSetCopy(copy) : await ensureReachData(FULL);
  if (data.built) log(`reach-full built in ${data.loadSeconds?.toFixed(1)} s`);
  ensureBuild();

  cleanUp(data.file); // what an interrupted run left
  // App modules (the Prisma client, password hashing) read DATABASE_URL when first imported.
  process.env.DATABASE_URL = data.url;
  process.env.NODE_ENV = "production";
  process.env.SESSION_SECRET ??= "bench-concurrency-session-secret-0123456789";
  storeMarks(data.file);
  let server: Server | null = null;
  // Ctrl-C (or a kill) mid-run: stop the server and take the bench's rows out before exiting.
  const interrupted = (signal: NodeJS.Signals) => {
    server?.child.kill("SIGKILL");
    try {
      cleanUp(data.file);
    } finally {
      log(`concurrency: interrupted (${signal}); the bench's users and rows were removed`);
      process.exit(130);
    }
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const loadBefore = os.loadavg()[0];
  let result: Awaited<ReturnType<typeof measure>>;
  let argon2: Series;
  try {
    argon2 = await createUsers(memberPerson(data.file));
    const regionId = firstRegion(data.file);
    log("concurrency: starting the server…");
    server = await startServer(data.file);
    result = await measure(server, regionId);
  } catch (error) {
    if (server) log(`server output (last lines):\n${server.output().slice(-3000)}`);
    throw error;
  } finally {
    if (server) await stopServer(server);
    cleanUp(data.file);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
  const loadAfter = os.loadavg()[0];

  const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
  const lines = [
    `\nconcurrency on reach-full (${n(data.counts.schools)} schools, ${n(data.counts.people)} people, ${n(data.counts.certifications)} certificates), school year ${schoolYear} as of ${asOf}; `
      + `the production build over HTTP; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${os.cpus().length} cores; load phase ${result.loadSeconds.toFixed(1)} s`,
    `${"client time".padEnd(52)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)} ${"n".padStart(4)}`,
  ];
  const all = [result.memberAlone, result.signInAlone, argon2, ...result.leadAlone, result.memberLoad, result.signInLoad, ...result.leadLoad, result.health];
  for (const series of all) {
    const s = summary(series);
    lines.push(`${series.name.padEnd(52)} ${String(s.p50).padStart(8)} ${String(s.p95).padStart(8)} ${String(s.max).padStart(8)} ${String(s.n).padStart(4)}${s.failed ? `  (${s.failed} failed: ${s.failures})` : ""}`);
  }
  lines.push("server time (request log) during the load phase:", ...result.serverLog.map((l) => `  ${l}`));
  lines.push(`statements that held the server's event loop over ${SLOW_SQL_MS} ms during the load phase (slowest first):`, ...(result.slow.length ? result.slow.map((l) => `  ${l}`) : ["  none"]));
  if (process.env.CONCURRENCY_BENCH_CPU_PROF) lines.push(`server CPU profile: ${PROFILE_DIR}/`);
  log(lines.join("\n"));

  const metrics: BenchMetric[] = [];
  const push = (series: Series, target?: { ms: number }) => {
    const s = summary(series);
    const note = s.failed ? ` (${s.failed} of ${s.n} failed: ${s.failures})` : "";
    metrics.push({ metric: `${series.name} p50`, value: s.p50, unit: "ms" });
    metrics.push({
      metric: `${series.name} p95${note}`, value: s.p95, unit: "ms",
      ...(target ? { target: `p95 < ${target.ms} ms`, met: s.failed === 0 && s.n > 0 && s.p95 < target.ms } : {}),
    });
  };
  push(result.memberAlone);
  push(result.signInAlone);
  push(argon2);
  for (const series of result.leadAlone) push(series);
  push(result.memberLoad, { ms: MEMBER_P95_MS });
  push(result.signInLoad, { ms: SIGN_IN_P95_MS });
  for (const series of result.leadLoad) push(series);
  const h = summary(result.health);
  metrics.push({ metric: "health check under load (the server answering nothing) max", value: h.max, unit: "ms" });
  return metrics;
}

const section: BenchSection = { name: "concurrency", run: runConcurrency };
export default section;

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  runConcurrency().then(
    (metrics) => {
      if (process.argv.includes("--json")) console.log(JSON.stringify(metrics, null, 2));
      process.exit(metrics.some((m) => m.met === false) ? 1 : 0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
