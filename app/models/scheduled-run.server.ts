/**
 * Scheduled work that runs once per schedule window however many app instances are up
 * (docs/decisions/015-scheduled-work.md). Each instance's timer asks to claim the window; the claim is one
 * INSERT … ON CONFLICT DO NOTHING on (job, window start), so exactly one instance wins it, on SQLite and on
 * PostgreSQL alike. Windows are counted from 1970 in the schedule's interval, so instances started at different
 * times agree on them.
 */
import { hostname } from "node:os";
import { prisma } from "~/db.server";

export function windowStartOf(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

export const thisInstance = () => `${hostname()}:${process.pid}`;

export type ScheduledClaim = { claimed: boolean; windowStart: Date };

/** Claims the job's current window for this instance; false when another instance (or an earlier tick) has it. */
export async function claimScheduledRun(job: string, windowMs: number, now = new Date(), instance = thisInstance()): Promise<ScheduledClaim> {
  const windowStart = windowStartOf(now, windowMs);
  const inserted = await prisma.$executeRaw`
    INSERT INTO "ScheduledRun" ("job", "windowStart", "instance", "startedAt") VALUES (${job}, ${windowStart}, ${instance}, ${now})
    ON CONFLICT ("job", "windowStart") DO NOTHING`;
  return { claimed: inserted === 1, windowStart };
}

export async function finishScheduledRun(job: string, windowStart: Date, now = new Date()) {
  await prisma.scheduledRun.updateMany({ where: { job, windowStart }, data: { finishedAt: now } });
}

/** Runs older than this many windows are of no more use; kept a while for whoever asks who ran what. */
const KEEP_WINDOWS = 1_000;

export async function purgeScheduledRuns(job: string, windowMs: number, now = new Date()) {
  await prisma.scheduledRun.deleteMany({ where: { job, windowStart: { lt: new Date(now.getTime() - KEEP_WINDOWS * windowMs) } } });
}
