import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";

// One real SQLite file per test worker, copied from the migrated template. Set before any
// app module loads, so the Prisma client opens this file. Tests share it within a worker,
// so they create their own uniquely named records rather than assume an empty database.
const dir = inject("dbDir");
const file = path.join(dir, `worker-${process.env.VITEST_POOL_ID ?? "0"}-${process.pid}.db`);
if (!fs.existsSync(file)) fs.copyFileSync(path.join(dir, "template.db"), file);
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET ??= "integration-test-secret-0123456789";
process.env.NODE_ENV = "test";
