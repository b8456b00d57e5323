/**
 * Writes prisma/postgresql/schema.prisma from prisma/schema.prisma, the one source of the data
 * model (docs/decisions/016-postgresql.md). Prisma 6 holds one provider per schema, so the copy
 * differs only in its datasource provider and its client's output folder.
 *
 *   tsx scripts/postgres-schema.ts          write it
 *   tsx scripts/postgres-schema.ts --check  exit 1 when the committed copy is out of date (npm test runs this)
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = path.join(ROOT, "prisma/schema.prisma");
export const POSTGRES_SCHEMA = path.join(ROOT, "prisma/postgresql/schema.prisma");

export function postgresSchemaFrom(source: string): string {
  const replace = (text: string, pattern: RegExp, replacement: string) => {
    if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: expected to find ${pattern}`);
    return text.replace(pattern, replacement);
  };
  let schema = replace(source, /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  schema = replace(schema, /(generator client \{[^}]*output\s*=\s*)"\.\.\/app\/generated\/prisma"/, '$1"../../app/generated/prisma-postgres"');
  return `// Written by scripts/postgres-schema.ts from prisma/schema.prisma: edit that file, then run\n// \`npx tsx scripts/postgres-schema.ts\`. Only the provider and the client's output differ.\n\n${schema}`;
}

const expected = postgresSchemaFrom(fs.readFileSync(SOURCE, "utf8"));
if (process.argv.includes("--check")) {
  const actual = fs.existsSync(POSTGRES_SCHEMA) ? fs.readFileSync(POSTGRES_SCHEMA, "utf8") : "";
  if (actual !== expected) {
    console.error("prisma/postgresql/schema.prisma is out of date with prisma/schema.prisma: run `npx tsx scripts/postgres-schema.ts`.");
    process.exit(1);
  }
  console.log("prisma/postgresql/schema.prisma matches prisma/schema.prisma");
} else {
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA, expected);
  console.log(`Wrote ${path.relative(ROOT, POSTGRES_SCHEMA)}`);
}
