/**
 * What `npm start` (scripts/setup.ts) and `npm run seed` (scripts/seed.ts) share: find the database
 * (a SQLite file or a PostgreSQL server), prepare its folder and the session secret, migrate, seed, and
 * print the demo logins.
 *
 * App modules are imported lazily (inside the functions) on purpose: importing ~/db.server parses
 * the environment, and in production that needs the session secret this module writes first.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { engineOf, redactUrl } from "../../app/db/engine";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export type DatabaseLocation =
  | { engine: "sqlite"; url: string; file: string; dir: string }
  | { engine: "postgresql"; url: string };

/**
 * The database behind DATABASE_URL: a SQLite file (relative paths are relative to the working directory,
 * as in the app) or a PostgreSQL server (docs/decisions/016-postgresql.md).
 */
export function databaseLocation(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): DatabaseLocation {
  if (engineOf(url) === "postgresql") return { engine: "postgresql", url };
  // Drop connection parameters (?mode=..., ?connection_limit=...) to get the file's path.
  const file = path.resolve(url.slice("file:".length).replace(/\?.*$/, ""));
  return { engine: "sqlite", url, file, dir: path.dirname(file) };
}

/** Where the database is, for messages (never the password). */
export function describeDatabase(db: DatabaseLocation): string {
  return db.engine === "sqlite" ? db.file : redactUrl(db.url);
}

export function ensureDatabaseDir(db: DatabaseLocation) {
  if (db.engine === "sqlite") fs.mkdirSync(db.dir, { recursive: true });
}

/**
 * SQLite only: writes a random session secret beside the database unless one is there; app/env.server.ts
 * reads it when SESSION_SECRET is not set. Never overwritten: that would sign everyone out. On PostgreSQL
 * every app instance must share one secret, so it comes from SESSION_SECRET.
 */
export function ensureSessionSecret(db: DatabaseLocation): "created" | "kept" | "from-environment" {
  if (db.engine !== "sqlite") {
    if (!process.env.SESSION_SECRET) {
      throw new Error("SESSION_SECRET must be set on PostgreSQL (the same value for every app instance), e.g. SESSION_SECRET=$(openssl rand -base64 32)");
    }
    return "from-environment";
  }
  const file = path.join(db.dir, "session-secret");
  if (fs.existsSync(file)) return "kept";
  fs.writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  return "created";
}

/** Removes the SQLite database file and its side files (journal, WAL, shared memory). */
export function deleteDatabaseFiles(db: DatabaseLocation & { engine: "sqlite" }) {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(`${db.file}${suffix}`, { force: true });
}

/** Applies the committed migrations (of the URL's engine) with the project's Prisma CLI; throws when it fails. */
export function migrateDeploy(db: DatabaseLocation) {
  const cli = path.join(PROJECT_ROOT, "node_modules/prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "migrate", "deploy"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: "inherit",
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed (exit code ${result.status})`);
}

/**
 * The committed migrations this database has not applied. On PostgreSQL migrations are a release step
 * (`npm run db:deploy`, once per release), never run by each instance's start: the start checks instead.
 */
export async function pendingMigrations(db: DatabaseLocation): Promise<string[]> {
  const folder = path.join(PROJECT_ROOT, db.engine === "sqlite" ? "prisma/migrations" : "prisma/postgresql/migrations");
  const committed = fs.readdirSync(folder).filter((name) => fs.existsSync(path.join(folder, name, "migration.sql"))).sort();
  const prisma = await openDatabase(db);
  try {
    const applied = await prisma.$queryRaw<Array<{ name: string }>>`
      SELECT "migration_name" AS "name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`
      .catch(() => []);
    const done = new Set(applied.map((row) => row.name));
    return committed.filter((name) => !done.has(name));
  } finally {
    await prisma.$disconnect();
  }
}

async function openDatabase(db: DatabaseLocation) {
  // Make the app's singleton (used by hashPassword's module) point at the same file as ours.
  process.env.DATABASE_URL = db.url;
  const { createPrismaClient } = await import("~/db.server");
  return createPrismaClient(db.url);
}

export type SeedOutcome = "seeded" | "already-has-data";

/**
 * Loads the demo district when the database has neither schools nor users. A database with any
 * of them is somebody's data and is never touched.
 */
export async function seedIfEmpty(db: DatabaseLocation): Promise<SeedOutcome> {
  const prisma = await openDatabase(db);
  try {
    const [schools, users] = await Promise.all([prisma.school.count(), prisma.user.count()]);
    if (schools > 0 || users > 0) return "already-has-data";
    const { seedDemoDistrict } = await import("../../prisma/seed/demo-district");
    await seedDemoDistrict(prisma, { log: (message) => console.log(message), timeZone: process.env.DISTRICT_TIME_ZONE });
    // Reach figures come from a rollup (docs/decisions/005-reach-rollups.md): build it now rather
    // than on the first dashboard visit.
    const started = Date.now();
    const { rebuildReachRollups } = await import("~/models/reach-rollup.server");
    const app = await import("~/db.server");
    await rebuildReachRollups();
    await app.prisma.$disconnect();
    console.log(`Built the reach rollup in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return "seeded";
  } finally {
    await prisma.$disconnect();
  }
}

/** Whether the demo logins exist in this database (they do not in a real district's). */
export async function hasDemoLogins(db: DatabaseLocation): Promise<boolean> {
  const prisma = await openDatabase(db);
  try {
    const { DEMO_LOGINS } = await import("../../prisma/seed/demo-district");
    const found = await prisma.user.count({ where: { email: { in: DEMO_LOGINS.map((l) => l.email) } } });
    return found > 0;
  } finally {
    await prisma.$disconnect();
  }
}

const ROLE_LABELS: Record<string, string> = {
  ADMIN: "Administrator",
  PROGRAM_LEAD: "Program lead",
  TRAINER: "Trainer",
  COORDINATOR: "School coordinator",
  MEMBER: "Member (teacher)",
};

/** A box with the URL, one demo login per role and the shared password. */
export async function printDemoLogins({ note }: { note?: string } = {}) {
  const { DEMO_LOGINS, DEMO_PASSWORD } = await import("../../prisma/seed/demo-district");
  const url = `http://localhost:${process.env.PORT ?? "3000"}`;
  const labelWidth = Math.max(...DEMO_LOGINS.map((l) => (ROLE_LABELS[l.role] ?? l.role).length));
  const lines = [
    `Mental Health Training Tracker: ${url}`,
    "",
    "Demo logins (one per role):",
    ...DEMO_LOGINS.map((l) => `  ${(ROLE_LABELS[l.role] ?? l.role).padEnd(labelWidth)}  ${l.email}`),
    "",
    `Password for every demo login: ${DEMO_PASSWORD}`,
    "",
    "Anyone in the directory with an email can also sign in by a one-time link:",
    `  ${url}/login/email (without SMTP_URL, the message waits in the admin's outbox)`,
    ...(note ? ["", note] : []),
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const border = "─".repeat(width + 2);
  console.log(`\n┌${border}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join("\n")}\n└${border}┘\n`);
}
