import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getDigestSetting, setMonthlyDigest } from "~/models/coordinator-digest.server";
import { MonthlyDigestSchema } from "~/forms/coordinator-digest";
import { schoolStaffReach } from "~/models/rollup.server";
import { listExpiringAtSchools } from "~/models/certification.server";
import { schoolYearOf, formatSchoolYear } from "~/domain/school-year";
import { formatCount, formatDate, formatPercent } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My schools · Coordinator" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "COORDINATOR");
  const now = new Date();
  const schoolYear = schoolYearOf(now);
  const [schools, expiring, digest] = await Promise.all([
    schoolStaffReach(user.schoolIds, "YMHFA", now),
    listExpiringAtSchools(user, schoolYear, now, 90),
    getDigestSetting(user.id),
  ]);
  return { schoolYear, schools, expiring, digest };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "COORDINATOR");
  const parsed = MonthlyDigestSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ notice: null, error: parsed.error.issues[0]?.message ?? "Monthly digest must be on or off" }, { status: 400 });
  const on = parsed.data.digest === "on";
  await setMonthlyDigest(user.id, on);
  return { notice: on ? "The monthly digest is on." : "The monthly digest is off.", error: null };
}

export default function CoordinatorHome() {
  const { schoolYear, schools, expiring, digest } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
                <th scope="row"><Link to={`/lead/schools/${s.id}`}>{s.name}</Link> <span className="muted">({s.code})</span></th>
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
      <section className="panel" aria-labelledby="digest">
        <h2 id="digest">Monthly digest</h2>
        <p>
          A monthly email about your schools: who became certified in the month, whose certificate expires in the next 90
          days, and staff reach against your schools' goals. It comes in the first week of each month and covers the month before.
        </p>
        {/* Next to the button that was pressed (the form is at the foot of the page): read out, and seen where the eyes are. */}
        {result?.notice ? <p className="notice" role="status">{result.notice}</p> : null}
        {result?.error ? <p className="error-summary" role="alert">{result.error}</p> : null}
        <p>
          <strong>{digest.on ? "The digest is on" : "The digest is off"}</strong>
          {!digest.address ? <>. Your account has no email address, so nothing can be sent.</>
            : digest.on ? <>; it goes to {digest.address}.</>
            : <>. When it is on, it goes to {digest.address}.</>}
        </p>
        <Form method="post" className="actions">
          {digest.on ? (
            <button type="submit" name="digest" value="off" className="secondary">Turn off the monthly digest</button>
          ) : (
            <button type="submit" name="digest" value="on">Email me a monthly digest of my schools</button>
          )}
        </Form>
      </section>
    </>
  );
}
