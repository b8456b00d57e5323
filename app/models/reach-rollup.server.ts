/**
 * Keeps the reach rollup exact (docs/decisions/005-reach-rollups.md), on SQLite and PostgreSQL, with
 * any number of app instances. The SQL is written once for both engines: INSERT … ON CONFLICT,
 * UPDATE … FROM over key ranges, and rows sent as one JSON value (jsonTable, app/db/dialect.server.ts).
 *
 * Triggers on Certification, Affiliation, Person and School put the people a write touches in
 * ReachDirty. refreshReachRollups() — called by every reach read before it counts — takes each
 * queued person's stored state out of the rollup and puts their new state in, in one transaction.
 * A long queue against few stored people (a fresh migration over existing data) calls for a full
 * rebuild instead: a background job in short transactions (rebuildInSteps; its state and progress in
 * app/models/reach-rebuild.server.ts), during which reads answer 503 "being prepared" at once.
 *
 * Several processes (docs/decisions/016-postgresql.md). Applying a person's change twice, or two
 * instances adding to the same region and district rows at once, would break the rollup, so one
 * transaction at a time applies the queue: on PostgreSQL it holds a transaction-level advisory lock
 * (lockForTransaction), on SQLite every write transaction already runs alone (BEGIN IMMEDIATE). A
 * reader whose write has committed finds it queued, or waits on the lock for the instance applying it;
 * it never skips a queue another instance holds, since it must count that instance's work.
 *
 * A write still in flight on PostgreSQL is the other hazard: its trigger found the person already
 * queued and added nothing, so if the queue were applied from the records before that write committed
 * the change would be lost. The applying transaction therefore first takes row locks on the records
 * it reads (holdRecords): it waits for a write in flight to commit, and a write that starts later waits
 * for it, then queues the person again. It waits for each lock only briefly and otherwise starts over,
 * so a writer is never the victim of a deadlock with it.
 */
import { prisma } from "~/db.server";
import { isPostgres, jsonList, jsonTable, lockForTransaction, type JsonColumnType } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";
import {
  claimRebuild, failRebuild, finishRebuild, isLive, readRebuild, rebuildingResponse, RebuildTakenOver, recordStep,
  RETRY_FAILED_AFTER_MS, rollupIsComplete, type RebuildState,
} from "~/models/reach-rebuild.server";
import {
  COLUMN_COUNT, decodeState, deltasBetween, encodeState, RollupBuilder, ROLLUP_COLUMNS, statesOf,
  type AffiliationRow, type PersonState, type RollupDeltas, type RollupRow,
} from "~/domain/reach-rollup";

type Tx = Prisma.TransactionClient;

/** People refreshed per transaction. */
const BATCH = 500;
/** A queue longer than this is cheaper to rebuild from scratch. */
const REBUILD_ABOVE = 2_000;
const TX_OPTIONS = { maxWait: 120_000, timeout: 600_000 };

const COLS = Prisma.raw(ROLLUP_COLUMNS.map((c) => `"${c}"`).join(", "));

/** The columns of a rollup row sent as JSON, typed as the table's (PostgreSQL compares and inserts by type). */
const KEY_COLUMNS = { schoolYear: "integer", programId: "text", level: "text", scopeId: "text", day: "integer" } satisfies Record<string, JsonColumnType>;
const ROW_COLUMNS: Record<string, JsonColumnType> = { ...KEY_COLUMNS };
for (const c of ROLLUP_COLUMNS) ROW_COLUMNS[c] = "integer";
/** A change of applyDeltas: the key, its day and next changed day, and the change of each column. */
const STEP_COLUMNS: Record<string, JsonColumnType> = { ...KEY_COLUMNS, until: "integer" };
for (const c of ROLLUP_COLUMNS) STEP_COLUMNS[`d_${c}`] = "integer";

/** The advisory lock (PostgreSQL) held by whichever transaction applies the queue or rebuilds. */
const ROLLUP_LOCK = "reach-rollup";
/**
 * How long the applying transaction waits for a writer's row lock before it starts over. Well under
 * PostgreSQL's deadlock_timeout (1 s): should a writer wait on a lock it holds, it gives way first.
 */
const RECORD_LOCK_WAIT = "100ms";
const ATTEMPTS = 50;
/**
 * Worth running again from the start: deadlock (40P01), serialisation failure (40001), a record lock
 * not granted in time (55P03).
 */
const RETRYABLE = new Set(["40P01", "40001", "55P03"]);

let queue: Promise<void> = Promise.resolve();

export type RefreshOptions = {
  /**
   * True (the default) for a read of reach figures: while the rollup is being rebuilt it throws a 503
   * Response with the progress (pages show it, CSV exports send it). False for a caller that only
   * wants the queue applied early (a directory import): it then returns without waiting.
   */
  forFigures?: boolean;
};

/**
 * Applies every queued change. Calls in one process run one after another; across processes they
 * take turns on the rollup lock. Each looks at the queue itself, so a read that starts after a write
 * always sees it. While the rollup is rebuilt (app/models/reach-rebuild.server.ts) nothing is applied:
 * a read of figures gets a 503 "being prepared" answer at once.
 */
export function refreshReachRollups(options: RefreshOptions = {}): Promise<void> {
  const run = () => drain(options.forFigures ?? true);
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** The queue's length, counted up to `upTo` + 1 (reads stay cheap however long it is). */
async function queuedCount(db: Tx | typeof prisma, upTo = REBUILD_ABOVE): Promise<number> {
  const [pending] = await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "ReachDirty" LIMIT ${upTo + 1}) AS q`;
  return Number(pending?.n ?? 0);
}

/**
 * A long queue against few stored people (a fresh migration over existing data, a first seed) is
 * cheaper to rebuild from scratch. A long queue in a big district (a roster import) stays
 * incremental: a rebuild would read every record.
 */
async function queueCallsForRebuild(): Promise<boolean> {
  if ((await queuedCount(prisma)) <= REBUILD_ABOVE) return false;
  const [stored] = await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "ReachPersonState"`;
  // Counted past a quarter of the stored people (not just past REBUILD_ABOVE): a migration that queues
  // everyone over a full rollup (a new measure) must rebuild too, not drain a district in one read.
  const quarter = Math.floor(Number(stored?.n ?? 0) / 4);
  return (await queuedCount(prisma, quarter)) > quarter;
}

/** Whether the rollup needs a full rebuild before figures can be read (scripts/setup.ts asks). */
export async function reachRebuildNeeded(): Promise<boolean> {
  return !rollupIsComplete(await readRebuild()) || (await queueCallsForRebuild());
}

async function drain(forFigures: boolean): Promise<void> {
  // The common case in one cheap statement: no rebuild since the last complete one, nothing queued.
  // Without the lock: an empty queue has nothing in flight (a batch empties it as it commits).
  const [quick] = await prisma.$queryRaw<Array<{ status: string | null; n: number | bigint }>>`
    SELECT (SELECT r."status" FROM "ReachRebuild" r WHERE r."id" = 1) AS "status",
      (SELECT COUNT(*) FROM (SELECT 1 FROM "ReachDirty" LIMIT 1) AS q) AS "n"`;
  if ((quick?.status ?? "DONE") === "DONE" && Number(quick?.n ?? 0) === 0) return;
  const job = await readRebuild();
  if (!rollupIsComplete(job)) {
    // Running here or in another instance; or it died (stale heartbeat) or failed, and then the
    // rollup is incomplete until a run finishes: take it over.
    const due = job?.status === "FAILED" ? Date.now() - (job.finishedAt ?? job.heartbeatAt).getTime() > RETRY_FAILED_AFTER_MS : !isLive(job);
    return notReady(forFigures, due ? await startRebuildInBackground(job) : job);
  }
  if ((await queuedCount(prisma)) === 0) return;
  if (await queueCallsForRebuild()) return notReady(forFigures, await startRebuildInBackground(job));
  for (;;) {
    // A rebuild may have been claimed since the look above: once it is, nobody applies the queue.
    const more = await inRollupTransaction(async (tx) => (rollupIsComplete(await readRebuild(tx)) ? refreshBatch(tx) : "rebuilding"));
    if (more === "rebuilding") return notReady(forFigures, await readRebuild());
    if (!more) return;
  }
}

function notReady(forFigures: boolean, job: RebuildState | null): void {
  if (forFigures) throw rebuildingResponse(job);
}

/**
 * Claims the rebuild (if `seen` is still the job's state) and runs it in this process without waiting
 * for it; returns the job's state after the claim, whoever won it.
 */
async function startRebuildInBackground(seen: RebuildState | null): Promise<RebuildState | null> {
  const runId = await claimRebuild(seen);
  const state = await readRebuild();
  if (runId) {
    // After this request has its answer: the run's first transaction would otherwise go first.
    setImmediate(() => {
      runRebuild(runId).catch((error) => {
        if (!(error instanceof RebuildTakenOver)) console.error("The reach rollup rebuild failed", error);
      });
    });
  }
  return state;
}

/** The PostgreSQL error code behind a Prisma error (raw queries and model queries report it differently). */
function postgresCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth += 1) {
    if ("originalCode" in e && typeof e.originalCode === "string") return e.originalCode;
    e = "meta" in e && e.meta && typeof e.meta === "object" && "driverAdapterError" in e.meta ? e.meta.driverAdapterError : "cause" in e ? e.cause : null;
  }
  return null;
}

/**
 * Runs `work` holding the rollup lock, again from the start while it fails in a way that another
 * transaction caused (see RETRYABLE). The lock is waited for without limit: whoever holds it is
 * applying changes a reader must count.
 */
async function inRollupTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(async (tx) => {
        await lockForTransaction(tx, ROLLUP_LOCK);
        if (isPostgres()) await tx.$executeRaw`SELECT set_config('lock_timeout', ${RECORD_LOCK_WAIT}, true)`;
        return work(tx);
      }, TX_OPTIONS);
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has(postgresCode(error) ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 * attempt, 200) + Math.floor(Math.random() * 20)));
    }
  }
}

/**
 * PostgreSQL: row locks on everything a person's state is read from — their records (FOR UPDATE:
 * also waits for a certificate or affiliation being added to one, which holds a key-share lock on
 * it), their certificates and affiliations, and the schools of those (a region change) — so that no
 * write to them is in flight while the state is read. SQLite needs none: no writer runs alongside.
 * A certificate added meanwhile waits in its foreign-key check, which PostgreSQL runs before the
 * ReachDirty trigger (triggers fire in name order: "RI_ConstraintTrigger…" < "ReachDirty_…"), so its
 * trigger then queues the person anew (tests/integration/reach-processes.test.ts).
 */
async function holdRecords(tx: Tx, whos: string[]): Promise<void> {
  if (!isPostgres() || whos.length === 0) return;
  const people = jsonList(whos);
  const records = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "Person" WHERE "id" IN ${people} OR "mergedIntoId" IN ${people} ORDER BY "id" FOR UPDATE`;
  const ids = jsonList(records.map((r) => r.id));
  await tx.$queryRaw`SELECT "id" FROM "Certification" WHERE "personId" IN ${ids} ORDER BY "id" FOR SHARE`;
  await tx.$queryRaw`SELECT "id" FROM "Affiliation" WHERE "personId" IN ${ids} ORDER BY "id" FOR SHARE`;
  await tx.$queryRaw`SELECT s."id" FROM "School" s WHERE s."id" IN (SELECT a."schoolId" FROM "Affiliation" a WHERE a."personId" IN ${ids}) ORDER BY s."id" FOR SHARE`;
}

async function refreshBatch(tx: Tx): Promise<boolean> {
  const dirty = (await tx.$queryRaw<Array<{ personId: string }>>`SELECT "personId" FROM "ReachDirty" ORDER BY "personId" LIMIT ${BATCH}`).map((r) => r.personId);
  if (dirty.length === 0) return false;
  // The people to recompute: each queued record's current "who", and the record itself (a record
  // merged away since last time must have its old state taken out).
  const targets = await tx.person.findMany({ where: { id: { in: dirty } }, select: { id: true, mergedIntoId: true } });
  const whos = new Set(dirty);
  for (const t of targets) if (t.mergedIntoId) whos.add(t.mergedIntoId);
  // A write committed from here on queues its people again; one that committed before is read below.
  await holdRecords(tx, [...whos]);
  const before = new Map<string, PersonState>();
  for (const row of await tx.reachPersonState.findMany({ where: { who: { in: [...whos] } } })) {
    const state = decodeState(row.state);
    if (state) before.set(row.who, state);
  }
  const after = await loadStates(tx, [...whos]);
  await applyDeltas(tx, deltasBetween(before, after));
  await tx.reachPersonState.deleteMany({ where: { who: { in: [...whos] } } });
  if (after.size > 0) await tx.reachPersonState.createMany({ data: [...after].map(([who, state]) => ({ who, state: encodeState(state) })) });
  await tx.reachDirty.deleteMany({ where: { personId: { in: dirty } } });
  return dirty.length === BATCH;
}

/** Bound values per query: SQLite's limit is 999 per statement (Prisma keeps to it). */
const PARAMS_PER_QUERY = 900;

function chunksOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Current states of the people, from their records (and records merged into them). */
async function loadStates(db: Tx | typeof prisma, whos: string[]): Promise<Map<string, PersonState>> {
  if (whos.length === 0) return new Map();
  const records: Array<{ id: string; kind: string; mergedIntoId: string | null }> = [];
  for (const chunk of chunksOf(whos, PARAMS_PER_QUERY / 2)) {
    records.push(...(await db.person.findMany({
      where: { OR: [{ id: { in: chunk } }, { mergedIntoId: { in: chunk } }] },
      select: { id: true, kind: true, mergedIntoId: true },
    })));
  }
  const affiliations: AffiliationRow[] = [];
  const certs: Array<{ personId: string; programId: string; issuedOn: Date; expiresOn: Date | null; revokedAt: Date | null }> = [];
  for (const ids of chunksOf(records.map((r) => r.id), PARAMS_PER_QUERY)) {
    const [a, c] = await Promise.all([
      db.affiliation.findMany({ where: { personId: { in: ids } }, select: { personId: true, schoolYear: true, schoolId: true, school: { select: { regionId: true } } } }),
      db.certification.findMany({ where: { personId: { in: ids } }, select: { personId: true, programId: true, issuedOn: true, expiresOn: true, revokedAt: true } }),
    ]);
    for (const row of a) affiliations.push({ personId: row.personId, schoolYear: row.schoolYear, schoolId: row.schoolId, regionId: row.school.regionId });
    certs.push(...c);
  }
  return statesOf(whos, records, affiliations, certs);
}

/** "No next change": after every day. */
const NO_END = 2_147_483_647;

/**
 * Adds the changes to the running totals: a row is made on each changed day (copying the totals of
 * the day before, or zeros), then every row of the key from that day on gets the change. Two
 * statements for the whole batch rather than two per key and day: the rows first, copied from the
 * rows before them (a row copied from one made here copies the same totals, since nothing lies
 * between); then one update that adds to each row the sum of its key's changes on or before its day.
 * The changes go in as one JSON array (jsonTable): the ORM's cost is per bound value.
 */
async function applyDeltas(tx: Tx, deltas: RollupDeltas): Promise<void> {
  // One row per key and changed day: the day, the key's next changed day, and the changes up to the day.
  const steps: Array<Record<string, string | number>> = [];
  for (const { key, days } of deltas.values()) {
    const sorted = [...days.entries()].sort((a, b) => a[0] - b[0]);
    const running: number[] = new Array(COLUMN_COUNT).fill(0);
    sorted.forEach(([day, cols], i) => {
      for (let c = 0; c < COLUMN_COUNT; c += 1) running[c] += cols[c];
      const step: Record<string, string | number> = {
        schoolYear: key.schoolYear, programId: key.programId, level: key.level, scopeId: key.scopeId,
        day, until: i + 1 < sorted.length ? sorted[i + 1][0] : NO_END,
      };
      ROLLUP_COLUMNS.forEach((c, k) => (step[`d_${c}`] = running[k]));
      steps.push(step);
    });
  }
  if (steps.length === 0) return;
  const v = jsonTable(steps, STEP_COLUMNS);
  const sameKey = (a: string, b: string) => Prisma.raw(`${a}."schoolYear" = ${b}."schoolYear" AND ${a}."programId" = ${b}."programId" AND ${a}."level" = ${b}."level" AND ${a}."scopeId" = ${b}."scopeId"`);
  await tx.$executeRaw`
    WITH v AS MATERIALIZED ${v}
    INSERT INTO "ReachRollup" ("schoolYear", "programId", "level", "scopeId", "day", ${COLS})
    SELECT v."schoolYear", v."programId", v."level", v."scopeId", v."day", ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.raw(`COALESCE(p."${c}", 0)`)))}
    FROM v
    LEFT JOIN "ReachRollup" p ON ${sameKey("p", "v")}
      AND p."day" = (SELECT MAX(x."day") FROM "ReachRollup" x WHERE ${sameKey("x", "v")} AND x."day" < v."day")
    WHERE true
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    WITH v AS MATERIALIZED ${v}
    UPDATE "ReachRollup" SET ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.raw(`"${c}" = "ReachRollup"."${c}" + v."d_${c}"`)))}
    FROM v
    WHERE ${sameKey(`"ReachRollup"`, "v")} AND "ReachRollup"."day" >= v."day" AND "ReachRollup"."day" < v."until"`;
}

/**
 * Rows per INSERT in a rebuild, sent as one JSON array (one bound value, jsonTable): the
 * ORM's cost is per bound value, and a rebuild at district scale writes millions of rows.
 */
const ROWS_PER_INSERT = 10_000;

export type RebuildProgress = { peopleDone: number; peopleTotal: number; phase: "clearing" | "counting" | "saving" | "done"; rowsSaved?: number };
export type RebuildOutcome = { ranHere: boolean; people: number; rows: number; seconds: number };

/** How often a caller following another process's run looks at its progress. */
const FOLLOW_EVERY_MS = 500;

/**
 * Rebuilds the whole rollup and returns once it is complete: runs the job here, or, when another
 * process is running it, follows that run to its end (and takes it over should it die). For the
 * command (scripts/reach-rebuild.ts), the seed and tests; reads start it in the background instead.
 */
export async function rebuildReachRollups(options: { onProgress?: (progress: RebuildProgress) => void } = {}): Promise<RebuildOutcome> {
  const started = Date.now();
  for (;;) {
    const seen = await readRebuild();
    if (isLive(seen) && seen) {
      let now = seen;
      while (now.runId === seen.runId && isLive(now)) {
        options.onProgress?.({ peopleDone: now.peopleDone, peopleTotal: now.peopleTotal, phase: now.peopleTotal === 0 ? "clearing" : now.peopleDone < now.peopleTotal ? "counting" : "saving" });
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
        const next = await readRebuild();
        if (!next) break;
        now = next;
      }
      if (now.runId === seen.runId && now.status === "DONE") {
        return { ranHere: false, people: now.peopleTotal, rows: 0, seconds: (Date.now() - started) / 1000 };
      }
      if (now.runId === seen.runId && now.status === "FAILED") throw new Error(`The reach rebuild run by ${now.instance} failed: ${now.error ?? "unknown error"}`);
      continue; // died, or someone else started a new run: look again
    }
    const runId = await claimRebuild(seen);
    if (!runId) continue;
    const outcome = await runRebuild(runId, options.onProgress);
    return { ranHere: true, ...outcome, seconds: (Date.now() - started) / 1000 };
  }
}

/**
 * Test hook: called between the steps of a run (after each range of people is written), so a test
 * can write while a rebuild is half done.
 */
let betweenSteps: ((step: number) => Promise<void>) | null = null;
export function setRebuildStepHook(hook: ((step: number) => Promise<void>) | null): void {
  betweenSteps = hook;
}

/**
 * Certificates read per step (whole people: a step ends between two people); tests make it smaller.
 * Small enough that a step holds the process for a fraction of a second (on SQLite every query runs
 * synchronously): requests to the instance running the job wait at most that long.
 */
let rebuildStep = 2_000;
/** Rollup rows written per transaction at the end of a run (one JSON value each, jsonTable); same reason. */
const ROLLUP_ROWS_PER_SAVE = 2_000;
export function setRebuildStepSize(certificates = 2_000): void {
  rebuildStep = certificates;
}

/**
 * Lets the process serve requests between two steps of a run. On SQLite every query completes
 * synchronously (better-sqlite3), so a chain of awaits alone never gives timers or sockets a turn, and a
 * rebuild in the app's process would hold every page of that instance until it ended.
 */
function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs a claimed job to its end; a failure (other than a takeover) is recorded on the job. */
async function runRebuild(runId: string, onProgress?: (progress: RebuildProgress) => void): Promise<{ people: number; rows: number }> {
  try {
    return await rebuildInSteps(runId, onProgress ?? (() => undefined));
  } catch (error) {
    if (!(error instanceof RebuildTakenOver)) await failRebuild(runId, error).catch(() => undefined);
    throw error;
  }
}

/**
 * Every person's state and the whole rollup, from scratch, in short transactions, so that writes
 * elsewhere in the app go on meanwhile (no write lock on SQLite, no table lock on PostgreSQL but for
 * the first moment):
 *   1. one transaction empties the rollup, the person states and the queue;
 *   2. a range of people at a time (person-id order, index range scans) is read outside any
 *      transaction and their states written in a short one; people with merged duplicates, whose
 *      records lie elsewhere in that order, are read on their own first;
 *   3. the rollup rows of all those states are written, a chunk per transaction; then the job is done.
 * Exact because nobody applies the queue while the job runs (drain() skips, reads answer 503) and the
 * triggers go on queueing whoever a write touches after step 1: a person written before their range
 * is read is queued and counted as they are (the first drain after the job finds nothing to change),
 * one written after it is queued and the first drain takes out the state stored here and puts in the
 * new one. The rollup is the sum of the stored states, which is all a drain relies on.
 */
async function rebuildInSteps(runId: string, onProgress: (progress: RebuildProgress) => void): Promise<{ people: number; rows: number }> {
  onProgress({ peopleDone: 0, peopleTotal: 0, phase: "clearing" });
  // Holds the rollup lock: waits for a drain in flight; any drain after it finds the job running and skips.
  await inRollupTransaction(async (tx) => {
    await recordStep(tx, runId);
    if (isPostgres()) {
      // Waits for writes in flight to commit: a write whose trigger found its person already queued
      // added nothing, so emptying the queue under it would lose its change. Held only for the
      // moment it takes to empty the tables (TRUNCATE: no row-by-row delete of millions of rows).
      // A writer is never the victim of a deadlock with it: the table locks are waited for only
      // briefly (inRollupTransaction's lock_timeout), then the transaction starts over.
      await tx.$executeRaw`LOCK TABLE "Person", "Certification", "Affiliation", "School" IN SHARE MODE`;
      await tx.$executeRaw`TRUNCATE "ReachDirty", "ReachRollup", "ReachPersonState"`;
    } else {
      // SQLite: this transaction holds the write lock, so no write is in flight.
      await tx.$executeRaw`DELETE FROM "ReachDirty"`;
      await tx.$executeRaw`DELETE FROM "ReachRollup"`;
      await tx.$executeRaw`DELETE FROM "ReachPersonState"`;
    }
  });
  await yieldToRequests();

  const [holders] = await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(DISTINCT "personId") AS "n" FROM "Certification"`;
  const peopleTotal = Number(holders?.n ?? 0);
  let peopleDone = 0;
  await recordStep(prisma, runId, { peopleTotal });
  onProgress({ peopleDone, peopleTotal, phase: "counting" });

  const builder = new RollupBuilder();
  let people = 0;
  const keep = async (states: Map<string, PersonState>) => {
    const rows = [...states].map(([who, state]) => ({ who, state: encodeState(state) }));
    await prisma.$transaction(async (tx) => {
      await recordStep(tx, runId, { peopleDone });
      for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
        await tx.$executeRaw`INSERT INTO "ReachPersonState" ("who", "state") SELECT v."who", v."state" FROM ${jsonTable(chunk, { who: "text", state: "text" })} AS v`;
      }
    }, TX_OPTIONS);
    // Counted only once stored: the rollup must be the sum of the stored states.
    for (const state of states.values()) builder.add(state);
    people += states.size;
    onProgress({ peopleDone, peopleTotal, phase: "counting" });
  };

  const merged = await prisma.person.findMany({ where: { mergedIntoId: { not: null } }, select: { id: true, mergedIntoId: true } });
  const withDuplicates = new Set<string>();
  for (const m of merged) if (m.mergedIntoId) withDuplicates.add(m.mergedIntoId);
  const duplicates = new Set(merged.map((m) => m.id));
  await keep(await loadStates(prisma, [...withDuplicates]));

  let after = "";
  for (let step = 1; ; step += 1) {
    const edge = await prisma.certification.findFirst({
      where: { personId: { gt: after } }, orderBy: { personId: "asc" }, skip: rebuildStep - 1, select: { personId: true },
    });
    const range = { gt: after, ...(edge ? { lte: edge.personId } : {}) };
    const [records, affiliations, certs] = await Promise.all([
      prisma.person.findMany({ where: { id: range }, select: { id: true, kind: true, mergedIntoId: true } }),
      prisma.affiliation.findMany({ where: { personId: range }, select: { personId: true, schoolYear: true, schoolId: true, school: { select: { regionId: true } } } }),
      prisma.certification.findMany({ where: { personId: range }, select: { personId: true, programId: true, issuedOn: true, expiresOn: true, revokedAt: true } }),
    ]);
    const holdersHere = new Set(certs.map((c) => c.personId));
    const whos = new Set<string>();
    for (const id of holdersHere) if (!duplicates.has(id) && !withDuplicates.has(id)) whos.add(id);
    peopleDone += holdersHere.size;
    await keep(statesOf(
      whos,
      records.filter((r) => whos.has(r.id)),
      affiliations.filter((a) => whos.has(a.personId)).map((a) => ({ personId: a.personId, schoolYear: a.schoolYear, schoolId: a.schoolId, regionId: a.school.regionId })),
      certs.filter((c) => whos.has(c.personId)),
    ));
    if (betweenSteps) await betweenSteps(step);
    await yieldToRequests();
    if (!edge) break;
    after = edge.personId;
  }

  onProgress({ peopleDone, peopleTotal, phase: "saving" });
  let rows = 0;
  let chunk: RollupRow[] = [];
  const save = async (last: boolean) => {
    await prisma.$transaction(async (tx) => {
      await recordStep(tx, runId, { peopleDone });
      if (chunk.length > 0) await insertRows(tx, chunk);
      if (last) await finishRebuild(tx, runId);
    }, TX_OPTIONS);
    rows += chunk.length;
    chunk = [];
    if (!last) onProgress({ peopleDone, peopleTotal, phase: "saving", rowsSaved: rows });
    await yieldToRequests();
  };
  for (const row of builder.rows()) {
    chunk.push(row);
    if (chunk.length === ROLLUP_ROWS_PER_SAVE) await save(false);
  }
  await save(true);
  onProgress({ peopleDone, peopleTotal, phase: "done" });
  return { people, rows };
}

async function insertRows(tx: Tx, rows: RollupRow[]): Promise<void> {
  const values = rows.map((r) => {
    const row: Record<string, string | number> = { schoolYear: r.schoolYear, programId: r.programId, level: r.level, scopeId: r.scopeId, day: r.day };
    ROLLUP_COLUMNS.forEach((c, i) => (row[c] = r.counts[i]));
    return row;
  });
  const fields = Prisma.raw(["schoolYear", "programId", "level", "scopeId", "day", ...ROLLUP_COLUMNS].map((c) => `v."${c}"`).join(", "));
  await tx.$executeRaw`INSERT INTO "ReachRollup" ("schoolYear", "programId", "level", "scopeId", "day", ${COLS}) SELECT ${fields} FROM ${jsonTable(values, ROW_COLUMNS)} AS v`;
}
