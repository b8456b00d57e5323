import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { createDatabase, databaseUrl } from "./postgres-databases";

// One real database per test worker, copied from the migrated template: a SQLite file, or on the
// PostgreSQL run a database made with CREATE DATABASE … TEMPLATE. Set before any app module loads,
// so the Prisma client opens it. Tests share it within a worker, so they create their own uniquely
// named records rather than assume an empty database.
const dir = inject("dbDir");
const postgres = inject("postgres");
const worker = `${process.env.VITEST_POOL_ID ?? "0"}_${process.pid}`;
if (postgres) {
  const name = `${postgres.template}_w${worker}`;
  if (process.env.DATABASE_URL !== databaseUrl(postgres.adminUrl, name)) {
    await createDatabase(postgres.adminUrl, name, postgres.template);
    process.env.DATABASE_URL = databaseUrl(postgres.adminUrl, name);
  }
} else {
  const file = path.join(dir, `worker-${worker}.db`);
  if (!fs.existsSync(file)) fs.copyFileSync(path.join(dir, "template.db"), file);
  process.env.DATABASE_URL = `file:${file}`;
}
process.env.SESSION_SECRET ??= "integration-test-secret-0123456789";
process.env.NODE_ENV = "test";
