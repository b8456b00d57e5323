import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { csvFileName } from "~/domain/reach-csv";
import { districtToday, INSTRUCTOR_CSV_HEADER, INSTRUCTOR_RECORD_ROLES, instructorStandingsForExport, parseInstructorFilters } from "~/models/instructors.server";
import { csvRefusal } from "~/utils/csv-response.server";
import { csvStreamAttachment } from "~/utils/csv-stream.server";

/**
 * GET /instructors/export.csv?program=…&status=…: the instructors' standing table as a spreadsheet, with
 * the page's filters (program leads and administrators). Bad filters are a 400 naming each field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...INSTRUCTOR_RECORD_ROLES);
  const parsed = await parseInstructorFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return csvRefusal(400, parsed.errors);
  return csvStreamAttachment(
    csvFileName(["instructors", parsed.filters.status, districtToday()]),
    INSTRUCTOR_CSV_HEADER,
    instructorStandingsForExport(user, parsed.filters),
  );
}
