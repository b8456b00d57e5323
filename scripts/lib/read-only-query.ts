/**
 * A read-only connection to the app's database for scripts and browser tests that look at data
 * outside the app (the OneRoster sample, the e2e specs picking a demo person): better-sqlite3 for a
 * `file:` URL, pg for PostgreSQL. SQL is written once, with `$1`-style parameters and quoted identifiers.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export type ReadOnlyDatabase = {
  all<T>(sql: string, params?: Array<string | number>): Promise<T[]>;
  close(): Promise<void>;
};

export async function openReadOnly(url: string): Promise<ReadOnlyDatabase> {
  if (url.startsWith("file:")) {
    const file = path.resolve(url.slice("file:".length).replace(/\?.*$/, ""));
    if (!fs.existsSync(file)) throw new Error(`No database at ${file}: run \`npm start\` (or \`npm run seed\`) first, or set DATABASE_URL.`);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    return {
      // better-sqlite3 binds `?` in order: each $n becomes one, with its value repeated where $n is.
      all: async <T>(sql: string, params: Array<string | number> = []) => {
        const ordered: Array<string | number> = [];
        const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
          ordered.push(params[Number(n) - 1]);
          return "?";
        });
        return db.prepare(text).all(...ordered) as T[];
      },
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET default_transaction_read_only = on");
  return {
    all: async <T>(sql: string, params: Array<string | number> = []) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}
