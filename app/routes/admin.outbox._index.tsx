import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listOutboxMessages } from "~/models/outbox.server";
import { Pager } from "~/components/admin-pager";
import { pageParam } from "~/utils/forms";
import { formatCount, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "Outbox · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const page = pageParam(new URL(request.url));
  return { ...(await listOutboxMessages({ page })), page };
}

export default function Outbox() {
  const { messages, total, page, pageCount } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  return (
    <>
      <h1>Outbox</h1>
      <p className="muted">
        Emails the app would have sent. They are kept here when no SMTP server is set up (SMTP_URL). See also{" "}
        <Link to="/admin/reminders">renewal reminders</Link>.
      </p>
      {messages.length === 0 ? (
        <p>{total === 0 ? "The outbox is empty." : <>No messages on this page. <Link to="/admin/outbox">Go to the first page</Link>.</>}</p>
      ) : (
        <div className="table-wrap panel">
          <table>
            <caption>
              {formatCount(total)} {total === 1 ? "message" : "messages"}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.createdAt, timeZone)}</td>
                  <td>{m.toAddress}</td>
                  <td>
                    <Link to={`/admin/outbox/${m.id}`}>{m.subject}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} params={{}} label="Outbox pages" />
    </>
  );
}
