import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import { verifyUnsubscribeToken } from "~/domain/unsubscribe-token";
import { getReminderSubscription, setRemindersOptOut } from "~/models/reminders.server";
import { AppErrorBoundary } from "~/components/error-boundary";
import { memberDate } from "~/domain/member-words";
import { memberLink } from "~/domain/reminders";
import { isLanguage, type Language } from "~/domain/sign-in-messages";

export const meta: MetaFunction = () => [{ title: "Renewal reminder emails" }, { name: "robots", content: "noindex" }];

/**
 * No sign-in: the signed token in the email's link is the permission. GET only shows a button
 * (link scanners and previews follow GET links; they must not unsubscribe anyone); POST acts.
 */
async function personFromToken(token: string | undefined) {
  const personId = token ? verifyUnsubscribeToken(token, getEnv().sessionSecrets) : null;
  const person = personId ? await getReminderSubscription(personId) : null;
  if (!person) throw new Response("This unsubscribe link is not valid.", { status: 404 });
  return person;
}

type Words = {
  heading: string; unsubscribed: (n: string) => string; resubscribed: (n: string) => string; choose: string;
  offSince: (n: string, d: string) => string; again: string; ask: (n: string) => string; stop: string; seePage: string; signIn: string; switchTo: string;
};
const WORDS: Record<Language, Words> = {
  en: {
    heading: "Renewal reminder emails",
    unsubscribed: (n) => `Done, ${n}: you will get no more renewal reminder emails. Your certificates and their expiry dates are still on your page.`,
    resubscribed: (n) => `Done, ${n}: renewal reminder emails are on again.`,
    choose: "Choose one of the buttons.",
    offSince: (n, d) => `Renewal reminder emails are off for ${n} (since ${d}).`,
    again: "Send me renewal reminders again",
    ask: (n) => `${n}, we email you before a training certificate expires, so you can renew it in time. Do you want to stop these emails?`,
    stop: "Stop renewal reminder emails",
    seePage: "See your certificates and their expiry dates",
    signIn: "(we email you a sign-in link)",
    switchTo: "Español",
  },
  es: {
    heading: "Recordatorios de renovación por correo",
    unsubscribed: (n) => `Listo, ${n}: ya no recibirá recordatorios de renovación por correo. Sus certificados y sus fechas de vencimiento siguen en su página.`,
    resubscribed: (n) => `Listo, ${n}: los recordatorios de renovación por correo están activados de nuevo.`,
    choose: "Elija uno de los botones.",
    offSince: (n, d) => `Los recordatorios por correo están desactivados para ${n} (desde el ${d}).`,
    again: "Volver a enviarme recordatorios",
    ask: (n) => `${n}, le escribimos antes de que venza un certificado de capacitación para que pueda renovarlo a tiempo. ¿Quiere dejar de recibir estos correos?`,
    stop: "Dejar de recibir recordatorios por correo",
    seePage: "Ver sus certificados y sus fechas de vencimiento",
    signIn: "(le enviamos un enlace para iniciar sesión)",
    switchTo: "English",
  },
};

/** ?lang= wins (the member page and the emails pass it); else the person's own language. */
function languageOf(request: Request, personLanguage: string): Language {
  const asked = new URL(request.url).searchParams.get("lang");
  if (isLanguage(asked)) return asked;
  return personLanguage === "es" ? "es" : "en";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const person = await personFromToken(params.token);
  return { firstName: person.firstName, optedOutAt: person.remindersOptOutAt, lang: languageOf(request, person.language) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const person = await personFromToken(params.token);
  const lang = languageOf(request, person.language);
  const form = await request.formData();
  const intent = form.get("intent");
  // Mail clients' one-click unsubscribe (RFC 8058) posts List-Unsubscribe=One-Click.
  if (intent === "unsubscribe" || form.get("List-Unsubscribe") === "One-Click") {
    await setRemindersOptOut(person.id, true);
    return { done: "unsubscribed" as const };
  }
  if (intent === "resubscribe") {
    await setRemindersOptOut(person.id, false);
    return { done: "resubscribed" as const };
  }
  return data({ done: null, error: WORDS[lang].choose }, { status: 400 });
}

export default function Unsubscribe() {
  const { firstName, optedOutAt, lang } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const optedOut = optedOutAt != null;
  const w = WORDS[lang];
  const other: Language = lang === "es" ? "en" : "es";
  return (
    <div className="narrow" lang={lang}>
      <p><a href={`?lang=${other}`} lang={other}>{w.switchTo}</a></p>
      <h1>{w.heading}</h1>
      {result?.done === "unsubscribed" ? <p className="notice" role="status">{w.unsubscribed(firstName)}</p> : null}
      {result?.done === "resubscribed" ? <p className="notice" role="status">{w.resubscribed(firstName)}</p> : null}
      {result && "error" in result ? (
        <p className="field-error" role="alert">
          {result.error}
        </p>
      ) : null}
      {optedOut ? (
        <>
          {result?.done !== "unsubscribed" ? <p>{w.offSince(firstName, memberDate(optedOutAt, lang))}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="resubscribe" />
            <button type="submit" className="secondary">
              {w.again}
            </button>
          </Form>
        </>
      ) : (
        <>
          {result?.done !== "resubscribed" ? <p>{w.ask(firstName)}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="unsubscribe" />
            <button type="submit">{w.stop}</button>
          </Form>
        </>
      )}
      <p>
        <a href={memberLink("", "/me", lang)}>{w.seePage}</a> {w.signIn}.
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <AppErrorBoundary
      messages={{
        404: {
          title: "This link is not valid",
          body: "The unsubscribe link is incomplete or was changed. Copy the whole link from the email and try again.",
        },
      }}
    />
  );
}
