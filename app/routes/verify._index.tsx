import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { codeFromInput } from "~/domain/verification-code";
import { pickVerifyLanguage, VERIFY_MESSAGES } from "~/domain/verify-messages";
import { LanguageSwitch, VerifyCodeForm } from "~/components/verify-code-form";
import { PUBLIC_CHECK_HEADERS, PUBLIC_CHECK_ROBOTS_META } from "~/utils/public-check-headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: VERIFY_MESSAGES[data?.lang ?? "en"].formTitle },
  PUBLIC_CHECK_ROBOTS_META,
];

export const headers: HeadersFunction = () => PUBLIC_CHECK_HEADERS;

/** No sign-in: anyone holding a certificate's code may check it. ?code= goes to /verify/<code>. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = pickVerifyLanguage(url.searchParams.get("lang"), request.headers.get("Accept-Language"));
  const typed = url.searchParams.get("code");
  if (typed === null) return data({ lang, error: null }, { headers: PUBLIC_CHECK_HEADERS });
  const code = codeFromInput(typed);
  if (code === "") return data({ lang, error: VERIFY_MESSAGES[lang].emptyCode }, { status: 400, headers: PUBLIC_CHECK_HEADERS });
  const langQuery = url.searchParams.has("lang") ? `?lang=${lang}` : "";
  return redirect(`/verify/${encodeURIComponent(code)}${langQuery}`, { headers: PUBLIC_CHECK_HEADERS });
}

export default function VerifyIndex() {
  const { lang, error } = useLoaderData<typeof loader>();
  const t = VERIFY_MESSAGES[lang];
  return (
    <div className="narrow" lang={lang === "en" ? undefined : lang}>
      <LanguageSwitch t={t} />
      <h1>{t.formTitle}</h1>
      <p>{t.formIntro}</p>
      <VerifyCodeForm t={t} lang={lang} error={error} />
      <p className="muted">{t.privacyNote}</p>
    </div>
  );
}
