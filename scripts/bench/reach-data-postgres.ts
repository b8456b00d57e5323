/**
 * A bench data set in PostgreSQL: the same generator as the SQLite sets (reach-data.ts, `generate`), the same
 * rows, written as COPY text files (bench/.data/copy-<name>/) and copied in with COPY FROM STDIN. As on SQLite:
 * the migration's secondary indexes are dropped during the load and built again after it; foreign keys and
 * the reach triggers do not fire during the load (session_replication_role = replica: the generator's rows are
 * consistent by construction, and the rollup is built by the worker, reach-rollup-worker.ts, exactly as
 * rebuildReachRollups() would). Then VACUUM ANALYZE, as a DBA does after a bulk load (autovacuum would get there
 * on its own, later).
 *
 * The data set is a database of its own on the bench's server, `bench_reach_<name>`, with its fingerprint
 * (fingerprint.ts: this generator, PostgreSQL's schema and migrations) in "_ReachBenchMeta", written once the
 * load finished; a database whose fingerprint differs is built again.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable, Transform } from "node:stream";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { dataSetFingerprint, fingerprintChange, isFingerprint, type Fingerprint } from "./fingerprint";
import { BENCH_DATA_DIR } from "./database";
import { generate, progressBar, type Counts, type DataSpec, type RowSink, type TableSpec } from "./reach-data";
import { SIDE_TABLES, startRollupFeed } from "./reach-rollup-feed";

/** 1: the first PostgreSQL loader. Changes to the code, schema or migrations need no bump: the fingerprint catches them. */
const SPEC_VERSION = 1;
const GENERATOR = fileURLToPath(import.meta.url);

export type PostgresDataSet = {
  /** The data set's database URL. */
  url: string;
  built: boolean;
  loadSeconds: number | null;
  counts: Counts;
  /** Each phase of the build, in seconds (null when the database was reused). */
  phases: Record<string, number> | null;
};

/** The same server as `serverUrl`, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

type StoredMeta = { signature: string; fingerprint: Fingerprint | null; counts: Counts };

async function readStoredMeta(serverUrl: string, database: string): Promise<StoredMeta | "missing" | "unfinished"> {
  const exists = await withClient(serverUrl, (c) => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]));
  if (exists.rowCount === 0) return "missing";
  return withClient(databaseUrl(serverUrl, database), async (c) => {
    const table = await c.query(`SELECT to_regclass('"_ReachBenchMeta"') AS t`);
    if (!table.rows[0]?.t) return "unfinished";
    const { rows } = await c.query<{ key: string; value: string }>(`SELECT "key", "value" FROM "_ReachBenchMeta"`);
    const get = (key: string) => rows.find((r) => r.key === key)?.value;
    const [signature, fingerprint, counts] = [get("signature"), get("fingerprint"), get("counts")];
    if (!signature || !counts) return "unfinished";
    const parsed: unknown = fingerprint ? JSON.parse(fingerprint) : null;
    return { signature, fingerprint: isFingerprint(parsed) ? parsed : null, counts: JSON.parse(counts) };
  });
}

/**
 * Builds the data set into database `bench_reach_<name>` on the server at `serverUrl` (a superuser's URL), or
 * reuses it when it was built from the same spec with the same fingerprint. A line on stderr says which, and why.
 */
export async function ensureReachDataPostgres(spec: DataSpec, serverUrl: string, { rebuild = false, asIs = false } = {}): Promise<PostgresDataSet> {
  const database = `bench_reach_${spec.name}`;
  const url = databaseUrl(serverUrl, database);
  const fingerprint = dataSetFingerprint([GENERATOR], process.cwd(), { engine: "postgresql" });
  const signature = JSON.stringify({ SPEC_VERSION, spec });
  const stored = rebuild ? null : await readStoredMeta(serverUrl, database);
  // As it is, whatever its fingerprint (working on a query against the data set already built): never for the
  // figures the README takes.
  if (asIs && stored && typeof stored === "object") {
    process.stderr.write(`${database}: used as it is (its fingerprint is not checked: not a figure for the README)\n`);
    return { url, built: false, loadSeconds: null, counts: stored.counts, phases: null };
  }
  let reason: string;
  if (rebuild) reason = "asked to rebuild";
  else if (stored === "missing") reason = "no data set yet";
  else if (stored === "unfinished" || stored === null) reason = "the data set is unfinished";
  else if (stored.signature !== signature) reason = "built from another spec or an older loader version";
  else if (!stored.fingerprint) reason = "built before fingerprints were stored";
  else if (stored.fingerprint.hash !== fingerprint.hash) reason = fingerprintChange(stored.fingerprint, fingerprint);
  else {
    process.stderr.write(`${database}: reusing the data set (fingerprint ${fingerprint.hash.slice(0, 12)} matches)\n`);
    return { url, built: false, loadSeconds: null, counts: stored.counts, phases: null };
  }
  process.stderr.write(`${database}: building the data set: ${reason}\n`);
  const started = Date.now();
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${database}"`);
  });
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  const { counts, phases } = await load(spec, url);
  await withClient(url, async (c) => {
    await c.query(`CREATE TABLE "_ReachBenchMeta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`);
    for (const [key, value] of [["signature", signature], ["fingerprint", JSON.stringify(fingerprint)], ["counts", JSON.stringify(counts)]]) {
      await c.query(`INSERT INTO "_ReachBenchMeta" ("key", "value") VALUES ($1, $2)`, [key, value]);
    }
  });
  return { url, built: true, loadSeconds: (Date.now() - started) / 1000, counts, phases };
}

/** COPY's text format: tab between columns, \N for NULL; the generator's values hold no tab, newline or backslash. */
function copyText(value: unknown): string {
  if (value == null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  return String(value);
}

const FLUSH_AT = 1 << 20;

/** Rows of one table into its COPY file, a megabyte at a time. */
function copyFileSink(file: string, spec: TableSpec): RowSink & { close(): void } {
  const fd = fs.openSync(file, "w");
  const fixed = Object.values(spec.fixed ?? {}).map(copyText);
  const tail = fixed.length ? `\t${fixed.join("\t")}\n` : "\n";
  let buffer = "";
  return {
    run(...values: unknown[]) {
      let line = copyText(values[0]);
      for (let i = 1; i < values.length; i += 1) line += `\t${copyText(values[i])}`;
      buffer += line + tail;
      if (buffer.length >= FLUSH_AT) {
        fs.writeSync(fd, buffer);
        buffer = "";
      }
    },
    flush() {
      if (buffer) fs.writeSync(fd, buffer);
      buffer = "";
    },
    close() {
      this.flush();
      fs.closeSync(fd);
    },
  };
}

const columnList = (spec: TableSpec) => [...spec.columns, ...Object.keys(spec.fixed ?? {})].map((c) => `"${c}"`).join(", ");

/** A client for the load: foreign keys and triggers off (replica role), memory for sorts and index builds. */
async function loadClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET session_replication_role = replica");
  await client.query("SET maintenance_work_mem = '1GB'");
  return client;
}

/** Streams a source (a file, or rows made on the fly) through COPY … FROM STDIN. */
async function copyInto(client: pg.Client, table: string, columns: string, source: NodeJS.ReadableStream, onBytes: (n: number) => void) {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(source, counter, client.query(copyFrom(`COPY "${table}" (${columns}) FROM STDIN`)));
}

async function load(spec: DataSpec, url: string): Promise<{ counts: Counts; phases: Record<string, number> }> {
  const phases: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string) => {
    phases[name] = (Date.now() - mark) / 1000;
    mark = Date.now();
  };
  const dir = path.join(BENCH_DATA_DIR, `copy-${spec.name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const feed = startRollupFeed(path.join(dir, "rollup.db"), spec.staff + spec.students + spec.community);
  const client = await loadClient(url);
  const second = await loadClient(url);
  try {
    // The migration's secondary indexes: dropped now, built again after the load (primary keys stay: the
    // generator makes keys in ascending order, so they are appended to).
    const { rows: indexes } = await client.query<{ name: string; def: string }>(`
      SELECT c2.relname AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i
      JOIN pg_class c2 ON c2.oid = i.indexrelid
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY c.relname, c2.relname`);
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);

    // The records, into COPY files; the worker computes the rollup from them meanwhile.
    const files = new Map<string, { spec: TableSpec; file: string; sink: ReturnType<typeof copyFileSink> }>();
    const counts = generate(spec, feed, (table) => {
      const file = path.join(dir, `${table.table}.copy`);
      const sink = copyFileSink(file, table);
      files.set(table.table, { spec: table, file, sink });
      return sink;
    });
    for (const f of files.values()) f.sink.close();
    phase("generate");

    // COPY, two tables at a time (the largest first), on two connections.
    const queue = [...files.values()].sort((a, b) => fs.statSync(b.file).size - fs.statSync(a.file).size);
    const totalBytes = queue.reduce((sum, f) => sum + fs.statSync(f.file).size, 0);
    const bar = progressBar(`copy ${spec.name}`, totalBytes);
    let copied = 0;
    const tick = (n: number) => bar.tick((copied += n));
    const worker = async (c: pg.Client) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await copyInto(c, next.spec.table, columnList(next.spec), fs.createReadStream(next.file, { highWaterMark: FLUSH_AT }), tick);
        fs.rmSync(next.file);
      }
    };
    await Promise.all([worker(client), worker(second)]);
    bar.done();
    phase("copy");

    // The rollup: wait for the worker, then copy its side file's rows in (its rows come in primary-key order).
    const rollup = await feed.done(progressBar);
    phase("rollup (worker, after the load)");
    const side = new Database(feed.sideFile, { readonly: true });
    try {
      const total = rollup.states + rollup.rows;
      const rbar = progressBar(`rollup copy ${spec.name}`, total);
      let done = 0;
      const fromSide = (sql: string) =>
        async function* () {
          let chunk = "";
          for (const row of side.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
            chunk += `${row.map(copyText).join("\t")}\n`;
            done += 1;
            if (chunk.length >= FLUSH_AT) {
              rbar.tick(done);
              yield chunk;
              chunk = "";
            }
          }
          if (chunk) yield chunk;
        };
      const cols = SIDE_TABLES.rowColumns.map((c) => `"${c}"`).join(", ");
      await client.query(`DELETE FROM "ReachDirty"`);
      await copyInto(client, "ReachPersonState", `"who", "state"`, Readable.from(fromSide(`SELECT "who", "state" FROM "${SIDE_TABLES.states}"`)()), () => {});
      await copyInto(client, "ReachRollup", cols, Readable.from(fromSide(`SELECT ${cols} FROM "${SIDE_TABLES.rows}"`)()), () => {});
      rbar.tick(total);
      rbar.done();
      counts.personStates = rollup.states;
      counts.rollupRows = rollup.rows;
    } finally {
      side.close();
    }
    phase("rollup copy");

    // The indexes again, two at a time.
    const ibar = progressBar(`indexes ${spec.name}`, indexes.length);
    const pending = [...indexes];
    let built = 0;
    const builder = async (c: pg.Client) => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        await c.query(next.def);
        ibar.tick((built += 1));
      }
    };
    await Promise.all([builder(client), builder(second)]);
    ibar.done();
    phase("indexes");

    process.stderr.write(`${spec.name}: VACUUM ANALYZE\n`);
    await client.query("VACUUM ANALYZE");
    phase("vacuum analyze");
    return { counts, phases };
  } finally {
    feed.stop();
    await client.end();
    await second.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
