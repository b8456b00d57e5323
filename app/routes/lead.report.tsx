import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseScopePeriod, schoolYearStartFrom } from "~/domain/goals";
import { formatSchoolYear } from "~/domain/school-year";
import { listProgramOptions, listRegionOptions } from "~/models/reach.server";
import { listSchoolChoices } from "~/models/goal.server";
import { loadReachReport } from "~/models/reach-report.server";
import { ErrorList } from "~/components/reach";
import { AreaTable } from "~/components/reach-tables";
import { GoalTable } from "~/components/goal-form";
import { GrowthPanel } from "~/components/growth";
import { ScopePeriodForm } from "~/components/scope-period-form";
import { formatCount, formatDate, formatPercent } from "~/utils/format";
import reportStyles from "~/styles/report.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d && d.ok ? `Training report: ${d.scopeLabel}, ${d.program.name}` : "Training report" },
];

const SHOW_ALL = { staff: true, students: true, community: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const today = new Date();
  const parsed = parseScopePeriod(new URL(request.url).searchParams, today, schoolYearStartFrom);
  if (!parsed.ok) {
    const [programs, regions, schools] = await Promise.all([listProgramOptions(), listRegionOptions(), listSchoolChoices()]);
    return data({ ok: false as const, errors: parsed.errors, values: parsed.values, programs, regions, schools }, { status: 400 });
  }
  const report = await loadReachReport(parsed.query);
  if (!report.ok) return data({ ...report, values: parsed.values }, { status: 400 });
  return {
    ok: true as const,
    values: { ...parsed.values, program: report.program.code },
    programs: report.programs,
    regions: report.regions,
    schools: report.schools,
    program: report.program,
    scopeLabel: report.where.label,
    scope: report.where.scope.scope,
    schoolYear: report.schoolYear,
    totals: report.totals,
    regionRows: report.regionRows,
    schoolRows: report.schoolRows,
    peopleTrainedInPeriod: report.peopleTrainedInPeriod,
    goals: report.goals,
    growth: report.growth,
    preparedOn: today.toISOString().slice(0, 10),
    preparedBy: user.name,
  };
}

/** window.print() needs JavaScript: the button appears once it has loaded; until then, the hint says how. */
function PrintButton() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <div className="no-print print-controls">
      {ready ? <button type="button" onClick={() => window.print()}>Print</button> : null}
      <p className="hint">
        {ready ? "Or use your browser's Print command (Ctrl+P, or ⌘P on a Mac). " : "To print, use your browser's Print command (Ctrl+P, or ⌘P on a Mac). "}
        Choose "Save as PDF" as the printer to make a PDF. Only the report is printed, not the menus or this form.
      </p>
    </div>
  );
}

export default function Report() {
  const d = useLoaderData<typeof loader>();
  if (!d.ok) {
    return (
      <>
        <p className="no-print"><Link to="/lead">Reach dashboard</Link></p>
        <h1>Training report</h1>
        <ErrorList errors={d.errors} />
        <ScopePeriodForm values={d.values} errors={d.errors} programs={d.programs} regions={d.regions} schools={d.schools} submitLabel="Show report" />
      </>
    );
  }
  const t = d.totals;
  return (
    <article className="report" aria-labelledby="report-title">
      <p className="no-print"><Link to="/lead">Reach dashboard</Link></p>
      <header className="report-header">
        <h1 id="report-title">Training report: {d.scopeLabel}</h1>
        <p className="report-subtitle">
          {d.program.name}, {formatDate(d.values.from)} to {formatDate(d.values.to)}. Reach figures as of {formatDate(d.values.to)} (school year {formatSchoolYear(d.schoolYear)}).
        </p>
        <p className="muted">Prepared {formatDate(d.preparedOn)} by {d.preparedBy}.</p>
      </header>
      <div className="no-print">
        <ScopePeriodForm values={d.values} programs={d.programs} regions={d.regions} schools={d.schools} submitLabel="Show report" />
        <PrintButton />
      </div>

      <section aria-labelledby="summary-heading" className="report-section">
        <h2 id="summary-heading">Summary</h2>
        <ul className="cards report-cards" aria-label="Summary figures">
          <li className="card"><span className="figure">{formatCount(d.peopleTrainedInPeriod)}</span> people trained in the period</li>
          <li className="card"><span className="figure">{formatPercent(t.staffReach)}</span> staff reach</li>
          <li className="card"><span className="figure">{formatCount(t.staffCurrentPeople)}</span> staff holding a current certificate</li>
          <li className="card"><span className="figure">{formatCount(t.studentsTrainedYear)}</span> students trained this school year</li>
          <li className="card"><span className="figure">{formatCount(t.communityTrained)}</span> community partners trained this school year</li>
          <li className="card"><span className="figure">{formatCount(t.teenReadySchools)}</span> of {formatCount(t.schools)} schools ready for Teen MHFA</li>
        </ul>
        <AreaTable caption={`Totals, ${d.scopeLabel}, ${d.program.name}`} rows={[t]} show={SHOW_ALL} linkRegions={false} />
        {t.schoolsWithoutHeadcount > 0 ? (
          <p className="muted">{formatCount(t.schoolsWithoutHeadcount)} schools have no staff headcount for the school year and are left out of the reach share.</p>
        ) : null}
      </section>

      {d.scope === "DISTRICT" && d.regionRows.length > 0 ? (
        <section aria-labelledby="regions-heading" className="report-section">
          <h2 id="regions-heading">Regions</h2>
          <AreaTable caption={`Reach by region, ${d.program.name}`} rows={d.regionRows} show={SHOW_ALL} linkRegions={false} />
        </section>
      ) : null}

      <section aria-labelledby="schools-heading" className="report-section">
        <h2 id="schools-heading">{d.scope === "SCHOOL" ? "The school" : "Schools"}</h2>
        <div className="table-wrap">
          <table className="report-schools">
            <caption>Reach by school, {d.program.name}, as of {formatDate(d.values.to)}</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">Code</th>
                {d.scope === "DISTRICT" ? <th scope="col">Region</th> : null}
                <th scope="col" className="num">Staff headcount</th>
                <th scope="col" className="num">Staff current</th>
                <th scope="col" className="num">Staff reach</th>
                <th scope="col" className="num">Students trained this year</th>
                <th scope="col" className="num">Community partners trained</th>
                <th scope="col">Teen MHFA readiness</th>
              </tr>
            </thead>
            <tbody>
              {d.schoolRows.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{s.code}</td>
                  {d.scope === "DISTRICT" ? <td>{s.regionName}</td> : null}
                  <td className="num">{s.staffHeadcount == null ? "no headcount" : formatCount(s.staffHeadcount)}</td>
                  <td className="num">{formatCount(s.staffCurrent)}</td>
                  <td className="num">{formatPercent(s.staffReach)}</td>
                  <td className="num">{formatCount(s.studentsTrainedYear)}</td>
                  <td className="num">{formatCount(s.communityTrained)}</td>
                  <td>{s.teenReady == null ? "no headcount" : s.teenReady ? "Ready" : "Not yet"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="goals-heading" className="report-section">
        <h2 id="goals-heading">Goals and progress</h2>
        {d.goals.length === 0 ? (
          <p>No active {d.program.name} goals in this scope.</p>
        ) : (
          <GoalTable goals={d.goals} caption={`Active ${d.program.name} goals in this scope, progress as of ${formatDate(d.values.to)}`} showProgram={false} />
        )}
      </section>

      <div className="report-section">
        <GrowthPanel
          rows={d.growth}
          line="people"
          headingId="report-growth"
          title="Growth over the period"
          caption={`People trained per month, ${d.scopeLabel}, ${d.program.name}, ${formatDate(d.values.from)} to ${formatDate(d.values.to)}`}
        />
      </div>

      <section aria-labelledby="notes-heading" className="report-section report-notes">
        <h2 id="notes-heading">How the figures are counted</h2>
        <ul>
          <li>Staff reach is the share of a school's staff headcount for the school year holding a current certificate; schools without a headcount are left out of both sides of a region's or the district's share.</li>
          <li>A person trained twice, or renewed, counts once. A person working at two schools counts at both schools, and once in a region's or the district's count of people.</li>
          <li>A goal is on track when its pace over the last 90 days, kept up, reaches the target by the deadline.</li>
        </ul>
      </section>
    </article>
  );
}
