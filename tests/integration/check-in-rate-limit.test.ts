import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma, unique } from "./helpers";
import { hitRateLimit } from "~/models/rate-limit.server";

/*
 * The counter behind the check-in link's limits (app/models/rate-limit.server.ts): kept in the
 * database, so it holds across server processes, and counted atomically.
 */

const MINUTE = 60_000;
const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, 0) + ms);

describe("hitRateLimit", () => {
  it("allows the limit in a window, refuses the next, and weighs the previous window as it slides out", async () => {
    const key = unique("rl");
    const limit = { limit: 5, windowMs: MINUTE };
    const first = [];
    for (let i = 0; i < 6; i++) first.push(await hitRateLimit(key, limit, at(i * 1000)));
    expect(first.map((v) => v.ok)).toEqual([true, true, true, true, true, false]);
    expect(first[5]).toMatchObject({ count: 6, retryAfterSeconds: 55 });
    // Just after the minute turns, the previous minute still counts almost fully: no fresh allowance at the boundary.
    expect(await hitRateLimit(key, limit, at(MINUTE + 1000))).toMatchObject({ ok: false, count: 1 });
    // Near the end of the next minute, little of it is left.
    expect(await hitRateLimit(key, limit, at(2 * MINUTE - 2000))).toMatchObject({ ok: true, count: 2 });
    // Keys do not share counts.
    expect(await hitRateLimit(unique("rl"), limit, at(0))).toMatchObject({ ok: true, count: 1 });
  });

  it("forgets windows nobody reads any more", async () => {
    const key = unique("rl-old");
    await hitRateLimit(key, { limit: 5, windowMs: MINUTE }, at(0));
    expect(await prisma.rateLimitCounter.count({ where: { key } })).toBe(1);
    // A later window starting (for any key) deletes rows past their use.
    await hitRateLimit(unique("rl-later"), { limit: 5, windowMs: MINUTE }, at(10 * MINUTE));
    expect(await prisma.rateLimitCounter.count({ where: { key } })).toBe(0);
  });

  it("counts every one of 50 hits at once exactly once", async () => {
    const key = unique("rl-burst");
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => hitRateLimit(key, { limit: 40, windowMs: MINUTE }, at(20 * MINUTE))));
    expect(verdicts.map((v) => v.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(40);
  });

  it("holds across processes: hits from two other processes and this one all land on one counter", async () => {
    const key = unique("rl-procs");
    const now = at(30 * MINUTE).toISOString();
    const script = `
      const { hitRateLimit } = await import(${JSON.stringify(path.resolve("app/models/rate-limit.server.ts"))});
      for (let i = 0; i < 30; i++) await hitRateLimit(process.argv[1], { limit: 1000, windowMs: 60000 }, new Date(process.argv[2]));
      process.exit(0);`;
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, key, now], {
        cwd: path.resolve("."), env: { ...process.env }, stdio: ["ignore", "ignore", "pipe"],
      });
      let errors = "";
      child.stderr.on("data", (chunk) => (errors += String(chunk)));
      return once(child, "exit").then(([code]) => ({ code, errors }));
    });
    for (let i = 0; i < 30; i++) await hitRateLimit(key, { limit: 1000, windowMs: MINUTE }, new Date(now));
    expect(await Promise.all(children)).toEqual([{ code: 0, errors: "" }, { code: 0, errors: "" }]);
    expect(await prisma.rateLimitCounter.findMany({ where: { key }, select: { count: true } })).toEqual([{ count: 90 }]);
  }, 60_000);
});
