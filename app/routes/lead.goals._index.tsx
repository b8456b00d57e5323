import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseAsOf } from "~/domain/goals";
import { PACE_WINDOW_DAYS } from "~/domain/reach";
import { listGoalsWithProgress } from "~/models/goal.server";
import { ErrorList } from "~/components/reach";
import { GoalTable } from "~/components/goal-form";
import { formatDate } from "~/utils/format";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";

export const meta: MetaFunction = () => [{ title: "Goals · Program lead" }];

const NOTICES: Record<string, string> = { archived: "Goal archived. It is listed under archived goals and can be restored." };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const url = new URL(request.url);
  const asOf = parseAsOf(url.searchParams, new Date());
  if (!asOf.ok) return data({ ok: false as const, errors: { asOf: asOf.error }, asOfValue: asOf.value }, { status: 400 });
  const [active, archived] = await Promise.all([
    listGoalsWithProgress({ archived: false, asOf: asOf.asOf }),
    listGoalsWithProgress({ archived: true, asOf: asOf.asOf }),
  ]);
  const notice = [...url.searchParams.keys()].map((k) => NOTICES[k]).find(Boolean) ?? null;
  return { ok: true as const, asOf: asOf.value, asOfValue: asOf.value, active, archived, notice };
}

function AsOfForm({ value, error }: { value: string; error?: string }) {
  return (
    <Form method="get" className="search" aria-label="As-of date">
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor="filter-asOf">Progress as of</label>
        {error ? <p className="field-error" id="filter-asOf-error">{error}</p> : null}
        <input id="filter-asOf" name="asOf" type="date" defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={error ? "filter-asOf-error" : undefined} />
      </div>
      <button type="submit">Show progress</button>
    </Form>
  );
}

export default function GoalList() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p><Link to="/lead">Reach dashboard</Link></p>
      <h1>Goals</h1>
      {d.ok && d.notice ? <p className="notice" role="status">{d.notice}</p> : null}
      <p className="muted">
        Each goal's progress is counted from the same figures as the reach pages. The pace needed is what must be gained every 30 days
        from now to reach the target on the deadline; the current pace is the gain over the last {PACE_WINDOW_DAYS} days. A goal is on track
        when the current pace, kept up, reaches the target by the deadline, and at risk when it does not.
      </p>
      <p className="actions"><Link className="button" to="/lead/goals/new">New goal</Link></p>
      {!d.ok ? (
        <>
          <ErrorList errors={d.errors} title="There is a problem with the date" />
          <AsOfForm value={d.asOfValue} error={d.errors.asOf} />
        </>
      ) : (
        <>
          <AsOfForm value={d.asOfValue} />
          <section className="panel" aria-labelledby="active-goals">
            <h2 id="active-goals">Active goals</h2>
            {d.active.length === 0 ? <p>No active goals yet. <Link to="/lead/goals/new">Set the first goal</Link>.</p> : (
              <>
                <GoalTable goals={d.active} caption={`Active goals, progress as of ${formatDate(d.asOf)}`} />
                <p className="actions"><DownloadCsvLink href={csvHref("/lead/goals/export.csv", { table: "active", asOf: d.asOf })} label="active goals" /></p>
              </>
            )}
          </section>
          <section className="panel" aria-labelledby="archived-goals">
            <h2 id="archived-goals">Archived goals</h2>
            {d.archived.length === 0 ? <p className="muted">No archived goals.</p> : (
              <>
                <GoalTable goals={d.archived} caption={`Archived goals, progress as of ${formatDate(d.asOf)}`} />
                <p className="actions"><DownloadCsvLink href={csvHref("/lead/goals/export.csv", { table: "archived", asOf: d.asOf })} label="archived goals" /></p>
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
