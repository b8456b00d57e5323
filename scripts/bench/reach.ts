/**
 * Bench section "reach": the program lead's pages at district scale.
 *
 * Builds (or reuses) three data sets under bench/.data/ — full (1,000 schools, 80,000 staff,
 * 500,000 students, ~3M attendance records, ~1.5M certifications over ten years), small (a tenth
 * of everything) and sparse (1,000 schools with a tenth of the records) — then, in a child process
 * per data set (app modules open DATABASE_URL once), times over repeated runs:
 *   the district dashboard, a region page, a school page, goal progress (district people trained,
 *   region staff reach), and a raw-SQL lower bound: one hand-written aggregate over the same rows
 *   with better-sqlite3 directly.
 *
 * Run alone: `npx tsx scripts/bench/reach.ts [--json] [--rebuild] [--runs 30] [--sizes full,small,sparse]`;
 * in the suite: `npm run bench -- --only reach` (REACH_BENCH_REBUILD=1, REACH_BENCH_RUNS, REACH_BENCH_SIZES).
 */
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import type { BenchMetric, BenchSection } from "./types";
import { BENCH_AS_OF, ensureReachData, FULL, SMALL, SPARSE, type DataSpec } from "./reach-data";

const SPECS: Record<string, DataSpec> = { full: FULL, small: SMALL, sparse: SPARSE };
const CHILD_MARK = "REACH_CHILD_RESULT ";

type Scenario = { name: string; p50: number; p95: number };
type ChildResult = { scenarios: Scenario[] };

const TARGETS: Record<string, { p95?: number; ratio?: number }> = {
  dashboard: { p95: 100, ratio: 3 },
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

async function timeRuns(runs: number, fn: () => unknown): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up: first query plans, page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
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

  const first = await reach.loadReachDashboard(filters);
  if (!first.ok) throw new Error(`dashboard: ${JSON.stringify(first.errors)}`);
  const region = first.regions[0];
  const school = [...first.schools].sort((a, b) => (b.staffHeadcount ?? 0) - (a.staffHeadcount ?? 0))[0];
  const ymhfa = first.program;

  const scenarios: Scenario[] = [];
  const run = async (name: string, fn: () => Promise<unknown>) => scenarios.push({ name, ...(await timeRuns(runs, fn)) });

  await run("dashboard", () => reach.loadReachDashboard(filters));
  await run("region page", () =>
    reach.loadRegionReachPage({ regionId: region.id, filters: { ...filters, regionId: region.id }, list: "staff-current", listPage: 1, showStudentNames: false }));
  await run("school page", () =>
    reach.loadSchoolReachPage({ schoolId: school.id, filters, list: "staff-current", listPage: 1, showStudentNames: true }));
  const goalBase = { regionId: null, schoolId: null, programId: ymhfa.id, startsOn: new Date(Date.UTC(2025, 6, 1)), deadline: new Date(Date.UTC(2026, 5, 30)) };
  await run("goal: district people trained", () =>
    goals.goalProgress({ ...goalBase, scope: "DISTRICT", measure: "PEOPLE_TRAINED", target: 20_000 }, BENCH_AS_OF));
  await run("goal: region staff reach", () =>
    goals.goalProgress({ ...goalBase, scope: "REGION", regionId: region.id, measure: "STAFF_REACH", target: 60 }, BENCH_AS_OF));

  // The lower bound: one hand-written aggregate over the same rows the dashboard's main query reads
  // (the school year's affiliations joined to their certificates), no ORM, no post-processing.
  const db = new Database(path.resolve(dbFile), { readonly: true });
  const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
  const d = iso(BENCH_AS_OF);
  const expiring = iso(new Date(BENCH_AS_OF.getTime() + 90 * 86_400_000));
  const yearStart = iso(new Date(Date.UTC(filters.schoolYear, 6, 1)));
  const bound = db.prepare(`
    SELECT a."schoolId", p."kind",
      COUNT(DISTINCT CASE WHEN c."expiresOn" IS NULL OR c."expiresOn" > @d THEN a."personId" END) AS "current",
      COUNT(DISTINCT CASE WHEN c."issuedOn" >= @yearStart THEN a."personId" END) AS "inYear",
      COUNT(DISTINCT CASE WHEN c."expiresOn" > @d AND c."expiresOn" <= @expiring THEN a."personId" END) AS "expiring"
    FROM "Affiliation" a
    JOIN "Person" p ON p."id" = a."personId"
    JOIN "Certification" c ON c."personId" = a."personId" AND c."programId" = @program AND c."issuedOn" <= @d
    WHERE a."schoolYear" = @year
    GROUP BY a."schoolId", p."kind"`);
  await run("raw SQL lower bound", async () => bound.all({ d, expiring, yearStart, program: ymhfa.id, year: filters.schoolYear }));
  db.close();
  return { scenarios };
}

function runChild(dbFile: string, runs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [...process.execArgv, self, "--measure", dbFile, "--runs", String(runs)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(CHILD_MARK));
      if (code !== 0 || !line) return reject(new Error(`reach bench child failed (exit ${code})\n${out}`));
      const parsed: unknown = JSON.parse(line.slice(CHILD_MARK.length));
      if (typeof parsed === "object" && parsed !== null && "scenarios" in parsed && Array.isArray(parsed.scenarios)) {
        resolve({ scenarios: parsed.scenarios.filter(isScenario) });
      } else reject(new Error("reach bench child returned no scenarios"));
    });
  });
}

function isScenario(v: unknown): v is Scenario {
  return typeof v === "object" && v !== null && "name" in v && "p50" in v && "p95" in v && typeof v.name === "string" && typeof v.p50 === "number" && typeof v.p95 === "number";
}

export type ReachBenchOptions = { rebuild?: boolean; runs?: number; sizes?: string[]; quiet?: boolean };

async function runReach(opts: ReachBenchOptions = {}): Promise<BenchMetric[]> {
  const runs = opts.runs ?? Number(process.env.REACH_BENCH_RUNS ?? 30);
  const sizes = opts.sizes ?? (process.env.REACH_BENCH_SIZES ?? "full,small,sparse").split(",").filter((s) => s in SPECS);
  const rebuild = opts.rebuild ?? process.env.REACH_BENCH_REBUILD === "1";
  const metrics: BenchMetric[] = [];
  const tables: string[] = [];
  for (const size of sizes) {
    const spec = SPECS[size];
    const data = ensureReachData(spec, { rebuild });
    if (data.loadSeconds != null) metrics.push({ metric: `${size}: data set load (build + index)`, value: Math.round(data.loadSeconds * 10) / 10, unit: "s" });
    for (const [table, rows] of Object.entries(data.counts)) metrics.push({ metric: `${size}: ${table}`, value: rows, unit: "rows" });
    const { scenarios } = await runChild(data.file, runs);
    const bound = scenarios.find((s) => s.name === "raw SQL lower bound");
    const lines = [`\n${size} (${spec.schools} schools, ${data.counts.certifications.toLocaleString("en-US")} certifications, ${data.counts.attendance.toLocaleString("en-US")} attendance; ${runs} runs)`];
    lines.push(`${"scenario".padEnd(32)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p50/bound".padStart(10)} ${"p95/bound".padStart(10)}  target`);
    for (const s of scenarios) {
      const r50 = bound && bound.p50 > 0 ? s.p50 / bound.p50 : NaN;
      const r95 = bound && bound.p95 > 0 ? s.p95 / bound.p95 : NaN;
      metrics.push({ metric: `${size}: ${s.name} p50`, value: s.p50, unit: "ms" });
      metrics.push({ metric: `${size}: ${s.name} p95`, value: s.p95, unit: "ms" });
      if (s !== bound) metrics.push({ metric: `${size}: ${s.name} p95 / lower bound`, value: Math.round(r95 * 100) / 100, unit: "x" });
      const t = TARGETS[s.name];
      const target = size === "full" && t
        ? [t.p95 != null ? `p95 < ${t.p95} ms: ${s.p95 < t.p95 ? "met" : "MISSED"}` : null, t.ratio != null ? `≤ ${t.ratio}x bound: ${r95 <= t.ratio ? "met" : "MISSED"}` : null].filter(Boolean).join("; ")
        : "";
      lines.push(`${s.name.padEnd(32)} ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)} ${r50.toFixed(2).padStart(10)} ${r95.toFixed(2).padStart(10)}  ${target}`);
    }
    tables.push(lines.join("\n"));
  }
  if (!opts.quiet) process.stderr.write(`${tables.join("\n")}\n`);
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
    : runReach({ rebuild: argv.includes("--rebuild"), runs, sizes: argValue(argv, "--sizes")?.split(","), quiet: argv.includes("--json") }).then((metrics) => {
        if (argv.includes("--json")) console.log(JSON.stringify(metrics, null, 2));
      });
  main.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
