import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listSessions, SESSION_STATUSES } from "~/models/training-session.server";
import { SESSION_ROLES } from "~/domain/session-access";
import { SessionTable } from "~/components/session-table";
import { pageParam } from "~/utils/forms";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";

export const meta: MetaFunction = () => [{ title: "Sessions" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...SESSION_ROLES);
  const url = new URL(request.url);
  const rawStatus = url.searchParams.get("status") ?? "";
  // An unknown status in the query string is ignored rather than an error page.
  const status = SESSION_STATUSES.find((s) => s === rawStatus);
  const page = pageParam(url);
  const result = await listSessions(user, { status, page });
  return { ...result, status: status ?? "", page, canCreate: user.role === "TRAINER" || user.role === "ADMIN" };
}

export default function Sessions() {
  const { sessions, total, pageSize, status, page, canCreate } = useLoaderData<typeof loader>();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <h1>Sessions</h1>
      {canCreate ? (
        <p className="actions">
          <Link className="button" to="/sessions/new">New session</Link>
        </p>
      ) : null}
      <Form method="get" className="search">
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status}>
            <option value="">Any</option>
            <option value="SCHEDULED">Scheduled</option>
            <option value="CLOSED">Closed</option>
            <option value="CANCELLED">Cancelled</option>
          </select>
        </div>
        <button type="submit">Filter</button>
      </Form>
      <p className="actions"><DownloadCsvLink href={csvHref("/sessions/export.csv", { status })} label={status ? "these sessions" : "all sessions listed"} /></p>
      <SessionTable caption={`${total} sessions`} sessions={sessions} empty="No sessions match." linked />
      <nav className="pager" aria-label="Pages">
        {page > 1 ? <Link to={`?status=${status}&page=${page - 1}`}>Previous page</Link> : null}
        <span>Page {page} of {pages}</span>
        {page < pages ? <Link to={`?status=${status}&page=${page + 1}`}>Next page</Link> : null}
      </nav>
    </>
  );
}
