import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { SESSION_ROLES } from "~/domain/session-access";
import { SESSIONS_HEADER, sessionRow } from "~/domain/record-exports";
import { csvFileName } from "~/domain/reach-csv";
import { SESSION_STATUSES } from "~/models/training-session.server";
import { sessionsForExport } from "~/models/record-exports.server";
import { csvRefusal } from "~/utils/csv-response.server";
import { csvStreamAttachment } from "~/utils/csv-stream.server";

/**
 * GET /sessions/export.csv?status=…: every session the sessions list shows the viewer with that status
 * filter (all its pages), written as it is read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...SESSION_ROLES);
  const rawStatus = (new URL(request.url).searchParams.get("status") ?? "").trim();
  const status = SESSION_STATUSES.find((s) => s === rawStatus);
  // The list ignores an unknown status; a file that silently held every session instead would mislead.
  if (rawStatus && !status) return csvRefusal(400, { status: `Status must be one of: ${SESSION_STATUSES.join(", ")} (or empty for any)` });
  async function* rows() {
    for await (const chunk of sessionsForExport(user, status)) yield chunk.map(sessionRow);
  }
  return csvStreamAttachment(csvFileName(["sessions", status?.toLowerCase(), new Date().toISOString().slice(0, 10)]), SESSIONS_HEADER, rows());
}
