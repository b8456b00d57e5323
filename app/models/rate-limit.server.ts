import { prisma } from "~/db.server";

/**
 * Rate limits that hold across processes: hits are counted in the database (RateLimitCounter),
 * one row per key and fixed window, incremented by one atomic upsert. The decision uses a
 * sliding estimate — this window's count plus the previous window's, weighted by how much of
 * it still overlaps the last `windowMs` — so a burst across a window boundary gets no double
 * allowance.
 */
export type RateLimit = { limit: number; windowMs: number };
export type RateLimitVerdict = { ok: boolean; count: number; retryAfterSeconds: number };

/** Counts one hit on the key and says whether it is within the limit. */
export async function hitRateLimit(key: string, { limit, windowMs }: RateLimit, now: Date = new Date()): Promise<RateLimitVerdict> {
  const at = now.getTime();
  const windowStart = at - (at % windowMs);
  const expiresAt = windowStart + 2 * windowMs;
  // One statement: two processes hitting the same key at once both count (SQLite and PostgreSQL both support it).
  const [row] = await prisma.$queryRaw<Array<{ count: number | bigint }>>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count", "expiresAt") VALUES (${key}, ${windowStart}, 1, ${expiresAt})
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(row?.count ?? 1);
  const previous = await prisma.$queryRaw<Array<{ count: number | bigint }>>`
    SELECT "count" FROM "RateLimitCounter" WHERE "key" = ${key} AND "windowStart" = ${windowStart - windowMs}`;
  const overlap = 1 - (at - windowStart) / windowMs;
  const estimate = count + Number(previous[0]?.count ?? 0) * overlap;
  // The first hit of a window tidies away windows nobody reads any more (indexed, so cheap).
  if (count === 1) await prisma.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "expiresAt" < ${at}`;
  return { ok: estimate <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
}
