import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { closeSession, CloseError, previewClose, reopenSession, sessionHeader } from "~/models/session-closing.server";
import { getEnv } from "~/env.server";
import { closeOutcomeForViewer } from "~/models/people-visibility.server";
import { AppErrorBoundary } from "~/components/error-boundary";
import { listCertificateDeliveries, queueCertificateDeliveries, sendCertificateDeliveries, type DeliveryRow } from "~/models/certificate-mail.server";
import { transportFromEnv } from "~/models/mail.server";

export const meta: MetaFunction = () => [{ title: "Close session" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const [session, preview, deliveries] = await Promise.all([
    sessionHeader(sessionId),
    previewClose(sessionId).then((p) => closeOutcomeForViewer(user, sessionId, p)),
    listCertificateDeliveries(user, sessionId),
  ]);
  return { session, preview, deliveries };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "close") {
      const outcome = await closeSession(sessionId, user.id, getEnv().DISTRICT_TIME_ZONE);
      // After the close has committed: a failed email never undoes a certificate. Sent within the
      // request, up to a bound (SEND_LIMIT_PER_REQUEST); any left wait with a button.
      const sending = form.get("emailCertificates") === "on"
        ? await queueCertificateDeliveries(sessionId, outcome.issued.map((i) => i.personId), user.id)
          .then(() => sendCertificateDeliveries(sessionId, transportFromEnv()))
        : null;
      return { closed: await closeOutcomeForViewer(user, sessionId, outcome), sending };
    }
    if (intent === "send-again" || intent === "send-waiting") {
      const deliveryId = form.get("deliveryId");
      if (intent === "send-again" && (typeof deliveryId !== "string" || !deliveryId)) {
        return data({ error: "Choose whose certificate to send again (deliveryId is missing)." }, { status: 400 });
      }
      const sending = await sendCertificateDeliveries(sessionId, transportFromEnv(), {
        includeFailed: intent === "send-again",
        deliveryIds: typeof deliveryId === "string" && deliveryId ? [deliveryId] : undefined,
      });
      return { sending };
    }
    if (intent === "reopen") {
      const reason = form.get("reason");
      await reopenSession(sessionId, user.id, typeof reason === "string" && reason.trim() ? reason.trim().slice(0, 500) : undefined);
      return redirect(`/sessions/${sessionId}`);
    }
    return data({ error: "Choose close, reopen or send." }, { status: 400 });
  } catch (error) {
    if (error instanceof CloseError) return data({ error: error.message }, { status: 409 });
    throw error;
  }
}

export default function CloseSessionPage() {
  const { session, preview, deliveries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const closed = actionData && "closed" in actionData ? actionData.closed : null;
  const error = actionData && "error" in actionData ? actionData.error : null;
  const sending = actionData && "sending" in actionData ? actionData.sending : null;
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
      {sending ? (
        <p className="notice" role="status">
          Emails: {sending.sent} sent, {sending.failed} failed{sending.left ? `, ${sending.left} still waiting` : ""}.
        </p>
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
      {session.status === "CLOSED" && (preview.alreadyHeld.length > 0 || deliveries.rows.length > 0) ? (
        <p><a href={`/sessions/${session.id}/certificates.pdf`} download>Download all certificates (one PDF, one page each, for printing)</a></p>
      ) : null}
      <CertificateEmails rows={deliveries.rows} hiddenCount={deliveries.hiddenCount} />
      {open ? (
        <Form method="post" className="actions">
          <div className="field field-checkbox">
            <input type="checkbox" id="email-certificates" name="emailCertificates" defaultChecked />
            <label htmlFor="email-certificates">Email each new certificate holder their certificate</label>
          </div>
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

const STATUS_WORDS: Record<DeliveryRow["status"], string> = {
  PENDING: "Waiting", SENDING: "Sending", SENT: "Sent", FAILED: "Failed", SKIPPED: "Not sent: no email",
};

/** Who was emailed their certificate, and a way to send again what failed. */
function CertificateEmails({ rows, hiddenCount }: { rows: DeliveryRow[]; hiddenCount: number }) {
  if (rows.length === 0 && hiddenCount === 0) return null;
  const waiting = rows.some((r) => r.status === "PENDING");
  return (
    <section className="panel" aria-labelledby="certificate-emails">
      <h2 id="certificate-emails">Certificate emails</h2>
      <table>
        <caption>Who was sent their certificate</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              <td>{r.address ?? (r.hasAddress ? "(hidden)" : "no email")}</td>
              <td>{STATUS_WORDS[r.status]}{r.status === "FAILED" && r.lastError ? `: ${r.lastError}` : ""}</td>
              <td>
                {r.status === "FAILED" ? (
                  <Form method="post">
                    <input type="hidden" name="deliveryId" value={r.id} />
                    <button type="submit" name="intent" value="send-again" className="secondary">Send again<span className="visually-hidden"> to {r.name}</span></button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hiddenCount ? <p className="muted">{hiddenCount} more not shown.</p> : null}
      {waiting ? (
        <Form method="post"><button type="submit" name="intent" value="send-waiting">Send the waiting emails</button></Form>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
