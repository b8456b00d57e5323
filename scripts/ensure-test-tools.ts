/**
 * Makes sure the command-line tools the integration tests call exist. The certificate PDF test
 * renders the page with poppler's `pdftoppm` to read its QR code; we use Debian's package,
 * installed with apt-get when we are root, otherwise a clear message with the one command to run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

type Tool = { command: string; aptPackage: string; neededBy: string };

const TOOLS: Tool[] = [{ command: "pdftoppm", aptPackage: "poppler-utils", neededBy: "tests/integration/certificate-pdf.test.ts (QR code check)" }];

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const missing = TOOLS.filter((t) => !onPath(t.command));
for (const t of TOOLS.filter((t) => !missing.includes(t))) console.log(`${t.command}: ${onPath(t.command)}`);
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((t) => t.aptPackage))];
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = fs.existsSync("/usr/bin/apt-get");
if (!isRoot || !hasApt) {
  console.error(
    [
      `Missing test tools: ${missing.map((t) => `${t.command} (for ${t.neededBy})`).join(", ")}.`,
      hasApt
        ? `Install them with:  sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`
        : `Install ${packages.join(", ")} (poppler's command-line tools) with your system's package manager.`,
    ].join("\n"),
  );
  process.exit(1);
}

console.log(`Installing Debian's ${packages.join(", ")} for the tests...`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
const stillMissing = missing.filter((t) => !onPath(t.command));
if (install.status !== 0 || stillMissing.length > 0) {
  console.error(`Installing ${packages.join(" ")} failed; run: apt-get update && apt-get install -y ${packages.join(" ")}`);
  process.exit(1);
}
for (const t of missing) console.log(`${t.command} installed: ${onPath(t.command)}`);
