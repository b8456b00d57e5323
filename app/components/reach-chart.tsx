/**
 * The growth chart: people trained per month (bars), the running total or staff reach (line) and the
 * goal line. Drawn with a maintained chart library once it is installed (see the report: recharts);
 * until then this renders nothing and the table beside it carries the same numbers.
 */
export type ChartRow = {
  label: string;
  trained: number;
  cumulativePeople: number;
  staffReachPercent: number | null;
  goalLine: number | null;
};

export function GrowthChart(_props: { rows: ChartRow[]; goalMeasure: "PEOPLE_TRAINED" | "STAFF_REACH" | null; describedBy: string }) {
  return null;
}
