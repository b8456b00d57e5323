import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { createUserSession } from "~/session.server";
import { openSignInLink, signInWithLink } from "~/models/sign-in-link.server";
import { LinkChoiceSchema } from "~/forms/sign-in-link";
import { SIGN_IN_WORDS, languageFrom, type Language } from "~/domain/sign-in-messages";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { SubmitButton } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${SIGN_IN_WORDS[data?.lang ?? "en"].chooseTitle} · Mental Health Training Tracker` }];

const languageOf = (request: Request): Language => languageFrom(new URL(request.url).searchParams.get("lang"), request.headers.get("Accept-Language"));

/**
 * Opening the link signs nobody in: mail scanners open links, and would use it up. The page asks the human to press
 * the button (and, for a shared mailbox, to say who they are); the POST signs in.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = languageOf(request);
  const opened = await openSignInLink(params.token ?? "");
  if (opened.state === "gone") return data({ lang, link: opened }, { status: 410 });
  return { lang, link: opened };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = languageOf(request);
  const formData = await request.formData();
  const raw = formData.get("who");
  const choice = raw === null ? null : LinkChoiceSchema.safeParse({ who: raw });
  if (choice && !choice.success) return data({ lang, error: SIGN_IN_WORDS[lang].chooseError }, { status: 400 });
  const used = await signInWithLink(params.token ?? "", choice?.success ? choice.data.who : null);
  if (used.ok) return createUserSession(request, used.user, safeRedirectPath(used.redirectTo, homePathFor(used.user.role)));
  if (used.reason === "choose") return data({ lang, error: SIGN_IN_WORDS[lang].chooseError }, { status: 400 });
  if (used.reason === "inactive") return data({ lang, error: SIGN_IN_WORDS[lang].inactive }, { status: 403 });
  throw redirect(`/login/link/${encodeURIComponent(params.token ?? "")}`);
}

export default function SignInLinkPage() {
  const { lang, link } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const w = SIGN_IN_WORDS[lang];
  if (link.state === "gone") {
    return (
      <div className="narrow" lang={lang}>
        <h1>{w.goneTitle}</h1>
        <p>{w.goneBody}</p>
        <p><Link to={`/login/email?lang=${lang}`}>{w.askAgain}</Link></p>
      </div>
    );
  }
  const only = link.candidates.length === 1 ? link.candidates[0] : null;
  return (
    <div className="narrow" lang={lang}>
      <h1>{w.chooseHeading}</h1>
      {result?.error ? (
        <div className="error-summary" role="alert" tabIndex={-1}><p>{result.error}</p></div>
      ) : null}
      <Form method="post">
        {only ? (
          <SubmitButton name="who" value={only.key}>{w.continueAs(only.name)}</SubmitButton>
        ) : (
          <>
            <p>{w.sharedMailbox}</p>
            <fieldset>
              <legend>{w.whoAreYou}</legend>
              {link.candidates.map((c, i) => (
                <div className="radio" key={c.key}>
                  <input type="radio" id={`who-${i}`} name="who" value={c.key} required />
                  <label htmlFor={`who-${i}`}>{c.name}</label>
                </div>
              ))}
            </fieldset>
            <SubmitButton>{w.continue}</SubmitButton>
          </>
        )}
      </Form>
    </div>
  );
}
