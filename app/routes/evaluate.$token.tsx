import {
  data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import { formatCheckInDate, pickCheckInLanguage } from "~/domain/check-in-messages";
import { COMMENT_MAX_LENGTH, EVALUATION_MESSAGES, type EvaluationLanguage } from "~/domain/evaluation-messages";
import { EVALUATION_RATINGS } from "~/domain/evaluation-summary";
import { evaluationFormSchema } from "~/forms/evaluation";
import {
  submitEvaluation, throttleEvaluationAddress, throttleEvaluationLink, verifyEvaluationLink, type RefusedEvaluationLink,
} from "~/models/evaluations.server";
import { clientAddress } from "~/session.server";
import { TextField } from "~/components/form";
import { parseForm } from "~/utils/forms";
import { capabilityLinkHeaders } from "~/utils/capability-link-headers";
import evaluationStyles from "~/styles/evaluation.css?url";

/*
 * The public page behind the evaluation QR code: no sign-in. It shows the program and the last
 * day's date, and after a post only "thank you", "already received" or "not on the roster":
 * never the roster, another person, or any student data.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: evaluationStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: EVALUATION_MESSAGES[data?.lang ?? "en"].pageTitle },
  { name: "robots", content: "noindex" },
];

// The token is a capability: no caching, no indexing, no Referer to other sites.
export const headers = capabilityLinkHeaders;

type PageData = {
  lang: EvaluationLanguage;
  state: "open" | "invalid" | "closed" | "received" | "already-received" | "not-on-roster" | "error";
  programName: string | null;
  date: string | null;
  errors: Record<string, string> | null;
  values: Record<string, string> | null;
};

function page(fields: Pick<PageData, "lang" | "state"> & Partial<PageData>, status = 200, headers?: HeadersInit) {
  const body: PageData = { programName: null, date: null, errors: null, values: null, ...fields };
  return data(body, { status, headers });
}

/** Ten short fields and a comment of at most 1,000 characters (4 bytes each at most); anything much larger is refused unread. */
const MAX_BODY_BYTES = 8_000;
const ECHOED = ["districtId", "firstName", "lastName", "email", ...EVALUATION_RATINGS, "recommend", "comment"];

function languageOf(request: Request, fromForm?: FormDataEntryValue | null): EvaluationLanguage {
  const requested = typeof fromForm === "string" ? fromForm : new URL(request.url).searchParams.get("lang");
  return pickCheckInLanguage(requested, request.headers.get("Accept-Language"));
}

const districtDate = (instant: Date, lang: EvaluationLanguage) => formatCheckInDate(instant, lang, getEnv().DISTRICT_TIME_ZONE);

function refused(lang: EvaluationLanguage, refusal: RefusedEvaluationLink) {
  return page({ lang, state: refusal.reason === "invalid" ? "invalid" : "closed" }, refusal.reason === "invalid" ? 404 : 410);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = languageOf(request);
  const verified = await verifyEvaluationLink(params.token ?? "");
  if (!verified.ok) return refused(lang, verified);
  return page({ lang, state: "open", programName: verified.session.programName, date: districtDate(verified.session.lastDayStartsAt, lang) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    const lang = languageOf(request);
    return page({ lang, state: "error", errors: { form: EVALUATION_MESSAGES[lang].errors.tooLarge } }, 413);
  }
  const form = await request.formData();
  const lang = languageOf(request, form.get("lang"));
  const token = params.token ?? "";
  const typed = (): Record<string, string> => {
    const values: Record<string, string> = {};
    for (const name of ECHOED) {
      const v = form.get(name);
      if (typeof v === "string") values[name] = v.slice(0, name === "comment" ? COMMENT_MAX_LENGTH + 200 : 200);
    }
    return values;
  };
  const throttled = (retryAfterSeconds: number) =>
    page({ lang, state: "error", errors: { form: EVALUATION_MESSAGES[lang].errors.tooManyTries }, values: typed() }, 429, { "Retry-After": String(retryAfterSeconds) });
  const byAddress = await throttleEvaluationAddress(clientAddress(request, context));
  if (!byAddress.ok) return throttled(byAddress.retryAfterSeconds);
  const verified = await verifyEvaluationLink(token);
  if (!verified.ok) return refused(lang, verified);
  const byLink = await throttleEvaluationLink(verified.session.id);
  if (!byLink.ok) return throttled(byLink.retryAfterSeconds);
  const shown = { programName: verified.session.programName, date: districtDate(verified.session.lastDayStartsAt, lang) };
  const parsed = parseForm(form, evaluationFormSchema(lang));
  if (!parsed.ok) return page({ lang, state: "error", ...shown, errors: parsed.errors, values: typed() }, 400);
  const result = await submitEvaluation(token, parsed.data, lang);
  if (!result.ok) {
    // What they typed comes back, so a mistyped ID is fixed without answering everything again.
    if (result.reason === "not-on-roster") return page({ lang, state: "not-on-roster", ...shown, values: typed() }, 422);
    return refused(lang, result);
  }
  return page({ lang, state: result.outcome, ...shown });
}

export default function EvaluationPage() {
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const shown = posted ?? loaded;
  const { lang, state } = shown;
  const m = EVALUATION_MESSAGES[lang];
  const errors = state === "error" ? shown.errors ?? {} : {};
  const values = state === "error" || state === "not-on-roster" ? shown.values ?? {} : {};
  const errorEntries = Object.entries(errors);
  const programName = shown.programName ?? loaded.programName;
  const date = shown.date ?? loaded.date;
  return (
    <div lang={lang} className="evaluation-page">
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
      ) : state === "received" || state === "already-received" ? (
        <>
          <h1>{state === "received" ? m.thanksTitle : m.alreadyTitle}</h1>
          <div className="done" role="status">
            <p>{state === "received" ? m.thanksBody(programName ?? "", date ?? "") : m.alreadyBody}</p>
            <p>{m.closeThePage}</p>
          </div>
        </>
      ) : (
        <>
          <h1>{m.heading}</h1>
          {programName && date ? <p>{m.intro(programName, date)}</p> : null}
          {state === "not-on-roster" ? (
            <div className="refused" role="alert" tabIndex={-1}>
              <h2>{m.notOnRosterTitle}</h2>
              <p>{m.notOnRosterBody}</p>
            </div>
          ) : null}
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
          <p className="anonymity">{m.anonymity}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="lang" value={lang} />
            <fieldset>
              <legend>{m.whoLegend}</legend>
              <p className="hint">{m.whoHint}</p>
              <TextField
                name="districtId" label={m.districtId} hint={m.districtIdHint} error={errors.districtId}
                defaultValue={values.districtId} maxLength={40} autoComplete="off" autoCapitalize="characters" spellCheck={false}
              />
              <p className="hint">{m.orWithNameHint}</p>
              <TextField name="firstName" label={m.firstName} error={errors.firstName} defaultValue={values.firstName} maxLength={80} autoComplete="given-name" />
              <TextField name="lastName" label={m.lastName} error={errors.lastName} defaultValue={values.lastName} maxLength={80} autoComplete="family-name" />
              <TextField name="email" label={m.email} type="email" error={errors.email} defaultValue={values.email} maxLength={200} autoComplete="email" inputMode="email" />
            </fieldset>
            <fieldset>
              <legend>{m.questionsLegend}</legend>
              {EVALUATION_RATINGS.map((rating) => (
                <fieldset
                  key={rating} className={`question${errors[rating] ? " field-invalid" : ""}`}
                  aria-describedby={errors[rating] ? `${rating}-error` : undefined}
                >
                  <legend>{m.questions[rating]}</legend>
                  {errors[rating] ? <p id={`${rating}-error`} className="field-error">{errors[rating]}</p> : null}
                  <div className="choices">
                    {m.scale.map((label, i) => {
                      const value = String(i + 1);
                      return (
                        <label key={value}>
                          <input type="radio" name={rating} value={value} id={i === 0 ? `field-${rating}` : undefined} defaultChecked={values[rating] === value} />
                          {label}
                        </label>
                      );
                    })}
                  </div>
                </fieldset>
              ))}
              <fieldset className={`question${errors.recommend ? " field-invalid" : ""}`} aria-describedby={errors.recommend ? "recommend-error" : undefined}>
                <legend>{m.recommend} <span className="hint">{m.optional}</span></legend>
                {errors.recommend ? <p id="recommend-error" className="field-error">{errors.recommend}</p> : null}
                <div className="choices yes-no">
                  <label><input type="radio" name="recommend" value="yes" id="field-recommend" defaultChecked={values.recommend === "yes"} />{m.yes}</label>
                  <label><input type="radio" name="recommend" value="no" defaultChecked={values.recommend === "no"} />{m.no}</label>
                </div>
              </fieldset>
            </fieldset>
            <div className={`field${errors.comment ? " field-invalid" : ""}`}>
              <label htmlFor="field-comment">{m.comment} <span className="hint">{m.optional}</span></label>
              <p id="comment-hint" className="hint">{m.commentHint}</p>
              {errors.comment ? <p id="comment-error" className="field-error">{errors.comment}</p> : null}
              <textarea
                id="field-comment" name="comment" rows={5} maxLength={COMMENT_MAX_LENGTH} defaultValue={values.comment}
                aria-invalid={errors.comment ? true : undefined} aria-describedby={["comment-hint", errors.comment ? "comment-error" : null].filter(Boolean).join(" ")}
              />
            </div>
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
    <div className="evaluation-page">
      <h1>Something went wrong · Algo salió mal</h1>
      <p>Please try again, or see your trainer. · Inténtelo de nuevo o hable con su instructor.</p>
    </div>
  );
}
