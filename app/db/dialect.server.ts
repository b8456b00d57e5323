/**
 * The few places where hand-written SQL differs between SQLite and PostgreSQL
 * (docs/decisions/016-postgresql.md). Everything else is written once, in SQL both accept:
 * quoted identifiers ("Person"."firstName"), `INSERT … ON CONFLICT DO NOTHING`, CAST(… AS INTEGER),
 * every subquery in FROM aliased, timestamps bound as parameters rather than computed by the engine.
 */
import { engineOf, type Engine } from "~/db/engine";
import { OPTIMIZE_STATISTICS } from "~/db/sqlite-adapter.server";
import { Prisma, type PrismaClient } from "~/generated/prisma/client";

/** The engine behind the app's DATABASE_URL (scripts that open another database set it first). */
export function currentEngine(): Engine {
  return engineOf(process.env.DATABASE_URL ?? "file:./data/app.db");
}

export const isPostgres = () => currentEngine() === "postgresql";

/** A column's type in a JSON-unpacked row: what it is cast to so that it compares and inserts as the table's column. */
export type JsonColumnType = "text" | "integer" | "boolean" | "timestamp" | { enum: string };

const SQLITE_CAST: Record<"text" | "integer" | "boolean" | "timestamp", string> = {
  text: "TEXT",
  integer: "INTEGER",
  boolean: "INTEGER",
  timestamp: "TEXT",
};
const POSTGRES_CAST: Record<"text" | "integer" | "boolean" | "timestamp", string> = {
  text: "TEXT",
  integer: "INTEGER",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMP(3)",
};

/** How a Date is written inside JSON so that both engines read it as the column stores it (Prisma's SQLite format). */
function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace("Z", "+00:00") : value;
}

function castTo(type: JsonColumnType, postgres: boolean): string {
  if (typeof type === "object") return postgres ? `"${type.enum}"` : "TEXT";
  return (postgres ? POSTGRES_CAST : SQLITE_CAST)[type];
}

/**
 * Many rows as one bound value: a subquery of the objects' listed fields, each cast to its column's type.
 * One parameter however many rows (the ORM's cost is per bound value; SQLite allows 999 per statement).
 * Use it as a table: `FROM ${jsonTable(rows, { id: "text" })} AS v`.
 */
export function jsonTable<T extends Record<string, unknown>>(rows: T[], columns: { [K in keyof T]?: JsonColumnType }): Prisma.Sql {
  const postgres = isPostgres();
  const names = Object.keys(columns);
  const json = JSON.stringify(rows.map((row) => names.map((name) => jsonValue(row[name]))));
  const fields = names
    .map((name, i) => `CAST(j.value ->> ${i} AS ${castTo(columns[name] as JsonColumnType, postgres)}) AS "${name}"`)
    .join(", ");
  return postgres
    ? Prisma.sql`(SELECT ${Prisma.raw(fields)} FROM json_array_elements(CAST(${json} AS json)) AS j(value))`
    : Prisma.sql`(SELECT ${Prisma.raw(fields)} FROM json_each(${json}) AS j)`;
}

/** A list of strings as one bound value, for `column IN ${jsonList(ids)}`. */
export function jsonList(values: readonly string[]): Prisma.Sql {
  const json = JSON.stringify(values);
  return isPostgres()
    ? Prisma.sql`(SELECT j.value FROM json_array_elements_text(CAST(${json} AS json)) AS j(value))`
    : Prisma.sql`(SELECT j.value FROM json_each(${json}) AS j)`;
}

/** `column LIKE pattern`, ignoring the case of letters on both engines (SQLite's LIKE already does for ASCII). */
export function likeIgnoringCase(column: Prisma.Sql, pattern: string): Prisma.Sql {
  return isPostgres() ? Prisma.sql`${column} ILIKE ${pattern}` : Prisma.sql`${column} LIKE ${pattern}`;
}

/**
 * For Prisma's string filters (`contains`, `startsWith`, `equals`): SQLite's LIKE ignores ASCII case by
 * itself; PostgreSQL needs `mode: "insensitive"` (ILIKE). Spread it into the filter.
 */
export function ignoringCase(): Record<string, never> {
  return (isPostgres() ? { mode: "insensitive" } : {}) as Record<string, never>;
}

/** A value of a PostgreSQL enum type where the engine cannot infer it (a CASE, a VALUES list); plain text on SQLite. */
export function enumValue(value: string, enumName: string): Prisma.Sql {
  return isPostgres() ? Prisma.sql`CAST(${value} AS ${Prisma.raw(`"${enumName}"`)})` : Prisma.sql`${value}`;
}

/**
 * After a large write (a directory or roster import), brings SQLite's planner statistics up to date:
 * `PRAGMA optimize` analyzes again the tables whose size changed a lot since (app/db/sqlite-adapter.server.ts,
 * which runs it when a connection opens too). PostgreSQL's autovacuum analyzes changed tables by itself.
 */
export async function refreshPlannerStatistics(db: Pick<PrismaClient, "$queryRaw">): Promise<void> {
  if (isPostgres()) return;
  for (const pragma of OPTIMIZE_STATISTICS) await db.$queryRaw(Prisma.raw(pragma));
}

/**
 * SQLite only: the table is read through this index, whatever the planner's statistics say (nothing on
 * PostgreSQL, which has no such hint and whose statistics need none). For the few queries whose one good
 * plan SQLite misses with or without ANALYZE statistics: a list walked in an index's order, a seek on a
 * column that is almost always NULL (ANALYZE counts the NULLs as one value and the index looks useless).
 * The index must be able to serve the query, or SQLite refuses it ("no query solution"), so a test
 * running the query on SQLite catches a renamed or dropped index.
 */
export function indexedBy(index: string): Prisma.Sql {
  return isPostgres() ? Prisma.empty : Prisma.raw(`INDEXED BY "${index.replace(/"/g, "")}"`);
}

type RawQueryable = { $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Prisma.PrismaPromise<number> };

/**
 * Serialises a check-then-write across every app instance: the caller's transaction holds a lock on
 * `key` (for example `check-in:<sessionDayId>` or `session-seats:<sessionId>`) until it commits.
 * PostgreSQL: a transaction-level advisory lock (READ COMMITTED would otherwise let two transactions
 * both pass the check). SQLite: nothing to do, since every write transaction begins with BEGIN
 * IMMEDIATE and so already runs alone (docs/decisions/006-sqlite-connections.md).
 */
export async function lockForTransaction(tx: RawQueryable, key: string): Promise<void> {
  if (!isPostgres()) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
