/**
 * A bench data set's fingerprint: a hash of what decides its contents — the generator's source files
 * (its module and every module of this repository it imports, followed transitively, including a worker's
 * entry named by `new URL("./x.ts", import.meta.url)`), prisma/schema.prisma and every file under
 * prisma/migrations. Stored with the data set; a data set whose fingerprint differs is rebuilt, so no
 * figure comes from data built by other code or another schema.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Fingerprint = {
  /** One hash over everything below. */
  hash: string;
  /** Repository-relative path → sha256 of its contents. */
  files: Record<string, string>;
};

const SPECIFIERS = [
  /\bfrom\s+["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  /\bimport\s+["']([^"']+)["']/g,
  /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
];
const EXTENSIONS = ["", ".ts", ".tsx", ".js", "/index.ts", "/index.tsx"];

function resolveLocal(specifier: string, fromFile: string, root: string): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = path.join(root, "app", specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return null; // a package: its version is not this repository's source
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The entry files and every repository module they import, transitively (absolute paths). */
export function sourceClosure(entries: string[], root = process.cwd()): string[] {
  const seen = new Set<string>();
  const queue = entries.map((e) => path.resolve(root, e));
  while (queue.length) {
    const file = queue.pop();
    if (!file || seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|tsx|js|mjs)$/.test(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const pattern of SPECIFIERS) {
      for (const match of text.matchAll(pattern)) {
        const resolved = resolveLocal(match[1], file, root);
        if (resolved && !seen.has(resolved)) queue.push(resolved);
      }
    }
  }
  return [...seen].sort();
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * The fingerprint of a generator (its entry modules) with the schema and the migrations: SQLite's, or with
 * `engine: "postgresql"` PostgreSQL's (prisma/postgresql/).
 */
export function dataSetFingerprint(generatorEntries: string[], root = process.cwd(), { engine = "sqlite" }: { engine?: "sqlite" | "postgresql" } = {}): Fingerprint {
  const folder = engine === "sqlite" ? "prisma" : "prisma/postgresql";
  const all = [
    ...sourceClosure(generatorEntries, root),
    path.join(root, folder, "schema.prisma"),
    ...filesUnder(path.join(root, folder, "migrations")),
  ];
  const files: Record<string, string> = {};
  // This module says how a data set is identified, not what it holds: changing it rebuilds nothing.
  const self = fileURLToPath(import.meta.url);
  for (const file of [...new Set(all)].sort()) if (file !== self) files[path.relative(root, file)] = sha256(fs.readFileSync(file));
  return { hash: sha256(JSON.stringify(files)), files };
}

/** Why a stored fingerprint no longer matches, in a few words for the rebuild line. */
export function fingerprintChange(stored: Fingerprint, current: Fingerprint): string {
  const names = new Set([...Object.keys(stored.files), ...Object.keys(current.files)]);
  const changed = [...names].filter((n) => stored.files[n] !== current.files[n]).sort();
  const kind = (n: string) => (n.endsWith("schema.prisma") ? "schema" : /^prisma\/(postgresql\/)?migrations/.test(n) ? "migrations" : "generator");
  const describe = (n: string) => `${n} ${!(n in stored.files) ? "added" : !(n in current.files) ? "removed" : "changed"}`;
  const kinds = [...new Set(changed.map(kind))];
  const shown = changed.slice(0, 4).map(describe).join(", ");
  return `${kinds.join(" and ")} changed (${shown}${changed.length > 4 ? `, and ${changed.length - 4} more` : ""})`;
}

export function isFingerprint(value: unknown): value is Fingerprint {
  return typeof value === "object" && value !== null && "hash" in value && typeof value.hash === "string" && "files" in value && typeof value.files === "object" && value.files !== null;
}
