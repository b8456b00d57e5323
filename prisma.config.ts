import path from "node:path";
import { defineConfig } from "prisma/config";
import { sqliteAdapter } from "./app/db/sqlite-adapter.server";

// With a config file present Prisma does not read .env, so the default lives here.
process.env.DATABASE_URL ??= "file:./data/app.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  // The app's connection settings (WAL, busy timeout), so a migration waits for a running server.
  async adapter() {
    return sqliteAdapter(process.env.DATABASE_URL ?? "file:./data/app.db");
  },
});
