import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { createUserSession } from "~/session.server";
import { openPasswordReset, resetPasswordWithLink } from "~/models/sign-in-link.server";
import { newPasswordSchema } from "~/forms/sign-in-link";
import { SIGN_IN_WORDS, languageFrom, type Language } from "~/domain/sign-in-messages";
import { fieldErrorsOf, formValues, type FieldErrors } from "~/utils/forms";
import { FormErrorSummary, SubmitButton, TextField } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${SIGN_IN_WORDS[data?.lang ?? "en"].newPasswordTitle} · Mental Health Training Tracker` }];

const languageOf = (request: Request): Language => languageFrom(new URL(request.url).searchParams.get("lang"), request.headers.get("Accept-Language"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = languageOf(request);
  const account = await openPasswordReset(params.token ?? "");
  if (!account) return data({ lang, account: null }, { status: 410 });
  return { lang, account: { name: account.name } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = languageOf(request);
  const parsed = newPasswordSchema(lang).safeParse(formValues(await request.formData()));
  if (!parsed.success) return data<{ errors: FieldErrors }>({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const user = await resetPasswordWithLink(params.token ?? "", parsed.data.password);
  if (!user) return data<{ errors: FieldErrors }>({ errors: { form: SIGN_IN_WORDS[lang].goneBody } }, { status: 410 });
  return createUserSession(request, user);
}

export default function NewPasswordPage() {
  const { lang, account } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const w = SIGN_IN_WORDS[lang];
  if (!account) {
    return (
      <div className="narrow" lang={lang}>
        <h1>{w.goneTitle}</h1>
        <p>{w.goneBody}</p>
        <p><Link to={`/login/reset?lang=${lang}`}>{w.sendReset}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow" lang={lang}>
      <h1>{w.newPasswordHeading(account.name)}</h1>
      <FormErrorSummary errors={result?.errors} />
      <Form method="post" noValidate>
        <TextField name="password" label={w.newPassword} hint={w.newPasswordHint} type="password" autoComplete="new-password" error={result?.errors.password} />
        <TextField name="confirm" label={w.confirmPassword} type="password" autoComplete="new-password" error={result?.errors.confirm} />
        <SubmitButton>{w.savePassword}</SubmitButton>
      </Form>
    </div>
  );
}
