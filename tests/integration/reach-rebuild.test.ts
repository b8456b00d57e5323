/**
 * The full rebuild of the reach rollup as a background job (app/models/reach-rebuild.server.ts and
 * rebuildInSteps in app/models/reach-rollup.server.ts): one run however many start it, progress in
 * the database, pages answering 503 "being prepared" while it runs and exact figures after, writes
 * made during it counted exactly, a dead run taken over. Runs on whichever engine DATABASE_URL names.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { makeRequest, prisma, signIn } from "./helpers";
import { rollupOf } from "./rollup-rows";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createRegion, createSchool, newVerificationCode } from "../../prisma/seed/factories";
import { AppErrorBoundary } from "~/components/error-boundary";
import { createPrismaClient } from "~/db.server";
import { getEnv } from "~/env.server";
import { readRebuild, recordStep, RebuildTakenOver, RETRY_FAILED_AFTER_MS, STALE_AFTER_MS } from "~/models/reach-rebuild.server";
import { rebuildReachRollups, setRebuildStepHook, setRebuildStepSize, type RebuildProgress } from "~/models/reach-rollup.server";
import * as dashboardRoute from "~/routes/lead._index";
import * as dashboardCsv from "~/routes/lead.export[.csv]";
import * as goalPage from "~/routes/lead.goals.$goalId._index";
import * as goalList from "~/routes/lead.goals._index";
import * as goalsCsv from "~/routes/lead.goals.export[.csv]";
import * as growthCsv from "~/routes/lead.growth.export[.csv]";
import * as growthPage from "~/routes/lead.growth";
import * as regionCsv from "~/routes/lead.regions.$regionId.export[.csv]";
import * as regionRoute from "~/routes/lead.regions.$regionId";
import * as reportPage from "~/routes/lead.report";
import * as schoolRoute from "~/routes/lead.schools.$schoolId";
import * as schoolCsv from "~/routes/lead.schools.$schoolId.export[.csv]";

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const QUERY = (code: string) => new URLSearchParams({ year: "2025-26", asOf: "2026-03-01", program: code }).toString();

/** Runs held by pauseAt: a failed test lets them go on, so the next test does not find a live run. */
const held: Array<() => void> = [];

afterEach(async () => {
  for (const release of held.splice(0)) release();
  setRebuildStepHook(null);
  setRebuildStepSize();
  await untilDone().catch(() => undefined);
});

const schoolArgs = (schoolId: string, code: string, who: SignedIn, csv = false): LoaderFunctionArgs => ({
  request: makeRequest(`/lead/schools/${schoolId}${csv ? "/export.csv" : ""}?${QUERY(code)}`, { cookie: who.cookie }),
  params: { schoolId },
  context: {},
});

/** The school page's staff-current figure for the program, or the Response it threw. */
async function staffCurrent(schoolId: string, code: string, who: SignedIn): Promise<number | Response> {
  try {
    const page = await schoolRoute.loader(schoolArgs(schoolId, code, who));
    if (!(typeof page === "object" && page && "ok" in page && page.ok === true)) throw new Error(`not an ok page: ${JSON.stringify(page).slice(0, 300)}`);
    return page.selected?.staffCurrent ?? 0;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function untilDone(timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await readRebuild();
    if (job?.status === "DONE") return job;
    if (job?.status === "FAILED") throw new Error(`rebuild failed: ${job.error}`);
    if (Date.now() > until) throw new Error(`rebuild not done: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function statesOf(whos: string[]) {
  const rows = await prisma.reachPersonState.findMany({ where: { who: { in: whos } }, orderBy: { who: "asc" } });
  return rows.map((r) => `${r.who}:${r.state}`);
}

/** A program, a school in a region, and `count` staff there in 2025-26, each certified (current on 2026-03-01). */
async function district(count: number) {
  const program = await createProgram(prisma);
  const region = await createRegion(prisma);
  const school = await createSchool(prisma, { regionId: region.id });
  const other = await createSchool(prisma, { regionId: region.id });
  const people = [];
  for (let i = 0; i < count; i += 1) {
    people.push(await createPerson(prisma, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: 2025 }] }));
  }
  await prisma.certification.createMany({
    data: people.map((p) => ({ personId: p.id, programId: program.id, issuedOn: new Date(Date.UTC(2025, 9, 1)), expiresOn: new Date(Date.UTC(2028, 9, 1)), verificationCode: newVerificationCode() })),
  });
  return { program, region, school, other, people };
}

/** Holds a run at a step of our choosing until released. */
function pauseAt(chosen: (step: number) => Promise<boolean>) {
  let reached!: (step: number) => void;
  let release!: () => void;
  const atStep = new Promise<number>((resolve) => (reached = resolve));
  const go = new Promise<void>((resolve) => (release = resolve));
  held.push(release);
  let holding = false;
  setRebuildStepHook(async (step) => {
    if (holding || !(await chosen(step))) return;
    holding = true;
    reached(step);
    await go;
  });
  return { atStep, release };
}

describe("the reach rebuild job", () => {
  it("runs once however many start it at once, and reports its progress", { timeout: 120_000 }, async () => {
    await district(3);
    const holders = Number((await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(DISTINCT "personId") AS "n" FROM "Certification"`)[0].n);
    setRebuildStepSize(50);
    const progress: RebuildProgress[][] = [[], [], [], []];
    const outcomes = await Promise.all(progress.map((seen) => rebuildReachRollups({ onProgress: (p) => seen.push(p) })));
    expect(outcomes.filter((o) => o.ranHere)).toHaveLength(1);
    const job = await readRebuild();
    expect(job).toMatchObject({ status: "DONE", peopleTotal: holders, peopleDone: holders });
    const counting = progress[outcomes.findIndex((o) => o.ranHere)].filter((p) => p.phase === "counting");
    expect(counting.length).toBeGreaterThan(1);
    expect(counting.every((p) => p.peopleTotal === holders)).toBe(true);
    const done = counting.map((p) => p.peopleDone);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done[done.length - 1]).toBe(holders);
  });

  it("`npm run reach:rebuild` in other processes follows a live run instead of starting another", { timeout: 120_000 }, async () => {
    await district(2);
    const pause = pauseAt(async () => {
      const job = await readRebuild();
      return job !== null && job.peopleDone === job.peopleTotal;
    });
    const run = rebuildReachRollups();
    await pause.atStep;
    const runId = (await readRebuild())?.runId;
    const command = () => {
      const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/reach-rebuild.ts")], { cwd: path.resolve("."), env: { ...process.env, NODE_ENV: "test" } });
      let out = "";
      child.stdout.on("data", (chunk) => (out += String(chunk)));
      child.stderr.on("data", (chunk) => (out += String(chunk)));
      const printed = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on("exit", (code) => resolve({ code, out })));
      return { printed, exited };
    };
    const commands = [command(), command()];
    // Both are following (they print the run's progress) before the run may go on.
    await Promise.all(commands.map((c) => Promise.race([c.printed, c.exited])));
    pause.release();
    await run;
    for (const { code, out } of await Promise.all(commands.map((c) => c.exited))) {
      expect(code, out).toBe(0);
      // The run is held after its last range: every person counted, the figures not yet saved.
      expect(out).toMatch(/Saving the figures \([\d,]+ people counted\)/);
      expect(out).toContain("Another app instance rebuilt the reach rollup");
    }
    expect((await readRebuild())?.runId).toBe(runId);
  });

  it("pages answer 503 with the progress while it runs, the rest of the app keeps writing, and the figures are exact after", { timeout: 120_000 }, async () => {
    const lead = await signIn("PROGRAM_LEAD");
    const { program, region, school, other, people } = await district(12);
    expect(await staffCurrent(school.id, program.code, lead)).toBe(12);
    // Three certificates a step: our people are stored a few at a time.
    setRebuildStepSize(3);
    const stored = async (id: string) => (await prisma.reachPersonState.count({ where: { who: id } })) === 1;
    // Pause once some of our people are stored and some are not: writes land on both sides.
    const pause = pauseAt(async () => {
      const done = await Promise.all(people.map((p) => stored(p.id)));
      return done.filter(Boolean).length >= 3 && done.filter((d) => !d).length >= 3;
    });
    const run = rebuildReachRollups();
    await pause.atStep;

    const job = await readRebuild();
    expect(job?.status).toBe("RUNNING");
    const during = await staffCurrent(school.id, program.code, lead);
    if (!(during instanceof Response)) throw new Error(`expected a 503 while rebuilding, got ${during}`);
    expect(during.status).toBe(503);
    const text = await during.text();
    expect(text).toContain(`of ${job?.peopleTotal.toLocaleString("en-US")} people counted`);
    expect(text).toMatch(/\(\d+%\)/);

    // The CSV export answers the same 503 as text.
    const csv = await schoolCsv.loader(schoolArgs(school.id, program.code, lead, true)).then((r) => r, (r: unknown) => r);
    if (!(csv instanceof Response)) throw new Error("the CSV export did not answer with a Response");
    expect(csv.status).toBe(503);
    expect(csv.headers.get("Content-Type")).toContain("text/plain");
    expect(await csv.text()).toContain("being prepared");

    // The page itself: the error boundary shows the progress and asks again by itself.
    const page = await renderPage("/lead/schools/:schoolId", { ...schoolRoute, ErrorBoundary: () => createElement(AppErrorBoundary) }, schoolArgs(school.id, program.code, lead).request);
    expect(page.status).toBe(503);
    expect(page.html).toContain("Reach figures are being prepared");
    expect(page.html).toContain(`of ${job?.peopleTotal.toLocaleString("en-US")} people counted`);
    expect(page.html).toContain("This page checks again every <!-- -->10<!-- --> seconds");
    expect(page.html).toContain(`<a href="/lead/schools/${school.id}?${QUERY(program.code).replaceAll("&", "&amp;")}">Check again now</a>`);

    // Every page and export that reads reach figures answers the same, never a 500.
    const goal = await prisma.goal.create({ data: { scope: "DISTRICT", programId: program.id, measure: "STAFF_REACH", target: 50, startsOn: new Date(Date.UTC(2025, 7, 1)), deadline: new Date(Date.UTC(2026, 5, 30)) } });
    const q = QUERY(program.code);
    const pages: Array<[string, (a: LoaderFunctionArgs) => Promise<unknown>, string, Record<string, string>]> = [
      ["dashboard", dashboardRoute.loader, `/lead?${q}`, {}],
      ["dashboard CSV", dashboardCsv.loader, `/lead/export.csv?${q}`, {}],
      ["region", regionRoute.loader, `/lead/regions/${region.id}?${q}`, { regionId: region.id }],
      ["region CSV", regionCsv.loader, `/lead/regions/${region.id}/export.csv?${q}`, { regionId: region.id }],
      ["goals", goalList.loader, "/lead/goals", {}],
      ["goals CSV", goalsCsv.loader, "/lead/goals/export.csv", {}],
      ["goal", goalPage.loader, `/lead/goals/${goal.id}`, { goalId: goal.id }],
      // Growth reads the rollup for its staff-reach line only: the other lines count records.
      ["growth", growthPage.loader, `/lead/growth?program=${program.code}&line=reach`, {}],
      ["growth CSV", growthCsv.loader, `/lead/growth/export.csv?program=${program.code}&line=reach`, {}],
      ["report", reportPage.loader, `/lead/report?${q}`, {}],
    ];
    for (const [name, loader, url, params] of pages) {
      const answer = await loader({ request: makeRequest(url, { cookie: lead.cookie }), params, context: {} }).then((r) => r, (r: unknown) => r);
      expect(answer instanceof Response && answer.status, name).toBe(503);
    }
    // Other tests in this worker's database list every goal.
    await prisma.goal.delete({ where: { id: goal.id } });

    // Writes go on meanwhile, on their own connection with a short wait for the write lock: the old
    // single-transaction rebuild held SQLite's write lock from start to end.
    const elsewhere = createPrismaClient(getEnv().DATABASE_URL, { busyTimeoutMs: 200 });
    const storedNow = await Promise.all(people.map((p) => stored(p.id)));
    const before = people.filter((_, i) => storedNow[i]);
    const after = people.filter((_, i) => !storedNow[i]);
    try {
      // On each side (stored already, not yet): one loses their certificate, one moves to the other
      // school; one not yet stored is merged into one stored; a newcomer is certified.
      await elsewhere.certification.deleteMany({ where: { personId: { in: [before[0].id, after[0].id] }, programId: program.id } });
      for (const p of [before[1], after[1]]) {
        await elsewhere.affiliation.updateMany({ where: { personId: p.id, schoolId: school.id }, data: { schoolId: other.id } });
      }
      const newcomer = await createPerson(elsewhere, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: 2025 }] });
      await elsewhere.certification.create({ data: { personId: newcomer.id, programId: program.id, issuedOn: new Date(Date.UTC(2025, 10, 1)), expiresOn: new Date(Date.UTC(2028, 10, 1)), verificationCode: newVerificationCode() } });
      await elsewhere.person.update({ where: { id: after[2].id }, data: { mergedIntoId: before[2].id } });
      people.push(newcomer);
    } finally {
      await elsewhere.$disconnect();
    }

    pause.release();
    await run;
    // Hand count: 12 − 2 certificates taken away − 2 moved away + 1 newcomer − 1 merged into a
    // person already counted = 8.
    expect(await staffCurrent(school.id, program.code, lead)).toBe(8);
    expect(await prisma.reachDirty.count()).toBe(0);
    const ids = people.map((p) => p.id);
    const incremental = { rollup: await rollupOf([program.id]), states: await statesOf(ids) };
    await rebuildReachRollups();
    expect({ rollup: await rollupOf([program.id]), states: await statesOf(ids) }).toEqual(incremental);
    expect(await staffCurrent(school.id, program.code, lead)).toBe(8);
  });

  it("the first read that finds a long queue starts it in the background and answers 503 at once", { timeout: 120_000 }, async () => {
    const lead = await signIn("PROGRAM_LEAD");
    const { program, school } = await district(4);
    await rebuildReachRollups();
    // A fresh migration queues everyone: more than the stored people, and more than the threshold.
    const stored = await prisma.reachPersonState.count();
    const fake = Array.from({ length: Math.max(2_100, stored + 1) }, (_, i) => ({ personId: `queued-${i}` }));
    await prisma.reachDirty.createMany({ data: fake });
    const pause = pauseAt(async () => true);
    const first = await staffCurrent(school.id, program.code, lead);
    expect(first instanceof Response && first.status).toBe(503);
    await pause.atStep;
    expect((await readRebuild())?.status).toBe("RUNNING");
    pause.release();
    await untilDone();
    expect(await staffCurrent(school.id, program.code, lead)).toBe(4);
  });

  it("a run whose process died is taken over, and its late steps write nothing; a failed run is tried again", { timeout: 120_000 }, async () => {
    const lead = await signIn("PROGRAM_LEAD");
    const { program, school } = await district(2);
    await rebuildReachRollups();
    const old = new Date(Date.now() - STALE_AFTER_MS - 1_000);
    await prisma.reachRebuild.update({ where: { id: 1 }, data: { status: "RUNNING", runId: "dead-run", instance: "gone:1", heartbeatAt: old, peopleDone: 5, peopleTotal: 10 } });
    const first = await staffCurrent(school.id, program.code, lead);
    expect(first instanceof Response && first.status).toBe(503);
    const job = await untilDone();
    expect(job.runId).not.toBe("dead-run");
    await expect(recordStep(prisma, "dead-run", { peopleDone: 6 })).rejects.toBeInstanceOf(RebuildTakenOver);
    expect(await staffCurrent(school.id, program.code, lead)).toBe(2);

    // A failed run: tried again by a read once RETRY_FAILED_AFTER_MS has passed, not before.
    await prisma.reachRebuild.update({ where: { id: 1 }, data: { status: "FAILED", runId: "failed-run", finishedAt: new Date(), error: "disk full" } });
    const soon = await staffCurrent(school.id, program.code, lead);
    expect(soon instanceof Response && soon.status).toBe(503);
    if (soon instanceof Response) expect(await soon.text()).not.toContain("disk full");
    expect((await readRebuild())?.runId).toBe("failed-run");
    await prisma.reachRebuild.update({ where: { id: 1 }, data: { finishedAt: new Date(Date.now() - RETRY_FAILED_AFTER_MS - 1_000) } });
    const later = await staffCurrent(school.id, program.code, lead);
    expect(later instanceof Response && later.status).toBe(503);
    expect((await untilDone()).runId).not.toBe("failed-run");
    expect(await staffCurrent(school.id, program.code, lead)).toBe(2);

    // A live run is left alone: a read answers 503 and starts nothing.
    await prisma.reachRebuild.update({ where: { id: 1 }, data: { status: "RUNNING", runId: "live-run", heartbeatAt: new Date() } });
    const during = await staffCurrent(school.id, program.code, lead);
    expect(during instanceof Response && during.status).toBe(503);
    expect((await readRebuild())?.runId).toBe("live-run");
    await prisma.reachRebuild.update({ where: { id: 1 }, data: { status: "DONE" } });
  });
});
