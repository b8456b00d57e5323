import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { adminOverview } from "~/models/admin.server";
import { ROLE_LABELS } from "~/domain/roles";
import { formatCount } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Administration" }];

const KIND_LABELS = { STAFF: "Staff", STUDENT: "Students", COMMUNITY: "Community partners" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return adminOverview();
}

export default function AdminHome() {
  const o = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <ul className="cards" aria-label="What the system holds">
        <li className="card">
          <span className="figure">{formatCount(o.schools)}</span> schools ({formatCount(o.activeSchools)} open)
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.regions)}</span> regions
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.peopleTotal)}</span> people
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.usersTotal)}</span> users ({formatCount(o.activeUsers)} active)
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.programs)}</span> programs ({formatCount(o.activePrograms)} active)
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.sessions)}</span> training sessions
        </li>
        <li className="card">
          <span className="figure">{formatCount(o.certifications)}</span> certifications issued
        </li>
      </ul>

      <section aria-labelledby="manage-heading">
        <h2 id="manage-heading">Manage</h2>
        <ul>
          <li><Link to="/admin/schools">Schools</Link>: codes, names, levels, open or closed</li>
          <li><Link to="/admin/regions">Regions</Link>: how schools are grouped for reports</li>
          <li><Link to="/admin/headcounts">Headcounts</Link>: staff and students per school and year, for reach</li>
          <li><Link to="/admin/directory">Directory imports</Link>: who works and studies at which school each year, from the district’s OneRoster export or staff and student CSVs</li>
          <li><Link to="/people/duplicates">Likely duplicates</Link>: records of one human to compare and merge, and rows an import held for review</li>
          <li><Link to="/admin/programs">Programs</Link>: validity, renewal window, reminders and what completion requires</li>
          <li><Link to="/admin/users">Users</Link>: accounts, roles, coordinators' schools, password resets</li>
          <li><Link to="/admin/audit">Audit trail</Link>: every recorded change in plain words, by person, session, certificate, who did it and when</li>
          <li><Link to="/admin/reminders">Renewal reminders</Link>: run a pass, failed sends; the <Link to="/admin/outbox">outbox</Link> of emails kept in the app</li>
        </ul>
      </section>

      <div className="table-wrap panel">
        <table>
          <caption>People, by kind</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" className="num">People</th>
            </tr>
          </thead>
          <tbody>
            {o.people.map((p) => (
              <tr key={p.kind}>
                <th scope="row">{KIND_LABELS[p.kind]}</th>
                <td className="num">{formatCount(p.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="table-wrap panel">
        <table>
          <caption>Users, by role</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col" className="num">Users</th>
            </tr>
          </thead>
          <tbody>
            {o.users.map((u) => (
              <tr key={u.role}>
                <th scope="row"><Link to={`/admin/users?role=${u.role}`}>{ROLE_LABELS[u.role]}</Link></th>
                <td className="num">{formatCount(u.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
