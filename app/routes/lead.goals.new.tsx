import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { schoolYearOf } from "~/domain/school-year";
import { startOfDayUtc } from "~/domain/program-rules";
import { GoalFormSchema, GOAL_SCOPES } from "~/forms/goal";
import { parseForm } from "~/utils/forms";
import { typedValues } from "~/forms/echo";
import { createGoal, loadGoalChoices } from "~/models/goal.server";
import { GoalForm } from "~/components/goal-form";

export const meta: MetaFunction = () => [{ title: "New goal · Program lead" }];

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The form starts from the page it was opened from: ?scope=SCHOOL&school=S001&program=YMHFA (a school
 * page's "Set a goal" link). Start today; deadline the end of this school year (30 June).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const choices = await loadGoalChoices();
  const params = new URL(request.url).searchParams;
  const today = startOfDayUtc(new Date());
  const scope = (params.get("scope") ?? "").toUpperCase();
  const programCode = (params.get("program") ?? "").toLowerCase();
  const program = choices.programs.find((p) => p.code.toLowerCase() === programCode);
  const region = params.get("region") ?? "";
  const defaults: Record<string, string> = {
    scope: GOAL_SCOPES.find((s) => s === scope) ?? "DISTRICT",
    regionId: choices.regions.some((r) => r.id === region) ? region : "",
    schoolCode: (params.get("school") ?? "").slice(0, 40),
    programId: program?.id ?? "",
    measure: "PEOPLE_TRAINED",
    target: "",
    startsOn: iso(today),
    deadline: iso(new Date(Date.UTC(schoolYearOf(today) + 1, 5, 30))),
  };
  return { choices, defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, GoalFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await createGoal(parsed.data, user.id);
  if (!saved.ok) return data({ errors: saved.errors, values: typedValues(formData) }, { status: 400 });
  return redirect(`/lead/goals/${saved.id}?created=1`);
}

export default function NewGoal() {
  const { choices, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/lead/goals">Back to goals</Link></p>
      <h1>New goal</h1>
      <p className="muted">A goal names a scope, a program, a measure, a target and a deadline. Its progress is computed from the reach figures, never typed in.</p>
      <GoalForm defaults={defaults} server={actionData} choices={choices} submitLabel="Create goal" />
    </>
  );
}
