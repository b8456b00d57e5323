import path from "node:path";
import { defineConfig } from "prisma/config";
import { engineOf } from "./app/db/engine";
import { postgresAdapter } from "./app/db/postgres-adapter.server";
import { sqliteAdapter } from "./app/db/sqlite-adapter.server";

// With a config file present Prisma does not read .env, so the default lives here.
process.env.DATABASE_URL ??= "file:./data/app.db";
const url = process.env.DATABASE_URL;
const engine = engineOf(url);

// One data model, two providers (docs/decisions/016-postgresql.md): prisma/schema.prisma and its SQLite
// migrations; prisma/postgresql/ holds the PostgreSQL copy of the schema and that engine's own migrations.
// `--schema prisma/postgresql/schema.prisma` (postinstall's second generate) overrides the schema below.
const folder = engine === "sqlite" ? "prisma" : path.join("prisma", "postgresql");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(folder, "schema.prisma"),
  migrations: { path: path.join(folder, "migrations") },
  // The app's own connection settings: on SQLite WAL and the busy timeout, so a migration waits for a
  // running server; on PostgreSQL the pool with the adapter's workarounds.
  async adapter() {
    return engine === "sqlite" ? sqliteAdapter(url) : postgresAdapter(url, { poolSize: 2 });
  },
});
