import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getOutboxMessage } from "~/models/outbox.server";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "Outbox message · Administration" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const message = params.messageId ? await getOutboxMessage(params.messageId) : null;
  if (!message) throw new Response("No such message.", { status: 404 });
  return { message };
}

export default function OutboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  return (
    <>
      <p>
        <Link to="/admin/outbox">Back to the outbox</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl className="facts panel">
        <dt>To</dt>
        <dd>{message.toAddress}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(message.createdAt, timeZone)}</dd>
        <dt>Reminder</dt>
        <dd>{message.reminderId ?? "—"}</dd>
      </dl>
      <section className="panel" aria-labelledby="text-heading">
        <h2 id="text-heading">Text version</h2>
        <pre style={{ whiteSpace: "pre-wrap" }}>{message.textBody}</pre>
      </section>
      <section className="panel" aria-labelledby="html-heading">
        <h2 id="html-heading">HTML version</h2>
        {/* An empty sandbox: no scripts, no forms, no same-origin access; the email can't touch this page. */}
        <iframe
          title={`HTML version of “${message.subject}”`}
          sandbox=""
          srcDoc={message.htmlBody}
          referrerPolicy="no-referrer"
          style={{ width: "100%", minHeight: "24rem", border: "1px solid #c8d0d9", background: "#fff" }}
        />
        <details>
          <summary>HTML source</summary>
          <pre style={{ whiteSpace: "pre-wrap" }}>{message.htmlBody}</pre>
        </details>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
