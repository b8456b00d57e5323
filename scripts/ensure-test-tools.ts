/**
 * Makes sure the programs the tests drive exist: Chromium for the browser tests (Playwright
 * cannot download its own browser here), poppler's `pdftoppm`, which renders a certificate
 * PDF so its QR code can be read, and a PostgreSQL server for the suite's second run. All come
 * from Debian's packages, installed with apt-get when we are root; otherwise a clear message with
 * the one command to run. PostgreSQL is optional off CI: without it the PostgreSQL run is skipped.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findChromium } from "../tests/e2e/chromium-path";
import { findPostgresBin } from "./lib/postgres-server";

type Tool = { name: string; find: () => string | undefined; aptPackage: string; neededBy: string; optional?: boolean };

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, command))
    .find((candidate) => {
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

const TOOLS: Tool[] = [
  { name: "chromium", find: findChromium, aptPackage: "chromium", neededBy: "the browser tests (or set CHROMIUM_PATH)" },
  { name: "pdftoppm", find: () => onPath("pdftoppm"), aptPackage: "poppler-utils", neededBy: "the certificate PDF test (QR code check)" },
  { name: "postgresql", find: findPostgresBin, aptPackage: "postgresql", neededBy: "the suite's PostgreSQL run", optional: true },
];

const missing = TOOLS.filter((t) => !t.find());
for (const t of TOOLS.filter((t) => !missing.includes(t))) console.log(`${t.name}: ${t.find()}`);
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((t) => t.aptPackage))];
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = fs.existsSync("/usr/bin/apt-get");
if ((!isRoot || !hasApt) && missing.every((t) => t.optional)) {
  console.warn(`Not installed: ${missing.map((t) => `${t.name} (for ${t.neededBy}, skipped)`).join(", ")}. Install: apt-get install -y ${packages.join(" ")}`);
  process.exit(0);
}
if (!isRoot || !hasApt) {
  console.error(
    [
      `Missing test tools: ${missing.map((t) => `${t.name} (for ${t.neededBy})`).join(", ")}.`,
      hasApt
        ? `Install them with:  sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`
        : `Install ${packages.join(", ")} with your system's package manager.`,
    ].join("\n"),
  );
  process.exit(1);
}

console.log(`Installing Debian's ${packages.join(", ")} for the tests (about a minute)...`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
const stillMissing = TOOLS.filter((t) => !t.find());
if (install.status !== 0 || stillMissing.length) {
  console.error(`Installing failed; run: apt-get update && apt-get install -y ${packages.join(" ")}`);
  process.exit(1);
}
for (const t of TOOLS) console.log(`${t.name}: ${t.find()}`);
