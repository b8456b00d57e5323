/**
 * Growth over time: the chart (drawn in the browser) and, beside it, the table with the same numbers.
 * The table is the accessible version and what a page without JavaScript (or a printout) relies on.
 */
import { GrowthChart, type ChartRow } from "~/components/reach-chart";
import { formatCount } from "~/utils/format";

export type GrowthRow = {
  month: string;
  trained: number | null;
  newPeople: number | null;
  cumulativePeople: number | null;
  staffReachPercent: number | null;
  goalLine: number | null;
};

export type GrowthLineKind = "people" | "reach";

export function monthLabel(key: string): string {
  const [y, m] = key.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
}

const percent = (v: number | null, blank: string) => (v == null ? blank : `${v.toFixed(1)}%`);

/** The growth figures as a table: the numbers the chart draws. Months not yet begun show "—". */
export function GrowthTable({ rows, caption, line, goal }: { rows: GrowthRow[]; caption: string; line: GrowthLineKind; goal: boolean }) {
  const showReach = line === "reach";
  return (
    <div className="table-wrap">
      <table className="growth-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="num">People trained</th>
            <th scope="col" className="num">Trained for the first time</th>
            <th scope="col" className="num">Running total (distinct people)</th>
            {showReach ? <th scope="col" className="num">Staff reach at month end</th> : null}
            {goal ? <th scope="col" className="num">Goal line ({showReach ? "% of staff" : "people"})</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.month}>
              <th scope="row">{monthLabel(r.month)}</th>
              <td className="num">{formatCount(r.trained)}</td>
              <td className="num">{formatCount(r.newPeople)}</td>
              <td className="num">{formatCount(r.cumulativePeople)}</td>
              {showReach ? <td className="num">{r.trained == null ? "—" : percent(r.staffReachPercent, "no headcount")}</td> : null}
              {goal ? <td className="num">{r.goalLine == null ? "—" : showReach ? percent(r.goalLine, "—") : formatCount(Math.round(r.goalLine))}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the line means, for the chart's legend and its text alternative. */
export const LINE_NAMES: Record<GrowthLineKind, string> = {
  people: "Running total of people trained",
  reach: "Staff reach (%)",
};

/** The chart and its table; the chart's text alternative names the table that carries its numbers. */
export function GrowthPanel({
  rows, caption, line, goal = false, headingId, title,
}: { rows: GrowthRow[]; caption: string; line: GrowthLineKind; goal?: boolean; headingId: string; title: string }) {
  const chartRows: ChartRow[] = rows.map((r) => ({
    label: monthLabel(r.month),
    trained: r.trained,
    line: r.trained == null ? null : line === "reach" ? r.staffReachPercent : r.cumulativePeople,
    goalLine: goal ? r.goalLine : null,
  }));
  const span = rows.length ? `${monthLabel(rows[0].month)} to ${monthLabel(rows[rows.length - 1].month)}` : "no months";
  const label = `Chart of people trained per month (bars) and ${LINE_NAMES[line].toLowerCase()} (line)${goal ? " against the goal line (dashed)" : ""}, ${span}. The table "${caption}" has the same figures.`;
  return (
    <section className="panel growth" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <div className="growth-grid">
        <GrowthChart rows={chartRows} line={line} goal={goal} label={label} />
        <GrowthTable rows={rows} caption={caption} line={line} goal={goal} />
      </div>
    </section>
  );
}
