import {
  data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import {
  CHECK_IN_MESSAGES, formatCheckInDate, pickCheckInLanguage, type CheckInLanguage,
} from "~/domain/check-in-messages";
import { checkInFormSchema } from "~/forms/check-in";
import { checkIn, throttleCheckInAddress, throttleCheckInLink, verifyToken, type RefusedCheckIn } from "~/models/check-in.server";
import { clientAddress } from "~/session.server";
import { TextField } from "~/components/form";
import { parseForm } from "~/utils/forms";
import { capabilityLinkHeaders } from "~/utils/capability-link-headers";
import checkInStyles from "~/styles/check-in.css?url";

/*
 * The public page behind the QR code: no sign-in. It shows the program and the date, and after
 * a check-in only "you're checked in" (on the roster) or "your trainer will confirm" (anyone else,
 * known or not: the same answer): never the roster, another person, or any student data.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkInStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: CHECK_IN_MESSAGES[data?.lang ?? "en"].pageTitle },
  { name: "robots", content: "noindex" },
];

// The token is a capability: no caching, no indexing, no Referer to other sites.
export const headers = capabilityLinkHeaders;

/**
 * Every answer of this page has this shape. After a post, someone not on the roster and a
 * district ID nobody has both get state "walk-in" with the same program and date: the very
 * same response, so the page never tells whether an ID exists.
 */
type PageData = {
  lang: CheckInLanguage;
  state: "open" | "invalid" | "closed" | "not-started" | "done" | "walk-in" | "error";
  programName: string | null;
  date: string | null;
  alreadyCheckedIn: boolean;
  errors: Record<string, string> | null;
  values: Record<string, string> | null;
};

function page(fields: Pick<PageData, "lang" | "state"> & Partial<PageData>, status = 200, headers?: HeadersInit) {
  const body: PageData = { programName: null, date: null, alreadyCheckedIn: false, errors: null, values: null, ...fields };
  return data(body, { status, headers });
}

/** Field values are short; a body much larger than the form is refused before it is read. */
const MAX_BODY_BYTES = 4_000;

function languageOf(request: Request, fromForm?: FormDataEntryValue | null): CheckInLanguage {
  const requested = typeof fromForm === "string" ? fromForm : new URL(request.url).searchParams.get("lang");
  return pickCheckInLanguage(requested, request.headers.get("Accept-Language"));
}

const districtDate = (instant: Date, lang: CheckInLanguage) => formatCheckInDate(instant, lang, getEnv().DISTRICT_TIME_ZONE);

function refused(lang: CheckInLanguage, refusal: RefusedCheckIn, posted: boolean) {
  if (refusal.reason === "not-started") {
    // A link opened ahead of its day: the page says when; a post is refused as too early.
    return page({ lang, state: "not-started", date: districtDate(refusal.startsAt, lang) }, posted ? 409 : 200);
  }
  return page({ lang, state: refusal.reason === "invalid" ? "invalid" : "closed" }, refusal.reason === "invalid" ? 404 : 410);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = languageOf(request);
  const verified = await verifyToken(params.token ?? "");
  if (!verified.ok) return refused(lang, verified, false);
  return page({ lang, state: "open", programName: verified.session.programName, date: districtDate(verified.day.startsAt, lang) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    const lang = languageOf(request);
    return page({ lang, state: "error", errors: { form: CHECK_IN_MESSAGES[lang].errors.tooLarge } }, 413);
  }
  const form = await request.formData();
  const lang = languageOf(request, form.get("lang"));
  const token = params.token ?? "";
  const typed = (): Record<string, string> => {
    const values: Record<string, string> = {};
    for (const name of ["districtId", "firstName", "lastName", "email"]) {
      const v = form.get(name);
      if (typeof v === "string") values[name] = v.slice(0, 200);
    }
    return values;
  };
  const throttled = (retryAfterSeconds: number) =>
    page({ lang, state: "error", errors: { form: CHECK_IN_MESSAGES[lang].errors.tooManyTries }, values: typed() }, 429, { "Retry-After": String(retryAfterSeconds) });
  // Per address first, so one busy address does not use up the whole room's allowance.
  const byAddress = await throttleCheckInAddress(clientAddress(request, context));
  if (!byAddress.ok) return throttled(byAddress.retryAfterSeconds);
  const verified = await verifyToken(token);
  if (!verified.ok) return refused(lang, verified, true);
  const byLink = await throttleCheckInLink(verified.day.id);
  if (!byLink.ok) return throttled(byLink.retryAfterSeconds);
  const parsed = parseForm(form, checkInFormSchema(lang));
  if (!parsed.ok) return page({ lang, state: "error", errors: parsed.errors, values: parsed.values }, 400);
  const result = await checkIn(token, parsed.data);
  if (!result.ok) return refused(lang, result, true);
  const date = districtDate(result.startsAt, lang);
  if (result.outcome === "walk-in") return page({ lang, state: "walk-in", programName: result.programName, date });
  return page({ lang, state: "done", programName: result.programName, date, alreadyCheckedIn: result.alreadyCheckedIn });
}

export default function CheckInPage() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  // The latest answer wins; the form carries the page's language.
  const shown = posted ?? loaded;
  const { lang, state } = shown;
  const m = CHECK_IN_MESSAGES[lang];
  const errors = state === "error" ? shown.errors ?? {} : {};
  const values = state === "error" ? shown.values ?? {} : {};
  const errorEntries = Object.entries(errors);
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
      ) : state === "not-started" ? (
        <>
          <h1>{m.notStartedTitle}</h1>
          <p role="status">{m.notStartedBody(shown.date ?? "")}</p>
        </>
      ) : state === "done" ? (
        <>
          <h1>{m.checkedInTitle}</h1>
          <div className="done" role="status">
            <h2>✓ {m.checkedInTitle}</h2>
            <p>{m.checkedIn(shown.programName ?? "", shown.date ?? "")}</p>
            {shown.alreadyCheckedIn ? <p>{m.alreadyCheckedIn}</p> : null}
            <p>{m.closeThePage}</p>
          </div>
        </>
      ) : state === "walk-in" ? (
        <>
          <h1>{m.walkInTitle}</h1>
          <div className="done" role="status">
            <p>{m.walkInBody(shown.programName ?? "", shown.date ?? "")}</p>
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
                name="districtId" label={m.districtId} hint={m.districtIdHint} error={errors.districtId}
                defaultValue={values.districtId} maxLength={40} autoComplete="off" autoCapitalize="characters" spellCheck={false}
              />
            </fieldset>
            <fieldset>
              <legend>{m.orWithName}</legend>
              <p className="hint">{m.orWithNameHint}</p>
              <TextField name="firstName" label={m.firstName} error={errors.firstName} defaultValue={values.firstName} maxLength={80} autoComplete="given-name" />
              <TextField name="lastName" label={m.lastName} error={errors.lastName} defaultValue={values.lastName} maxLength={80} autoComplete="family-name" />
              <TextField name="email" label={m.email} type="email" error={errors.email} defaultValue={values.email} maxLength={200} autoComplete="email" inputMode="email" />
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
