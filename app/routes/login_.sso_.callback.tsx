import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { completeSsoSignIn, ssoConfig } from "~/models/sso.server";
import { createUserSession } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Mental Health Training Tracker" }];

// The provider sends the browser back here. Success signs in and goes on (to redirectTo or the role's home page);
// anything else is this page with one plain sentence.
export async function loader({ request }: LoaderFunctionArgs) {
  const config = ssoConfig();
  if (!config) throw new Response("Single sign-on is not configured.", { status: 404 });
  const result = await completeSsoSignIn(config, request);
  if (!result.ok) return data({ message: result.message }, { status: result.status, headers: result.headers });
  const response = await createUserSession(request, result.user, result.redirectTo ?? undefined);
  for (const cookie of result.headers.getSetCookie()) response.headers.append("Set-Cookie", cookie);
  throw response;
}

export default function SingleSignOnRefused() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Sign-in did not work</h1>
      <p className="notice" role="alert">{message}</p>
      <p><Link to="/login">Back to sign in</Link> · <Link to="/login/email">Get a sign-in link by email</Link></p>
    </div>
  );
}
