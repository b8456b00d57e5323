import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import {
  INSTRUCTOR_RECORD_ROLES, instructorStatusWords, listInstructorStandings, listProgramsWithInstructors, parseInstructorFilters,
} from "~/models/instructors.server";
import { INSTRUCTOR_STATUS_FILTERS } from "~/domain/instructor-standing";
import { FormErrorSummary, SelectField } from "~/components/form";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";
import { AppErrorBoundary } from "~/components/error-boundary";
import { InstructorStandingTag } from "~/components/status-tag";
import { formatCount, formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Instructors' standing" }];


/**
 * GET /instructors?program=…&status=…: every instructor's standing in one table (program leads and
 * administrators): their certification, courses taught this certification year against the program's
 * rule, and what is still needed by when. Bad filters are a 400 naming the field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...INSTRUCTOR_RECORD_ROLES);
  const [parsed, programs] = await Promise.all([parseInstructorFilters(new URL(request.url).searchParams), listProgramsWithInstructors()]);
  const programOptions = programs.map((p) => ({ id: p.id, name: p.name, code: p.code }));
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values: parsed.values, programs: programOptions, rows: [], hiddenCount: 0 }, { status: 400 });
  const { rows, hiddenCount } = await listInstructorStandings(user, parsed.filters);
  return {
    ok: true as const,
    errors: {},
    values: parsed.values,
    programs: programOptions,
    hiddenCount,
    rows: rows.map((r) => ({
      key: `${r.person.id}-${r.program.id}`,
      personId: r.person.id,
      name: `${r.person.lastName}, ${r.person.firstName}`,
      districtId: r.person.districtId,
      hasAccount: r.hasAccount,
      program: r.program,
      status: r.standing.status,
      statusWords: instructorStatusWords(r.standing, r.program.code),
      expiresOn: r.standing.expiresOn,
      expiringSoon: r.standing.expiringSoon,
      coursesTaught: r.standing.coursesTaught,
      coursesRequired: r.standing.coursesRequired,
      coursesNeeded: r.standing.coursesNeeded,
      neededBy: r.standing.neededBy,
    })),
  };
}

export default function Instructors() {
  const d = useLoaderData<typeof loader>();
  const csv = csvHref("/instructors/export.csv", { program: d.values.program, status: d.values.status });
  return (
    <>
      <h1>Instructors' standing</h1>
      <p>
        Every trainer with an instructor certification, per program they may teach. Courses count when the trainer led or
        co-led a session of that program and it was closed, on the date of its last day, in the certification year it falls
        in (years run from the certification's issue date).
      </p>
      <FormErrorSummary errors={d.errors} />
      <Form method="get" className="search" aria-label="Filter instructors">
        <SelectField
          name="program" label="Program" defaultValue={d.values.program} error={"program" in d.errors ? String(d.errors.program) : undefined}
          options={[{ value: "", label: "Every program" }, ...d.programs.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))]}
        />
        <SelectField
          name="status" label="Status" defaultValue={d.values.status} error={"status" in d.errors ? String(d.errors.status) : undefined}
          options={[{ value: "", label: "Any status" }, ...INSTRUCTOR_STATUS_FILTERS.map((f) => ({ value: f.value, label: f.label }))]}
        />
        <button type="submit">Show</button>
      </Form>
      {d.ok ? (
        <section className="panel" aria-labelledby="standing-heading">
          <h2 id="standing-heading">Standing</h2>
          {d.rows.length === 0 ? (
            <p className="muted">No instructors match these filters.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>
                  {formatCount(d.rows.length)} {d.rows.length === 1 ? "instructor certification" : "instructor certifications"}: expired first, then short of courses, then current
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th><th scope="col">Program</th><th scope="col">Status</th><th scope="col">Certification expires</th>
                    <th scope="col">Courses this year</th><th scope="col">Still needed</th><th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">
                        <Link to={`/instructors/${r.personId}`}>{r.name}</Link>
                        {r.hasAccount ? null : <><br /><span className="muted">No trainer account linked</span></>}
                      </th>
                      <td>{r.program.code}</td>
                      <td><InstructorStandingTag status={r.status} words={r.statusWords} /></td>
                      <td>
                        {r.expiresOn ? formatDate(r.expiresOn) : "Never expires"}
                      </td>
                      <td>{r.coursesRequired === null ? `${r.coursesTaught} (no rule)` : `${r.coursesTaught} of ${r.coursesRequired}`}</td>
                      <td>{r.coursesRequired === null || r.status === "expired" ? "—" : r.coursesNeeded}</td>
                      <td>{r.coursesRequired === null || r.status === "expired" ? "—" : formatDate(r.neededBy)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {d.hiddenCount > 0 ? <p className="muted">{formatCount(d.hiddenCount)} more not shown to your role.</p> : null}
          <p className="actions"><DownloadCsvLink href={csv} label="instructors' standing" /> · <Link to="/instructors/import">Import instructor certifications from a CSV</Link></p>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
