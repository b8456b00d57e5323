export type BenchMetric = { metric: string; value: number; unit: string };

/** One part of `npm run bench`; run() happens in its own process (see scripts/bench.ts). */
export type BenchSection = { name: string; run(): Promise<BenchMetric[]> };
