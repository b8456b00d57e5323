import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { beginSsoSignIn, ssoConfig } from "~/models/sso.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Mental Health Training Tracker" }];

// Starts single sign-on: the login page's button posts here (works without JavaScript); a GET starts it too, so a
// link can. Either way the browser goes on to the provider, and redirectTo waits in the sign-in cookie.
async function start(redirectTo: FormDataEntryValue | null) {
  const config = ssoConfig();
  if (!config) throw new Response("Single sign-on is not configured.", { status: 404 });
  const begun = await beginSsoSignIn(config, redirectTo);
  if (!begun.ok) return data({ message: begun.message }, { status: begun.status, headers: begun.headers });
  throw redirect(begun.url, { headers: begun.headers });
}

export async function loader({ request }: LoaderFunctionArgs) {
  return start(new URL(request.url).searchParams.get("redirectTo"));
}

export async function action({ request }: ActionFunctionArgs) {
  return start((await request.formData()).get("redirectTo"));
}

export default function SingleSignOnUnavailable() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <p className="notice" role="alert">{message}</p>
      <p><Link to="/login">Back to sign in</Link></p>
    </div>
  );
}
