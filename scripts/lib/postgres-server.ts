/**
 * A throwaway local PostgreSQL server from Debian's packages, for the PostgreSQL test run and for
 * trying the app on PostgreSQL on a laptop (README). Nothing here is used by a deployment, which
 * points DATABASE_URL at its own server.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin), if any. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const majors = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return majors.map((m) => path.join(root, m, "bin")).find((bin) => fs.existsSync(path.join(bin, "initdb")));
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a server program; as root, as the `postgres` user (the server refuses to run as root). */
function run(bin: string, program: string, args: string[]) {
  const [command, full] = isRoot() ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
  const result = spawnSync(command, full, { stdio: "pipe", encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout}`);
}

export type LocalPostgres = { url: string; dir: string; stop: () => void };

/**
 * Creates (first time) and starts a cluster in `dir` listening on 127.0.0.1:`port`; trust auth, UTF-8,
 * durability off (tests and benchmarks only), and any further server `settings` (the benchmark's memory).
 * Returns its URL for the `postgres` superuser.
 */
export function startLocalPostgres({ dir, port, settings = {} }: { dir: string; port: number; settings?: Record<string, string> }): LocalPostgres {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (isRoot()) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("chown", ["postgres:postgres", dir]);
    fs.chmodSync(dir, 0o700);
  }
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    run(bin, "initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  }
  const options = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(" ");
  run(bin, "pg_ctl", ["-D", dir, "-l", path.join(dir, "server.log"), "-w", "-o", options, "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dir,
    stop: () => run(bin, "pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]),
  };
}

/** Whether the cluster in `dir` is running (pg_ctl status). */
export function isLocalPostgresRunning(dir: string): boolean {
  const bin = findPostgresBin();
  if (!bin || !fs.existsSync(path.join(dir, "postmaster.pid"))) return false;
  try {
    run(bin, "pg_ctl", ["-D", dir, "status"]);
    return true;
  } catch {
    return false;
  }
}

/** Stops a cluster started by startLocalPostgres (no error when it is not running). */
export function stopLocalPostgres(dir: string) {
  const bin = findPostgresBin();
  if (!bin || !fs.existsSync(path.join(dir, "postmaster.pid"))) return;
  run(bin, "pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
}
