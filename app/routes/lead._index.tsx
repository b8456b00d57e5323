import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { districtTotals } from "~/models/rollup.server";
import { formatSchoolYear } from "~/domain/school-year";
import { formatCount, formatPercent } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "District overview · Program lead" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "PROGRAM_LEAD", "ADMIN");
  return districtTotals(new Date());
}

export default function LeadHome() {
  const totals = useLoaderData<typeof loader>();
  const ymhfa = totals.programs.find((p) => p.code === "YMHFA");
  const staffReach = ymhfa && totals.staffHeadcount ? ymhfa.staff / totals.staffHeadcount : null;
  return (
    <>
      <h1>District overview</h1>
      <p className="muted">School year {formatSchoolYear(totals.schoolYear)}, as of today.</p>
      <ul className="cards" aria-label="Headline figures">
        <li className="card">
          <span className="figure">{formatPercent(staffReach)}</span> staff holding a current YMHFA certificate
        </li>
        <li className="card">
          <span className="figure">{formatCount(totals.staffHeadcount)}</span> staff (headcount)
        </li>
        <li className="card">
          <span className="figure">{formatCount(totals.studentHeadcount)}</span> students (enrollment)
        </li>
      </ul>
      <div className="table-wrap panel">
        <table>
          <caption>People holding a current certificate, by program</caption>
          <thead>
            <tr>
              <th scope="col">Program</th>
              <th scope="col" className="num">Staff</th>
              <th scope="col" className="num">Students</th>
              <th scope="col" className="num">Community partners</th>
            </tr>
          </thead>
          <tbody>
            {totals.programs.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td className="num">{formatCount(p.staff)}</td>
                <td className="num">{formatCount(p.students)}</td>
                <td className="num">{formatCount(p.community)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
