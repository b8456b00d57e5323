import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/*
 * Prisma's PostgreSQL driver adapter (6.19.3) with two workarounds, each small and tested
 * (tests/integration/postgres-adapter.test.ts). Drop them when Prisma fixes the bugs:
 *
 * 1. prisma/orm#27403: the adapter cannot map PostgreSQL's `name` type (oid 19), which the migration
 *    engine's own catalog queries return, so `migrate deploy` fails with "Column type 'name' could not
 *    be deserialized". Our pool's clients report `name` columns as `text` (oid 25): same bytes.
 * 2. The adapter's executeScript splits a script on every `;`, which cuts PL/pgSQL function bodies in
 *    half. A migration is sent whole instead: PostgreSQL's simple query protocol runs several statements
 *    in one message, in one implicit transaction.
 */
const NAME_OID = 19;
const TEXT_OID = 25;

type Fields = { dataTypeID: number }[];

function reportNameAsText<T>(result: T): T {
  const fields = (result as { fields?: Fields } | undefined)?.fields;
  if (Array.isArray(fields)) for (const field of fields) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  return result;
}

/**
 * A pg client carrying workaround 1. It also runs a transaction's queries one after another itself: code that
 * sends several at once on one transaction (Promise.all over `tx`) would otherwise lean on pg's internal queue,
 * which pg 8 warns about and pg 9 removes.
 */
class NameAsTextClient extends pg.Client {
  private tail: Promise<unknown> = Promise.resolve();

  // pg's query has many overloads: a promise (the adapter's transactions) or a callback (the pool's query).
  query(...args: unknown[]): never {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (error: unknown, result: unknown) => void;
      args[last] = (error: unknown, result: unknown) => callback(error, error ? result : reportNameAsText(result));
      return (super.query as (...a: unknown[]) => unknown).apply(this, args) as never;
    }
    const run = () => Promise.resolve((super.query as (...a: unknown[]) => unknown).apply(this, args)).then(reportNameAsText);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result as never;
  }
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

class WholeScriptPrismaPg extends PrismaPg {
  constructor(private readonly pool: pg.Pool) {
    // $disconnect ends the pool, so no idle connection outlives its client.
    super(pool, { disposeExternalPool: true });
  }
  async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const pool = this.pool;
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}

export type PostgresOptions = {
  /** Connections this process keeps open at most (DATABASE_POOL_SIZE). */
  poolSize?: number;
};

/** A pg pool for the URL whose clients carry workaround 1. */
export function postgresPool(url: string, { poolSize = 10 }: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, Client: NameAsTextClient });
  // An idle connection the server closed (a restart, a failover, an administrator) is dropped and replaced
  // by the pool; without a listener its error would end the process.
  pool.on("error", (error) => console.error(`PostgreSQL closed an idle connection: ${error.message}`));
  return pool;
}

/** The driver adapter factory the app's client and the Prisma CLI both use for a PostgreSQL URL. */
export function postgresAdapter(url: string, options: PostgresOptions = {}): PrismaPg {
  return new WholeScriptPrismaPg(postgresPool(url, options));
}
