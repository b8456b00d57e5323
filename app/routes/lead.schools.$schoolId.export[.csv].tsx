import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { canSeeStudentNamesAt, canViewSchoolReach, SCHOOL_REACH_ROLES } from "~/domain/reach-access";
import { isoDay, parseReachFilters } from "~/domain/reach-filters";
import { parsePeopleQuery, PEOPLE_LISTS } from "~/domain/reach-people";
import { csvFileName, parseCsvTable, peopleCsv, schoolProgramsCsv } from "~/domain/reach-csv";
import { formatSchoolYear } from "~/domain/school-year";
import { loadSchoolReachPage } from "~/models/reach.server";
import { allPeopleBehind } from "~/models/reach-export.server";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

const SCHOOL_TABLES = ["programs", "people"] as const;

const NOT_FOUND = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/**
 * GET /lead/schools/:schoolId/export.csv?table=programs|people&list=…: a school page's table with its
 * filters. The same rules as the page: a coordinator exports their own schools only (another is "not
 * found"), and students' names go only to those who work with the school.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...SCHOOL_REACH_ROLES);
  const schoolId = params.schoolId ?? "";
  if (!canViewSchoolReach(user, schoolId)) throw NOT_FOUND();
  const search = new URL(request.url).searchParams;
  const parsed = parseReachFilters(search, new Date());
  const people = parsePeopleQuery(search);
  const table = parseCsvTable(search.get("table"), SCHOOL_TABLES);
  const errors: Record<string, string> = { ...(parsed.ok ? {} : parsed.errors), ...(people.ok ? {} : people.errors), ...(table.ok ? {} : { table: table.error }) };
  if (table.ok && table.table === "people" && people.ok && !people.list) errors.list = "List is required for the people table";
  const f = parsed.filters;
  const page = await loadSchoolReachPage({ viewer: user, schoolId, filters: f, list: null, listPage: 1, showStudentNames: false });
  if (!page) throw NOT_FOUND();
  if (!parsed.ok || !people.ok || !table.ok || Object.keys(errors).length > 0) return csvRefusal(400, errors);
  if (!page.ok) return csvRefusal(400, page.errors);
  const when = [formatSchoolYear(f.schoolYear), "as-of", isoDay(f.asOf)];
  if (table.table === "people" && people.list) {
    if (PEOPLE_LISTS[people.list].kind === "STUDENT" && !canSeeStudentNamesAt(user, schoolId)) {
      return csvRefusal(403, { list: "Students' names are for this school's coordinator and administrators; the page shows them as counts" });
    }
    const rows = await allPeopleBehind({ viewer: user, list: people.list, filters: f, programId: page.program.id, scope: { schoolIds: [schoolId] } });
    return csvAttachment(csvFileName(["reach", page.school.code, people.list, page.program.code, ...when]), peopleCsv(rows));
  }
  return csvAttachment(csvFileName(["reach", page.school.code, "programs", ...when]), schoolProgramsCsv(page.byProgram));
}
