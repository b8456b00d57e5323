/**
 * Bench section "reach": the program lead's pages at district scale.
 *
 * Builds (or reuses) data sets under bench/.data/ — full (1,000 schools, 80,000 staff, 500,000
 * students, ~3M attendance records, ~1.5M certifications over ten years, and the reach rollup built
 * from them) and sparse (the same 1,000 schools with a tenth of the people and records; also small:
 * a tenth of everything) — then, in a child process per data set (app modules open DATABASE_URL
 * once), times over repeated runs:
 *   the district dashboard, a region page, a school page, goal progress (district people trained,
 *   region staff reach), and the raw-SQL lower bound: one hand-written query with better-sqlite3
 *   over the rows the dashboard reads (the rollup rows on the as-of day for every school, region and
 *   the district, with the schools' headcounts).
 * Informational rows, not targets: the same figures counted from the raw certification and
 * affiliation rows (what the rollup saves), and the next dashboard load after a typical write (a
 * session of 25 people closed, 25 certificates issued), which pays for the incremental refresh.
 *
 * Run alone: `npx tsx scripts/bench/reach.ts [--json] [--rebuild] [--runs 30] [--sizes full,sparse,small]`;
 * in the suite: `npm run bench -- --only reach` (REACH_BENCH_REBUILD=1, REACH_BENCH_RUNS, REACH_BENCH_SIZES).
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import type { BenchMetric, BenchSection } from "./types";
import { childResult } from "./child-result";
import { BENCH_AS_OF, ensureReachData, FULL, SMALL, SPARSE, type DataSpec } from "./reach-data";
import { prepareDashboardBound } from "./reach-bound";

const SPECS: Record<string, DataSpec> = { full: FULL, small: SMALL, sparse: SPARSE };
const CHILD_MARK = "REACH_CHILD_RESULT ";

type Scenario = { name: string; p50: number; p95: number; runs: number; info?: boolean };
type ChildResult = { scenarios: Scenario[] };

const BOUND = "raw SQL lower bound (rollup rows)";
/** Closed sessions timed for the refresh row (each one a write, then a dashboard load). */
const WRITES = 10;

const TARGETS: Record<string, { p95?: number; ratio?: number }> = {
  dashboard: { p95: 60, ratio: 2 }, // issue 13's targets, as in the pages section
  "school page": { p95: 30 },
};

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

async function timeRuns(runs: number, fn: () => unknown): Promise<{ p50: number; p95: number; runs: number }> {
  await fn(); // warm-up: first query plans, page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return summary(times);
}

function summary(times: number[]): { p50: number; p95: number; runs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), runs: sorted.length };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** In the child: the data set's URL is set before any app module loads. */
async function measure(dbFile: string, runs: number): Promise<ChildResult> {
  process.env.DATABASE_URL = `file:${path.resolve(dbFile)}`;
  process.env.NODE_ENV ??= "production";
  // The env check wants a session secret in production; the benchmark signs no cookies.
  process.env.SESSION_SECRET ??= `bench-${crypto.randomUUID()}`;
  const reach = await import("~/models/reach.server");
  const goals = await import("~/models/goal.server");
  const filtersMod = await import("~/domain/reach-filters");
  const { default: Database } = await import("better-sqlite3");

  const parsed = filtersMod.parseReachFilters(new URLSearchParams({ asOf: filtersMod.isoDay(BENCH_AS_OF) }), BENCH_AS_OF);
  if (!parsed.ok) throw new Error("bench filters did not parse");
  const filters = parsed.filters;

  // Every school (the dashboard shows a page of them): to pick the largest school, and to check the lower bound.
  const first = await reach.loadReachDashboard(filters, { page: "all" });
  if (!first.ok) throw new Error(`dashboard: ${JSON.stringify(first.errors)}`);
  const region = first.regions[0];
  const school = [...first.schools].sort((a, b) => (b.staffHeadcount ?? 0) - (a.staffHeadcount ?? 0))[0];
  const ymhfa = first.program;
  // The lower bound below reads one rollup row per scope for the program shown and Teen MHFA readiness alike.
  if (ymhfa.code !== "YMHFA") throw new Error(`reach bench: the dashboard shows ${ymhfa.code}, not YMHFA`);

  // A program lead on the region page (students as counts), an administrator on the school page (names).
  const benchLead = { id: "bench-lead", role: "PROGRAM_LEAD" as const, schoolIds: [], personId: null };
  const benchAdmin = { id: "bench-admin", role: "ADMIN" as const, schoolIds: [], personId: null };
  const scenarios: Scenario[] = [];
  const run = async (name: string, fn: () => Promise<unknown>, info = false) =>
    scenarios.push({ name, ...(await timeRuns(runs, fn)), ...(info ? { info } : {}) });

  await run("dashboard", () => reach.loadReachDashboard(filters));
  await run("region page", () =>
    reach.loadRegionReachPage({ viewer: benchLead, regionId: region.id, filters: { ...filters, regionId: region.id }, list: "staff-current", listPage: 1, showStudentNames: false }));
  await run("school page", () =>
    reach.loadSchoolReachPage({ viewer: benchAdmin, schoolId: school.id, filters, list: "staff-current", listPage: 1, showStudentNames: true }));
  const goalBase = { regionId: null, schoolId: null, programId: ymhfa.id, startsOn: new Date(Date.UTC(2025, 6, 1)), deadline: new Date(Date.UTC(2026, 5, 30)) };
  await run("goal: district people trained", () =>
    goals.goalProgress({ ...goalBase, scope: "DISTRICT", measure: "PEOPLE_TRAINED", target: 20_000 }, BENCH_AS_OF));
  await run("goal: region staff reach", () =>
    goals.goalProgress({ ...goalBase, scope: "REGION", regionId: region.id, measure: "STAFF_REACH", target: 60 }, BENCH_AS_OF));

  const db = new Database(path.resolve(dbFile), { readonly: true });
  // The lower bound (scripts/bench/reach-bound.ts): the rows the dashboard's figures come from, by hand.
  const bound = prepareDashboardBound(db, { programId: ymhfa.id, schoolYear: filters.schoolYear, asOf: BENCH_AS_OF });
  const boundRows = bound();
  if (boundRows.length !== first.schools.length + first.regions.length + 1) throw new Error(`lower bound read ${boundRows.length} scopes`);
  await run(BOUND, async () => bound());

  // What the rollup saves: the dashboard's per-school counts (staff, students, community: current,
  // expiring in 90 days, trained this school year, ever) counted from the certificate and affiliation
  // rows by hand. Schools only: the regions' and the district's distinct people would need more passes.
  const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
  const raw = db.prepare(`
    WITH per AS (
      SELECT a."schoolId" AS "schoolId", p."kind" AS "kind", COALESCE(p."mergedIntoId", p."id") AS "who",
        MAX(c."expiresOn" IS NULL OR c."expiresOn" > @d) AS "current",
        MAX(CASE WHEN c."expiresOn" IS NULL THEN '9999' WHEN c."expiresOn" > @d THEN c."expiresOn" END) AS "coverEnds",
        MAX(c."issuedOn" >= @yearStart) AS "inYear"
      FROM "Affiliation" a
      JOIN "Person" p ON p."id" = a."personId"
      JOIN "Certification" c ON c."personId" = a."personId" AND c."programId" = @program AND c."issuedOn" <= @d
      WHERE a."schoolYear" = @year
      GROUP BY a."schoolId", "who"
    )
    SELECT "schoolId", "kind", SUM("current") AS "current", SUM("current" AND "coverEnds" <= @expiring) AS "expiring",
      SUM("inYear") AS "inYear", COUNT(*) AS "ever"
    FROM per GROUP BY "schoolId", "kind"`);
  const rawArgs = {
    d: iso(BENCH_AS_OF), expiring: iso(new Date(BENCH_AS_OF.getTime() + 90 * 86_400_000)),
    yearStart: iso(new Date(Date.UTC(filters.schoolYear, 6, 1))), program: ymhfa.id, year: filters.schoolYear,
  };
  scenarios.push({ name: "info: same counts from raw records", ...(await timeRuns(Math.min(runs, 5), async () => raw.all(rawArgs))), info: true });
  db.close();

  // A typical write, then the next dashboard load (which applies the queue first): a session of 25
  // staff closed at one school on the as-of day, 25 certificates issued. Each write at a different
  // school (the largest ones); everything is taken out again afterwards and the figures must be back
  // as they were. With WRITES samples, p95 is the slowest.
  const { closeBenchSession, undoBenchWrites } = await import("./reach-write");
  const { getEnv } = await import("~/env.server");
  const before = JSON.stringify(await reach.loadReachDashboard(filters));
  const bySize = [...first.schools].sort((a, b) => (b.staffHeadcount ?? 0) - (a.staffHeadcount ?? 0));
  const writes = [];
  const afterWrite: number[] = [];
  try {
    for (let i = 0; i < WRITES; i += 1) {
      const target = bySize[i % bySize.length];
      writes.push(await closeBenchSession({ schoolId: target.id, programId: ymhfa.id, schoolYear: filters.schoolYear, day: BENCH_AS_OF, timeZone: getEnv().DISTRICT_TIME_ZONE }));
      const start = performance.now();
      await reach.loadReachDashboard(filters);
      afterWrite.push(performance.now() - start);
      // The school's row (it may be on another page of the dashboard), found by its code, untimed.
      const after = await reach.loadReachDashboard({ ...filters, q: target.code });
      const row = after.ok ? after.schools.find((s) => s.id === target.id) : undefined;
      const was = first.schools.find((s) => s.id === target.id);
      if (!row || !was || JSON.stringify(row) === JSON.stringify(was)) throw new Error("reach bench: the write did not show on the dashboard");
    }
  } finally {
    await undoBenchWrites(writes);
  }
  const restored = JSON.stringify(await reach.loadReachDashboard(filters));
  if (restored !== before) throw new Error("reach bench: the dashboard's figures changed after the bench writes were taken out");
  const size = Math.min(...writes.map((w) => w.people));
  scenarios.push({ name: `info: dashboard after a ${size}-person session closed`, ...summary(afterWrite), info: true });
  scenarios.push({ name: "info: closeSession() itself (the write)", ...summary(writes.map((w) => w.closeMs)), info: true });
  return { scenarios };
}

async function runChild(dbFile: string, runs: number): Promise<ChildResult> {
  const parsed = await childResult(fileURLToPath(import.meta.url), ["--measure", dbFile, "--runs", String(runs)], CHILD_MARK, "reach bench");
  if (typeof parsed === "object" && parsed !== null && "scenarios" in parsed && Array.isArray(parsed.scenarios)) {
    return { scenarios: parsed.scenarios.filter(isScenario) };
  }
  throw new Error("reach bench child returned no scenarios");
}

function isScenario(v: unknown): v is Scenario {
  return typeof v === "object" && v !== null && "name" in v && "p50" in v && "p95" in v && typeof v.name === "string" && typeof v.p50 === "number" && typeof v.p95 === "number";
}

export type ReachBenchOptions = { rebuild?: boolean; runs?: number; sizes?: string[]; quiet?: boolean };

type ReportRow = Scenario & { p50PerBound: number | null; p95PerBound: number | null; target: string | null; met: boolean | null };
type SizeReport = {
  size: string;
  schools: number;
  counts: Record<string, number>;
  built: boolean;
  /** Seconds to build the data set (records, indexes, rollup), when it was built in this run. */
  buildSeconds: number | null;
  rollupSeconds: number | null;
  runs: number;
  rows: ReportRow[];
};

const ratio = (a: number, b: number | undefined) => (b && b > 0 ? Math.round((a / b) * 100) / 100 : null);

function reportRows(size: string, scenarios: Scenario[]): ReportRow[] {
  const bound = scenarios.find((s) => s.name === BOUND);
  return scenarios.map((s) => {
    const p95PerBound = ratio(s.p95, bound?.p95);
    const t = size === "full" ? TARGETS[s.name] : undefined;
    const checks = t ? [t.p95 != null ? s.p95 < t.p95 : null, t.ratio != null ? p95PerBound != null && p95PerBound <= t.ratio : null].filter((c) => c != null) : [];
    return {
      ...s,
      p50PerBound: ratio(s.p50, bound?.p50),
      p95PerBound,
      target: t ? [t.p95 != null ? `p95 < ${t.p95} ms` : null, t.ratio != null ? `p95 ≤ ${t.ratio}x bound` : null].filter(Boolean).join(", ") : null,
      met: t ? checks.every(Boolean) : null,
    };
  });
}

function printTable(r: SizeReport): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const head = `\n${r.size}: ${r.schools} schools, ${n(r.counts.people ?? 0)} people, ${n(r.counts.certifications ?? 0)} certifications, ${n(r.counts.attendance ?? 0)} attendance, ${n(r.counts.rollupRows ?? 0)} rollup rows; p50/p95 over ${r.runs} runs`
    + (r.buildSeconds != null ? `\nbuilt in ${r.buildSeconds.toFixed(1)} s (of which rollup ${r.rollupSeconds?.toFixed(1) ?? "?"} s)` : " (data set reused)");
  const lines = [head, `${"scenario".padEnd(50)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p50/bound".padStart(10)} ${"p95/bound".padStart(10)}  target`];
  const x = (v: number | null) => (v == null ? "-" : `${v.toFixed(2)}x`).padStart(10);
  for (const row of r.rows) {
    const target = row.target ? `${row.target}: ${row.met ? "met" : "MISSED"}` : row.info ? "(informational)" : "";
    lines.push(`${row.name.padEnd(50)} ${row.p50.toFixed(1).padStart(8)} ${row.p95.toFixed(1).padStart(8)} ${x(row.p50PerBound)} ${x(row.p95PerBound)}  ${target}`);
  }
  return lines.join("\n");
}

async function runReachReport(opts: ReachBenchOptions = {}): Promise<SizeReport[]> {
  const runs = opts.runs ?? Number(process.env.REACH_BENCH_RUNS ?? 30);
  const sizes = opts.sizes ?? (process.env.REACH_BENCH_SIZES ?? "full,sparse").split(",").filter((s) => s in SPECS);
  const rebuild = opts.rebuild ?? process.env.REACH_BENCH_REBUILD === "1";
  const reports: SizeReport[] = [];
  for (const size of sizes) {
    const spec = SPECS[size];
    if (!spec) throw new Error(`Unknown reach data set "${size}": ${Object.keys(SPECS).join(", ")}`);
    const data = await ensureReachData(spec, { rebuild });
    const { scenarios } = await runChild(data.file, runs);
    const report: SizeReport = {
      size, schools: spec.schools, counts: data.counts, built: data.built,
      buildSeconds: data.loadSeconds == null ? null : Math.round(data.loadSeconds * 10) / 10,
      rollupSeconds: data.rollupSeconds == null ? null : Math.round(data.rollupSeconds * 10) / 10,
      runs, rows: reportRows(size, scenarios),
    };
    reports.push(report);
    if (!opts.quiet) process.stderr.write(`${printTable(report)}\n`);
  }
  return reports;
}

/** The suite's form: one metric per figure. */
async function runReach(opts: ReachBenchOptions = {}): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  for (const r of await runReachReport(opts)) {
    if (r.buildSeconds != null) metrics.push({ metric: `${r.size}: data set build (records, indexes, rollup)`, value: r.buildSeconds, unit: "s" });
    if (r.rollupSeconds != null) metrics.push({ metric: `${r.size}: of which rollup build`, value: r.rollupSeconds, unit: "s" });
    for (const [table, rows] of Object.entries(r.counts)) metrics.push({ metric: `${r.size}: ${table}`, value: rows, unit: "rows" });
    for (const row of r.rows) {
      metrics.push({ metric: `${r.size}: ${row.name} p50`, value: row.p50, unit: "ms" });
      metrics.push({ metric: `${r.size}: ${row.name} p95`, value: row.p95, unit: "ms" });
      if (row.name !== BOUND && row.p95PerBound != null) metrics.push({ metric: `${r.size}: ${row.name} p95 / lower bound`, value: row.p95PerBound, unit: "x" });
    }
  }
  return metrics;
}

const section: BenchSection = { name: "reach", run: () => runReach() };
export default section;

// Run directly: measure in a child (--measure), or the whole section.
const argv = process.argv.slice(2);
const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const measureFile = argValue(argv, "--measure");
  const runs = Number(argValue(argv, "--runs") ?? 30);
  const main = measureFile
    ? measure(measureFile, runs).then((r) => {
        process.stdout.write(`${CHILD_MARK}${JSON.stringify(r)}\n`);
      })
    : runReachReport({ rebuild: argv.includes("--rebuild"), runs, sizes: argValue(argv, "--sizes")?.split(","), quiet: argv.includes("--json") }).then((reports) => {
        if (argv.includes("--json")) console.log(JSON.stringify(reports, null, 2));
      });
  main.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
