/**
 * The bench data sets' fingerprint (scripts/bench/fingerprint.ts): it follows the generator's imports
 * (relative, "~/" and a worker's `new URL(…, import.meta.url)` entry) and covers the schema and the
 * migrations, so a change to any of them makes `npm run bench` rebuild the data set.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { dataSetFingerprint, fingerprintChange, sourceClosure } from "../../scripts/bench/fingerprint";

let root: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-fingerprint-"));
  write("scripts/gen.ts", `import { rule } from "~/domain/rule";\nimport { feed } from "./feed";\nexport const x = rule + feed;`);
  write("scripts/feed.ts", `const worker = new URL("./worker.ts", import.meta.url);\nexport const feed = String(worker);`);
  write("scripts/worker.ts", `import Database from "better-sqlite3";\nexport const w = Database;`);
  write("app/domain/rule.ts", `export const rule = 1;`);
  write("app/domain/unrelated.ts", `export const other = 2;`);
  write("prisma/schema.prisma", `model A { id String @id }`);
  write("prisma/migrations/1_init/migration.sql", `CREATE TABLE "A" ("id" TEXT);`);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test("the closure follows relative, ~/ and worker-entry imports, and no packages or unrelated files", () => {
  const files = sourceClosure(["scripts/gen.ts"], root).map((f) => path.relative(root, f));
  expect(files).toEqual(["app/domain/rule.ts", "scripts/feed.ts", "scripts/gen.ts", "scripts/worker.ts"]);
});

test("a change to an imported module, the schema or the migrations changes the fingerprint, and says which", () => {
  const before = dataSetFingerprint(["scripts/gen.ts"], root);
  write("app/domain/unrelated.ts", `export const other = 3;`);
  expect(dataSetFingerprint(["scripts/gen.ts"], root).hash).toBe(before.hash);

  write("scripts/worker.ts", `export const w = 2;`);
  const worker = dataSetFingerprint(["scripts/gen.ts"], root);
  expect(worker.hash).not.toBe(before.hash);
  expect(fingerprintChange(before, worker)).toBe("generator changed (scripts/worker.ts changed)");

  write("prisma/migrations/2_index/migration.sql", `CREATE INDEX "i" ON "A" ("id");`);
  const migration = dataSetFingerprint(["scripts/gen.ts"], root);
  expect(fingerprintChange(worker, migration)).toBe("migrations changed (prisma/migrations/2_index/migration.sql added)");

  write("prisma/schema.prisma", `model A { id String @id @default(cuid()) }`);
  expect(fingerprintChange(migration, dataSetFingerprint(["scripts/gen.ts"], root))).toBe("schema changed (prisma/schema.prisma changed)");
});
