import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { schoolStaffReach } from "~/models/rollup.server";
import { listExpiringAtSchools } from "~/models/certification.server";
import { schoolYearOf, formatSchoolYear } from "~/domain/school-year";
import { formatCount, formatDate, formatPercent } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My schools · Coordinator" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "COORDINATOR");
  const now = new Date();
  const schoolYear = schoolYearOf(now);
  const [schools, expiring] = await Promise.all([
    schoolStaffReach(user.schoolIds, "YMHFA", now),
    listExpiringAtSchools(user, schoolYear, now, 90),
  ]);
  return { schoolYear, schools, expiring };
}

export default function CoordinatorHome() {
  const { schoolYear, schools, expiring } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My schools</h1>
      <p className="muted">School year {formatSchoolYear(schoolYear)}. Staff reach is the share of the school's staff headcount holding a current YMHFA certificate.</p>
      <div className="table-wrap panel">
        <table>
          <caption>YMHFA staff reach</caption>
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col" className="num">Staff headcount</th>
              <th scope="col" className="num">Staff certified</th>
              <th scope="col" className="num">Staff reach</th>
              <th scope="col" className="num">Expiring in 90 days</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name} <span className="muted">({s.code})</span></th>
                <td className="num">{formatCount(s.staffHeadcount)}</td>
                <td className="num">{formatCount(s.certifiedStaff)}</td>
                <td className="num">{formatPercent(s.staffReach)}</td>
                <td className="num">{formatCount(s.expiringSoon)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel" aria-labelledby="expiring">
        <h2 id="expiring">Expiring in the next 90 days</h2>
        <p className="actions">
          {/* A resource route: a plain link, so the browser downloads the file. */}
          <a className="button secondary" href="/coordinator/expiring.csv" download aria-label="Export CSV of staff and partners expiring in the next 90 days">
            Export CSV
          </a>
        </p>
        {expiring.length === 0 ? (
          <p className="muted">Nobody at your schools has a certificate expiring in the next 90 days.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Staff and partners whose certificate expires soon</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">School</th>
                  <th scope="col">Program</th>
                  <th scope="col">Expires on</th>
                </tr>
              </thead>
              <tbody>
                {expiring.map((c) => (
                  <tr key={c.id}>
                    <td>{c.person.lastName}, {c.person.firstName}</td>
                    <td>{c.schools.join("; ")}</td>
                    <td>{c.program.name}</td>
                    <td>{formatDate(c.expiresOn)}</td>
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
