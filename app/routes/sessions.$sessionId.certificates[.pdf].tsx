import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireSessionAccess } from "~/guards.server";
import { certificatePdfResponse, listSessionCertificatesForPdf, requestedLanguage, sessionCertificatesPdfResponse } from "~/models/certificate-pdf.server";

/** ?certificate=<id>: one of the session's certificates alone (the session page links each holder's). */
const QuerySchema = z.object({ certificate: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "certificate must be the id of one of this session's certificates").optional() });

/**
 * Every certificate the session issued as one PDF, one page each, for printing: for the session's
 * trainers and administrators. Each page is in its holder's language unless `?lang=en|es` is given.
 * A session that issued none is a 404. With `?certificate=<id>`, that one certificate alone.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const language = requestedLanguage(request);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw data({ message: query.error.issues[0]?.message ?? "Bad query string" }, { status: 400 });
  const certs = await listSessionCertificatesForPdf(user, sessionId);
  if (query.data.certificate) {
    const one = certs.find((c) => c.certificationId === query.data.certificate);
    if (!one) throw new Response("This session issued no such certificate.", { status: 404, statusText: "Not Found" });
    return certificatePdfResponse(one, { language });
  }
  if (certs.length === 0) throw new Response("This session has issued no certificates.", { status: 404, statusText: "Not Found" });
  return sessionCertificatesPdfResponse(sessionId, certs, { language });
}
