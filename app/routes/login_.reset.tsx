import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getUser } from "~/session.server";
import { requestPasswordReset } from "~/models/sign-in-link.server";
import { emailLinkAction, pageLanguage } from "~/utils/email-link-request.server";
import { LINK_MINUTES, SIGN_IN_WORDS } from "~/domain/sign-in-messages";
import { homePathFor } from "~/domain/roles";
import { FormErrorSummary, SubmitButton, TextField } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${SIGN_IN_WORDS[data?.lang ?? "en"].resetTitle} · Mental Health Training Tracker` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homePathFor(user.role));
  return { lang: pageLanguage(request) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return emailLinkAction(request, context, (input) => requestPasswordReset(input));
}

export default function PasswordResetRequestPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const lang = result?.lang ?? loaded.lang;
  const w = SIGN_IN_WORDS[lang];
  return (
    <div className="narrow" lang={lang}>
      <p><Link to={`?lang=${w.switchToLang}`} lang={w.switchToLang} reloadDocument>{w.switchTo}</Link></p>
      <h1>{result?.sent ? w.sentHeading : w.resetHeading}</h1>
      {result?.sent ? (
        <div role="status"><p className="notice">{w.resetSentBody(LINK_MINUTES)}</p></div>
      ) : (
        <>
          <p>{w.resetIntro}</p>
          <FormErrorSummary errors={result && !result.sent ? result.errors : undefined} />
          <Form method="post" noValidate>
            <input type="hidden" name="lang" value={lang} />
            <TextField name="email" label={w.emailLabel} type="email" autoComplete="username"
              defaultValue={result && !result.sent ? result.values.email : ""} error={result && !result.sent ? result.errors.email : undefined} />
            <SubmitButton>{w.sendReset}</SubmitButton>
          </Form>
        </>
      )}
      <p><Link to={`/login/email?lang=${lang}`}>{w.noPassword}</Link></p>
    </div>
  );
}
