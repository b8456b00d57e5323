import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { CERTIFICATES_HEADER, CERTIFICATE_EXPORT_ROLES, certificateFilterInput, certificateRow, parseCertificateFilters } from "~/domain/record-exports";
import { csvFileName } from "~/domain/reach-csv";
import { certificatesForExport, resolveCertificateScope } from "~/models/record-exports.server";
import { csvRefusal } from "~/utils/csv-response.server";
import { csvStreamAttachment } from "~/utils/csv-stream.server";

/**
 * GET /reports/certificates/export.csv?program=…&school=…|region=…&from=…&to=…: the certificates of a
 * program issued in the period, at a school, a region or the district (a coordinator: their schools).
 * Bad filters are a 400 naming each field; a coordinator asking for another school or a region, 403.
 * Written as it is read, a chunk of certificates at a time.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...CERTIFICATE_EXPORT_ROLES);
  const parsed = parseCertificateFilters(certificateFilterInput(new URL(request.url).searchParams));
  if (!parsed.ok) return csvRefusal(400, parsed.errors);
  const scope = await resolveCertificateScope(user, parsed.filters);
  if (!scope.ok) return csvRefusal(scope.status, scope.errors);
  const now = new Date();
  const f = parsed.filters;
  async function* rows() {
    for await (const chunk of certificatesForExport(user, f, scope.ok ? scope.scope : { schoolIds: [] }, now)) yield chunk.map((c) => certificateRow(c, now));
  }
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return csvStreamAttachment(csvFileName(["certificates", scope.program.code, scope.placeCode, day(f.from), "to", day(f.to)]), CERTIFICATES_HEADER, rows());
}
