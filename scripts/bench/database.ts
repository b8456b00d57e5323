import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const BENCH_DATA_DIR = path.resolve("bench/.data");

/**
 * A freshly migrated SQLite file for one bench section, under bench/.data/. Returns its
 * DATABASE_URL; set it in process.env before importing any app module.
 */
export function freshBenchDatabase(name: string): string {
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const template = path.join(BENCH_DATA_DIR, `template-${process.pid}.db`);
  const file = path.join(BENCH_DATA_DIR, `${name}.db`);
  for (const f of [template, file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: "pipe",
  });
  fs.copyFileSync(template, file);
  fs.rmSync(template, { force: true });
  return `file:${file}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time, and this process's CPU time: on a busy machine the two differ widely. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: Math.round(performance.now() - start), cpuMs: Math.round((used.user + used.system) / 1000), result };
}
