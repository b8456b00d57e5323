import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { canSeeStudentNamesAcrossSchools, REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { isoDay, parseReachFilters } from "~/domain/reach-filters";
import { parsePeopleQuery, PEOPLE_LISTS } from "~/domain/reach-people";
import { areaCsv, columnsFor, csvFileName, parseCsvTable, peopleCsv, schoolCsv } from "~/domain/reach-csv";
import { formatSchoolYear } from "~/domain/school-year";
import { loadRegionReachPage } from "~/models/reach.server";
import { allPeopleBehind } from "~/models/reach-export.server";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

const REGION_TABLES = ["schools", "totals", "people"] as const;

/**
 * GET /lead/regions/:regionId/export.csv?table=totals|schools|people&list=…: a region page's table with
 * its filters. The people list is all of it; students' names only for the roles that may see them.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const search = new URL(request.url).searchParams;
  const parsed = parseReachFilters(search, new Date());
  const people = parsePeopleQuery(search);
  const table = parseCsvTable(search.get("table"), REGION_TABLES);
  const errors: Record<string, string> = { ...(parsed.ok ? {} : parsed.errors), ...(people.ok ? {} : people.errors), ...(table.ok ? {} : { table: table.error }) };
  if (table.ok && table.table === "people" && people.ok && !people.list) errors.list = "List is required for the people table";
  const f = { ...parsed.filters, regionId: null };
  const page = await loadRegionReachPage({ viewer: user, regionId: params.regionId ?? "", filters: f, list: null, listPage: 1, showStudentNames: false });
  if (!page) return csvRefusal(404, { region: "No such region" });
  if (!parsed.ok || !people.ok || !table.ok || Object.keys(errors).length > 0) return csvRefusal(400, errors);
  if (!page.ok) return csvRefusal(400, page.errors);
  const base = ["reach", page.region.code, page.program.code, formatSchoolYear(f.schoolYear), "as-of", isoDay(f.asOf)];
  if (table.table === "people" && people.list) {
    const list = PEOPLE_LISTS[people.list];
    if (list.kind === "STUDENT" && !canSeeStudentNamesAcrossSchools(user)) {
      return csvRefusal(403, { list: "Students' names across a region are for administrators only; the page shows them as counts" });
    }
    const rows = await allPeopleBehind({ viewer: user, list: people.list, filters: f, programId: page.program.id, scope: { regionId: page.region.id } });
    return csvAttachment(csvFileName([...base.slice(0, 2), people.list, ...base.slice(2)]), peopleCsv(rows));
  }
  const show = columnsFor(f.audience);
  const content = table.table === "totals" ? areaCsv([page.totals], show) : schoolCsv(page.schools, show);
  return csvAttachment(csvFileName([...base.slice(0, 2), table.table, ...base.slice(2)]), content);
}
