import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/session.server";
import { changeOwnPassword, hasPassword } from "~/models/user.server";
import { ChangePasswordSchema } from "~/forms/sign-in-link";
import { homePathFor } from "~/domain/roles";
import { parseForm, type FieldErrors } from "~/utils/forms";
import { FormErrorSummary, SubmitButton, TextField } from "~/components/form";
import { PASSWORD_MIN_LENGTH } from "~/forms/user";

export const meta: MetaFunction = () => [{ title: "Change your password · Mental Health Training Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { hasPassword: await hasPassword(user.id), home: homePathFor(user.role) };
}

type Result = { changed: true } | { changed: false; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await request.formData(), ChangePasswordSchema);
  if (!parsed.ok) return data<Result>({ changed: false, errors: parsed.errors }, { status: 400 });
  const outcome = await changeOwnPassword(user.id, user.authSessionId, parsed.data.current, parsed.data.password);
  if (outcome === "wrong-password") return data<Result>({ changed: false, errors: { current: "The current password is not right" } }, { status: 400 });
  if (outcome === "no-password") return data<Result>({ changed: false, errors: { form: "This account signs in by email link or single sign-on and has no password to change." } }, { status: 400 });
  return data<Result>({ changed: true });
}

export default function ChangePasswordPage() {
  const { hasPassword: withPassword, home } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!withPassword) {
    return (
      <div className="narrow">
        <h1>Your password</h1>
        <p>You sign in with a link sent to your email (or your district’s single sign-on), so there is no password to change.</p>
        <p><Link to={home}>Back</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Change your password</h1>
      {result?.changed ? (
        <div role="status"><p className="notice">Your password is changed. You stay signed in here; any other device is signed out.</p></div>
      ) : null}
      <FormErrorSummary errors={result && !result.changed ? result.errors : undefined} />
      <Form method="post" noValidate>
        <TextField name="current" label="Current password" type="password" autoComplete="current-password" error={result && !result.changed ? result.errors.current : undefined} />
        <TextField name="password" label="New password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} type="password" autoComplete="new-password" error={result && !result.changed ? result.errors.password : undefined} />
        <TextField name="confirm" label="New password, again" type="password" autoComplete="new-password" error={result && !result.changed ? result.errors.confirm : undefined} />
        <SubmitButton>Change the password</SubmitButton>
      </Form>
      <p><Link to={home}>Back</Link></p>
    </div>
  );
}
