/**
 * Keeps the reach rollup exact (docs/decisions/005-reach-rollups.md), on SQLite and PostgreSQL, with
 * any number of app instances. The SQL is written once for both engines: INSERT … ON CONFLICT,
 * UPDATE … FROM over key ranges, and rows sent as one JSON value (jsonTable, app/db/dialect.server.ts).
 *
 * Triggers on Certification, Affiliation, Person and School put the people a write touches in
 * ReachDirty. refreshReachRollups() — called by every reach read before it counts — takes each
 * queued person's stored state out of the rollup and puts their new state in, in one transaction.
 * A large queue (a fresh migration over existing data, a bulk import) rebuilds everything instead.
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

/**
 * Applies every queued change. Calls in one process run one after another; across processes they
 * take turns on the rollup lock. Each looks at the queue itself, so a read that starts after a write
 * always sees it.
 */
export function refreshReachRollups(): Promise<void> {
  const next = queue.then(drain, drain);
  queue = next.catch(() => undefined);
  return next;
}

async function queuedCount(db: Tx | typeof prisma): Promise<number> {
  const [pending] = await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "ReachDirty" LIMIT ${REBUILD_ABOVE + 1}) AS q`;
  return Number(pending?.n ?? 0);
}

async function drain(): Promise<void> {
  // Without the lock: an empty queue has nothing in flight (a batch empties it as it commits).
  const count = await queuedCount(prisma);
  if (count === 0) return;
  if (count > REBUILD_ABOVE) {
    // A long queue against few stored people (a fresh migration, a first seed): rebuild. A long queue
    // in a big district (a roster import) stays incremental: a rebuild would read every record.
    const [stored] = await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "ReachPersonState"`;
    if (count * 4 > Number(stored?.n ?? 0)) {
      // Another instance may have applied it meanwhile: rebuild only if it is still long.
      const rebuilt = await inRollupTransaction(async (tx) => (await queuedCount(tx)) > REBUILD_ABOVE && (await rebuild(tx), true));
      if (rebuilt) return;
    }
  }
  for (;;) {
    const more = await inRollupTransaction(refreshBatch);
    if (!more) return;
  }
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
  const certs: Array<{ personId: string; programId: string; issuedOn: Date; expiresOn: Date | null }> = [];
  for (const ids of chunksOf(records.map((r) => r.id), PARAMS_PER_QUERY)) {
    const [a, c] = await Promise.all([
      db.affiliation.findMany({ where: { personId: { in: ids } }, select: { personId: true, schoolYear: true, schoolId: true, school: { select: { regionId: true } } } }),
      db.certification.findMany({ where: { personId: { in: ids } }, select: { personId: true, programId: true, issuedOn: true, expiresOn: true } }),
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

/** Certificates read per step of a full rebuild (whole people: a step ends between two people). */
const REBUILD_STEP = 20_000;
/**
 * Rows per INSERT in a rebuild, sent as one JSON array (one bound value, jsonTable): the
 * ORM's cost is per bound value, and a rebuild at district scale writes millions of rows.
 */
const ROWS_PER_INSERT = 10_000;

/**
 * Every person's state and the whole rollup, from scratch, in one transaction. Reads the records in
 * person-id order, a range of people at a time (index range scans, no long IN lists); people with
 * merged duplicates, whose records lie elsewhere in that order, are read on their own first.
 */
export async function rebuildReachRollups(): Promise<void> {
  await inRollupTransaction(rebuild);
}

async function rebuild(tx: Tx): Promise<void> {
  // PostgreSQL: no write to the records is in flight while they are read, and none starts before the
  // rebuild commits (SHARE conflicts with INSERT, UPDATE and DELETE). SQLite: the write lock does this.
  if (isPostgres()) await tx.$executeRaw`LOCK TABLE "Person", "Certification", "Affiliation", "School" IN SHARE MODE`;
  await tx.$executeRaw`DELETE FROM "ReachDirty"`;
  await tx.$executeRaw`DELETE FROM "ReachRollup"`;
  await tx.$executeRaw`DELETE FROM "ReachPersonState"`;
  const builder = new RollupBuilder();
  const keep = async (states: Map<string, PersonState>) => {
    for (const state of states.values()) builder.add(state);
    const rows = [...states].map(([who, state]) => ({ who, state: encodeState(state) }));
    for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
      await tx.$executeRaw`INSERT INTO "ReachPersonState" ("who", "state") SELECT v."who", v."state" FROM ${jsonTable(chunk, { who: "text", state: "text" })} AS v`;
    }
  };

  const merged = await tx.person.findMany({ where: { mergedIntoId: { not: null } }, select: { id: true, mergedIntoId: true } });
  const withDuplicates = new Set(merged.map((m) => m.mergedIntoId as string));
  const duplicates = new Set(merged.map((m) => m.id));
  await keep(await loadStates(tx, [...withDuplicates]));

  let after = "";
  for (;;) {
    const edge = await tx.certification.findFirst({
      where: { personId: { gt: after } }, orderBy: { personId: "asc" }, skip: REBUILD_STEP - 1, select: { personId: true },
    });
    const range = { gt: after, ...(edge ? { lte: edge.personId } : {}) };
    const [records, affiliations, certs] = await Promise.all([
      tx.person.findMany({ where: { id: range }, select: { id: true, kind: true, mergedIntoId: true } }),
      tx.affiliation.findMany({ where: { personId: range }, select: { personId: true, schoolYear: true, schoolId: true, school: { select: { regionId: true } } } }),
      tx.certification.findMany({ where: { personId: range }, select: { personId: true, programId: true, issuedOn: true, expiresOn: true } }),
    ]);
    const whos = new Set<string>();
    for (const c of certs) if (!duplicates.has(c.personId) && !withDuplicates.has(c.personId)) whos.add(c.personId);
    await keep(statesOf(
      whos,
      records.filter((r) => whos.has(r.id)),
      affiliations.filter((a) => whos.has(a.personId)).map((a) => ({ personId: a.personId, schoolYear: a.schoolYear, schoolId: a.schoolId, regionId: a.school.regionId })),
      certs.filter((c) => whos.has(c.personId)),
    ));
    if (!edge) break;
    after = edge.personId;
  }
  let chunk: RollupRow[] = [];
  for (const row of builder.rows()) {
    chunk.push(row);
    if (chunk.length === ROWS_PER_INSERT) {
      await insertRows(tx, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await insertRows(tx, chunk);
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
