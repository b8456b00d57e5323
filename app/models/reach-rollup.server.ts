/**
 * Keeps the reach rollup exact (docs/decisions/005-reach-rollups.md). SQLite-specific SQL lives here
 * and in the migration's triggers: INSERT … ON CONFLICT, UPDATE … FROM over key ranges, and rows sent
 * as one JSON array unpacked by json_each (json_array_elements on PostgreSQL).
 *
 * Triggers on Certification, Affiliation, Person and School put the people a write touches in
 * ReachDirty. refreshReachRollups() — called by every reach read before it counts — takes each
 * queued person's stored state out of the rollup and puts their new state in, in one transaction.
 * A large queue (a fresh migration over existing data, a bulk import) rebuilds everything instead.
 */
import { prisma } from "~/db.server";
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

let queue: Promise<void> = Promise.resolve();

/**
 * Applies every queued change. Calls run one after another, and each looks at the queue itself, so a
 * read that starts after a write always sees it.
 */
export function refreshReachRollups(): Promise<void> {
  const next = queue.then(drain, drain);
  queue = next.catch(() => undefined);
  return next;
}

async function drain(): Promise<void> {
  const [pending] = await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "ReachDirty" LIMIT ${REBUILD_ABOVE + 1})`;
  const count = Number(pending?.n ?? 0);
  if (count === 0) return;
  if (count > REBUILD_ABOVE) {
    // A long queue against few stored people (a fresh migration, a first seed): rebuild. A long queue
    // in a big district (a roster import) stays incremental: a rebuild would read every record.
    const [stored] = await prisma.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "ReachPersonState"`;
    if (count * 4 > Number(stored?.n ?? 0)) {
      await rebuildReachRollups();
      return;
    }
  }
  for (;;) {
    const more = await prisma.$transaction((tx) => refreshBatch(tx), TX_OPTIONS);
    if (!more) return;
  }
}

async function refreshBatch(tx: Tx): Promise<boolean> {
  const dirty = (await tx.$queryRaw<Array<{ personId: string }>>`SELECT "personId" FROM "ReachDirty" LIMIT ${BATCH}`).map((r) => r.personId);
  if (dirty.length === 0) return false;
  // The people to recompute: each queued record's current "who", and the record itself (a record
  // merged away since last time must have its old state taken out).
  const targets = await tx.person.findMany({ where: { id: { in: dirty } }, select: { id: true, mergedIntoId: true } });
  const whos = new Set(dirty);
  for (const t of targets) if (t.mergedIntoId) whos.add(t.mergedIntoId);
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
 * The changes go in as one JSON array (json_each): the ORM's cost is per bound value.
 */
async function applyDeltas(tx: Tx, deltas: RollupDeltas): Promise<void> {
  // [schoolYear, programId, level, scopeId, day, next changed day of the key, ...changes up to day]
  const steps: Array<Array<string | number>> = [];
  for (const { key, days } of deltas.values()) {
    const sorted = [...days.entries()].sort((a, b) => a[0] - b[0]);
    const running: number[] = new Array(COLUMN_COUNT).fill(0);
    sorted.forEach(([day, cols], i) => {
      for (let c = 0; c < COLUMN_COUNT; c += 1) running[c] += cols[c];
      steps.push([key.schoolYear, key.programId, key.level, key.scopeId, day, i + 1 < sorted.length ? sorted[i + 1][0] : NO_END, ...running]);
    });
  }
  if (steps.length === 0) return;
  const json = JSON.stringify(steps);
  const v = Prisma.raw(`SELECT j.value ->> 0 AS "schoolYear", j.value ->> 1 AS "programId", j.value ->> 2 AS "level", j.value ->> 3 AS "scopeId",
    j.value ->> 4 AS "day", j.value ->> 5 AS "until", ${ROLLUP_COLUMNS.map((c, i) => `j.value ->> ${6 + i} AS "d_${c}"`).join(", ")}`);
  const sameKey = (a: string, b: string) => Prisma.raw(`${a}."schoolYear" = ${b}."schoolYear" AND ${a}."programId" = ${b}."programId" AND ${a}."level" = ${b}."level" AND ${a}."scopeId" = ${b}."scopeId"`);
  await tx.$executeRaw`
    WITH v AS MATERIALIZED (${v} FROM json_each(${json}) j)
    INSERT INTO "ReachRollup" ("schoolYear", "programId", "level", "scopeId", "day", ${COLS})
    SELECT v."schoolYear", v."programId", v."level", v."scopeId", v."day", ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.raw(`COALESCE(p."${c}", 0)`)))}
    FROM v
    LEFT JOIN "ReachRollup" p ON ${sameKey("p", "v")}
      AND p."day" = (SELECT MAX(x."day") FROM "ReachRollup" x WHERE ${sameKey("x", "v")} AND x."day" < v."day")
    WHERE true
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    WITH v AS MATERIALIZED (${v} FROM json_each(${json}) j)
    UPDATE "ReachRollup" SET ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.raw(`"${c}" = "ReachRollup"."${c}" + v."d_${c}"`)))}
    FROM v
    WHERE ${sameKey(`"ReachRollup"`, "v")} AND "ReachRollup"."day" >= v."day" AND "ReachRollup"."day" < v."until"`;
}

/** Certificates read per step of a full rebuild (whole people: a step ends between two people). */
const REBUILD_STEP = 20_000;
/**
 * Rows per INSERT in a rebuild, sent as one JSON array (one bound value) and unpacked by json_each: the
 * ORM's cost is per bound value, and a rebuild at district scale writes millions of rows.
 */
const ROWS_PER_INSERT = 10_000;

/**
 * Every person's state and the whole rollup, from scratch, in one transaction. Reads the records in
 * person-id order, a range of people at a time (index range scans, no long IN lists); people with
 * merged duplicates, whose records lie elsewhere in that order, are read on their own first.
 */
export async function rebuildReachRollups(): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM "ReachDirty"`;
    await tx.$executeRaw`DELETE FROM "ReachRollup"`;
    await tx.$executeRaw`DELETE FROM "ReachPersonState"`;
    const builder = new RollupBuilder();
    const keep = async (states: Map<string, PersonState>) => {
      for (const state of states.values()) builder.add(state);
      const rows = [...states].map(([who, state]) => [who, encodeState(state)]);
      for (const chunk of chunksOf(rows, ROWS_PER_INSERT)) {
        await tx.$executeRaw`INSERT INTO "ReachPersonState" ("who", "state") SELECT j.value ->> 0, j.value ->> 1 FROM json_each(${JSON.stringify(chunk)}) j`;
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
  }, TX_OPTIONS);
}

async function insertRows(tx: Tx, rows: RollupRow[]): Promise<void> {
  const values = rows.map((r) => {
    const row: Array<string | number> = [r.schoolYear, r.programId, r.level, r.scopeId, r.day];
    for (let i = 0; i < COLUMN_COUNT; i += 1) row.push(r.counts[i]);
    return row;
  });
  const fields = Prisma.raw(["schoolYear", "programId", "level", "scopeId", "day", ...ROLLUP_COLUMNS].map((_, i) => `j.value ->> ${i}`).join(", "));
  await tx.$executeRaw`INSERT INTO "ReachRollup" ("schoolYear", "programId", "level", "scopeId", "day", ${COLS}) SELECT ${fields} FROM json_each(${JSON.stringify(values)}) j`;
}
