import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { DIRECTORY_ROLES, getPersonRecord } from "~/models/people-directory.server";
import { listMergesOf } from "~/models/person-merge.server";
import { importHistoryOf } from "~/models/directory-import.server";
import { DIRECTORY_FORMAT_LABELS } from "~/domain/directory/plan";
import { formatSchoolYear } from "~/domain/school-year";
import { AppErrorBoundary } from "~/components/error-boundary";
import { AuditTrail, trailHref } from "~/components/audit-trail";
import { decodeCursor, readAuditTrail } from "~/models/audit-trail.server";
import { getEnv } from "~/env.server";
import { INSTRUCTOR_RECORD_ROLES, instructorCertificationsWithStatus } from "~/models/instructors.server";
import { formatDate, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";
import { InstructorCertificationStatusTag } from "~/components/status-tag";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.person.firstName} ${data.person.lastName} · People` : "Person not found" },
];

const KIND_WORDS = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" } as const;
const STATUS_TONES: Record<string, string> = { active: "tag-ok", "renewal-window": "tag-warn", expired: "tag-danger", renewed: "tag-muted", "not-yet-issued": "tag-muted", revoked: "tag-danger" };
const IMPORT_OUTCOME_WORDS: Record<string, string> = { NEW: "added to the directory", UPDATED: "record updated", UNCHANGED: "listed, nothing changed", REVIEW: "held for review", IGNORED: "left out" };
const SESSION_STATUS_WORDS = { SCHEDULED: "Scheduled", CLOSED: "Closed", CANCELLED: "Cancelled" } as const;

/** A person the viewer may not see (another school's, or a student hidden from their role) is a 404, like an unknown id. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...DIRECTORY_ROLES);
  const record = params.personId ? await getPersonRecord(user, params.personId) : null;
  if (!record) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  // Editing, merging and undoing are for administrators only.
  const admin = user.role === "ADMIN";
  const [merges, imports] = admin
    ? await Promise.all([listMergesOf(record.person.id), importHistoryOf([record.person.id, ...record.person.mergedFrom.flatMap((p) => (p.hidden ? [] : [p.id]))])])
    : [null, null];
  // Everything recorded about this person (their record, attendance, rosters, certificates), as this viewer may see it.
  const before = new URL(request.url).searchParams.get("before") ?? "";
  const cursor = before ? decodeCursor(before) : null;
  const history = await readAuditTrail(user, { personId: record.person.id }, { cursor, context: { personId: record.person.id }, timeZone: getEnv().DISTRICT_TIME_ZONE });
  // Instructor certifications: for those who record them (program leads, administrators).
  const instructor = INSTRUCTOR_RECORD_ROLES.includes(user.role)
    ? { certifications: await instructorCertificationsWithStatus(record.person.id), canRecord: !record.person.mergedInto }
    : null;
  return { ...record, merges, imports, history, historyPaged: cursor !== null, instructor };
}

function reminderWords(status: string, channel: string | null): string {
  if (status === "SENT") return channel === "none" ? "Recorded, not emailed (no address or unsubscribed)" : "Emailed";
  if (status === "FAILED") return "Could not be sent";
  return "Waiting to be sent";
}

type ReminderRow = { id: string; programName: string; dueOn: string | Date; when: string; status: string; channel: string | null; sentAt: string | Date | null };

/** The renewal and instructor reminders both read: program, due, when, delivery, sent. */
function ReminderTable({ caption, whenHeading, rows, timeZone }: { caption: string; whenHeading: string; rows: ReminderRow[]; timeZone: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">Program</th><th scope="col">Due on</th><th scope="col">{whenHeading}</th><th scope="col">Delivery</th><th scope="col">Sent</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.programName}</td>
              <td>{formatDate(r.dueOn)}</td>
              <td>{r.when}</td>
              <td>{reminderWords(r.status, r.channel)}</td>
              <td>{r.sentAt ? formatDateTime(r.sentAt, timeZone) : <span className="muted">Not yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function PersonPage() {
  const { person, memberships, sessions, certifications, reminders, history, historyPaged, canDownloadCertificates, canCorrectCertificates, merges, imports, instructor, instructorReminders } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const name = `${person.firstName} ${person.lastName}`;
  return (
    <>
      <p><Link to="/people">← People</Link></p>
      <h1>{name}</h1>
      {merges && !person.mergedInto ? <p><Link to={`/people/${person.id}/edit`}>Edit {name}</Link></p> : null}
      {person.mergedInto ? (
        <p className="notice" role="status">
          This record was merged into{" "}
          {person.mergedInto.hidden ? "a record you cannot see" : <Link to={`/people/${person.mergedInto.id}`}>{person.mergedInto.name}</Link>}
          . It is kept with everything recorded on it; new training is recorded on the other record.
          {merges?.filter((m) => m.mergedId === person.id && !m.undoneAt).map((m) => (
            <span key={m.id}> <Link to={`/people/merges/${m.id}`}>See or undo the merge</Link></span>
          ))}
        </p>
      ) : null}
      {merges && merges.length > 0 ? (
        <section className="panel" aria-labelledby="merges">
          <h2 id="merges">Merges</h2>
          <ul>
            {merges.map((m) => (
              <li key={m.id}>
                {formatDateTime(m.createdAt, timeZone)}: {m.merged.firstName} {m.merged.lastName} merged into {m.survivor.firstName} {m.survivor.lastName}
                {m.undoneAt ? ` (undone ${formatDateTime(m.undoneAt, timeZone)})` : ""}. <Link to={`/people/merges/${m.id}`}>{m.undoneAt ? "Details" : "Details or undo"}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="identity">
        <h2 id="identity">Identity</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{name}</dd>
          <dt>District ID</dt>
          <dd>{person.districtId ?? <span className="muted">None shown</span>}</dd>
          <dt>Email</dt>
          <dd>{person.email ?? <span className="muted">None shown</span>}</dd>
          <dt>Kind</dt>
          <dd>{KIND_WORDS[person.kind]}</dd>
          <dt>Record created</dt>
          <dd>{formatDate(person.createdAt)}</dd>
        </dl>
        {person.mergedFrom.length > 0 ? (
          <>
            <h3>Records merged into this one</h3>
            <ul>
              {person.mergedFrom.map((m, i) => (
                <li key={m.hidden ? `hidden-${i}` : m.id}>{m.hidden ? m.label : <Link to={`/people/${m.id}`}>{m.name}</Link>}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="memberships">
        <h2 id="memberships">Memberships by school year</h2>
        {memberships.length === 0 ? (
          <p className="muted">No school membership recorded.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Schools this person worked or studied at, newest year first</caption>
              <thead>
                <tr><th scope="col">School year</th><th scope="col">School</th><th scope="col">Title or grade</th></tr>
              </thead>
              <tbody>
                {memberships.map((m) => (
                  <tr key={`${m.schoolYear}-${m.schoolCode}`}>
                    <td>{formatSchoolYear(m.schoolYear)}</td>
                    <td>{m.schoolName} <span className="muted">({m.schoolCode})</span></td>
                    <td>{m.title ?? <span className="muted">None</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        {sessions.length === 0 ? (
          <p className="muted">Not on any session's roster.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Sessions this person was enrolled in, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th><th scope="col">Program</th><th scope="col">Dates</th><th scope="col">Attendance</th>
                  <th scope="col">Post-work</th><th scope="col">Evaluation</th><th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.sessionId}>
                    <th scope="row">
                      <Link to={`/sessions/${s.sessionId}`}>{s.title ?? s.programName}</Link>
                    </th>
                    <td>{s.programName}</td>
                    <td>
                      {s.firstDay ? formatDate(s.firstDay) : "No dates"}
                      {s.lastDay && s.dayCount > 1 ? ` to ${formatDate(s.lastDay)}` : ""}
                    </td>
                    <td>
                      {s.dayCount === 0 ? "No days" : `${s.daysPresent} of ${s.dayCount} ${s.dayCount === 1 ? "day" : "days"} present`}
                      {s.daysPartial ? `, ${s.daysPartial} partial` : ""}
                    </td>
                    <td>{s.postWork === undefined ? <span className="muted">Not required</span> : s.postWork ? `Done ${formatDate(s.postWork)}` : "Not done"}</td>
                    <td>{s.evaluation === undefined ? <span className="muted">Not required</span> : s.evaluation ? `Done ${formatDate(s.evaluation)}` : "Not done"}</td>
                    <td>{s.certified ? "Certified" : s.status === "CLOSED" ? "Not completed" : SESSION_STATUS_WORDS[s.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="certifications">
        <h2 id="certifications">Certifications</h2>
        {canCorrectCertificates ? <p><Link to={`/people/${person.id}/certificates/new`}>Record a certificate earned elsewhere</Link></p> : null}
        {certifications.length === 0 ? (
          <p className="muted">No certificates.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Certificates held or held before, newest first; a renewal keeps the old certificate</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th><th scope="col">Issued on</th><th scope="col">Expires on</th>
                  <th scope="col">Status</th><th scope="col">History</th>
                  {canDownloadCertificates ? <th scope="col">Certificate</th> : null}
                </tr>
              </thead>
              <tbody>
                {certifications.map((c) => (
                  <tr key={c.id} id={`certificate-${c.id}`}>
                    <th scope="row"><Link to={`/people/${person.id}/certificates/${c.id}`}>{c.programName}</Link></th>
                    <td>{formatDate(c.issuedOn)}</td>
                    <td>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</td>
                    <td>
                      <span className={`tag ${STATUS_TONES[c.status.status] ?? "tag-muted"}`}>{c.status.label}</span>
                      {c.renewedBy ? <> by the certificate of <a href={`#certificate-${c.renewedBy.id}`}>{formatDate(c.renewedBy.issuedOn)}</a></> : null}
                      {c.revoked ? <> Revoked on {formatDateTime(c.revoked.on, timeZone)}{c.revoked.reason ? ` — ${c.revoked.reason}` : ""}</> : null}
                      {canCorrectCertificates && !c.revoked ? (
                        <> <Link to={`/people/${person.id}/certificates/${c.id}/revoke`} aria-label={`Revoke: ${c.programName} certificate issued ${formatDate(c.issuedOn)}`}>Revoke</Link></>
                      ) : null}
                    </td>
                    <td>
                      {c.renews ? <>Renews the certificate of <a href={`#certificate-${c.renews.id}`}>{formatDate(c.renews.issuedOn)}</a>. </> : null}
                      {c.session ? <>From <Link to={`/sessions/${c.session.id}`}>{c.session.title ?? "a session"}</Link>.</> : c.source ? `Recorded from ${c.source}.` : "Recorded without a session."}
                    </td>
                    {canDownloadCertificates ? (
                      <td>
                        {c.revoked ? <span className="muted">Revoked: no PDF</span> : (
                          <a href={`/people/${person.id}/certificates/${c.id}/pdf`} download aria-label={`Download PDF: ${c.programName} certificate issued ${formatDate(c.issuedOn)}`}>
                            Download PDF
                          </a>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {instructor ? (
        <section className="panel" aria-labelledby="instructor-certifications">
          <h2 id="instructor-certifications">Instructor certifications</h2>
          <p>
            {instructor.canRecord ? <Link to={`/people/${person.id}/instructor-certifications/new`}>Record an instructor certification</Link> : null}
            {instructor.certifications.length > 0 ? <>{instructor.canRecord ? " · " : null}<Link to={`/instructors/${person.id}`}>Instructor standing and courses taught</Link></> : null}
          </p>
          {instructor.certifications.length === 0 ? (
            <p className="muted">No instructor certifications: not certified to teach any program.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>Programs this person is certified to teach</caption>
                <thead>
                  <tr><th scope="col">Program</th><th scope="col">Issued on</th><th scope="col">Expires on</th><th scope="col">Status</th><th scope="col">Source</th></tr>
                </thead>
                <tbody>
                  {instructor.certifications.map((c) => (
                    <tr key={c.id} id={`instructor-certification-${c.id}`}>
                      <th scope="row">{c.program.name} instructor</th>
                      <td>{formatDate(c.issuedOn)}</td>
                      <td>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</td>
                      <td>
                        <InstructorCertificationStatusTag certification={c} />
                      </td>
                      <td>{c.source ?? <span className="muted">Not given</span>}{c.evidenceNote ? <span className="muted">. {c.evidenceNote}</span> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      {reminders ? (
        <section className="panel" aria-labelledby="reminders">
          <h2 id="reminders">Renewal reminders</h2>
          {reminders.length === 0 ? (
            <p className="muted">No reminders sent.</p>
          ) : (
            <ReminderTable
              caption="Reminders about expiring certificates, newest first"
              whenHeading="Before expiry"
              rows={reminders.map((r) => ({ ...r, when: r.daysBefore === 0 ? "On the day it lapses" : `${r.daysBefore} days` }))}
              timeZone={timeZone}
            />
          )}
        </section>
      ) : null}

      {instructorReminders && instructorReminders.length > 0 ? (
        <section className="panel" aria-labelledby="instructor-reminders">
          <h2 id="instructor-reminders">Instructor reminders</h2>
          <ReminderTable
            caption="Reminders about courses still to teach this certification year, newest first"
            whenHeading="When"
            rows={instructorReminders.map((r) => ({ ...r, when: `${r.daysBefore} days before ${formatDate(r.yearLastDay)}` }))}
            timeZone={timeZone}
          />
        </section>
      ) : null}

      {imports && imports.length > 0 ? (
        <section className="panel" aria-labelledby="imports">
          <h2 id="imports">Directory imports</h2>
          <ul>
            {imports.map((imp) => (
              <li key={imp.id}>
                <Link to={`/admin/directory/${imp.id}`}>{DIRECTORY_FORMAT_LABELS[imp.format] ?? imp.format} import for {formatSchoolYear(imp.schoolYear)}</Link>
                {imp.committedAt ? `, ${formatDateTime(imp.committedAt, timeZone)}` : ""}
                {imp.row ? `: ${IMPORT_OUTCOME_WORDS[imp.row.outcome] ?? imp.row.outcome} (${imp.row.where})` : ""}
                {imp.row?.reason ? `. ${imp.row.reason}` : ""}
                {imp.row && imp.row.changes.length ? <ul>{imp.row.changes.map((c) => <li key={c}>{c}</li>)}</ul> : null}
                {imp.memberships.length ? <ul>{imp.memberships.map((m) => <li key={m}>{m}</li>)}</ul> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="history">
        <h2 id="history">History</h2>
        <AuditTrail
          label={`Changes about ${name}, newest first`}
          entries={history.entries}
          empty={historyPaged ? "No older changes." : "No changes recorded."}
          olderHref={history.nextCursor ? `${trailHref(`/people/${person.id}`, {}, history.nextCursor)}#history` : null}
          newestHref={historyPaged ? `/people/${person.id}#history` : null}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Person not found", body: "There is no person at this address, or they are not one you can see." } }} />;
}
