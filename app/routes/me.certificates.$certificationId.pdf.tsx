import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { certificatePdfResponse, getCertificateForPdf, requestedLanguage } from "~/models/certificate-pdf.server";

/** The member's own certificate as a PDF. Anyone else's id is a 404: its existence is not revealed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const cert = user.personId && params.certificationId ? await getCertificateForPdf(params.certificationId, user.personId) : null;
  if (!cert) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return certificatePdfResponse(cert, { language: requestedLanguage(request) });
}
