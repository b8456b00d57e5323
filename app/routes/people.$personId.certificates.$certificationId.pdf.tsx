import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { canOpenPerson, CERTIFICATE_PDF_ROLES } from "~/models/people-directory.server";
import { certificateFileName, getCertificateForPdf, renderCertificatePdf } from "~/models/certificate-pdf.server";

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
  // Printed and in the QR code: the district's own address, never the Host header the request carried.
  const verifyUrl = `${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`;
  const pdf = await renderCertificatePdf({ ...cert, districtName: getEnv().DISTRICT_NAME, verifyUrl });
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${certificateFileName(cert.programCode, cert.lastName)}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
