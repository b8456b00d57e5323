import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSessionAccess } from "~/guards.server";
import { listSessionCertificatesForPdf, requestedLanguage, sessionCertificatesPdfResponse } from "~/models/certificate-pdf.server";

/**
 * Every certificate the session issued as one PDF, one page each, for printing: for the session's
 * trainers and administrators. Each page is in its holder's language unless `?lang=en|es` is given.
 * A session that issued none is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const language = requestedLanguage(request);
  const certs = await listSessionCertificatesForPdf(user, sessionId);
  if (certs.length === 0) throw new Response("This session has issued no certificates.", { status: 404, statusText: "Not Found" });
  return sessionCertificatesPdfResponse(sessionId, certs, { language });
}
