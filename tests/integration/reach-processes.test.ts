/**
 * The reach rollup stays exact with several app instances on one database (issue 12;
 * docs/decisions/005-reach-rollups.md): four real processes (tests/integration/reach-writer-process.ts,
 * each opening this worker's database through DATABASE_URL) write certificates, affiliations, merges,
 * kinds and school regions of the same people and read reach figures — which apply the rollup queue —
 * all at once. Each checks that its reads count its own writes at once; afterwards the stored rollup
 * must be exactly what a full rebuild makes. Runs on whichever engine DATABASE_URL names.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { describe, expect, it } from "vitest";
import { prisma } from "./helpers";
import { rollupOf } from "./rollup-rows";
import { createPerson, createProgram, createRegion, createSchool, newVerificationCode } from "../../prisma/seed/factories";
import { rebuildReachRollups, refreshReachRollups } from "~/models/reach-rollup.server";
import { rollupFigures } from "~/models/reach-sql.server";
import type { WriterPlan } from "./reach-writer-process";

const PROCESSES = 4;
const OPERATIONS = 120;
const OWN_PEOPLE = 6;

type Stats = { writes: number; reads: number; ownChecks: number; races: number; writerDeadlocks: number };

/** Starts one writer process; resolves when it is connected and waiting for "go". */
function startWriter(plan: WriterPlan) {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/integration/reach-writer-process.ts"), JSON.stringify(plan)], {
    cwd: path.resolve("."),
    env: { ...process.env, NODE_ENV: "test" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const lines = readline.createInterface({ input: child.stdout });
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  let stats: Stats | null = null;
  lines.on("line", (line) => {
    if (line === "ready") onReady();
    else if (line.startsWith("done ")) stats = JSON.parse(line.slice(5));
  });
  const finished = new Promise<Stats>((resolve, reject) => {
    child.on("exit", (code) => {
      if (code === 0 && stats) resolve(stats);
      else reject(new Error(`writer ${plan.seed} exited with ${code}:\n${stderr.slice(-3000)}`));
    });
  });
  // A writer that dies before "ready" must fail the test, not hang it.
  return { ready: Promise.race([ready, finished.then(() => undefined)]), finished, go: () => child.stdin.end("go\n") };
}

describe("the reach rollup with several app instances writing and reading at once", () => {
  it("every process reads its own writes, and the stored rollup equals a full rebuild afterwards", { timeout: 90_000 }, async () => {
    const programs = [await createProgram(prisma), await createProgram(prisma)];
    const regions = [await createRegion(prisma), await createRegion(prisma), await createRegion(prisma)];
    const schools = [];
    for (let i = 0; i < 4; i += 1) schools.push(await createSchool(prisma, { regionId: regions[i % regions.length].id }));
    const people = [];
    for (let i = 0; i < 24; i += 1) {
      people.push(await createPerson(prisma, {
        kind: i % 3 === 0 ? "STUDENT" : "STAFF",
        affiliations: [{ schoolId: schools[i % schools.length].id, schoolYear: 2025 }, { schoolId: schools[(i + 1) % schools.length].id, schoolYear: 2024 }],
      }));
    }
    await prisma.certification.createMany({
      data: people.slice(0, 12).map((p, i) => ({
        personId: p.id, programId: programs[i % 2].id, issuedOn: new Date(Date.UTC(2025, i % 12, 1)), expiresOn: new Date(Date.UTC(2027, i % 12, 1)), verificationCode: newVerificationCode(),
      })),
    });
    // Duplicates merged into and out of a kept record; each pair in id order, as the multi-person writes go.
    const ids = people.map((p) => p.id).sort();
    const duplicates: Array<[string, string]> = [[ids[0], ids[1]], [ids[2], ids[3]], [ids[4], ids[5]]];
    const plans: WriterPlan[] = [];
    for (let k = 0; k < PROCESSES; k += 1) {
      const region = await createRegion(prisma);
      const school = await createSchool(prisma, { regionId: region.id });
      const own = [];
      for (let i = 0; i < OWN_PEOPLE; i += 1) own.push((await createPerson(prisma, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: 2025 }] })).id);
      plans.push({
        seed: 1000 + k, operations: OPERATIONS, programIds: programs.map((p) => p.id), regionIds: regions.map((r) => r.id),
        schoolIds: schools.map((s) => s.id), personIds: ids, duplicates, own: { schoolId: school.id, personIds: own },
      });
    }
    await refreshReachRollups();

    const writers = plans.map(startWriter);
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const stats = await Promise.all(writers.map((w) => w.finished));

    // They really ran together, wrote and read; each counted its own writes on its next read.
    const total = stats.reduce((sum, s) => ({ writes: sum.writes + s.writes, reads: sum.reads + s.reads }), { writes: 0, reads: 0 });
    expect(total.writes).toBeGreaterThan(PROCESSES * OPERATIONS * 0.4);
    expect(total.reads).toBeGreaterThan(PROCESSES * 10);
    for (const s of stats) expect(s.ownChecks).toBe(OWN_PEOPLE);

    await refreshReachRollups();
    expect(await prisma.reachDirty.count()).toBe(0);
    const incremental = await rollupOf(programs.map((p) => p.id));
    expect(incremental.length).toBeGreaterThan(20);
    await rebuildReachRollups();
    expect(incremental).toEqual(await rollupOf(programs.map((p) => p.id)));
  });

  it("applying the queue while a write to a queued person is still open waits for that write, and counts it", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    const person = await createPerson(prisma, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: 2025 }] });
    const staffCurrent = async () => {
      const rows = await rollupFigures({ schoolYear: 2025, asOf: new Date(Date.UTC(2026, 2, 1)), programId: program.id, ymhfaProgramId: null, scope: { schoolIds: [school.id] } });
      return rows.find((r) => r.key === school.id)?.counts.staffCurrent;
    };
    // An expired certificate queues the person; the current one's trigger then finds them queued already.
    await prisma.certification.create({
      data: { personId: person.id, programId: program.id, issuedOn: new Date(Date.UTC(2020, 0, 1)), expiresOn: new Date(Date.UTC(2021, 0, 1)), verificationCode: newVerificationCode() },
    });
    let inserted!: () => void;
    const written = new Promise<void>((resolve) => (inserted = resolve));
    // Open longer than the applying transaction waits for one lock (100 ms), so it must start over.
    const write = prisma.$transaction(async (tx) => {
      await tx.certification.create({
        data: { personId: person.id, programId: program.id, issuedOn: new Date(Date.UTC(2025, 8, 1)), expiresOn: null, verificationCode: newVerificationCode() },
      });
      inserted();
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    await written;
    await Promise.all([write, refreshReachRollups()]);
    expect(await prisma.reachDirty.count({ where: { personId: person.id } }), "nothing left for a later read to repair").toBe(0);
    expect(await staffCurrent()).toBe(1);
  });
});
