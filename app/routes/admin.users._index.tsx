import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listUsers } from "~/models/user.server";
import { isRole, ROLE_LABELS, ROLES } from "~/domain/roles";
import { pageParam } from "~/utils/forms";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "Users · Administration" }];

const MAX_QUERY_LENGTH = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
  // An unknown role in the query string is ignored rather than an error page.
  const rawRole = url.searchParams.get("role");
  const role = isRole(rawRole) ? rawRole : undefined;
  const page = pageParam(url);
  const result = await listUsers({ q: q || undefined, role, page });
  return { ...result, q, role: role ?? "", page };
}

function pageLink(q: string, role: string, page: number) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (role) params.set("role", role);
  params.set("page", String(page));
  return `?${params}`;
}

export default function Users() {
  const { users, total, pageSize, q, role, page } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <h1>Users</h1>
      <p className="actions">
        <Link className="button" to="/admin/users/new">New user</Link>
      </p>
      <section aria-labelledby="find-heading">
        <h2 id="find-heading">Find users</h2>
        <Form method="get" className="search">
          <div className="field">
            <label htmlFor="q">Name or email</label>
            <input id="q" name="q" type="search" defaultValue={q} maxLength={MAX_QUERY_LENGTH} />
          </div>
          <div className="field">
            <label htmlFor="role">Role</label>
            <select id="role" name="role" defaultValue={role}>
              <option value="">Any role</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>{ROLE_LABELS[r]}</option>
              ))}
            </select>
          </div>
          <button type="submit">Search</button>
        </Form>
      </section>
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">Results</h2>
        {users.length === 0 ? (
          <p>
            No users match.
            {page > 1 ? <> <Link to={pageLink(q, role, 1)}>Go to the first page</Link>.</> : null}
          </p>
        ) : (
          <div className="table-wrap panel">
            <table>
              <caption>
                {total} {total === 1 ? "user" : "users"}
                {q ? ` matching “${q}”` : ""}
                {role && isRole(role) ? `, role ${ROLE_LABELS[role]}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Schools</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <th scope="row"><Link to={`/admin/users/${u.id}`}>{u.name}</Link></th>
                    <td>{u.email}</td>
                    <td>{ROLE_LABELS[u.role]}</td>
                    <td>{u.schools.length ? u.schools.map((s) => s.school.code).join(", ") : <span className="muted">None</span>}</td>
                    <td>{u.active ? <span className="tag tag-ok">Active</span> : <span className="tag tag-muted">Deactivated</span>}</td>
                    <td>{u.lastSignedInAt ? formatDateTime(u.lastSignedInAt, timeZone) : <span className="muted">Never</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(q, role, Math.min(page - 1, pages))}>Previous page</Link> : null}
          <span>Page {page} of {pages}</span>
          {page < pages ? <Link to={pageLink(q, role, page + 1)}>Next page</Link> : null}
        </nav>
      </section>
    </>
  );
}
