import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { auditFilterInput, readWholeAuditTrail, resolveAuditFilters } from "~/models/audit-trail.server";
import { AUDIT_KINDS, instantWords } from "~/domain/audit-words";
import { csvAttachment, csvRefusal } from "~/utils/csv-response.server";

/** GET /admin/audit/export.csv: the audit page's filtered trail as a spreadsheet (administrators only), newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const timeZone = getEnv().DISTRICT_TIME_ZONE;
  // The export is the whole filtered trail: a page link's cursor does not narrow it.
  const input = { ...auditFilterInput(new URL(request.url).searchParams), before: "" };
  const resolved = await resolveAuditFilters(input, timeZone);
  if (!resolved.ok) {
    const errors = Object.fromEntries(Object.entries(resolved.errors).flatMap(([field, message]) => (message ? [[field, message]] : [])));
    return csvRefusal(400, errors);
  }
  // Each row stands alone (the session is named); filtered by a person, an event about several tells that person's part.
  const { entries } = await readWholeAuditTrail(user, resolved.filters, { timeZone, context: { personId: resolved.filters.personId } });
  const kindLabels: Record<string, string> = Object.fromEntries(Object.entries(AUDIT_KINDS).map(([k, v]) => [k, v.label]));
  return csvAttachment(`audit-${new Date().toISOString().slice(0, 10)}.csv`, {
    header: ["When (district time)", "When (UTC)", "Done by", "Kind", "Action", "What happened"],
    rows: entries.map((e) => [instantWords(e.at, timeZone), e.at.toISOString(), e.actor, e.kind ? kindLabels[e.kind] ?? e.kind : "", e.action, e.words]),
  });
}
