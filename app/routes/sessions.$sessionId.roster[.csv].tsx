import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSessionAccess } from "~/guards.server";
import { rosterCsv } from "~/domain/record-exports";
import { csvFileName } from "~/domain/reach-csv";
import { sessionRosterForExport } from "~/models/record-exports.server";
import { csvAttachment } from "~/utils/csv-response.server";

/**
 * GET /sessions/:sessionId/roster.csv: the session page's roster with attendance, post-work, evaluation
 * and certificates. Same access as the page (404 for a session the viewer may not see) and the same
 * people: whoever the page only counts is a row with a label only. A roster is one session's (tens of
 * rows), so it is built whole.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "view");
  const { session, rows } = await sessionRosterForExport(sessionId, user);
  const first = session.days[0]?.toISOString().slice(0, 10);
  return csvAttachment(csvFileName(["roster", session.programCode, first, session.id]), rosterCsv(session.days, rows));
}
