import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { engineOf } from "~/db/engine";
import { createDatabase, databaseUrl, dropDatabases } from "./postgres-databases";

const ROOT = path.resolve("tests/.tmp");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    dbDir: string;
    /** PostgreSQL run only: the server's maintenance URL and the run's migrated template database. */
    postgres: { adminUrl: string; template: string } | null;
  }
}

function migrate(url: string) {
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

/**
 * Migrates one template database for this run; each worker copies it instead of migrating
 * again. Every run gets its own folder (and on PostgreSQL its own database names), so runs started
 * side by side never share data. DATABASE_URL chooses the engine: unset or file: runs on SQLite;
 * postgresql://…/postgres runs on that server.
 */
export default async function setup(project: TestProject) {
  fs.mkdirSync(ROOT, { recursive: true });
  for (const entry of fs.readdirSync(ROOT)) {
    const match = /^run-(\d+)$/.exec(entry);
    if (match && !alive(Number(match[1]))) fs.rmSync(path.join(ROOT, entry), { recursive: true, force: true });
  }
  const dir = path.join(ROOT, `run-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  project.provide("dbDir", dir);

  const url = process.env.DATABASE_URL;
  if (url && engineOf(url) === "postgresql") {
    const template = `mhfa_test_${process.pid}`;
    await dropDatabases(url, template);
    await createDatabase(url, template);
    migrate(databaseUrl(url, template));
    project.provide("postgres", { adminUrl: url, template });
    return async () => {
      await dropDatabases(url, template);
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }

  migrate(`file:${path.join(dir, "template.db")}`);
  project.provide("postgres", null);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
