/**
 * Checks the bench's rollup is the app's: `npx tsx scripts/bench/reach-rollup-verify.ts [--size small] [--reuse]`.
 * The data set is built afresh unless --reuse: reach.ts's timed writes, once taken out, leave rows whose
 * figures equal the row before them, so a used file has the same figures but not the same rows.
 *
 * 1. The bench file's ReachRollup and ReachPersonState (computed by the loader's worker from the
 *    records as it generated them: reach-rollup-worker.ts) must equal, row for row, what the app's
 *    rebuildReachRollups() writes from the records read back, on a copy of the file.
 * 2. The incremental refresh must agree with a rebuild: on that copy, the bench's typical write (a
 *    25-person session closed, reach-write.ts) at three schools plus a few other writes (an affiliation
 *    moved, a certificate deleted, a duplicate merged, a school moved to another region), then
 *    refreshReachRollups(); a second copy is rebuilt from scratch. Person states must be identical, and
 *    every figure the same on every day (the refresh may leave a row whose counts equal the row before).
 * 3. Taking the bench writes out again (as reach.ts does after timing them) brings back the figures.
 *
 * Each step that needs app modules runs in a child process with DATABASE_URL set to the copy.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { BENCH_AS_OF, ensureReachData, FULL, SMALL, SPARSE } from "./reach-data";

const SPECS = { small: SMALL, sparse: SPARSE, full: FULL };
const COUNT_COLUMNS = [
  "staffCurrent", "staffExpiring", "staffYear", "staffEver", "studentCurrent", "studentExpiring", "studentYear", "studentEver",
  "communityCurrent", "communityExpiring", "communityYear", "communityEver",
];

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Runs one step in a child process against `file`. */
function step(name: string, file: string): void {
  const self = fileURLToPath(import.meta.url);
  const started = Date.now();
  const child = spawnSync(process.execPath, [...process.execArgv, self, "--step", name, file], { stdio: "inherit", env: process.env });
  if (child.status !== 0) throw new Error(`step ${name} failed (exit ${child.status})`);
  console.error(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function copy(from: string, to: string) {
  for (const f of [to, `${to}-journal`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(from, to);
}

/** Rows in one file's table and not in the other's, both ways. */
function exactDifference(a: string, b: string, table: string): { onlyA: number; onlyB: number; rows: number } {
  const db = new Database(a, { readonly: true });
  db.prepare(`ATTACH DATABASE ? AS "b"`).run(b);
  const n = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
  const result = {
    onlyA: n(`SELECT COUNT(*) AS "n" FROM (SELECT * FROM main."${table}" EXCEPT SELECT * FROM "b"."${table}")`),
    onlyB: n(`SELECT COUNT(*) AS "n" FROM (SELECT * FROM "b"."${table}" EXCEPT SELECT * FROM main."${table}")`),
    rows: n(`SELECT COUNT(*) AS "n" FROM main."${table}"`),
  };
  db.close();
  return result;
}

/** Rows of one file's rollup whose figures differ from the other's on that day (0 before a key's first row). */
function figureDifference(a: string, b: string): number {
  const db = new Database(a, { readonly: true });
  db.prepare(`ATTACH DATABASE ? AS "b"`).run(b);
  const count = (x: string, y: string) => {
    const differs = COUNT_COLUMNS.map((c) => `COALESCE(q."${c}", 0) <> r."${c}"`).join(" OR ");
    return Number((db.prepare(`
      SELECT COUNT(*) AS "n" FROM ${x}."ReachRollup" r
      LEFT JOIN ${y}."ReachRollup" q ON q.rowid = (
        SELECT z.rowid FROM ${y}."ReachRollup" z WHERE z."schoolYear" = r."schoolYear" AND z."programId" = r."programId"
          AND z."level" = r."level" AND z."scopeId" = r."scopeId" AND z."day" <= r."day" ORDER BY z."day" DESC LIMIT 1)
      WHERE ${differs}`).get() as { n: number }).n);
  };
  const n = count("main", `"b"`) + count(`"b"`, "main");
  db.close();
  return n;
}

function check(label: string, ok: boolean, detail: string) {
  console.error(`${ok ? "ok  " : "FAIL"} ${label}: ${detail}`);
  if (!ok) process.exitCode = 1;
}

async function main(argv: string[]) {
  const size = argValue(argv, "--size") ?? "small";
  const spec = SPECS[size as keyof typeof SPECS];
  if (!spec) throw new Error(`Unknown size ${size}`);
  const data = await ensureReachData(spec, { rebuild: !argv.includes("--reuse") });
  const built = path.resolve(data.file);
  const app = path.resolve(`bench/.data/reach-verify-${size}-app.db`);
  const again = path.resolve(`bench/.data/reach-verify-${size}-again.db`);
  try {
    console.error(`1. ${data.file}: the loader's rollup against rebuildReachRollups()`);
    copy(built, app);
    step("rebuild", app);
    for (const table of ["ReachRollup", "ReachPersonState"]) {
      const d = exactDifference(built, app, table);
      check(`${table} identical`, d.onlyA === 0 && d.onlyB === 0, `${d.rows.toLocaleString("en-US")} rows; ${d.onlyA} only in the bench file, ${d.onlyB} only in the app's rebuild`);
    }

    console.error("2. writes, then the incremental refresh against a rebuild");
    step("write-refresh", app);
    copy(app, again);
    step("rebuild", again);
    const states = exactDifference(app, again, "ReachPersonState");
    check("ReachPersonState after refresh = rebuild", states.onlyA === 0 && states.onlyB === 0, `${states.onlyA} / ${states.onlyB} rows differ`);
    const figures = figureDifference(app, again);
    check("figures after refresh = rebuild", figures === 0, `${figures} rows with other figures`);

    console.error("3. the bench writes taken out again");
    copy(built, app);
    step("write-undo", app);
    const back = figureDifference(built, app);
    check("figures back as built", back === 0, `${back} rows with other figures`);
    const backStates = exactDifference(built, app, "ReachPersonState");
    check("person states back as built", backStates.onlyA === 0 && backStates.onlyB === 0, `${backStates.onlyA} / ${backStates.onlyB} rows differ`);
  } finally {
    for (const f of [app, again]) for (const g of [f, `${f}-journal`]) fs.rmSync(g, { force: true });
  }
}

/** In a child: app modules against one copy. */
async function runStep(name: string, file: string) {
  process.env.DATABASE_URL = `file:${file}`;
  process.env.NODE_ENV ??= "production";
  process.env.SESSION_SECRET ??= `bench-${crypto.randomUUID()}`;
  const rollups = await import("~/models/reach-rollup.server");
  if (name === "rebuild") {
    await rollups.rebuildReachRollups();
    return;
  }
  const { prisma } = await import("~/db.server");
  const { getEnv } = await import("~/env.server");
  const { closeBenchSession, undoBenchWrites } = await import("./reach-write");
  const ymhfa = await prisma.program.findUniqueOrThrow({ where: { code: "YMHFA" }, select: { id: true } });
  const schools = await prisma.school.findMany({ orderBy: { id: "asc" }, take: 6, select: { id: true, regionId: true } });
  const schoolYear = 2025;
  const writes = [];
  for (const school of schools.slice(0, 3)) {
    writes.push(await closeBenchSession({ schoolId: school.id, programId: ymhfa.id, schoolYear, day: BENCH_AS_OF, timeZone: getEnv().DISTRICT_TIME_ZONE }));
  }
  if (name === "write-undo") {
    await rollups.refreshReachRollups();
    await undoBenchWrites(writes);
    await rollups.refreshReachRollups();
    return;
  }
  // Other writes the triggers must catch.
  const moved = await prisma.affiliation.findFirstOrThrow({ where: { schoolId: schools[3].id, schoolYear }, orderBy: { id: "asc" } });
  await prisma.affiliation.update({ where: { id: moved.id }, data: { schoolId: schools[4].id } });
  const dropped = await prisma.certification.findFirstOrThrow({ where: { programId: ymhfa.id, renewedById: null }, orderBy: { id: "desc" } });
  await prisma.certification.delete({ where: { id: dropped.id } });
  const [kept, duplicate] = await prisma.person.findMany({ where: { kind: "STAFF", certifications: { some: {} } }, orderBy: { id: "asc" }, skip: 10, take: 2 });
  await prisma.person.update({ where: { id: duplicate.id }, data: { mergedIntoId: kept.id } });
  const otherRegion = await prisma.region.findFirstOrThrow({ where: { id: { not: schools[5].regionId } }, orderBy: { id: "asc" } });
  await prisma.school.update({ where: { id: schools[5].id }, data: { regionId: otherRegion.id } });
  await rollups.refreshReachRollups();
}

const argv = process.argv.slice(2);
const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const stepName = argValue(argv, "--step");
  const work = stepName ? runStep(stepName, argv[argv.indexOf("--step") + 2]) : main(argv);
  work.then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
