import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { listExpiringForExport } from "~/models/coordinator-export.server";
import { toExcelCsv } from "~/utils/csv-write.server";

/** GET /coordinator/expiring.csv: the coordinator's "expiring in the next 90 days" list as a spreadsheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "COORDINATOR");
  const now = new Date();
  const rows = await listExpiringForExport(user, now, 90);
  const csv = toExcelCsv(
    ["Last name", "First name", "Schools", "Program", "Expires on", "Email"],
    rows.map((r) => [r.lastName, r.firstName, r.schools.join("; "), r.program, r.expiresOn?.toISOString().slice(0, 10) ?? "", r.email ?? ""]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="expiring-${now.toISOString().slice(0, 10)}.csv"`,
      // Names and emails: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
