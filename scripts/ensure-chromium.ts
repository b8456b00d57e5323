/**
 * Makes sure a Chromium exists for the browser tests. Playwright cannot download its own
 * browser here, so we use Debian's package: installed with apt-get when we are root,
 * otherwise a clear message with the one command to run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { findChromium } from "../tests/e2e/chromium-path";

const found = findChromium();
if (found) {
  console.log(`Chromium: ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = fs.existsSync("/usr/bin/apt-get");
if (!isRoot || !hasApt) {
  console.error(
    [
      "No Chromium found for the browser tests.",
      hasApt ? "Install it with:  sudo apt-get update && sudo apt-get install -y chromium" : "Install Chromium and set CHROMIUM_PATH to its executable.",
      "Or point CHROMIUM_PATH at any Chromium or Chrome executable.",
    ].join("\n"),
  );
  process.exit(1);
}

console.log("Chromium not found: installing Debian's chromium package (about a minute)...");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
if (install.status !== 0 || !findChromium()) {
  console.error("Installing chromium failed; run: apt-get update && apt-get install -y chromium");
  process.exit(1);
}
console.log(`Chromium installed: ${findChromium()}`);
