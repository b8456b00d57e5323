import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getPublicCertificate } from "~/models/public-certificate.server";
import { formatVerifyDate, pickVerifyLanguage, VERIFY_MESSAGES, type PublicCertificateStatus } from "~/domain/verify-messages";
import { LanguageSwitch, VerifyCodeForm } from "~/components/verify-code-form";
import { PUBLIC_CHECK_HEADERS, PUBLIC_CHECK_ROBOTS_META } from "~/utils/public-check-headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: VERIFY_MESSAGES[data?.lang ?? "en"].metaTitle },
  PUBLIC_CHECK_ROBOTS_META,
];

export const headers: HeadersFunction = () => PUBLIC_CHECK_HEADERS;

/**
 * The public certificate check. No sign-in. Shows only the name as printed, the program, the
 * dates and the status; any code that does not match (wrong or malformed) gets the same 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = pickVerifyLanguage(url.searchParams.get("lang"), request.headers.get("Accept-Language"));
  const found = await getPublicCertificate(params.code ?? "");
  if (!found) {
    return data({ lang, certificate: null, message: VERIFY_MESSAGES[lang].notFound }, { status: 404, headers: PUBLIC_CHECK_HEADERS });
  }
  const certificate = {
    nameAsPrinted: found.nameAsPrinted,
    programName: found.programName,
    issuedOn: { iso: found.issuedOn.toISOString().slice(0, 10), text: formatVerifyDate(found.issuedOn, lang) },
    expiresOn: found.expiresOn ? { iso: found.expiresOn.toISOString().slice(0, 10), text: formatVerifyDate(found.expiresOn, lang) } : null,
    status: found.status,
    revokedOn: found.revokedOn ? { iso: found.revokedOn.toISOString().slice(0, 10), text: formatVerifyDate(found.revokedOn, lang) } : undefined,
  };
  return data({ lang, certificate, message: null }, { headers: PUBLIC_CHECK_HEADERS });
}

const STATUS_TONE: Record<PublicCertificateStatus, string> = {
  active: "tag-ok",
  "renewal-due": "tag-ok",
  expired: "tag-danger",
  renewed: "tag-muted",
  "not-yet-valid": "tag-muted",
  revoked: "tag-danger",
};

export default function VerifyCertificate() {
  const { lang, certificate, message } = useLoaderData<typeof loader>();
  const t = VERIFY_MESSAGES[lang];
  return (
    <div className="narrow" lang={lang === "en" ? undefined : lang}>
      <LanguageSwitch t={t} />
      <h1>{t.resultTitle}</h1>
      {certificate ? (
        <section className="panel" aria-label={t.resultTitle}>
          {certificate.revokedOn ? (
            <p className="error-summary" role="status">{t.revokedNotice(certificate.revokedOn.text)}</p>
          ) : null}
          <dl className="facts">
            <dt>{t.name}</dt>
            <dd>{certificate.nameAsPrinted}</dd>
            <dt>{t.program}</dt>
            <dd>{certificate.programName}</dd>
            <dt>{t.issuedOn}</dt>
            <dd><time dateTime={certificate.issuedOn.iso}>{certificate.issuedOn.text}</time></dd>
            <dt>{t.expiresOn}</dt>
            <dd>{certificate.expiresOn ? <time dateTime={certificate.expiresOn.iso}>{certificate.expiresOn.text}</time> : t.neverExpires}</dd>
            <dt>{t.status}</dt>
            <dd><span className={`tag ${STATUS_TONE[certificate.status]}`}>{t.statuses[certificate.status]}</span></dd>
            {certificate.revokedOn ? (
              <>
                <dt>{t.revokedOn}</dt>
                <dd><time dateTime={certificate.revokedOn.iso}>{certificate.revokedOn.text}</time></dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : (
        <section className="error-summary" role="alert" aria-labelledby="not-found">
          <h2 id="not-found">{message}</h2>
          <p>{t.notFoundHelp}</p>
        </section>
      )}
      <VerifyCodeForm t={t} lang={lang} headingLevel="h2" />
      <p className="muted">{t.privacyNote}</p>
    </div>
  );
}
