import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { isoDay, parseReachFilters } from "~/domain/reach-filters";
import { areaCsv, columnsFor, csvFileName, parseCsvTable, schoolCsv } from "~/domain/reach-csv";
import { formatSchoolYear } from "~/domain/school-year";
import { loadReachDashboard } from "~/models/reach.server";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

const DASHBOARD_TABLES = ["schools", "regions", "district"] as const;

/**
 * GET /lead/export.csv?table=district|regions|schools&…: a table of the reach dashboard as a spreadsheet,
 * with the page's filters (the same query string, read by the same code). The schools table is every
 * page of it, in the page's order.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const params = new URL(request.url).searchParams;
  const parsed = parseReachFilters(params, new Date());
  const table = parseCsvTable(params.get("table"), DASHBOARD_TABLES);
  const errors = { ...(parsed.ok ? {} : parsed.errors), ...(table.ok ? {} : { table: table.error }) };
  if (!parsed.ok || !table.ok) return csvRefusal(400, errors);
  const f = parsed.filters;
  const result = await loadReachDashboard(f, { page: "all" });
  if (!result.ok) return csvRefusal(400, result.errors);
  const show = columnsFor(f.audience);
  const content =
    table.table === "district" ? areaCsv([{ ...result.district, name: "District" }], show)
    : table.table === "regions" ? areaCsv(result.regions, show)
    : schoolCsv(result.schools, show);
  const name = csvFileName(["reach", table.table, result.region?.code, result.program.code, formatSchoolYear(f.schoolYear), "as-of", isoDay(f.asOf)]);
  return csvAttachment(name, content);
}
