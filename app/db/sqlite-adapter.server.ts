/**
 * The SQLite connection the app and the Prisma CLI use (docs/decisions/006-sqlite-connections.md).
 *
 * Prisma's better-sqlite3 adapter runs every query of the process on one connection. It holds
 * transactions back from each other, but not plain queries: a request that ran while another's
 * interactive transaction was open read its uncommitted rows, and its writes were rolled back
 * with it. This wraps the adapter so that:
 * - a transaction owns the connection from BEGIN to COMMIT/ROLLBACK; every other query waits;
 * - transactions begin with BEGIN IMMEDIATE, taking the write lock up front, so a transaction that
 *   reads before it writes waits for another process's writer (busy_timeout) instead of failing;
 * - the connection runs in WAL mode (readers and one writer at once, across processes) with an
 *   explicit busy timeout and foreign keys on;
 * - a statement or BEGIN that still meets "database is locked" is retried a few times.
 * Nothing here imports the app (`~/…`): prisma.config.ts loads it too.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import {
  type ConnectionInfo,
  DriverAdapterError,
  isDriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import { Mutex } from "async-mutex";

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export type SqliteOptions = {
  /** How long a statement waits for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Further tries after a busy error that got past busy_timeout (e.g. a WAL snapshot conflict). */
  busyRetries?: number;
};

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** SQLITE_BUSY and its extended codes, as the adapter reports them (mapped or raw). */
export function isBusyError(error: unknown): boolean {
  if (isDriverAdapterError(error)) {
    const cause = error.cause;
    return cause.kind === "SocketTimeout" || (cause.originalCode ?? "").startsWith("SQLITE_BUSY");
  }
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : "";
    return code.startsWith("SQLITE_BUSY") || /database is locked/i.test(error.message);
  }
  return false;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again after a short, growing, jittered pause while it fails with a busy error. */
async function retryBusy<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= retries || !isBusyError(error)) throw error;
      await pause(25 * 2 ** tries + Math.random() * 25);
    }
  }
}

/** A transaction that holds the connection's gate until COMMIT or ROLLBACK has run. */
class GatedTransaction implements Transaction {
  readonly provider = "sqlite";
  readonly adapterName: string;
  // Prisma sends COMMIT/ROLLBACK itself, then calls commit()/rollback().
  readonly options = { usePhantomQuery: false };
  #open = true;

  constructor(
    private readonly connection: SqlDriverAdapter,
    private readonly release: () => void,
  ) {
    this.adapterName = connection.adapterName;
  }

  #check() {
    if (!this.#open) throw new Error("This transaction has already ended; its queries can no longer run.");
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    this.#check();
    return this.connection.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    this.#check();
    if (!/^\s*(COMMIT|ROLLBACK)\b/i.test(query.sql)) return this.connection.executeRaw(query);
    try {
      return await this.connection.executeRaw(query);
    } catch (error) {
      // Prisma calls commit()/rollback() only after its COMMIT/ROLLBACK succeeded; if that failed,
      // end the transaction here, or the gate would stay shut and every later query would hang.
      await this.connection.executeRaw(statement("ROLLBACK")).catch(() => undefined);
      this.#end();
      throw error;
    }
  }

  #end() {
    if (!this.#open) return;
    this.#open = false;
    this.release();
  }

  async commit() {
    this.#end();
  }

  async rollback() {
    this.#end();
  }
}

/** One connection; a transaction has it to itself until it ends. */
class GatedConnection implements SqlDriverAdapter {
  readonly provider = "sqlite";
  readonly adapterName: string;
  readonly #gate = new Mutex();
  readonly getConnectionInfo?: () => ConnectionInfo;

  constructor(
    private readonly connection: SqlDriverAdapter,
    private readonly retries: number,
  ) {
    this.adapterName = connection.adapterName;
    // Present only when the adapter has it: Prisma treats "absent" as its defaults.
    this.getConnectionInfo = connection.getConnectionInfo?.bind(connection);
  }

  // A plain statement runs alone (autocommit), so a busy failure changed nothing: retry is safe.
  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    return retryBusy(this.retries, () => this.#gate.runExclusive(run));
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#exclusive(() => this.connection.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#exclusive(() => this.connection.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#exclusive(() => this.connection.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; the adapter refuses any other level too.
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    }
    // Between tries the gate is open, so other requests' queries run while another process writes.
    return retryBusy(this.retries, async () => {
      const release = await this.#gate.acquire();
      try {
        await this.connection.executeRaw(statement("BEGIN IMMEDIATE"));
      } catch (error) {
        release();
        throw error;
      }
      return new GatedTransaction(this.connection, release);
    });
  }

  dispose(): Promise<void> {
    return this.connection.dispose();
  }
}

/**
 * Rows ANALYZE reads per index when it refreshes the planner's statistics. Whole tables took 10 s on a
 * district's database (1.4 M certificates) at first start; a sample of this size takes milliseconds
 * and gives the planner the shape it needs (which index narrows a search more).
 */
export const ANALYSIS_LIMIT = 1000;

/**
 * Brings the query planner's statistics up to date (SQLite's `PRAGMA optimize`; 0x10000: every table, not
 * only those this connection has read): tables never analyzed, or grown or shrunk a lot since, are
 * analyzed again; otherwise it does nothing and returns at once. Run when a connection opens and after a
 * large import. The queries whose one good plan SQLite misses once statistics exist (a column that is
 * nearly always NULL looks selective to it) name their index (indexedBy, app/db/dialect.server.ts); the
 * pages bench runs with statistics, as the app does.
 */
export const OPTIMIZE_STATISTICS = [`PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`, "PRAGMA optimize = 0x10002"] as const;

async function configure(connection: SqlDriverAdapter, busyTimeoutMs: number): Promise<void> {
  // busy_timeout first, so switching to WAL waits for another process instead of failing.
  await connection.executeScript(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  await connection.executeScript("PRAGMA journal_mode = WAL");
  await connection.executeScript("PRAGMA foreign_keys = ON");
  // A 64 MiB page cache per connection instead of SQLite's 2 MiB: at district scale (a 2.4 GB file) a
  // people list or a reminder pass reads the same index pages again and again, and with 2 MiB each read
  // went back to the operating system (half of a region list's time was spent in read calls).
  await connection.executeScript(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
  for (const pragma of OPTIMIZE_STATISTICS) await connection.executeScript(pragma);
}

/** The page cache of each connection, in KiB (PRAGMA cache_size takes a negative number as KiB). */
export const PAGE_CACHE_KIB = 65_536;

/** A driver adapter factory for a SQLite file URL (`file:./data/app.db`); see the module comment. */
export function sqliteAdapter(url: string, options: SqliteOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const retries = options.busyRetries ?? 3;
  // better-sqlite3's own `timeout` is its busy timeout; set to match the PRAGMA.
  const inner = new PrismaBetterSQLite3({ url, timeout: busyTimeoutMs });
  const open = async (connect: () => Promise<SqlDriverAdapter>) => {
    const connection = await connect();
    await configure(connection, busyTimeoutMs);
    return new GatedConnection(connection, retries);
  };
  return {
    provider: "sqlite",
    adapterName: inner.adapterName,
    connect: () => open(() => inner.connect()),
    connectToShadowDb: () => open(() => inner.connectToShadowDb()),
  };
}
