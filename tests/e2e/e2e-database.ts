import path from "node:path";
import { databaseUrl } from "../setup/postgres-databases";

/**
 * The browser tests' throwaway database for a port (scripts/e2e-server.ts makes it): a SQLite file under
 * tests/.tmp/e2e-<port>/, or, when DATABASE_URL names a PostgreSQL server (the suite's PostgreSQL run), the
 * database mhfa_e2e_<port> on it.
 */
export function e2eDatabaseUrl(port: string | number): string {
  const server = process.env.DATABASE_URL;
  if (server && /^postgres(ql)?:\/\//.test(server)) return databaseUrl(server, e2eDatabaseName(port));
  return `file:${path.resolve(`tests/.tmp/e2e-${port}/app.db`)}`;
}

export const e2eDatabaseName = (port: string | number) => `mhfa_e2e_${port}`;
