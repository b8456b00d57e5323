import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { GoalFormSchema, goalFormValues } from "~/forms/goal";
import { parseForm } from "~/utils/forms";
import { typedValues } from "~/forms/echo";
import { getGoal, loadGoalChoices, updateGoal } from "~/models/goal.server";
import { GoalForm, goalTitle } from "~/components/goal-form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Edit ${goalTitle(d.goal)} · Goals` : "Edit goal" }];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const goal = await getGoal(params.goalId ?? "");
  if (!goal) throw notFound();
  return { goal, defaults: goalFormValues(goal), choices: await loadGoalChoices() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const goal = await getGoal(params.goalId ?? "");
  if (!goal) throw notFound();
  const formData = await request.formData();
  const parsed = parseForm(formData, GoalFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await updateGoal(goal.id, parsed.data, user.id);
  if (!saved.ok) return data({ errors: saved.errors, values: typedValues(formData) }, { status: 400 });
  return redirect(`/lead/goals/${goal.id}?saved=1`);
}

export default function EditGoal() {
  const { goal, defaults, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p><Link to={`/lead/goals/${goal.id}`}>Back to the goal</Link></p>
      <h1>Edit goal</h1>
      <p className="muted">{goalTitle(goal)}. Progress is recomputed from the reach figures after saving; the change is recorded in the goal's history.</p>
      <GoalForm defaults={defaults} server={actionData} choices={choices} submitLabel="Save goal" />
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Goal not found", body: "There is no goal at this address. It may have been mistyped." } }} />;
}
