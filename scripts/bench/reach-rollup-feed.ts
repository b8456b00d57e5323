/**
 * The loader's side of the rollup worker (scripts/bench/reach-rollup-worker.ts): collects each person's
 * record, affiliations and certificates as they are inserted, and sends them to the worker a batch of
 * whole people at a time. The worker uses the second core while this thread inserts and indexes.
 */
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { ROLLUP_COLUMNS } from "~/domain/reach-rollup";

/** One batch of whole people, in flat arrays (cheap to send between threads). */
export type FeedBatch = {
  people: string[];
  kinds: string[];
  /** personId, schoolYear, schoolId, regionId; repeated. */
  affiliations: Array<string | number>;
  /** personId, programId, issuedOn, expiresOn (stored text, or null); repeated. */
  certifications: Array<string | null>;
};

export type WorkerIn = { type: "batch"; batch: FeedBatch } | { type: "finish" };
/** seconds: the worker's whole run; rowsSeconds: writing out the rows once it had every person. */
export type RollupResult = { states: number; keys: number; rows: number; seconds: number; rowsSeconds: number };
export type WorkerOut =
  | { type: "progress"; phase: "people" | "rows"; done: number; total: number }
  | ({ type: "done" } & RollupResult)
  | { type: "failed"; message: string };

/** The worker's side file: plain tables named as the real ones, columns in this order. */
export const SIDE_TABLES = {
  states: "ReachPersonState",
  rows: "ReachRollup",
  rowColumns: ["schoolYear", "programId", "level", "scopeId", "day", ...ROLLUP_COLUMNS],
} as const;

const PEOPLE_PER_BATCH = 2_000;

type Progress = { tick(done: number): void; done(): void };

export function startRollupFeed(sideFile: string, totalPeople: number) {
  for (const f of [sideFile, `${sideFile}-journal`]) fs.rmSync(f, { force: true });
  // tsx's loader does not reach a worker's entry module: the worker registers it, then imports the entry.
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./reach-rollup-worker.ts", import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, {
    eval: true,
    workerData: { sideFile, totalPeople },
  });
  let failure: Error | null = null;
  let result: RollupResult | null = null;
  let finishedAt = 0;
  let doneAt = 0;
  const progress: Array<Extract<WorkerOut, { type: "progress" }>> = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on("message", (message: WorkerOut) => {
    if (message.type === "progress") progress.push(message);
    else if (message.type === "done") {
      result = message;
      doneAt = Date.now();
    }
    else failure = new Error(`rollup worker: ${message.message}`);
    notify();
  });
  worker.on("error", (error) => {
    failure = error;
    notify();
  });
  worker.on("exit", (code) => {
    if (!result) failure ??= new Error(`rollup worker exited (${code}) before it finished`);
    notify();
  });

  let batch: FeedBatch = { people: [], kinds: [], affiliations: [], certifications: [] };
  const send = () => {
    if (batch.people.length === 0) return;
    worker.postMessage({ type: "batch", batch } satisfies WorkerIn);
    batch = { people: [], kinds: [], affiliations: [], certifications: [] };
  };

  return {
    sideFile,
    /** A new person: their affiliations and certificates follow before the next person. */
    person(id: string, kind: string) {
      if (batch.people.length >= PEOPLE_PER_BATCH) send();
      batch.people.push(id);
      batch.kinds.push(kind);
    },
    affiliation(personId: string, schoolYear: number, schoolId: string, regionId: string) {
      batch.affiliations.push(personId, schoolYear, schoolId, regionId);
    },
    certification(personId: string, programId: string, issuedOn: string, expiresOn: string | null) {
      batch.certifications.push(personId, programId, issuedOn, expiresOn);
    },
    finish() {
      finishedAt = Date.now();
      send();
      worker.postMessage({ type: "finish" } satisfies WorkerIn);
    },
    /** Waits for the worker, drawing its progress (what it did while this thread was busy shows at once). */
    async done(bar: (label: string, total: number) => Progress): Promise<RollupResult & { afterLoadSeconds: number }> {
      let phase = "";
      let current: Progress | null = null;
      for (;;) {
        for (const p of progress.splice(0)) {
          if (p.phase !== phase) {
            current?.done();
            phase = p.phase;
            current = bar(`rollup ${p.phase}`, p.total);
          }
          current?.tick(p.done);
        }
        if (failure) throw failure;
        if (result) {
          current?.done();
          return { ...result, afterLoadSeconds: (doneAt - finishedAt) / 1000 };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    /** Ends the worker and removes the side file (after done(), or on failure). */
    stop() {
      void worker.terminate();
      for (const f of [sideFile, `${sideFile}-journal`]) fs.rmSync(f, { force: true });
    },
  };
}
