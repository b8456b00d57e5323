import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listPrograms } from "~/models/program.server";
import { describeCompletion, describeRenewalWindow, describeValidity, PROGRAM_AUDIENCE_LABELS } from "~/domain/program-labels";
import { formatCount } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Programs · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return { programs: await listPrograms() };
}

export default function Programs() {
  const { programs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Programs</h1>
      <p>Each program's rules decide when its certificates expire, when renewal opens and what a learner must do to be certified.</p>
      <p className="actions">
        <Link className="button" to="/admin/programs/new">New program</Link>
      </p>
      <section aria-labelledby="programs-heading">
        <h2 id="programs-heading">All programs</h2>
        {programs.length === 0 ? (
          <p>No programs yet. Create the first one.</p>
        ) : (
          <div className="table-wrap panel">
            <table>
              <caption>{programs.length} programs and their rules</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col">Audience</th>
                  <th scope="col">Validity</th>
                  <th scope="col">Renewal window</th>
                  <th scope="col">Completion requires</th>
                  <th scope="col" className="num">Sessions</th>
                  <th scope="col" className="num">Certifications</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {programs.map((p) => (
                  <tr key={p.id}>
                    <td>{p.code}</td>
                    <th scope="row">
                      <Link to={`/admin/programs/${p.id}`}>{p.name}</Link>
                    </th>
                    <td>{PROGRAM_AUDIENCE_LABELS[p.audience]}</td>
                    <td>{describeValidity(p.validityMonths)}</td>
                    <td>{describeRenewalWindow(p.renewalWindowDays)}</td>
                    <td>{describeCompletion(p)}</td>
                    <td className="num">{formatCount(p._count.sessions)}</td>
                    <td className="num">{formatCount(p._count.certifications)}</td>
                    <td>{p.active ? <span className="tag tag-ok">Active</span> : <span className="tag tag-muted">Inactive</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
