import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseAsOf, scopePeriodParams } from "~/domain/goals";
import { PACE_WINDOW_DAYS } from "~/domain/reach";
import { GOAL_MEASURE_LABELS } from "~/forms/goal";
import { getGoal, goalGrowth, goalHistory, goalProgress, scopeLabel, setGoalArchived } from "~/models/goal.server";
import { ErrorList, GoalStatusTag } from "~/components/reach";
import { GrowthPanel } from "~/components/growth";
import { formatGoalValue, formatPace, goalTitle } from "~/components/goal-form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d && "goal" in d ? `${goalTitle(d.goal)} · Goals` : "Goal" }];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

const NOTICES: Record<string, string> = {
  created: "Goal created.",
  saved: "Goal saved.",
  archived: "Goal archived. It no longer appears among active goals or in reports; restore it to bring it back.",
  restored: "Goal restored.",
};

const HISTORY: Record<string, string> = {
  "goal.create": "Created the goal",
  "goal.update": "Changed the goal",
  "goal.archive": "Archived the goal",
  "goal.restore": "Restored the goal",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const goal = await getGoal(params.goalId ?? "");
  if (!goal) throw notFound();
  const url = new URL(request.url);
  const asOf = parseAsOf(url.searchParams, new Date());
  const [progress, growth, history] = await Promise.all([goalProgress(goal, asOf.asOf), goalGrowth(goal, asOf.asOf), goalHistory(goal.id)]);
  const notice = [...url.searchParams.keys()].map((k) => NOTICES[k]).find(Boolean) ?? null;
  const body = {
    goal, scopeLabel: scopeLabel(goal), progress, growth, history, notice,
    asOf: asOf.asOf.toISOString().slice(0, 10), asOfValue: asOf.value,
    errors: asOf.ok ? null : { asOf: asOf.error },
  };
  return asOf.ok ? body : data(body, { status: 400 });
}

/** Archive or restore (intent); anything else is refused and changes nothing. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const goal = await getGoal(params.goalId ?? "");
  if (!goal) throw notFound();
  const intent = (await request.formData()).get("intent");
  if (intent !== "archive" && intent !== "restore") {
    return data({ errors: { intent: "Choose Archive or Restore" } }, { status: 400 });
  }
  const archive = intent === "archive";
  if ((goal.archivedAt != null) !== archive) await setGoalArchived(goal.id, archive, user.id);
  return redirect(archive ? "/lead/goals?archived=1" : `/lead/goals/${goal.id}?restored=1`);
}

export default function GoalPage() {
  const d = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const { goal, progress } = d;
  const reach = goal.measure === "STAFF_REACH";
  const reportScope =
    goal.scope === "REGION" && goal.region ? { scope: "region", region: goal.region.id }
    : goal.scope === "SCHOOL" && goal.school ? { scope: "school", school: goal.school.code }
    : { scope: "district" };
  const reportLink = `/lead/report?${scopePeriodParams({ ...reportScope, program: goal.program.code }).toString()}`;
  return (
    <>
      <p><Link to="/lead/goals">Goals</Link></p>
      <h1>{goalTitle(goal)}</h1>
      {d.notice ? <p className="notice" role="status">{d.notice}</p> : null}
      {d.errors ? <ErrorList errors={d.errors} title="There is a problem with the date" /> : null}
      <p>
        <GoalStatusTag status={progress.status} />{goal.archivedAt ? <> <span className="tag tag-muted">Archived {formatDate(goal.archivedAt)}</span></> : null}
        {" "}<span className="muted">as of {formatDate(d.asOf)}</span>
      </p>
      <dl className="facts">
        <dt>Scope</dt><dd>{d.scopeLabel}</dd>
        <dt>Program</dt><dd>{goal.program.name}</dd>
        <dt>Measure</dt><dd>{GOAL_MEASURE_LABELS[goal.measure]}</dd>
        <dt>Target</dt><dd>{formatGoalValue(goal.measure, goal.target)}</dd>
        <dt>Start</dt><dd>{formatDate(goal.startsOn)}</dd>
        <dt>Deadline</dt><dd>{formatDate(goal.deadline)}</dd>
        <dt>Set by</dt><dd>{goal.createdBy?.name ?? "—"}</dd>
      </dl>

      <section className="panel" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <ul className="cards" aria-label="Goal figures">
          <li className="card">
            <span className="figure">{formatGoalValue(goal.measure, progress.value)}</span>
            {reach ? "staff reach now" : "trained since the start"}
            {progress.progress != null ? `, ${Math.round(progress.progress * 100)}% of the target` : ""}
          </li>
          <li className="card"><span className="figure">{formatPace(goal.measure, progress.neededPer30Days)}</span> pace needed to reach the target by the deadline</li>
          <li className="card"><span className="figure">{formatPace(goal.measure, progress.currentPer30Days)}</span> current pace (last {PACE_WINDOW_DAYS} days)</li>
          <li className="card"><span className="figure">{formatGoalValue(goal.measure, progress.projectedAtDeadline)}</span> projected at the deadline at the current pace</li>
          <li className="card"><span className="figure">{progress.daysLeft}</span> days left</li>
        </ul>
        {progress.status === "no-data" ? <p className="muted">The scope has no staff headcount for the school year, so reach cannot be measured yet.</p> : null}
      </section>

      <GrowthPanel
        rows={d.growth.rows}
        line={reach ? "reach" : "people"}
        goal
        headingId="goal-growth"
        title="Growth against the goal"
        caption={`${reach ? "Staff reach" : "People trained"} month by month against the goal line, ${formatDate(goal.startsOn)} to ${formatDate(goal.deadline)}`}
      />

      <div className="actions">
        <Link className="button secondary" to={`/lead/goals/${goal.id}/edit`}>Edit goal</Link>
        <Form method="post">
          {goal.archivedAt ? (
            <button type="submit" name="intent" value="restore" className="secondary">Restore goal</button>
          ) : (
            <button type="submit" name="intent" value="archive" className="secondary">Archive goal</button>
          )}
        </Form>
        <Link to={reportLink}>Printable report for this scope</Link>
      </div>

      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ul>
          {d.history.map((h) => (
            <li key={h.id}>{formatDateTime(h.at, timeZone)}: {HISTORY[h.action] ?? h.action}, by {h.by}</li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Goal not found", body: "There is no goal at this address. It may have been mistyped." } }} />;
}
