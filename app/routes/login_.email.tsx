import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getUser } from "~/session.server";
import { requestSignInLink } from "~/models/sign-in-link.server";
import { emailLinkAction, pageLanguage } from "~/utils/email-link-request.server";
import { LINK_MINUTES, SIGN_IN_WORDS } from "~/domain/sign-in-messages";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { FormErrorSummary, SubmitButton, TextField } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${SIGN_IN_WORDS[data?.lang ?? "en"].linkPageTitle} · Mental Health Training Tracker` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Someone already signed in who follows an email's link goes straight where it points.
  const user = await getUser(request);
  if (user) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo"), homePathFor(user.role)));
  return { lang: pageLanguage(request), redirectTo: safeRedirectPath(url.searchParams.get("redirectTo"), "") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return emailLinkAction(request, context, requestSignInLink);
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
