import { AsyncLocalStorage } from "node:async_hooks";
import { engineOf } from "~/db/engine";
import { postgresAdapter } from "~/db/postgres-adapter.server";
import { sqliteAdapter } from "~/db/sqlite-adapter.server";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-postgres/client";
import { getEnv } from "~/env.server";

// One client for the process; kept on globalThis so dev reloads do not open new ones.
declare global {
  var __prisma: PrismaClient | undefined;
}

/** What runs queries on the global client; each would wait for an open transaction to end. */
const QUERYING = new Set<string | symbol>([
  ...Object.values(Prisma.ModelName).map((name) => name.charAt(0).toLowerCase() + name.slice(1)),
  "$transaction", "$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe",
]);

export type ConnectionOptions = { busyTimeoutMs?: number; poolSize?: number };

/**
 * The client for DATABASE_URL's engine (docs/decisions/016-postgresql.md). Both generated clients
 * come from one data model and have the same API; the app is typed against the SQLite one.
 */
function clientFor(url: string, { busyTimeoutMs, poolSize }: ConnectionOptions): PrismaClient {
  if (engineOf(url) === "sqlite") return new PrismaClient({ adapter: sqliteAdapter(url, { busyTimeoutMs }) });
  return new PostgresPrismaClient({ adapter: postgresAdapter(url, { poolSize }) }) as unknown as PrismaClient;
}

/** Further runs of a PostgreSQL transaction that lost a deadlock or a serialisation check. */
const TRANSACTION_RETRIES = 4;

/**
 * PostgreSQL aborted the transaction because of another one, not because of anything in it: a deadlock
 * (40P01; writers that queue two people for the reach rollup in opposite orders can meet) or a
 * serialisation failure (40001, which Prisma reports as P2034). Running it again is the documented remedy;
 * the whole callback runs again, so callbacks keep side effects outside the database after the commit.
 */
export function isTransientConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 6; depth += 1) {
    if ("code" in e && e.code === "P2034") return true;
    if ("originalCode" in e && (e.originalCode === "40P01" || e.originalCode === "40001")) return true;
    e = "meta" in e && e.meta && typeof e.meta === "object" && "driverAdapterError" in e.meta ? e.meta.driverAdapterError : "cause" in e ? e.cause : null;
  }
  return false;
}

/**
 * A client on DATABASE_URL. On SQLite it has its own connection (docs/decisions/006-sqlite-connections.md):
 * while an interactive transaction is open it has the connection to itself and other queries wait, so a
 * callback that used this client instead of its `tx` would wait for itself until the transaction
 * timed out. On PostgreSQL the same call would run outside the transaction. Either way it throws at
 * once, naming the fix. On PostgreSQL a transaction that loses a deadlock or a serialisation check runs again.
 */
export function createPrismaClient(url: string, options: ConnectionOptions | number = {}): PrismaClient {
  const client = clientFor(url, typeof options === "number" ? { busyTimeoutMs: options } : options);
  const insideTransaction = new AsyncLocalStorage<true>();
  const retries = engineOf(url) === "postgresql" ? TRANSACTION_RETRIES : 0;
  // Marks the callback's async context; the array form runs no code of ours inside.
  async function transaction(work: unknown, ...rest: unknown[]) {
    if (typeof work !== "function") return Reflect.apply(client.$transaction, client, [work, ...rest]);
    const marked = (tx: unknown) => insideTransaction.run(true, () => work(tx));
    for (let attempt = 0; ; attempt++) {
      try {
        return await Reflect.apply(client.$transaction, client, [marked, ...rest]);
      } catch (error) {
        if (attempt >= retries || !isTransientConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 20));
      }
    }
  }
  return new Proxy(client, {
    get(target, property, receiver) {
      if (insideTransaction.getStore() && QUERYING.has(property)) {
        throw new Error(
          `prisma.${String(property)} was called inside a prisma.$transaction callback. Use the callback's ` +
            "transaction client (pass `tx` down): the global client waits for the transaction to end.",
        );
      }
      if (property === "$transaction") return transaction;
      return Reflect.get(target, property, receiver);
    },
  });
}

export const prisma: PrismaClient = (globalThis.__prisma ??= createPrismaClient(getEnv().DATABASE_URL, {
  busyTimeoutMs: getEnv().SQLITE_BUSY_TIMEOUT_MS,
  poolSize: getEnv().DATABASE_POOL_SIZE,
}));
