import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { lastTwelveMonthsFrom, parseScopePeriod } from "~/domain/goals";
import { csvFileName, growthCsv } from "~/domain/reach-csv";
import { loadGrowthPage } from "~/models/reach-report.server";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

/** GET /lead/growth/export.csv?scope=…&program=…&from=…&to=…&line=…: the growth table, month by month. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const today = new Date();
  const parsed = parseScopePeriod(new URL(request.url).searchParams, today, lastTwelveMonthsFrom);
  if (!parsed.ok) return csvRefusal(400, parsed.errors);
  const page = await loadGrowthPage(parsed.query, today);
  if (!page.ok) return csvRefusal(400, page.errors);
  const v = parsed.values;
  const where = page.where.school?.code ?? page.where.region?.code ?? "district";
  return csvAttachment(csvFileName(["growth", where, page.program.code, v.from, "to", v.to]), growthCsv(page.rows, v.line === "reach"));
}
