import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { lastTwelveMonthsFrom, parseScopePeriod, scopePeriodParams } from "~/domain/goals";
import { listProgramOptions, listRegionOptions } from "~/models/reach.server";
import { listSchoolChoices } from "~/models/goal.server";
import { loadGrowthPage } from "~/models/reach-report.server";
import { ErrorList } from "~/components/reach";
import { GrowthPanel } from "~/components/growth";
import { ScopePeriodForm } from "~/components/scope-period-form";
import { formatDate } from "~/utils/format";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";

export const meta: MetaFunction = () => [{ title: "Growth over time · Program lead" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const today = new Date();
  const parsed = parseScopePeriod(new URL(request.url).searchParams, today, lastTwelveMonthsFrom);
  if (!parsed.ok) {
    const [programs, regions, schools] = await Promise.all([listProgramOptions(), listRegionOptions(), listSchoolChoices()]);
    return data({ ok: false as const, errors: parsed.errors, values: parsed.values, programs, regions, schools }, { status: 400 });
  }
  const page = await loadGrowthPage(parsed.query, today);
  if (!page.ok) return data({ ...page, values: parsed.values }, { status: 400 });
  return {
    ok: true as const,
    values: { ...parsed.values, program: page.program.code },
    programs: page.programs,
    regions: page.regions,
    schools: page.schools,
    program: page.program,
    scopeLabel: page.where.label,
    rows: page.rows,
  };
}

export default function Growth() {
  const d = useLoaderData<typeof loader>();
  const form = (errors?: Record<string, string>) => (
    <ScopePeriodForm values={d.values} errors={errors} programs={d.programs} regions={d.regions} schools={d.schools} showLine submitLabel="Show growth" />
  );
  if (!d.ok) {
    return (
      <>
        <p><Link to="/lead">Reach dashboard</Link></p>
        <h1>Growth over time</h1>
        <ErrorList errors={d.errors} />
        {form(d.errors)}
      </>
    );
  }
  const same = scopePeriodParams(d.values);
  const newGoal = new URLSearchParams({ scope: d.values.scope.toUpperCase(), program: d.values.program });
  if (d.values.region) newGoal.set("region", d.values.region);
  if (d.values.school) newGoal.set("school", d.values.school);
  return (
    <>
      <p><Link to="/lead">Reach dashboard</Link></p>
      <h1>Growth over time</h1>
      <p className="muted">
        {d.scopeLabel}, {d.program.name}, {formatDate(d.values.from)} to {formatDate(d.values.to)}. People trained are everyone who received a
        certificate of the program (staff, students and community partners); the running total counts each person once.
      </p>
      {form()}
      <GrowthPanel
        rows={d.rows}
        line={d.values.line === "reach" ? "reach" : "people"}
        headingId="growth-heading"
        title={`${d.scopeLabel}: ${d.program.name}`}
        caption={`People trained per month${d.values.line === "reach" ? " and staff reach" : ""}, ${d.scopeLabel}, ${d.program.name}`}
      />
      <p className="actions">
        <DownloadCsvLink href={csvHref("/lead/growth/export.csv", Object.fromEntries(same))} label="growth month by month" />
        <Link to={`/lead/report?${same.toString()}`}>Printable report for this scope and period</Link>
        <Link to={`/lead/goals/new?${newGoal.toString()}`}>Set a goal for this scope</Link>
      </p>
    </>
  );
}
