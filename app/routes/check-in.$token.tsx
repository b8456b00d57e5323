import {
  data, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import {
  CHECK_IN_MESSAGES, formatCheckInDate, pickCheckInLanguage, type CheckInLanguage,
} from "~/domain/check-in-messages";
import { checkInFormSchema } from "~/forms/check-in";
import { checkIn, verifyToken } from "~/models/check-in.server";
import { TextField } from "~/components/form";
import { parseForm } from "~/utils/forms";
import checkInStyles from "~/styles/check-in.css?url";

/*
 * The public page behind the QR code: no sign-in. It shows the program and the date, and after
 * a check-in only "you're checked in": never the roster, another person, or any student data.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkInStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: CHECK_IN_MESSAGES[data?.lang ?? "en"].pageTitle },
  { name: "robots", content: "noindex" },
];

// The token is a capability: keep it out of caches and out of Referer headers to other sites.
// ("no-referrer" would make browsers send `Origin: null` on the form post, which Remix refuses.)
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex" });

type PageState = "open" | "invalid" | "closed";
/** Field values are short; a body much larger than the form is refused before it is read. */
const MAX_BODY_BYTES = 4_000;

function languageOf(request: Request, fromForm?: FormDataEntryValue | null): CheckInLanguage {
  const requested = typeof fromForm === "string" ? fromForm : new URL(request.url).searchParams.get("lang");
  return pickCheckInLanguage(requested, request.headers.get("Accept-Language"));
}

function refused(lang: CheckInLanguage, reason: "invalid" | "expired" | "closed") {
  const state: PageState = reason === "invalid" ? "invalid" : "closed";
  return data(
    { lang, state, programName: null, date: null, errors: undefined, values: undefined, alreadyCheckedIn: false },
    { status: reason === "invalid" ? 404 : 410 },
  );
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = languageOf(request);
  const verified = await verifyToken(params.token ?? "");
  if (!verified.ok) return refused(lang, verified.reason);
  return {
    lang, state: "open" as const, programName: verified.session.programName,
    date: formatCheckInDate(verified.day.startsAt, lang, getEnv().DISTRICT_TIME_ZONE),
  };
}

function formError(lang: CheckInLanguage, errors: Record<string, string>, values: Record<string, string>, status: number) {
  return data({ lang, state: "error" as const, errors, values, alreadyCheckedIn: false, programName: null, date: null }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    const lang = languageOf(request);
    return formError(lang, { form: CHECK_IN_MESSAGES[lang].errors.tooLarge }, {}, 413);
  }
  const form = await request.formData();
  const lang = languageOf(request, form.get("lang"));
  const parsed = parseForm(form, checkInFormSchema(lang));
  if (!parsed.ok) return formError(lang, parsed.errors, parsed.values, 400);
  const result = await checkIn(params.token ?? "", parsed.data);
  if (!result.ok) {
    if (result.reason === "unknown-district-id") {
      const typed: Record<string, string> = "districtId" in parsed.data ? { districtId: parsed.data.districtId } : {};
      return formError(lang, { districtId: CHECK_IN_MESSAGES[lang].errors.unknownDistrictId }, typed, 400);
    }
    return refused(lang, result.reason);
  }
  return {
    lang, state: "done" as const, errors: undefined, values: undefined, alreadyCheckedIn: result.alreadyCheckedIn,
    programName: result.programName, date: formatCheckInDate(result.startsAt, lang, getEnv().DISTRICT_TIME_ZONE),
  };
}

export default function CheckInPage() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  // The language of the latest answer: the form carries the page's language.
  const lang = posted?.lang ?? loaded.lang;
  const m = CHECK_IN_MESSAGES[lang];
  const state = posted?.state === "invalid" || posted?.state === "closed" || posted?.state === "done" ? posted.state : loaded.state;
  const errors = posted?.state === "error" ? posted.errors : undefined;
  const values = posted?.state === "error" ? posted.values : undefined;
  const errorEntries = Object.entries(errors ?? {});
  return (
    <div lang={lang} className="check-in-page">
      <p className="lang-switch">
        <Link to={`?lang=${m.switchToLang}`} lang={m.switchToLang} hrefLang={m.switchToLang}>{m.switchTo}</Link>
      </p>
      {state === "invalid" ? (
        <>
          <h1>{m.invalidTitle}</h1>
          <p>{m.invalidBody}</p>
        </>
      ) : state === "closed" ? (
        <>
          <h1>{m.closedTitle}</h1>
          <p>{m.closedBody}</p>
        </>
      ) : state === "done" && posted?.state === "done" ? (
        <>
          <h1>{m.checkedInTitle}</h1>
          <div className="done" role="status">
            <h2>✓ {m.checkedInTitle}</h2>
            <p>{m.checkedIn(posted.programName, posted.date)}</p>
            {posted.alreadyCheckedIn ? <p>{m.alreadyCheckedIn}</p> : null}
            <p>{m.closeThePage}</p>
          </div>
        </>
      ) : (
        <>
          <h1>{m.heading}</h1>
          {loaded.programName && loaded.date ? <p>{m.intro(loaded.programName, loaded.date)}</p> : null}
          {errorEntries.length ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <h2>{m.problem}</h2>
              <ul>
                {errorEntries.map(([field, message]) => (
                  <li key={field}>{field === "form" ? message : <a href={`#field-${field}`}>{message}</a>}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <Form method="post" noValidate>
            <input type="hidden" name="lang" value={lang} />
            <fieldset>
              <legend>{m.withDistrictId}</legend>
              <TextField
                name="districtId" label={m.districtId} hint={m.districtIdHint} error={errors?.districtId}
                defaultValue={values?.districtId} maxLength={40} autoComplete="off" autoCapitalize="characters" spellCheck={false}
              />
            </fieldset>
            <fieldset>
              <legend>{m.orWithName}</legend>
              <p className="hint">{m.orWithNameHint}</p>
              <TextField name="firstName" label={m.firstName} error={errors?.firstName} defaultValue={values?.firstName} maxLength={80} autoComplete="given-name" />
              <TextField name="lastName" label={m.lastName} error={errors?.lastName} defaultValue={values?.lastName} maxLength={80} autoComplete="family-name" />
              <TextField name="email" label={m.email} type="email" error={errors?.email} defaultValue={values?.email} maxLength={200} autoComplete="email" inputMode="email" />
            </fieldset>
            <button type="submit">{m.submit}</button>
          </Form>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  // Reached only on an unexpected error: the expected ones render above in the page's language.
  return (
    <div className="check-in-page">
      <h1>Something went wrong · Algo salió mal</h1>
      <p>Please try again, or see your trainer. · Inténtelo de nuevo o hable con su instructor.</p>
    </div>
  );
}
