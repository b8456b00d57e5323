/** target and met: a figure with a target; `npm run bench` exits non-zero when one is not met. */
export type BenchMetric = { metric: string; value: number; unit: string; target?: string; met?: boolean };

/** One part of `npm run bench`; run() happens in its own process (see scripts/bench.ts). */
export type BenchSection = { name: string; run(): Promise<BenchMetric[]> };
