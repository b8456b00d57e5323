import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { EvaluationControlSchema } from "~/forms/evaluation";
import {
  closeEvaluation, EvaluationError, getSessionEvaluation, openEvaluation, requireEvaluationManager,
} from "~/models/evaluations.server";
import { EvaluationComments, EvaluationSummaryTable } from "~/components/evaluation-summary";
import { FormErrorSummary } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { parseForm } from "~/utils/forms";
import { useTimeZone } from "~/utils/use-time-zone";
import attendanceStyles from "~/styles/attendance.css?url";
import evaluationStyles from "~/styles/evaluation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: attendanceStyles }, { rel: "stylesheet", href: evaluationStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Evaluation: ${data.session.title ?? data.session.programName}` : "Evaluation" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Anyone who sees the session sees counts and averages; the model leaves out comments for those who may not read them.
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "view");
  const page = await getSessionEvaluation(sessionId, user);
  // The district's own address, never the Host header (as check-in does).
  const link = page.canManage && page.token ? `${getEnv().PUBLIC_BASE_URL}/evaluate/${page.token}` : null;
  const qrSvg = link ? await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  const { token: _token, ...shown } = page;
  return { ...shown, link, qrSvg };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "view");
  await requireEvaluationManager(user, sessionId);
  const parsed = parseForm(await request.formData(), EvaluationControlSchema);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  try {
    if (parsed.data.intent === "open") await openEvaluation(sessionId, user.id);
    else await closeEvaluation(sessionId, user.id);
  } catch (error) {
    if (error instanceof EvaluationError) return data({ errors: { form: error.message } }, { status: error.code === "not-found" ? 404 : 409 });
    throw error;
  }
  return redirect(`/sessions/${sessionId}/evaluation`);
}

/** The link expires at midnight starting a day: it works through the day before ("until the end of Dec 16, 2026"). */
function lastDayOfLink(expiresAt: string | Date, timeZone: string): string {
  return new Date(new Date(expiresAt).getTime() - 1).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone });
}

export default function SessionEvaluationPage() {
  const { session, open, link, qrSvg, expiresAt, openRefusal, canManage, enrolled, completed, summary, comments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const expired = openRefusal?.code === "ended";
  return (
    <>
      <p><Link to={`/sessions/${session.id}`}>Back to the session</Link></p>
      <h1>Evaluation: {session.title ?? session.programName}</h1>
      <FormErrorSummary errors={actionData?.errors} />
      {canManage ? (
        <section className="panel" aria-labelledby="link-heading">
          <h2 id="link-heading">Evaluation link</h2>
          {link && qrSvg ? (
            <>
              <p>The evaluation is <strong>open</strong>. Show this code on a screen after the last class; the link works until {expiresAt ? `the end of ${lastDayOfLink(expiresAt, timeZone)}` : "it is closed"}.</p>
              <div className="qr-code" role="img" aria-label="QR code for the evaluation" dangerouslySetInnerHTML={{ __html: qrSvg }} />
              <p>Or share this link:</p>
              <p className="check-in-link"><code>{link}</code></p>
            </>
          ) : open && expired ? (
            <p>The two weeks after the last day are over, so the evaluation link no longer works. Close it to tidy up.</p>
          ) : openRefusal?.code === "not-yet" ? (
            <p>The evaluation opens on the session&apos;s last day: participants fill it on their phones, in English or Spanish, without signing in.</p>
          ) : openRefusal ? (
            <p>{openRefusal.message}</p>
          ) : (
            <p>The evaluation is <strong>closed</strong>. Open it to show a QR code participants scan to fill a short form on their phones, in English or Spanish, without signing in.</p>
          )}
          {!openRefusal || open ? (
            <Form method="post" className="actions">
              {!openRefusal ? (
                <button type="submit" name="intent" value="open" className={open ? "secondary" : undefined}>
                  {open ? "Open the evaluation with a new link" : "Open the evaluation"}
                </button>
              ) : null}
              {open ? <button type="submit" name="intent" value="close">Close the evaluation</button> : null}
            </Form>
          ) : null}
          {open && !openRefusal ? <p className="hint">A new link stops the old one from working (for example if it was shared outside the class).</p> : null}
          <p className="hint">
            Programs that use their own survey: record who completed it on the <Link to={`/sessions/${session.id}/attendance`}>attendance page</Link>.
          </p>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <p>
          {completed} of {enrolled} enrolled {completed === 1 ? "has" : "have"} completed the evaluation
          {session.requiresEvaluation ? " (the program requires it for a certificate)" : ""}.
          {completed !== summary.responses ? ` ${summary.responses} answered this form; the others were recorded as done elsewhere.` : ""}
        </p>
        {summary.responses === 0 ? (
          <p className="muted">No responses yet.</p>
        ) : (
          <EvaluationSummaryTable summary={summary} enrolled={enrolled} caption="Ratings from 1 (strongly disagree) to 5 (strongly agree): the average and how many chose each" />
        )}
        {comments ? (
          <EvaluationComments comments={comments} headingId="comments-heading" heading="Comments" />
        ) : (
          <p className="hint">Comments are shown only to the session&apos;s trainers and program leads.</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
