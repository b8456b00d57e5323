/**
 * The full rebuild of the reach rollup as a job whose state lives in the database (one ReachRebuild
 * row), so that every app instance shows its progress and exactly one instance runs it
 * (docs/decisions/005-reach-rollups.md). The rebuild itself is in app/models/reach-rollup.server.ts;
 * this module claims, tracks and describes it.
 *
 * A start is claimed with one conditional INSERT … ON CONFLICT DO UPDATE (the same statement on SQLite
 * and PostgreSQL, as app/models/scheduled-run.server.ts does): it lands only if the row is still the
 * one the caller looked at (same run id and status), and that row was not a live run. Every claim
 * writes a new run id; each step of a run checks its id in the transaction that writes the step, so a
 * run that was taken over (its process stalled or died: no heartbeat for STALE_AFTER_MS) stops at its
 * next step and writes nothing more.
 */
import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { thisInstance } from "~/models/scheduled-run.server";
import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/** The one row's id. */
const ROW = 1;
/** A running job whose last step is older than this belongs to a process that died or stalled. */
export const STALE_AFTER_MS = 120_000;
/** A failed rebuild is tried again by the next read after this long (not by every read at once). */
export const RETRY_FAILED_AFTER_MS = 30_000;

export type RebuildStatus = "RUNNING" | "DONE" | "FAILED";

export type RebuildState = {
  status: RebuildStatus;
  runId: string;
  instance: string;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
  peopleDone: number;
  peopleTotal: number;
  error: string | null;
};

export async function readRebuild(db: Tx | typeof prisma = prisma): Promise<RebuildState | null> {
  const row = await db.reachRebuild.findUnique({ where: { id: ROW } });
  if (!row) return null;
  const status: RebuildStatus = row.status === "RUNNING" || row.status === "FAILED" ? row.status : "DONE";
  return { ...row, status };
}

/** Whether the job in this state is being run by a live process. */
export function isLive(state: RebuildState | null, now = new Date()): boolean {
  return state?.status === "RUNNING" && now.getTime() - state.heartbeatAt.getTime() < STALE_AFTER_MS;
}

/**
 * Whether the rollup may be read and the queue applied: no job has started since the last one that
 * finished. A running (even a stale) or failed job left the rollup incomplete.
 */
export function rollupIsComplete(state: RebuildState | null): boolean {
  return state === null || state.status === "DONE";
}

/**
 * Claims the job for a new run, if the row is still `seen` (null: no row yet) and `seen` is not a
 * live run. Returns the new run id, or null when another caller got there first or a run is live.
 */
export async function claimRebuild(seen: RebuildState | null, now = new Date(), instance = thisInstance()): Promise<string | null> {
  if (isLive(seen, now)) return null;
  const runId = randomUUID();
  const claimed = await prisma.$executeRaw`
    INSERT INTO "ReachRebuild" ("id", "status", "runId", "instance", "startedAt", "heartbeatAt", "finishedAt", "peopleDone", "peopleTotal", "error")
    VALUES (${ROW}, 'RUNNING', ${runId}, ${instance}, ${now}, ${now}, NULL, 0, 0, NULL)
    ON CONFLICT ("id") DO UPDATE SET "status" = 'RUNNING', "runId" = excluded."runId", "instance" = excluded."instance",
      "startedAt" = excluded."startedAt", "heartbeatAt" = excluded."heartbeatAt", "finishedAt" = NULL,
      "peopleDone" = 0, "peopleTotal" = 0, "error" = NULL
    WHERE "ReachRebuild"."runId" = ${seen?.runId ?? ""} AND "ReachRebuild"."status" = ${seen?.status ?? ""}`;
  return claimed === 1 ? runId : null;
}

/** Thrown by a step of a run that another instance has taken over: the step's transaction rolls back. */
export class RebuildTakenOver extends Error {
  constructor() {
    super("The reach rebuild was taken over by another process");
    this.name = "RebuildTakenOver";
  }
}

/**
 * Records a step (progress and heartbeat) inside the step's own transaction, and makes sure the run is
 * still this one: on PostgreSQL the row lock also orders the step against a takeover's claim.
 */
export async function recordStep(tx: Tx | typeof prisma, runId: string, progress: { peopleDone?: number; peopleTotal?: number } = {}, now = new Date()): Promise<void> {
  const updated = await tx.reachRebuild.updateMany({ where: { id: ROW, runId, status: "RUNNING" }, data: { heartbeatAt: now, ...progress } });
  if (updated.count !== 1) throw new RebuildTakenOver();
}

export async function finishRebuild(tx: Tx | typeof prisma, runId: string, now = new Date()): Promise<void> {
  const updated = await tx.reachRebuild.updateMany({ where: { id: ROW, runId, status: "RUNNING" }, data: { status: "DONE", heartbeatAt: now, finishedAt: now } });
  if (updated.count !== 1) throw new RebuildTakenOver();
}

export async function failRebuild(runId: string, error: unknown, now = new Date()): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await prisma.reachRebuild.updateMany({ where: { id: ROW, runId, status: "RUNNING" }, data: { status: "FAILED", finishedAt: now, error: message.slice(0, 2_000) } });
}

/** The progress as people (done, of total) and a whole percent. */
export function progressOf(state: RebuildState | null): { done: number; total: number; percent: number } {
  const total = state?.peopleTotal ?? 0;
  const done = Math.min(state?.peopleDone ?? 0, total);
  return { done, total, percent: total > 0 ? Math.floor((done * 100) / total) : 0 };
}

/** Seconds after which the "being prepared" page asks again. */
export const REFRESH_SECONDS = 10;

/** One sentence for people: what is happening and how far along it is. */
export function describeRebuild(state: RebuildState | null): string {
  const { done, total, percent } = progressOf(state);
  const n = (value: number) => value.toLocaleString("en-US");
  // The error itself is for the server's log and `npm run reach:rebuild`, not for every reader.
  if (state?.status === "FAILED") return "Reach figures are being prepared again: the last attempt stopped before the end, and a new one starts shortly.";
  if (total === 0) return "Reach figures are being prepared: counting the people to include.";
  if (done >= total) return `Reach figures are being prepared: all ${n(total)} people counted (100%), saving the figures.`;
  return `Reach figures are being prepared: ${n(done)} of ${n(total)} people counted (${percent}%).`;
}

/**
 * The answer to a read of reach figures while the rollup is rebuilt: 503 with the progress as plain
 * text. Pages show it in the error boundary (app/components/error-boundary.tsx), which refreshes itself;
 * CSV exports (resource routes) send it as it is.
 */
export function rebuildingResponse(state: RebuildState | null): Response {
  return new Response(`${describeRebuild(state)} This usually takes a few minutes; try again shortly.`, {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(REFRESH_SECONDS), "Cache-Control": "no-store" },
  });
}
