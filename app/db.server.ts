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

/**
 * A client on DATABASE_URL. On SQLite it has its own connection (docs/decisions/006-sqlite-connections.md):
 * while an interactive transaction is open it has the connection to itself and other queries wait, so a
 * callback that used this client instead of its `tx` would wait for itself until the transaction
 * timed out. On PostgreSQL the same call would run outside the transaction. Either way it throws at
 * once, naming the fix.
 */
export function createPrismaClient(url: string, options: ConnectionOptions | number = {}): PrismaClient {
  const client = clientFor(url, typeof options === "number" ? { busyTimeoutMs: options } : options);
  const insideTransaction = new AsyncLocalStorage<true>();
  // Marks the callback's async context; the array form runs no code of ours inside.
  function transaction(work: unknown, ...rest: unknown[]) {
    const marked = typeof work === "function" ? (tx: unknown) => insideTransaction.run(true, () => work(tx)) : work;
    return Reflect.apply(client.$transaction, client, [marked, ...rest]);
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
