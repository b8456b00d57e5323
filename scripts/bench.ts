/**
 * Benchmarks: `npm run bench` runs every section but "state" (`npm run bench:state`), `-- --only <name>` one of them, `-- --json`
 * prints the results as JSON instead of a table.
 *
 * Each section runs in its own child process: app modules open the database named by
 * DATABASE_URL when first imported, so a section sets it (to its own SQLite file under
 * bench/.data/) before it imports them, and no two sections share a Prisma client.
 *
 * To add a section: write scripts/bench/<name>.ts exporting a BenchSection as default and add
 * it to SECTIONS below.
 */
import { fileURLToPath } from "node:url";
import type { BenchMetric, BenchSection } from "./bench/types";
import { childResult } from "./bench/child-result";

const SECTIONS: Record<string, () => Promise<{ default: BenchSection }>> = {
  "roster-import": () => import("./bench/roster-import"),
  reminders: () => import("./bench/reminders"),
  reach: () => import("./bench/reach"),
  "directory-import": () => import("./bench/directory-import"),
  pages: () => import("./bench/pages"),
  concurrency: () => import("./bench/concurrency"),
  // Not in the default run: it builds a state-scale data set (6 M people) into PostgreSQL. `npm run bench:state`.
  state: () => import("./bench/state"),
};
const ON_REQUEST_ONLY = new Set(["state"]);

const RESULT_MARK = "BENCH_RESULT ";
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function runChild(name: string) {
  const load = SECTIONS[name];
  if (!load) throw new Error(`Unknown bench section ${name}`);
  const section = (await load()).default;
  const metrics = await section.run();
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(metrics)}\n`);
}

async function runSection(name: string): Promise<BenchMetric[]> {
  const metrics = await childResult(fileURLToPath(import.meta.url), ["--child", name], RESULT_MARK, `Bench section ${name}`);
  return Array.isArray(metrics) ? metrics.filter(isMetric) : [];
}

function isMetric(value: unknown): value is BenchMetric {
  return typeof value === "object" && value !== null && "metric" in value && "value" in value && "unit" in value;
}

function printTable(results: Array<{ section: string } & BenchMetric>) {
  const verdict = (r: BenchMetric) => (r.target == null ? "" : `${r.target}: ${r.met ? "met" : "MISSED"}`);
  const rows = results.map((r) => [r.section, r.metric, typeof r.value === "number" && Number.isFinite(r.value) ? r.value.toLocaleString("en-US") : "-", r.unit, verdict(r)]);
  const head = ["section", "metric", "value", "unit", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

async function main() {
  const child = option("--child");
  if (child) return runChild(child);
  const only = option("--only");
  if (only && !SECTIONS[only]) throw new Error(`Unknown section "${only}". Sections: ${Object.keys(SECTIONS).join(", ")}`);
  const names = only ? [only] : Object.keys(SECTIONS).filter((name) => !ON_REQUEST_ONLY.has(name));
  const results: Array<{ section: string } & BenchMetric> = [];
  for (const name of names) {
    if (!flag("--json")) console.error(`Running ${name}…`);
    for (const m of await runSection(name)) results.push({ section: name, ...m });
  }
  if (flag("--json")) console.log(JSON.stringify(results, null, 2));
  else printTable(results);
  // Everything is printed first; then a missed target fails the run.
  const missed = results.filter((r) => r.met === false);
  if (missed.length) {
    console.error(`${missed.length} target(s) missed: ${missed.map((r) => `${r.section}: ${r.metric}`).join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
