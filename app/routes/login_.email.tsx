import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientAddress, getUser } from "~/session.server";
import { purgeOldLinks, requestSignInLink } from "~/models/sign-in-link.server";
import { emailLinkSchema } from "~/forms/sign-in-link";
import { LINK_MINUTES, SIGN_IN_WORDS, isLanguage, languageFrom, type Language } from "~/domain/sign-in-messages";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { fieldErrorsOf, formValues } from "~/utils/forms";
import { FormErrorSummary, SubmitButton, TextField } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${SIGN_IN_WORDS[data?.lang ?? "en"].linkPageTitle} · Mental Health Training Tracker` }];

function pageLanguage(request: Request, posted?: FormDataEntryValue | null): Language {
  if (isLanguage(posted)) return posted;
  return languageFrom(new URL(request.url).searchParams.get("lang"), request.headers.get("Accept-Language"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Someone already signed in who follows an email's link goes straight where it points.
  const user = await getUser(request);
  if (user) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo"), homePathFor(user.role)));
  return { lang: pageLanguage(request), redirectTo: safeRedirectPath(url.searchParams.get("redirectTo"), "") };
}

type Result = { sent: true; lang: Language } | { sent: false; lang: Language; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const lang = pageLanguage(request, formData.get("lang"));
  const parsed = emailLinkSchema(lang).safeParse(formValues(formData));
  if (!parsed.success) {
    const email = formData.get("email");
    return data<Result>({ sent: false, lang, errors: fieldErrorsOf(parsed.error), values: { email: typeof email === "string" ? email : "" } }, { status: 400 });
  }
  const redirectTo = safeRedirectPath(parsed.data.redirectTo, "") || null;
  const result = await requestSignInLink({ email: parsed.data.email, redirectTo, lang, clientAddress: clientAddress(request, context) });
  await purgeOldLinks();
  if (!result.ok) {
    const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
    return data<Result>({ sent: false, lang, errors: { form: SIGN_IN_WORDS[lang].tooMany(minutes) }, values: { email: parsed.data.email } }, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
  }
  return data<Result>({ sent: true, lang });
}

export default function EmailLinkPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const lang = result?.lang ?? loaded.lang;
  const w = SIGN_IN_WORDS[lang];
  const back = loaded.redirectTo ? `?redirectTo=${encodeURIComponent(loaded.redirectTo)}` : "";
  const switchHref = `?${new URLSearchParams({ lang: w.switchToLang, ...(loaded.redirectTo ? { redirectTo: loaded.redirectTo } : {}) })}`;
  return (
    <div className="narrow" lang={lang}>
      <p><Link to={switchHref} lang={w.switchToLang} reloadDocument>{w.switchTo}</Link></p>
      <h1>{result?.sent ? w.sentHeading : w.linkHeading}</h1>
      {result?.sent ? (
        <div role="status"><p className="notice">{w.sentBody(LINK_MINUTES)}</p></div>
      ) : (
        <>
          <p>{w.linkIntro}</p>
          <FormErrorSummary errors={result && !result.sent ? result.errors : undefined} />
          <Form method="post" noValidate>
            <input type="hidden" name="lang" value={lang} />
            <input type="hidden" name="redirectTo" value={loaded.redirectTo} />
            <TextField name="email" label={w.emailLabel} hint={w.emailHint} type="email" autoComplete="email"
              defaultValue={result && !result.sent ? result.values.email : ""} error={result && !result.sent ? result.errors.email : undefined} />
            <SubmitButton>{w.sendLink}</SubmitButton>
          </Form>
        </>
      )}
      <p><Link to={`/login${back}`}>{w.passwordInstead}</Link></p>
    </div>
  );
}
