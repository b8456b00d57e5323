import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { getSessionDetail } from "~/models/training-session.server";
import { decodeCursor, readAuditTrail } from "~/models/audit-trail.server";
import { AuditTrail, trailHref } from "~/components/audit-trail";
import { getEnv } from "~/env.server";
import { canManageSession } from "~/domain/session-access";
import { sessionLeadLapse } from "~/models/instructor-lapse.server";
import { AUDIENCE_LABELS, FORMAT_LABELS } from "~/forms/session";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate, formatDateTime, formatTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.session.program.name} session` : "Session" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "view");
  // The history, a page at a time (?before= older events); names pass the visibility rule as the roster's do.
  const before = new URL(request.url).searchParams.get("before") ?? "";
  const cursor = before ? decodeCursor(before) : null;
  const [session, history] = await Promise.all([
    getSessionDetail(sessionId, user),
    readAuditTrail(user, { sessionId }, { cursor, seen: { via: "session", sessionId }, context: { sessionId }, timeZone: getEnv().DISTRICT_TIME_ZONE }),
  ]);
  const canManage = canManageSession(user, { schoolId: session.schoolId, trainerUserIds: session.trainers.map((t) => t.userId) });
  // Who may see whose name, ID and email was decided in getSessionDetail (person-visibility).
  const historyError = before && !cursor ? "This link to older events is not valid: the newest events are shown." : null;
  // Whether the lead may teach it: for its trainers, leads and admins (a coordinator's page stays as it was).
  const lapseWarnings = user.role === "COORDINATOR" ? [] : await sessionLeadLapse(sessionId, getEnv().DISTRICT_TIME_ZONE);
  return { session, history, historyPaged: cursor !== null, historyError, canManage, lapseWarnings };
}

const STATUS_TEXT = { PRESENT: "Present", ABSENT: "Absent", PARTIAL: "Partial" } as const;

export default function SessionPage() {
  const { session, history, historyPaged, historyError, canManage, lapseWarnings } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const certified = new Map(session.certifications.filter((c) => !c.revokedAt).map((c) => [c.personId, c.id]));
  // Issued, then revoked (issued by mistake): no certificate to print.
  const revoked = new Set(session.certifications.filter((c) => c.revokedAt).map((c) => c.personId));
  const lead = session.trainers.find((t) => t.role === "LEAD");
  const open = session.status === "SCHEDULED";
  return (
    <>
      <p><Link to="/sessions">All sessions</Link></p>
      <h1>{session.title ?? `${session.program.name} session`}</h1>
      <p>
        <span className={`tag ${session.status === "CLOSED" ? "tag-ok" : session.status === "CANCELLED" ? "tag-danger" : "tag-warn"}`}>
          {session.status === "SCHEDULED" ? "Open" : session.status === "CLOSED" ? "Closed" : "Cancelled"}
        </span>
      </p>
      {lapseWarnings.length > 0 ? (
        <div className="notice notice-warn notice-compact" role="alert" id="instructor-lapse">
          {lapseWarnings.map((w) => <p key={w}><strong>Instructor certification:</strong> {w}</p>)}
        </div>
      ) : null}
      {canManage ? (
        <nav className="actions" aria-label="Session actions">
          {open ? <Link className="button" to="roster">Roster</Link> : null}
          {open ? <Link className="button" to="attendance">Attendance</Link> : null}
          {open ? <Link className="button secondary" to="check-in">QR check-in</Link> : null}
          <Link className="button secondary" to="sign-in-sheet">Sign-in sheets</Link>
          {open ? <Link className="button secondary" to="edit">Edit or cancel</Link> : null}
          {session.status !== "CANCELLED" ? <Link className="button secondary" to="close">{open ? "Close session" : "Closing summary"}</Link> : null}
        </nav>
      ) : null}
      {/* Evaluations: counts and averages for anyone who sees the session; the link and comments for its trainers and leads. */}
      {session.status !== "CANCELLED" ? <p><Link to="evaluation">Evaluation: link and summary</Link></p> : null}
      <section className="panel" aria-labelledby="about">
        <h2 id="about">About this session</h2>
        <dl className="facts">
          <dt>Program</dt><dd>{session.program.name}</dd>
          <dt>Format</dt><dd>{FORMAT_LABELS[session.format]}</dd>
          <dt>Audience</dt><dd>{AUDIENCE_LABELS[session.audience]}</dd>
          <dt>Where</dt><dd>{session.school ? `${session.school.name} (${session.school.code})` : session.siteName ?? "Virtual"}</dd>
          {session.hostOrganization ? (<><dt>Host</dt><dd>{session.hostOrganization}</dd></>) : null}
          <dt>Lead trainer</dt><dd>{lead?.user.name ?? "—"}</dd>
          {session.trainers.length > 1 ? (<><dt>Co-trainers</dt><dd>{session.trainers.filter((t) => t.role === "CO").map((t) => t.user.name).join(", ")}</dd></>) : null}
          <dt>Enrolled</dt><dd>{session.enrolledCount}{session.capacity ? ` of ${session.capacity}` : ""}</dd>
          <dt>Completion requires</dt>
          <dd>{[session.program.requiresAttendance && "attendance on every day", session.program.requiresPostWork && "post-work", session.program.requiresEvaluation && "evaluation"].filter(Boolean).join(", ") || "nothing"}</dd>
        </dl>
        <h3>Days</h3>
        <ol>
          {session.days.map((d) => (
            <li key={d.id}>{formatDateTime(d.startsAt, timeZone)} – {formatTime(d.endsAt, timeZone)}</li>
          ))}
        </ol>
        {session.notes ? <p>{session.notes}</p> : null}
      </section>
      <section className="panel" aria-labelledby="roster">
        <h2 id="roster">Roster</h2>
        <p className="actions"><a className="button secondary csv-link" href={`/sessions/${session.id}/roster.csv`} download>Download roster CSV<span className="visually-hidden"> with attendance and certificates</span></a></p>
        {session.hiddenCount > 0 ? <p>{session.hiddenCount} {session.hiddenCount === 1 ? "student" : "students"} enrolled (names shown only to those who work with their school).</p> : null}
        {session.enrollments.length === 0 ? (
          <p className="muted">{session.hiddenCount > 0 ? "Nobody else is enrolled." : "Nobody is enrolled yet."}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{session.enrollments.length} people enrolled</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">District ID</th>
                  {session.days.map((d, i) => (<th scope="col" key={d.id}>Day {i + 1}</th>))}
                  {session.program.requiresPostWork ? <th scope="col">Post-work</th> : null}
                  {session.program.requiresEvaluation ? <th scope="col">Evaluation</th> : null}
                  <th scope="col">Certificate</th>
                </tr>
              </thead>
              <tbody>
                {session.enrollments.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">{e.person.lastName}, {e.person.firstName}</th>
                    <td>{e.person.districtId ?? "—"}</td>
                    {session.days.map((d) => {
                      const a = e.attendance.find((x) => x.sessionDayId === d.id);
                      return <td key={d.id}>{a ? STATUS_TEXT[a.status] : "—"}</td>;
                    })}
                    {session.program.requiresPostWork ? <td>{e.postWorkCompletedOn ? formatDate(e.postWorkCompletedOn) : "Not done"}</td> : null}
                    {session.program.requiresEvaluation ? <td>{e.evaluationCompletedOn ? formatDate(e.evaluationCompletedOn) : "Not done"}</td> : null}
                    <td>
                      {certified.has(e.personId) ? (
                        canManage ? <a href={`/sessions/${session.id}/certificates.pdf?certificate=${certified.get(e.personId)}`} download>Issued (certificate PDF)</a> : "Issued"
                      ) : revoked.has(e.personId) ? "Revoked" : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="history">
        <h2 id="history">History</h2>
        {historyError ? <p className="notice" role="status">{historyError}</p> : null}
        <AuditTrail
          label="Changes to this session, newest first"
          entries={history.entries}
          empty={historyPaged ? "No older changes." : "No changes recorded."}
          olderHref={history.nextCursor ? `${trailHref(`/sessions/${session.id}`, {}, history.nextCursor)}#history` : null}
          newestHref={historyPaged ? `/sessions/${session.id}#history` : null}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
