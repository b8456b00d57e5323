/**
 * A local PostgreSQL server for tests and for trying the app on PostgreSQL (README):
 *   tsx scripts/postgres-server.ts start [--dir D] [--port P]   prints its DATABASE_URL
 *   tsx scripts/postgres-server.ts stop [--dir D]
 * Defaults: /tmp/mhfa-postgres-<port>, port 55432.
 */
import { startLocalPostgres, stopLocalPostgres } from "./lib/postgres-server";

const [command, ...rest] = process.argv.slice(2);
const flag = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const port = Number(flag("port") ?? 55432);
const dir = flag("dir") ?? `/tmp/mhfa-postgres-${port}`;

if (command === "start") {
  const server = startLocalPostgres({ dir, port });
  console.log(server.url);
} else if (command === "stop") {
  stopLocalPostgres(dir);
} else {
  console.error("usage: tsx scripts/postgres-server.ts start|stop [--dir D] [--port P]");
  process.exit(2);
}
