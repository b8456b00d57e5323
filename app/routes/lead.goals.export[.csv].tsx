import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseAsOf } from "~/domain/goals";
import { csvFileName, goalsCsv, parseCsvTable } from "~/domain/reach-csv";
import { listGoalsWithProgress } from "~/models/goal.server";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

const GOAL_TABLES = ["active", "archived"] as const;

/** GET /lead/goals/export.csv?table=active|archived&asOf=…: the goal list with progress on the as-of day. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const search = new URL(request.url).searchParams;
  const asOf = parseAsOf(search, new Date());
  const table = parseCsvTable(search.get("table"), GOAL_TABLES);
  if (!asOf.ok || !table.ok) return csvRefusal(400, { ...(asOf.ok ? {} : { asOf: asOf.error }), ...(table.ok ? {} : { table: table.error }) });
  const goals = await listGoalsWithProgress({ archived: table.table === "archived", asOf: asOf.asOf });
  return csvAttachment(csvFileName(["goals", table.table, "as-of", asOf.value]), goalsCsv(goals));
}
