// "$personId_": the page stands on its own rather than inside the person page's layout; "_index" leaves
// ".../pdf" and ".../revoke" as its siblings.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { DIRECTORY_ROLES } from "~/models/people-directory.server";
import { getCertificateRecord } from "~/models/certificate-records.server";
import { decodeCursor, readAuditTrail } from "~/models/audit-trail.server";
import { getEnv } from "~/env.server";
import { AuditTrail, trailHref } from "~/components/audit-trail";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.certificate.program.name} certificate · ${data.holder.firstName} ${data.holder.lastName}` : "Certificate not found" },
];

const STATUS_TONES: Record<string, string> = { active: "tag-ok", "renewal-window": "tag-warn", expired: "tag-danger", renewed: "tag-muted", "not-yet-issued": "tag-muted", revoked: "tag-danger" };

/**
 * One certificate: what it is, where it came from, and everything recorded about it. The person page's
 * roles and rule: trainers and members 403; a person the viewer may not open, or a certificate not on
 * this person's page, 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...DIRECTORY_ROLES);
  const personId = params.personId ?? "";
  const record = await getCertificateRecord(user, personId, params.certificationId ?? "");
  if (!record) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  // The history, a page at a time (?before= older events), names through the directory's rule.
  const before = new URL(request.url).searchParams.get("before") ?? "";
  const cursor = before ? decodeCursor(before) : null;
  const history = await readAuditTrail(user, { certificationId: record.certificate.id }, { cursor, context: { personId }, timeZone: getEnv().DISTRICT_TIME_ZONE });
  const historyError = before && !cursor ? "This link to older events is not valid: the newest events are shown." : null;
  return { ...record, personId, history, historyPaged: cursor !== null, historyError };
}

export default function CertificatePage() {
  const { holder, onMergedRecord, certificate: c, pdfPath, revokePath, personId, history, historyPaged, historyError } = useLoaderData<typeof loader>();
  const name = `${holder.firstName} ${holder.lastName}`;
  const path = `/people/${personId}/certificates/${c.id}`;
  const which = `${c.program.name} certificate issued ${formatDate(c.issuedOn)}`;
  const timeZone = useTimeZone();
  return (
    <>
      <p><Link to={`/people/${personId}#certificate-${c.id}`}>← {name}</Link></p>
      <h1>{c.program.name} certificate</h1>
      <section className="panel" aria-labelledby="certificate">
        <h2 id="certificate">Certificate</h2>
        <dl className="facts">
          <dt>Holder</dt>
          <dd>
            <Link to={`/people/${personId}`}>{name}</Link>
            {onMergedRecord ? <span className="muted"> (held on a record since merged into theirs)</span> : null}
          </dd>
          <dt>Program</dt>
          <dd>{c.program.name} <span className="muted">({c.program.code})</span></dd>
          <dt>Issued on</dt>
          <dd>{formatDate(c.issuedOn)}</dd>
          <dt>Expires on</dt>
          <dd>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</dd>
          <dt>Status</dt>
          <dd>
            <span className={`tag ${STATUS_TONES[c.status.status] ?? "tag-muted"}`}>{c.status.label}</span>
            {c.revoked ? (
              <> Revoked on {formatDateTime(c.revoked.on, timeZone)}{c.revoked.by ? ` by ${c.revoked.by}` : ""}{c.revoked.reason ? ` — ${c.revoked.reason}` : ""}</>
            ) : null}
          </dd>
          <dt>Came from</dt>
          <dd>
            {c.session ? (
              <>The session <Link to={`/sessions/${c.session.id}`}>{c.session.title ?? "without a title"}</Link></>
            ) : c.recorded?.source ? (
              <>Recorded from {c.recorded.source}{c.recorded.evidenceNote ? <>. Evidence: {c.recorded.evidenceNote}</> : null}</>
            ) : (
              "Recorded without a session"
            )}
          </dd>
          {c.renews ? (
            <>
              <dt>Renews</dt>
              <dd>The certificate <Link to={c.renews.path}>issued {formatDate(c.renews.issuedOn)}</Link> (kept on record)</dd>
            </>
          ) : null}
          {c.renewedBy ? (
            <>
              <dt>Renewed by</dt>
              <dd>The certificate <Link to={c.renewedBy.path}>issued {formatDate(c.renewedBy.issuedOn)}</Link></dd>
            </>
          ) : null}
          <dt>Public check</dt>
          <dd>
            <a href={c.checkPath}>Check this certificate</a>{" "}
            <span className="muted">(the name as printed, program, dates and status, as anyone with its code sees them)</span>
          </dd>
        </dl>
        {pdfPath || revokePath ? (
          <p className="actions">
            {pdfPath ? <a href={pdfPath} download aria-label={`Download PDF: ${which}`}>Download PDF</a> : null}
            {revokePath ? <Link to={revokePath} aria-label={`Revoke: ${which}`}>Revoke</Link> : null}
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="history">
        <h2 id="history">History</h2>
        {historyError ? <p className="notice" role="status">{historyError}</p> : null}
        <AuditTrail
          label={`Changes about this ${c.program.name} certificate, newest first`}
          entries={history.entries}
          empty={historyPaged ? "No older changes." : "No changes recorded."}
          olderHref={history.nextCursor ? `${trailHref(path, {}, history.nextCursor)}#history` : null}
          newestHref={historyPaged ? `${path}#history` : null}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Certificate not found", body: "There is no such certificate on this person's record, or you cannot see them." } }} />;
}
