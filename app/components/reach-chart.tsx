/**
 * The growth chart's place on the page. Recharts measures the browser's layout, so the chart is drawn
 * only after hydration, from a separately loaded module (pages without a chart never download it):
 * the server and the first client render both output an empty, hidden box, so hydration matches.
 * Without JavaScript nothing is drawn and the table beside it carries the same numbers.
 */
import { lazy, Suspense, useEffect, useState } from "react";

export type ChartRow = {
  label: string;
  /** People trained that month (bars); null for a month not yet begun. */
  trained: number | null;
  /** The running total of people, or staff reach in percent. */
  line: number | null;
  goalLine: number | null;
};

export type GrowthChartProps = { rows: ChartRow[]; line: "people" | "reach"; goal: boolean };

const GrowthChartView = lazy(() => import("~/components/reach-chart-view"));

export function GrowthChart({ label, ...props }: GrowthChartProps & { label: string }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  if (!inBrowser) return <div className="growth-chart" hidden />;
  // role="img" with a label: one image to assistive technology, whose text says where the numbers are.
  return (
    <div className="growth-chart" role="img" aria-label={label}>
      <Suspense fallback={<p className="muted">Drawing the chart…</p>}>
        <GrowthChartView {...props} />
      </Suspense>
    </div>
  );
}
