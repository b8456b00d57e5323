/**
 * The reach rollup of a bench data set, computed in a worker thread while the main thread loads the
 * records (scripts/bench/reach-data.ts): the loader sends each person's record, affiliations and
 * certificates, exactly as it inserts them, and this worker turns them into the rows
 * rebuildReachRollups() (app/models/reach-rollup.server.ts) would write, with the same pure functions
 * (app/domain/reach-rollup.ts: statesOf, RollupBuilder, encodeState). It writes them to a side SQLite
 * file; the loader copies them in once its indexes are built.
 *
 * scripts/bench/reach-rollup-verify.ts checks the result equals rebuildReachRollups() on the data read
 * back from the bench file.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import {
  COLUMN_COUNT, encodeState, RollupBuilder, statesOf,
  type AffiliationRow, type CertificationRow, type PersonRecordRow,
} from "~/domain/reach-rollup";
import { SIDE_TABLES, type FeedBatch, type WorkerIn, type WorkerOut } from "./reach-rollup-feed";

const ROWS_PER_INSERT = 32;

function run() {
  const port = parentPort;
  if (!port) throw new Error("reach-rollup-worker runs as a worker thread");
  const { sideFile, totalPeople } = workerData as { sideFile: string; totalPeople: number };
  const started = Date.now();
  const side = new Database(sideFile);
  side.pragma("journal_mode = OFF");
  side.pragma("synchronous = OFF");
  // Plain tables, no keys: the loader's INSERT … SELECT into the real tables checks them.
  side.exec(`CREATE TABLE "${SIDE_TABLES.states}" ("who" TEXT, "state" TEXT)`);
  side.exec(`CREATE TABLE "${SIDE_TABLES.rows}" (${SIDE_TABLES.rowColumns.map((c) => `"${c}"`).join(", ")})`);
  side.exec("BEGIN");
  const many = (table: string, width: number) => {
    const tuple = `(${new Array(width).fill("?").join(", ")})`;
    const one = side.prepare(`INSERT INTO "${table}" VALUES ${tuple}`);
    const batch = side.prepare(`INSERT INTO "${table}" VALUES ${new Array(ROWS_PER_INSERT).fill(tuple).join(", ")}`);
    const pending: unknown[] = [];
    return {
      push(...values: unknown[]) {
        for (const v of values) pending.push(v);
        if (pending.length === ROWS_PER_INSERT * width) {
          batch.run(pending);
          pending.length = 0;
        }
      },
      flush() {
        for (let i = 0; i < pending.length; i += width) one.run(pending.slice(i, i + width));
        pending.length = 0;
      },
    };
  };
  const stateRows = many(SIDE_TABLES.states, 2);
  const rollupRows = many(SIDE_TABLES.rows, SIDE_TABLES.rowColumns.length);
  const builder = new RollupBuilder();
  let states = 0;
  let people = 0;

  const onBatch = (batch: FeedBatch) => {
    const records: PersonRecordRow[] = batch.people.map((id, i) => ({ id, kind: batch.kinds[i], mergedIntoId: null }));
    const affiliations: AffiliationRow[] = [];
    for (let i = 0; i < batch.affiliations.length; i += 4) {
      const a = batch.affiliations;
      affiliations.push({ personId: String(a[i]), schoolYear: Number(a[i + 1]), schoolId: String(a[i + 2]), regionId: String(a[i + 3]) });
    }
    const certifications: CertificationRow[] = [];
    for (let i = 0; i < batch.certifications.length; i += 4) {
      const c = batch.certifications;
      certifications.push({ personId: String(c[i]), programId: String(c[i + 1]), issuedOn: String(c[i + 2]), expiresOn: c[i + 3] });
    }
    for (const [who, state] of statesOf(batch.people, records, affiliations, certifications)) {
      builder.add(state);
      stateRows.push(who, encodeState(state));
      states += 1;
    }
    people += batch.people.length;
    port.postMessage({ type: "progress", phase: "people", done: people, total: totalPeople } satisfies WorkerOut);
  };

  const onFinish = () => {
    const finishing = Date.now();
    stateRows.flush();
    let rows = 0;
    let keys = 0;
    let lastKey = "";
    for (const row of builder.rows()) {
      const key = `${row.schoolYear}|${row.programId}|${row.level}|${row.scopeId}`;
      if (key !== lastKey) {
        lastKey = key;
        keys += 1;
        if (keys % 1000 === 0) port.postMessage({ type: "progress", phase: "rows", done: keys, total: builder.keyCount } satisfies WorkerOut);
      }
      rollupRows.push(row.schoolYear, row.programId, row.level, row.scopeId, row.day);
      for (let c = 0; c < COLUMN_COUNT; c += 1) rollupRows.push(row.counts[c]);
      rows += 1;
    }
    rollupRows.flush();
    side.exec("COMMIT");
    side.close();
    port.postMessage({ type: "progress", phase: "rows", done: builder.keyCount, total: builder.keyCount } satisfies WorkerOut);
    port.postMessage({ type: "done", states, keys: builder.keyCount, rows, seconds: (Date.now() - started) / 1000, rowsSeconds: (Date.now() - finishing) / 1000 } satisfies WorkerOut);
  };

  port.on("message", (message: WorkerIn) => {
    try {
      if (message.type === "batch") onBatch(message.batch);
      else onFinish();
    } catch (error) {
      port.postMessage({ type: "failed", message: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerOut);
    }
  });
}

run();
