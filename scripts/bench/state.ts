/**
 * Bench section "state" (`npm run bench:state`; not part of `npm run bench`, whose district run must stay under
 * 10 minutes): the reach pages on PostgreSQL, on the district data set (reach-data.ts FULL: 1,000 schools in
 * 25 regions, 600,000 people) and on a state (STATE: 10,000 schools in 100 regions, 6 M people, about 15 M
 * certifications), both built by the bench into a local PostgreSQL server of its own (bench/.data/postgres,
 * port 55480; reach-data-postgres.ts) and reused while their fingerprint matches.
 *
 * Each page is timed through its route's loader, as pages.ts does on SQLite: a signed-in GET for the URL a real
 * visit makes, p50 and p95 over 30 runs after a warm-up. Targets (issue 13), on the state: the region page p95
 * under 150 ms, the state dashboard's first page of schools under 300 ms, a school page under 50 ms. The district
 * figures on the same server are printed beside them, with the growth from district to state.
 *
 * The server: Debian's PostgreSQL, with memory set as for a machine of this size (shared_buffers 4 GB,
 * effective_cache_size 12 GB, random_page_cost 1.1 for SSDs, JIT off); durability off as in the tests, which
 * changes nothing for reads.
 *
 * Run alone: `npx tsx scripts/bench/state.ts [--runs 30] [--scales district,state] [--rebuild]`; with STATE_BENCH_AS_IS=1
 * the data sets already built are used whatever their fingerprint (to work on a query; never for the README).
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isLocalPostgresRunning, startLocalPostgres } from "../lib/postgres-server";
import type { BenchMetric, BenchSection } from "./types";
import { childResult } from "./child-result";
import { BENCH_DATA_DIR } from "./database";
import { BENCH_AS_OF, FULL, LAST_YEAR, STATE, type DataSpec } from "./reach-data";
import { ensureReachDataPostgres, type PostgresDataSet } from "./reach-data-postgres";
import { argValue, field, isMainModule, type Loader, percentile, registerUrlImports, round, setClock, settle, signInBenchUsers } from "./loader-harness";

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULT_MARK = "STATE_BENCH_RESULT ";
export const STATE_BENCH_PORT = 55480;
const SERVER_DIR = path.join(BENCH_DATA_DIR, "postgres");
export const STATE_BENCH_SETTINGS: Record<string, string> = {
  shared_buffers: "4GB",
  effective_cache_size: "12GB",
  work_mem: "32MB",
  max_wal_size: "16GB",
  checkpoint_timeout: "30min",
  random_page_cost: "1.1",
  jit: "off",
};
/** One run over this fails the page (the statement is cancelled by the server). */
const STATEMENT_TIMEOUT_MS = 20_000;
/** Stop repeating a page after this much time on it. */
const PAGE_BUDGET_MS = 20_000;
const BENCH_NOW = new Date(BENCH_AS_OF.getTime() + 15 * 3_600_000);
const LEAD = "PROGRAM_LEAD" as const;
const ADMIN = "ADMIN" as const;
const benchUserId = (role: typeof LEAD | typeof ADMIN) => `bench-state-${role.toLowerCase()}`;

type Scale = { key: "district" | "state"; spec: DataSpec };
const SCALES: Scale[] = [
  { key: "district", spec: FULL },
  { key: "state", spec: STATE },
];

type PageSpec = { key: string; name: string; /** p95 target on the state, in ms; null: informational. */ stateP95: number | null };
const PAGES: PageSpec[] = [
  { key: "dashboard", name: "lead: dashboard, first page of schools", stateP95: 300 },
  { key: "dashboard-reach", name: "lead: dashboard sorted by staff reach", stateP95: null },
  { key: "dashboard-last", name: "lead: dashboard, last page of schools", stateP95: null },
  { key: "dashboard-region", name: "lead: dashboard filtered to a region", stateP95: null },
  { key: "region", name: "lead: region page", stateP95: 150 },
  { key: "school", name: "lead: school page", stateP95: 50 },
  { key: "region-list", name: "lead: region page + staff list", stateP95: null },
  { key: "region-students", name: "admin: region page + QPR students list", stateP95: null },
];

type PageResult = { key: string; p50: number | null; p95: number | null; runs: number; note?: string };

/* The child: one data set, every page. */

async function childMain(url: string, runs: number) {
  setClock(BENCH_NOW);
  registerUrlImports();
  const timeout = new URL(url);
  timeout.searchParams.set("options", `-c statement_timeout=${STATEMENT_TIMEOUT_MS}`);
  process.env.DATABASE_URL = timeout.toString();
  process.env.NODE_ENV = "production";
  process.env.SESSION_SECRET = "bench-state-session-secret-0123456789";
  const { prisma } = await import("~/db.server");
  const cookieOf = await signInBenchUsers([LEAD, ADMIN], benchUserId);
  const routes = {
    lead: await import("~/routes/lead._index"),
    region: await import("~/routes/lead.regions.$regionId"),
    school: await import("~/routes/lead.schools.$schoolId"),
  };
  // The first region; the school with the most staff this year.
  const [region] = await prisma.region.findMany({ orderBy: { code: "asc" }, take: 1, select: { id: true } });
  const [school] = await prisma.headcount.findMany({ where: { schoolYear: LAST_YEAR }, orderBy: [{ staffCount: "desc" }, { schoolId: "asc" }], take: 1, select: { schoolId: true } });
  if (!region || !school) throw new Error("state bench: the data set has no region or no headcount");
  const get = (loader: Loader, pageUrl: string, params: Record<string, string> = {}, role: typeof LEAD | typeof ADMIN = LEAD) => () =>
    settle(() => loader({ request: new Request(`http://localhost${pageUrl}`, { headers: { Cookie: cookieOf.get(role) ?? "" } }), params, context: {} }));
  const first = await get(routes.lead.loader, "/lead")();
  const pageCount = field(first.body, "pageCount");
  const open: Record<string, () => Promise<{ status: number; body: unknown }>> = {
    dashboard: get(routes.lead.loader, "/lead"),
    "dashboard-reach": get(routes.lead.loader, "/lead?sort=reach&dir=desc"),
    "dashboard-last": get(routes.lead.loader, `/lead?page=${typeof pageCount === "number" ? pageCount : 1}`),
    "dashboard-region": get(routes.lead.loader, `/lead?region=${region.id}`),
    region: get(routes.region.loader, `/lead/regions/${region.id}`, { regionId: region.id }),
    school: get(routes.school.loader, `/lead/schools/${school.schoolId}`, { schoolId: school.schoolId }),
    "region-list": get(routes.region.loader, `/lead/regions/${region.id}?list=staff-current`, { regionId: region.id }),
    "region-students": get(routes.region.loader, `/lead/regions/${region.id}?list=students-all&program=QPR`, { regionId: region.id }, ADMIN),
  };
  const results: PageResult[] = [];
  try {
    for (const page of PAGES) {
      process.stderr.write(`  ${page.name}…\n`);
      const fn = open[page.key];
      const warm = await fn();
      if (warm.status !== 200) {
        results.push({ key: page.key, p50: null, p95: null, runs: 0, note: `answered ${warm.status}: ${JSON.stringify(warm.body).slice(0, 300)}` });
        continue;
      }
      const times: number[] = [];
      let spent = 0;
      let failure: string | undefined;
      for (let i = 0; i < runs && spent < PAGE_BUDGET_MS; i += 1) {
        const start = performance.now();
        const res = await fn();
        const ms = performance.now() - start;
        if (res.status !== 200) {
          failure = `answered ${res.status} on run ${i + 1}`;
          break;
        }
        times.push(ms);
        spent += ms;
      }
      const sorted = times.sort((a, b) => a - b);
      results.push({
        key: page.key,
        p50: failure ? null : round(percentile(sorted, 50)),
        p95: failure ? null : round(percentile(sorted, 95)),
        runs: sorted.length,
        ...(failure ? { note: failure } : sorted.length < runs ? { note: `stopped after ${sorted.length} runs` } : {}),
      });
    }
  } finally {
    const ids = [benchUserId(LEAD), benchUserId(ADMIN)];
    await prisma.authSession.deleteMany({ where: { userId: { in: ids } } });
    await prisma.user.deleteMany({ where: { id: { in: ids } } });
    await prisma.$disconnect();
  }
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(results)}\n`);
}

/* The parent: the server, the data sets, a child per data set, the report. */

async function runChild(url: string, runs: number): Promise<PageResult[]> {
  const result = await childResult(THIS_FILE, ["--state-child", url, "--runs", String(runs)], RESULT_MARK, "state bench");
  if (!Array.isArray(result)) throw new Error("state bench child returned no pages");
  return result.filter(isPageResult);
}

function isPageResult(v: unknown): v is PageResult {
  return typeof v === "object" && v !== null && "key" in v && typeof v.key === "string";
}

export async function runState({ runs = 30, scales = SCALES, rebuild = false }: { runs?: number; scales?: Scale[]; rebuild?: boolean } = {}) {
  // A server already running (another run's, or one started by hand to look at plans) is used and left running.
  const running = isLocalPostgresRunning(SERVER_DIR);
  const server = running
    ? { url: `postgresql://postgres@127.0.0.1:${STATE_BENCH_PORT}/postgres`, stop: () => {} }
    : startLocalPostgres({ dir: SERVER_DIR, port: STATE_BENCH_PORT, settings: STATE_BENCH_SETTINGS });
  const measured: Array<{ scale: Scale; data: PostgresDataSet; pages: PageResult[] }> = [];
  try {
    for (const scale of scales) {
      const data = await ensureReachDataPostgres(scale.spec, server.url, { rebuild, asIs: process.env.STATE_BENCH_AS_IS === "1" });
      if (data.built) process.stderr.write(`${scale.key}: built in ${data.loadSeconds?.toFixed(1)} s (${Object.entries(data.phases ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")})\n`);
      process.stderr.write(`pages on the ${scale.key} data set (PostgreSQL)\n`);
      const loadBefore = os.loadavg()[0];
      const pages = await runChild(data.url, runs);
      process.stderr.write(`  load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after\n`);
      measured.push({ scale, data, pages });
    }
  } finally {
    server.stop();
  }
  return measured;
}

function report(measured: Awaited<ReturnType<typeof runState>>): BenchMetric[] {
  const metrics: BenchMetric[] = [];
  const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
  const lines: string[] = [];
  for (const m of measured) {
    const c = m.data.counts;
    lines.push(`${m.scale.key}: ${n(c.schools)} schools in ${n(c.regions)} regions, ${n(c.people)} people, ${n(c.certifications)} certificates, ${n(c.rollupRows)} rollup rows${m.data.built ? `; built in ${m.data.loadSeconds?.toFixed(0)} s` : "; reused"}`);
    if (m.data.built && m.data.loadSeconds != null) metrics.push({ metric: `${m.scale.key} data set: build (PostgreSQL)`, value: Math.round(m.data.loadSeconds), unit: "s" });
  }
  const district = measured.find((m) => m.scale.key === "district");
  const state = measured.find((m) => m.scale.key === "state");
  const fmt = (v: number | null | undefined) => (v == null ? "-" : v.toFixed(1)).padStart(8);
  lines.push(`${"page".padEnd(44)} ${"district p50".padStart(12)} ${"p95".padStart(8)} ${"state p50".padStart(10)} ${"p95".padStart(8)} ${"growth".padStart(7)}  target (state)`);
  for (const page of PAGES) {
    const d = district?.pages.find((p) => p.key === page.key);
    const s = state?.pages.find((p) => p.key === page.key);
    const growth = d?.p95 && s?.p95 ? `${(s.p95 / d.p95).toFixed(1)}x` : "-";
    const met = page.stateP95 != null && s ? s.p95 != null && s.p95 < page.stateP95 : null;
    const verdict = page.stateP95 == null ? "(informational)" : !s ? "(state not run)" : `p95 < ${page.stateP95} ms: ${met ? "met" : "MISSED"}`;
    const note = [d?.note, s?.note].filter(Boolean).join("; ");
    lines.push(`${page.name.padEnd(44)} ${fmt(d?.p50).padStart(12)} ${fmt(d?.p95)} ${fmt(s?.p50).padStart(10)} ${fmt(s?.p95)} ${growth.padStart(7)}  ${verdict}${note ? `  (${note})` : ""}`);
    for (const [scale, r] of [["district", d], ["state", s]] as const) {
      if (!r) continue;
      metrics.push({ metric: `${scale}: ${page.name} p50`, value: r.p50 ?? NaN, unit: "ms" });
      const target = scale === "state" && page.stateP95 != null ? { target: `p95 < ${page.stateP95} ms`, met: r.p95 != null && r.p95 < page.stateP95 } : {};
      metrics.push({ metric: `${scale}: ${page.name} p95`, value: r.p95 ?? NaN, unit: "ms", ...target });
    }
  }
  process.stderr.write(`\nreach pages on PostgreSQL, as of ${BENCH_AS_OF.toISOString().slice(0, 10)}, p50/p95 over up to ${measured[0]?.pages[0]?.runs ?? 30} runs after a warm-up, on ${os.cpus().length} cores\n${lines.join("\n")}\n`);
  return metrics;
}

const section: BenchSection = { name: "state", run: async () => report(await runState()) };
export default section;

const argv = process.argv.slice(2);
if (isMainModule(import.meta.url)) {
  const childUrl = argValue("--state-child");
  const runs = Number(argValue("--runs") ?? 30);
  const only = argValue("--scales")?.split(",");
  const main = childUrl
    ? childMain(childUrl, runs)
    : runState({ runs, rebuild: argv.includes("--rebuild"), scales: only ? SCALES.filter((s) => only.includes(s.key)) : SCALES }).then((measured) => {
        const metrics = report(measured);
        if (metrics.some((m) => m.met === false)) process.exitCode = 1;
      });
  main.then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
