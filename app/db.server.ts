import { AsyncLocalStorage } from "node:async_hooks";
import { sqliteAdapter } from "~/db/sqlite-adapter.server";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
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

/**
 * A client on its own SQLite connection (docs/decisions/006-sqlite-connections.md). While an
 * interactive transaction is open it has the connection to itself and other queries wait, so a
 * callback that used this client instead of its `tx` would wait for itself until the transaction
 * timed out. Such a call throws at once, naming the fix.
 */
export function createPrismaClient(url: string, busyTimeoutMs?: number): PrismaClient {
  const client = new PrismaClient({ adapter: sqliteAdapter(url, { busyTimeoutMs }) });
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

export const prisma: PrismaClient = (globalThis.__prisma ??= createPrismaClient(
  getEnv().DATABASE_URL,
  getEnv().SQLITE_BUSY_TIMEOUT_MS,
));
