import pg from "pg";

/*
 * Test databases on a PostgreSQL server (the PostgreSQL run of the suite, scripts/test.sh): one
 * migrated template per run, and one copy of it per test worker, as the SQLite run copies a file.
 */

/** The same server and credentials as `url`, with another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE, optionally as a copy of a template; retried while another copy of the same template runs. */
export async function createDatabase(adminUrl: string, name: string, template?: string) {
  await withAdmin(adminUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
        return;
      } catch (error) {
        // 55006: the template is being accessed by other users (another worker's copy is starting).
        if ((error as { code?: string }).code !== "55006" || attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
}

/** Drops every database whose name starts with `prefix`, closing their connections first. */
export async function dropDatabases(adminUrl: string, prefix: string) {
  await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
