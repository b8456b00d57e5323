import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

const ROOT = path.resolve("tests/.tmp");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    dbDir: string;
  }
}

/**
 * Migrates one template database for this run; each worker copies it instead of migrating
 * again. Every run gets its own folder, so runs started side by side never share files.
 */
export default function setup(project: TestProject) {
  fs.mkdirSync(ROOT, { recursive: true });
  for (const entry of fs.readdirSync(ROOT)) {
    const match = /^run-(\d+)$/.exec(entry);
    if (match && !alive(Number(match[1]))) fs.rmSync(path.join(ROOT, entry), { recursive: true, force: true });
  }
  const dir = path.join(ROOT, `run-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "template.db")}` },
    stdio: "pipe",
  });
  project.provide("dbDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
