import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { SignInSchema } from "~/forms/auth";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { parseForm } from "~/utils/forms";
import { clientAddress, createUserSession, getUser } from "~/session.server";
import { clearSignInFailures, isSignInLocked, recordSignInFailure, verifySignIn } from "~/models/user.server";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { getEnv } from "~/env.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Mental Health Training Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homePathFor(user.role));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(await request.formData(), SignInSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, password, redirectTo } = parsed.data;
  const ip = clientAddress(request);
  if (await isSignInLocked(email, ip, getEnv().SIGN_IN_MAX_FAILURES)) {
    return data(
      { errors: { form: "Too many failed attempts. Wait 15 minutes and try again, or ask an administrator to reset your password." }, values: { email } },
      { status: 429 },
    );
  }
  const user = await verifySignIn(email, password);
  if (!user) {
    await recordSignInFailure(email, ip);
    return data({ errors: { form: "Email or password is incorrect." }, values: { email } }, { status: 400 });
  }
  await clearSignInFailures(email);
  return createUserSession(request, user, redirectTo ? safeRedirectPath(redirectTo, homePathFor(user.role)) : undefined);
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, errorFor } = useValidatedForm(SignInSchema, actionData);
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <FormErrorSummary errors={actionData?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField name="email" label="Email" type="email" autoComplete="username" register={register}
          defaultValue={actionData?.values?.email} error={errorFor("email")} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" register={register}
          error={errorFor("password")} />
        <SubmitButton>Sign in</SubmitButton>
      </Form>
    </div>
  );
}
