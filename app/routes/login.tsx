import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { signInSchema } from "~/forms/auth";
import { isLanguage, languageFrom, type Language } from "~/domain/sign-in-messages";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { parseForm } from "~/utils/forms";
import { clientAddress, createUserSession, getUser } from "~/session.server";
import { claimSignInAttempt, forgiveSignInFailures, purgeStaleSignInRecords, verifySignIn } from "~/models/user.server";
import { homePathFor, safeRedirectPath } from "~/domain/roles";
import { getEnv } from "~/env.server";
import { ssoConfig } from "~/models/sso.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${WORDS[data?.lang ?? "en"].heading} · Mental Health Training Tracker` }];

/** The page's words: staff and members meet it first, so it speaks Spanish too (?lang=es, or the browser's choice). */
const WORDS: Record<Language, LoginWords> = {
  en: {
    heading: "Sign in", email: "Email", password: "Password", submit: "Sign in", sso: (p: string) => `Sign in with ${p}`,
    noPassword: "No password? Get a sign-in link by email", forgot: "Forgot your password?", switchTo: "Español", switchLang: "es",
    wrong: "Email or password is incorrect.", tooMany: (t: string) => `Too many failed sign-in attempts. Try again in ${t}.`,
    seconds: (n: number) => `${n} ${n === 1 ? "second" : "seconds"}`, minutes: (n: number) => `${n} minutes`,
  },
  es: {
    heading: "Iniciar sesión", email: "Correo electrónico", password: "Contraseña", submit: "Entrar", sso: (p: string) => `Entrar con ${p}`,
    noPassword: "¿No tiene contraseña? Reciba un enlace por correo", forgot: "¿Olvidó su contraseña?", switchTo: "English", switchLang: "en",
    wrong: "El correo o la contraseña no son correctos.", tooMany: (t: string) => `Demasiados intentos fallidos. Inténtelo de nuevo en ${t}.`,
    seconds: (n: number) => `${n} ${n === 1 ? "segundo" : "segundos"}`, minutes: (n: number) => `${n} minutos`,
  },
};

type LoginWords = {
  heading: string; email: string; password: string; submit: string; sso: (provider: string) => string;
  noPassword: string; forgot: string; switchTo: string; switchLang: Language;
  wrong: string; tooMany: (time: string) => string; seconds: (n: number) => string; minutes: (n: number) => string;
};

function languageOf(request: Request, posted?: FormDataEntryValue | null): Language {
  if (isLanguage(posted)) return posted;
  return languageFrom(new URL(request.url).searchParams.get("lang"), request.headers.get("Accept-Language"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homePathFor(user.role));
  return { ssoProvider: ssoConfig()?.providerName ?? null, lang: languageOf(request) };
}

function tryAgainIn(seconds: number, lang: Language): string {
  return seconds < 90 ? WORDS[lang].seconds(seconds) : WORDS[lang].minutes(Math.ceil(seconds / 60));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const lang = languageOf(request, formData.get("lang"));
  const parsed = parseForm(formData, signInSchema(lang));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, password, redirectTo } = parsed.data;
  const ip = clientAddress(request, context);
  const claim = await claimSignInAttempt(email, ip, getEnv().SIGN_IN_MAX_FAILURES);
  if (!claim.allowed) {
    // The password is not even checked, so a right one learns nothing here either.
    return data(
      { errors: { form: WORDS[lang].tooMany(tryAgainIn(claim.retryAfterSeconds, lang)) }, values: { email } },
      { status: 429, headers: { "Retry-After": String(claim.retryAfterSeconds) } },
    );
  }
  const user = await verifySignIn(email, password);
  await purgeStaleSignInRecords();
  if (!user) return data({ errors: { form: WORDS[lang].wrong }, values: { email } }, { status: 400 });
  await forgiveSignInFailures(email, ip);
  return createUserSession(request, user, redirectTo ? safeRedirectPath(redirectTo, homePathFor(user.role)) : undefined);
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { ssoProvider, lang } = useLoaderData<typeof loader>();
  const { register, onSubmit, errorFor } = useValidatedForm(signInSchema(lang), actionData);
  const w = WORDS[lang];
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const keep = (params: Record<string, string>) => {
    const query = new URLSearchParams(Object.entries({ ...params, ...(redirectTo ? { redirectTo } : {}) }).filter(([, v]) => v !== ""));
    return query.size ? `?${query}` : "";
  };
  return (
    <div className="narrow" lang={lang}>
      <p><a href={`/login${keep({ lang: w.switchLang })}`} lang={w.switchLang}>{w.switchTo}</a></p>
      <h1>{w.heading}</h1>
      {ssoProvider ? (
        // Single sign-on first: most staff have no password of ours. A link, not a form: the page's CSP allows forms
        // to post only to this site (form-action 'self'), and a form redirected to the provider would be blocked.
        <p>
          <a className="button" href={`/login/sso${keep({})}`}>
            {w.sso(ssoProvider)}
          </a>
        </p>
      ) : null}
      <FormErrorSummary errors={actionData?.errors} />
      <Form method="post" onSubmit={onSubmit} noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <input type="hidden" name="lang" value={lang} />
        <TextField name="email" label={w.email} type="email" autoComplete="username" register={register}
          defaultValue={actionData?.values?.email} error={errorFor("email")} />
        <TextField name="password" label={w.password} type="password" autoComplete="current-password" register={register}
          error={errorFor("password")} />
        <SubmitButton>{w.submit}</SubmitButton>
      </Form>
      <ul className="sign-in-others">
        <li><Link to={`/login/email${keep({ lang: lang === "es" ? "es" : "" })}`}>{w.noPassword}</Link></li>
        <li><Link to={`/login/reset${keep({ lang: lang === "es" ? "es" : "" })}`}>{w.forgot}</Link></li>
      </ul>
    </div>
  );
}
