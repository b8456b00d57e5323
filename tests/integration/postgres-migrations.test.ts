import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";
import { isPostgres } from "~/db/dialect.server";
import { findPostgresBin } from "../../scripts/lib/postgres-server";
import { createDatabase, databaseUrl, dropDatabases, withAdmin } from "../setup/postgres-databases";

/*
 * PostgreSQL's migrations (prisma/postgresql/migrations, kept by hand beside SQLite's) must build exactly the
 * schema that prisma/postgresql/schema.prisma describes. Prisma 6.19 cannot diff migrations against a schema
 * through the driver adapter, so: one database migrated (the run's template), one built straight from the
 * schema (`migrate diff --from-empty`), and their `pg_dump --schema-only` compared, less what the migrations add
 * by hand (the reach triggers) and Prisma's own bookkeeping table.
 */
const postgres = inject("postgres");

function schemaDump(url: string): string {
  const bin = findPostgresBin();
  if (!bin) throw new Error("pg_dump not found");
  const dump = execFileSync(path.join(bin, "pg_dump"), ["--schema-only", "--no-owner", "--no-privileges", "--no-comments", url], { encoding: "utf8" });
  // Statements, without comments, blank lines, psql meta-commands and session settings; the hand-written reach
  // trigger functions and triggers and Prisma's migration table go (they are not in the data model).
  return dump
    .replace(/CREATE FUNCTION [\s\S]*?\$\$;\n/g, "")
    .split(/;\n/)
    .map((statement) => statement.split("\n").filter((line) => !line.startsWith("--") && !line.startsWith("\\") && line.trim() !== "").join("\n").trim())
    .filter((statement) => statement && !/^(SET|SELECT pg_catalog\.set_config)\b/.test(statement))
    .filter((statement) => !/_prisma_migrations|reach_dirty|"?ReachDirty_(Certification|Affiliation|Person|School_region)"? /.test(statement))
    .join(";\n");
}

describe.runIf(isPostgres())("PostgreSQL migrations", () => {
  it("build the same schema as prisma/postgresql/schema.prisma", async () => {
    if (!postgres) throw new Error("no PostgreSQL test server");
    const fromSchema = `${postgres.template}_from_schema`;
    await dropDatabases(postgres.adminUrl, fromSchema);
    await createDatabase(postgres.adminUrl, fromSchema);
    try {
      const script = execFileSync(
        process.execPath,
        [path.resolve("node_modules/prisma/build/index.js"), "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/postgresql/schema.prisma", "--script"],
        { env: { ...process.env, DATABASE_URL: databaseUrl(postgres.adminUrl, fromSchema) }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      await withAdmin(databaseUrl(postgres.adminUrl, fromSchema), (client) => client.query(script));
      const migrated = schemaDump(databaseUrl(postgres.adminUrl, postgres.template));
      const expected = schemaDump(databaseUrl(postgres.adminUrl, fromSchema));
      expect(migrated.length).toBeGreaterThan(1000);
      expect(migrated).toEqual(expected);
    } finally {
      await dropDatabases(postgres.adminUrl, fromSchema);
    }
  }, 60_000);
});
