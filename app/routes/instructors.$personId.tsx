import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getInstructorStanding, INSTRUCTOR_RECORD_ROLES, instructorStatusWords } from "~/models/instructors.server";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/utils/format";
import { InstructorCertificationStatusTag, InstructorStandingTag } from "~/components/status-tag";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? (data.own ? "Your instructor standing" : `${data.name} · Instructor standing`) : "Instructor not found" },
];

const ROLE_WORDS = { LEAD: "Lead trainer", CO: "Co-trainer" } as const;

/**
 * GET /instructors/:personId: one trainer's standing: their instructor certifications, the courses they
 * taught this certification year, and what is still needed by when. A trainer sees their own (their
 * account's person); program leads and administrators anyone's; another trainer's is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER", ...INSTRUCTOR_RECORD_ROLES);
  const found = await getInstructorStanding(user, params.personId ?? "");
  if (!found) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return {
    own: found.own,
    canSeePerson: INSTRUCTOR_RECORD_ROLES.includes(user.role),
    personId: found.person.id,
    name: `${found.person.firstName} ${found.person.lastName}`,
    account: found.account ? { id: found.account.id, name: found.account.name } : null,
    certifications: found.certifications.map((c) => ({
      id: c.id, program: c.program, issuedOn: c.issuedOn, expiresOn: c.expiresOn, current: c.current, expiringSoon: c.expiringSoon, notYet: c.notYet, source: c.source,
    })),
    standings: found.standings.map((s) => ({
      program: s.program,
      status: s.standing.status,
      statusWords: instructorStatusWords(s.standing, s.program.code),
      yearStartsOn: s.standing.year.startsOn,
      neededBy: s.standing.neededBy,
      expiresOn: s.standing.expiresOn,
      expiringSoon: s.standing.expiringSoon,
      coursesTaught: s.standing.coursesTaught,
      coursesRequired: s.standing.coursesRequired,
      coursesNeeded: s.standing.coursesNeeded,
      needsCertificate: s.standing.needsCertificate,
      courses: s.coursesThisYear.map((c) => ({ id: c.id, title: c.title, where: c.schoolName ?? c.siteName, role: c.role, lastDay: c.lastDay })),
    })),
  };
}

function neededWords(s: { status: string; coursesRequired: number | null; coursesNeeded: number; neededBy: string | Date; expiresOn: string | Date | null }, own: boolean): string {
  if (s.status === "expired") return `The certification ${s.expiresOn ? `expired on ${formatDate(s.expiresOn)}` : "is not in force"}: courses taught now do not keep it. Renew it first.`;
  if (s.coursesRequired === null) return "This program has no courses-a-year rule: nothing more is needed while the certification holds.";
  if (s.coursesNeeded === 0) return `The rule is met for this certification year (${s.coursesRequired} a year).`;
  return `${own ? "You need" : "Needs"} ${s.coursesNeeded} more ${s.coursesNeeded === 1 ? "course" : "courses"} by ${formatDate(s.neededBy)} to meet the rule of ${s.coursesRequired} a year. A course counts once it is closed.`;
}

export default function InstructorStanding() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      {d.canSeePerson ? (
        <p>
          <Link to="/instructors">← Instructors' standing</Link> · <Link to={`/people/${d.personId}`}>{d.name}'s record</Link>
          {d.account ? <> · <Link to={`/trainers/${d.account.id}/evaluations`}>{d.name}'s session evaluations</Link></> : null}
        </p>
      ) : <p><Link to="/trainer">← Today</Link> · <Link to="/trainer/evaluations">My evaluations</Link></p>}
      <h1>{d.own ? "Your instructor standing" : `${d.name}: instructor standing`}</h1>
      {d.account ? null : (
        <p className="notice notice-warn" role="status">
          No trainer account is linked to {d.name}, so no sessions count yet. An administrator links it on the account's page.
        </p>
      )}
      {d.standings.length === 0 ? <p className="muted">No instructor certifications recorded.</p> : null}
      {d.standings.map((s) => (
        <section key={s.program.id} className="panel" aria-labelledby={`program-${s.program.id}`}>
          <h2 id={`program-${s.program.id}`}>{s.program.name} ({s.program.code})</h2>
          <p><InstructorStandingTag status={s.status} words={s.statusWords} />{s.expiringSoon && s.expiresOn ? <> <span className="tag tag-warn">Expires {formatDate(s.expiresOn)}</span></> : null}</p>
          <dl className="facts">
            <dt>Certification expires</dt>
            <dd>{s.expiresOn ? formatDate(s.expiresOn) : "Never expires"}</dd>
            <dt>This certification year</dt>
            <dd>{formatDate(s.yearStartsOn)} to {formatDate(s.neededBy)}</dd>
            <dt>Courses taught this year</dt>
            <dd>{s.coursesRequired === null ? s.coursesTaught : `${s.coursesTaught} of ${s.coursesRequired}`}</dd>
            <dt>Still needed</dt>
            <dd>{neededWords(s, d.own)}</dd>
            {s.program.instructorNeedsCertificate ? (
              <>
                <dt>{d.own ? "Your" : "Their"} own {s.program.code} certificate</dt>
                <dd>
                  {s.needsCertificate
                    ? <>None current. A {s.program.code} instructor also holds a current {s.program.code} certificate; {d.own ? "renew yours" : "they renew theirs"} (the participants' course or its recertification) to keep teaching.</>
                    : "Current, as a " + s.program.code + " instructor needs."}
                </dd>
              </>
            ) : null}
          </dl>
          {s.courses.length === 0 ? (
            <p className="muted">No closed {s.program.code} sessions led or co-led this certification year.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>{s.program.code} courses taught this certification year, newest first</caption>
                <thead><tr><th scope="col">Session</th><th scope="col">Where</th><th scope="col">Last day</th><th scope="col">Role</th></tr></thead>
                <tbody>
                  {s.courses.map((c) => (
                    <tr key={c.id}>
                      <th scope="row"><Link to={`/sessions/${c.id}`}>{c.title ?? `${s.program.code} session`}</Link></th>
                      <td>{c.where ?? <span className="muted">Not given</span>}</td>
                      <td>{formatDate(c.lastDay)}</td>
                      <td>{ROLE_WORDS[c.role]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      {d.certifications.length > 0 ? (
        <section className="panel" aria-labelledby="certifications-heading">
          <h2 id="certifications-heading">Instructor certifications</h2>
          <div className="table-wrap">
            <table>
              <caption>Every instructor certification on record</caption>
              <thead><tr><th scope="col">Program</th><th scope="col">Issued on</th><th scope="col">Expires on</th><th scope="col">Status</th></tr></thead>
              <tbody>
                {d.certifications.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.program.name} instructor</th>
                    <td>{formatDate(c.issuedOn)}</td>
                    <td>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</td>
                    <td>
                      <InstructorCertificationStatusTag certification={c} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Instructor not found", body: "There is no instructor at this address, or it is not one you can see." } }} />;
}
