import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { SignInSchema } from "~/forms/auth";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { parseForm } from "~/utils/forms";
import { clientAddress, createUserSession, getUser } from "~/session.server";
import { claimSignInAttempt, forgiveSignInFailures, purgeStaleSignInRecords, verifySignIn } from "~/models/user.server";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { getEnv } from "~/env.server";
import { ssoConfig } from "~/models/sso.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Mental Health Training Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homePathFor(user.role));
  return { ssoProvider: ssoConfig()?.providerName ?? null };
}

function tryAgainIn(seconds: number): string {
  if (seconds < 90) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await request.formData(), SignInSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, password, redirectTo } = parsed.data;
  const ip = clientAddress(request, context);
  const claim = await claimSignInAttempt(email, ip, getEnv().SIGN_IN_MAX_FAILURES);
  if (!claim.allowed) {
    // The password is not even checked, so a right one learns nothing here either.
    return data(
      { errors: { form: `Too many failed sign-in attempts. Try again in ${tryAgainIn(claim.retryAfterSeconds)}.` }, values: { email } },
      { status: 429, headers: { "Retry-After": String(claim.retryAfterSeconds) } },
    );
  }
  const user = await verifySignIn(email, password);
  await purgeStaleSignInRecords();
  if (!user) return data({ errors: { form: "Email or password is incorrect." }, values: { email } }, { status: 400 });
  await forgiveSignInFailures(email, ip);
  return createUserSession(request, user, redirectTo ? safeRedirectPath(redirectTo, homePathFor(user.role)) : undefined);
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { ssoProvider } = useLoaderData<typeof loader>();
  const { register, onSubmit, errorFor } = useValidatedForm(SignInSchema, actionData);
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {ssoProvider ? (
        // Single sign-on first: most staff have no password of ours. A link, not a form: the page's CSP allows forms
        // to post only to this site (form-action 'self'), and a form redirected to the provider would be blocked.
        <p>
          <a className="button" href={`/login/sso${searchParams.get("redirectTo") ? `?redirectTo=${encodeURIComponent(searchParams.get("redirectTo") ?? "")}` : ""}`}>
            Sign in with {ssoProvider}
          </a>
        </p>
      ) : null}
      <FormErrorSummary errors={actionData?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField name="email" label="Email" type="email" autoComplete="username" register={register}
          defaultValue={actionData?.values?.email} error={errorFor("email")} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" register={register}
          error={errorFor("password")} />
        <SubmitButton>Sign in</SubmitButton>
      </Form>
      <ul className="sign-in-others">
        <li><Link to={`/login/email${searchParams.get("redirectTo") ? `?redirectTo=${encodeURIComponent(searchParams.get("redirectTo") ?? "")}` : ""}`}>No password? Get a sign-in link by email</Link></li>
        <li><Link to="/login/reset">Forgot your password?</Link></li>
        <li><Link to="/login/email?lang=es" lang="es">Iniciar sesión en español</Link></li>
      </ul>
    </div>
  );
}
