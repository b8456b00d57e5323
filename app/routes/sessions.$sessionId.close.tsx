import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { closeSession, CloseError, previewClose, reopenSession, sessionHeader } from "~/models/session-closing.server";
import { getEnv } from "~/env.server";
import { closeOutcomeForViewer } from "~/models/people-visibility.server";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Close session" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const [session, preview] = await Promise.all([sessionHeader(sessionId), previewClose(sessionId).then((p) => closeOutcomeForViewer(user, sessionId, p))]);
  return { session, preview };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "close") {
      const outcome = await closeSession(sessionId, user.id, getEnv().DISTRICT_TIME_ZONE);
      return { closed: await closeOutcomeForViewer(user, sessionId, outcome) };
    }
    if (intent === "reopen") {
      const reason = form.get("reason");
      await reopenSession(sessionId, user.id, typeof reason === "string" && reason.trim() ? reason.trim().slice(0, 500) : undefined);
      return redirect(`/sessions/${sessionId}`);
    }
    return data({ error: "Choose close or reopen." }, { status: 400 });
  } catch (error) {
    if (error instanceof CloseError) return data({ error: error.message }, { status: 409 });
    throw error;
  }
}

export default function CloseSessionPage() {
  const { session, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const closed = actionData && "closed" in actionData ? actionData.closed : null;
  const error = actionData && "error" in actionData ? actionData.error : null;
  const open = session.status === "SCHEDULED";
  return (
    <>
      <p><Link to={`/sessions/${session.id}`}>Back to the session</Link></p>
      <h1>{open ? "Close session" : "Closing summary"}: {session.title ?? session.program.name}</h1>
      {error ? <div className="error-summary" role="alert"><h2>Could not do that</h2><p>{error}</p></div> : null}
      {closed ? (
        <div className="notice" role="status">
          <h2>Session closed</h2>
          <p>{closed.issued.length} certificates issued ({closed.issued.filter((i) => i.renewed).length} renewals), {closed.notCompleted.length} not completed.</p>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="will-issue">
        <h2 id="will-issue">{open ? "Will receive a certificate" : "Completed"}</h2>
        {(open ? preview.issued : [...preview.alreadyHeld]).length === 0 ? <p className="muted">Nobody.</p> : (
          <ul>{(open ? preview.issued : preview.alreadyHeld).map((p) => <li key={p.personId}>{p.name}</li>)}</ul>
        )}
        {open && preview.alreadyHeld.length ? (
          <p>{preview.alreadyHeld.length} already hold a certificate from this session (closed before) and will not get another.</p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="not-completed">
        <h2 id="not-completed">Not completed</h2>
        {preview.notCompleted.length === 0 ? <p className="muted">Nobody.</p> : (
          <table>
            <caption>People who do not meet the completion rule, and why</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Reason</th></tr></thead>
            <tbody>
              {preview.notCompleted.map((p) => (
                <tr key={p.personId}><th scope="row">{p.name}</th><td>{p.reasons.join("; ")}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {open && preview.notYet ? <p className="notice" role="status" id="close-not-yet">{preview.notYet}</p> : null}
      {open ? (
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="close" disabled={preview.notYet !== null} aria-describedby={preview.notYet ? "close-not-yet" : undefined}>Close session and issue certificates</button>
        </Form>
      ) : session.status === "CLOSED" ? (
        <Form method="post" className="panel">
          <h2>Reopen</h2>
          <p>Reopen to correct attendance or post-work. Certificates already issued stay; closing again never issues a second one.</p>
          <div className="field">
            <label htmlFor="reopen-reason">Reason (optional)</label>
            <input id="reopen-reason" name="reason" />
          </div>
          <button type="submit" name="intent" value="reopen" className="secondary">Reopen session</button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
