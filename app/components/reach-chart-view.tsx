/**
 * The growth chart itself, drawn with recharts: bars for people trained each month, a line for the
 * running total (or staff reach), and the goal line dashed. Loaded in the browser only
 * (app/components/reach-chart.tsx). No animation, so what is printed is what is shown.
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { GrowthChartProps } from "~/components/reach-chart";

// Colours from the site's palette, each at least 3:1 against white (WCAG 1.4.11); the goal line is
// also dashed, so it is told apart without colour.
const BAR = "#4a78a8";
const LINE = "#1e6b35";
const GOAL = "#a4161a";
const INK = "#1b1f24";

const tick = { fill: INK, fontSize: 12 };
const BARS_NAME = "People trained that month";
const count = (v: unknown) => (typeof v === "number" ? Math.round(v).toLocaleString("en-US") : String(v ?? ""));

export default function GrowthChartView({ rows, line, goal }: GrowthChartProps) {
  const reach = line === "reach";
  const format = (v: unknown) => (reach && typeof v === "number" ? `${v.toFixed(1)}%` : count(v));
  return (
    <ComposedChart
      responsive
      style={{ width: "100%", height: 320 }}
      data={rows}
      margin={{ top: 10, right: 12, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke="#dde3ea" vertical={false} />
      <XAxis dataKey="label" tick={tick} interval="preserveStartEnd" minTickGap={12} />
      <YAxis yAxisId="month" allowDecimals={false} tick={tick} width={48}
        label={{ value: "Trained that month", angle: -90, position: "insideLeft", fill: INK, fontSize: 12, style: { textAnchor: "middle" } }} />
      <YAxis yAxisId="line" orientation="right" allowDecimals={reach} tick={tick} width={56} tickFormatter={format}
        label={{ value: reach ? "Staff reach" : "Running total", angle: 90, position: "insideRight", fill: INK, fontSize: 12, style: { textAnchor: "middle" } }} />
      <Tooltip formatter={(value, name) => [name === BARS_NAME ? count(value) : format(value), name]} />
      <Legend wrapperStyle={{ color: INK, fontSize: 13 }} />
      <Bar yAxisId="month" dataKey="trained" name={BARS_NAME} fill={BAR} isAnimationActive={false} />
      <Line yAxisId="line" type="monotone" dataKey="line" name={reach ? "Staff reach (%)" : "Running total of people trained"}
        stroke={LINE} strokeWidth={2.5} dot={{ r: 2.5, fill: LINE }} connectNulls={false} isAnimationActive={false} />
      {goal ? (
        <Line yAxisId="line" type="linear" dataKey="goalLine" name="Goal line" stroke={GOAL} strokeWidth={2}
          strokeDasharray="6 4" dot={false} isAnimationActive={false} />
      ) : null}
    </ComposedChart>
  );
}
