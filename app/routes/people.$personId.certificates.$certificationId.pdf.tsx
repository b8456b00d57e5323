import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { canOpenPerson, CERTIFICATE_PDF_ROLES } from "~/models/people-directory.server";
import { certificatePdfResponse, getCertificateForPdf, requestedLanguage } from "~/models/certificate-pdf.server";

/**
 * A person's certificate as a PDF, for an administrator or the coordinator of the person's school.
 * Guarded as the person's page: a person the viewer may not open is a 404, and so is a certificate
 * that is not this person's.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...CERTIFICATE_PDF_ROLES);
  const { personId, certificationId } = params;
  const open = personId && certificationId ? await canOpenPerson(user, personId) : false;
  const cert = open && personId && certificationId ? await getCertificateForPdf(certificationId, personId) : null;
  if (!cert) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return certificatePdfResponse(cert, { language: requestedLanguage(request) });
}
