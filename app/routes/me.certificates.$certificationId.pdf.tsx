import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { certificateFileName, getCertificateForPdf, renderCertificatePdf } from "~/models/certificate-pdf.server";

/** The member's own certificate as a PDF. Anyone else's id is a 404: its existence is not revealed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const cert = user.personId && params.certificationId ? await getCertificateForPdf(params.certificationId, user.personId) : null;
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
