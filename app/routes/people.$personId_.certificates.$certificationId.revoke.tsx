// "$personId_": the page stands on its own rather than inside the person page's layout.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { RevokeCertificateSchema } from "~/forms/certificate-records";
import { REVOKE_REASON_MAX } from "~/domain/certificate-records";
import { parseForm } from "~/utils/forms";
import { CERTIFICATE_RECORD_ROLES, getCertificationForRevoke, revokeCertification } from "~/models/certificate-records.server";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Revoke a certificate · ${data.cert.person.firstName} ${data.cert.person.lastName}` : "Certificate not found" },
];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/** Program leads and administrators only; a certificate not on this person's page is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...CERTIFICATE_RECORD_ROLES);
  const cert = await getCertificationForRevoke(user, params.personId ?? "", params.certificationId ?? "");
  if (!cert) throw notFound();
  return { personId: params.personId ?? "", cert };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ...CERTIFICATE_RECORD_ROLES);
  const personId = params.personId ?? "";
  const certificationId = params.certificationId ?? "";
  if (!(await getCertificationForRevoke(user, personId, certificationId))) throw notFound();
  const parsed = parseForm(await request.formData(), RevokeCertificateSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, alreadyRevoked: null }, { status: 400 });
  const outcome = await revokeCertification({ personId, certificationId, reason: parsed.data.reason, actorId: user.id });
  if (outcome.kind === "not-found") throw notFound();
  if (outcome.kind === "already-revoked") {
    // Revoked by someone else meanwhile (or a second click): nothing more is written.
    const on = outcome.revokedAt ? ` on ${formatDate(outcome.revokedAt)}` : "";
    return data({ errors: undefined, values: undefined, alreadyRevoked: `This certificate was already revoked${on}. Nothing was changed.` }, { status: 409 });
  }
  return redirect(`/people/${personId}#certificate-${certificationId}`);
}

export default function RevokeCertificate() {
  const { personId, cert } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const form = useValidatedForm(RevokeCertificateSchema, actionData ?? undefined, { reason: "" });
  const name = `${cert.person.firstName} ${cert.person.lastName}`;
  const which = `${cert.program.name} certificate issued ${formatDate(cert.issuedOn)}`;
  return (
    <>
      <p><Link to={`/people/${personId}`}>← {name}</Link></p>
      <h1>Revoke a certificate</h1>
      <section className="panel" aria-labelledby="which">
        <h2 id="which">{which}</h2>
        <dl className="facts">
          <dt>Holder</dt>
          <dd>{name}</dd>
          <dt>Program</dt>
          <dd>{cert.program.name}</dd>
          <dt>Issued on</dt>
          <dd>{formatDate(cert.issuedOn)}</dd>
          <dt>Expires on</dt>
          <dd>{cert.expiresOn ? formatDate(cert.expiresOn) : "Never expires"}</dd>
          <dt>Came from</dt>
          <dd>{cert.session ? <Link to={`/sessions/${cert.session.id}`}>{cert.session.title ?? "a session"}</Link> : cert.source ? `Recorded from ${cert.source}` : "Recorded without a session"}</dd>
        </dl>
      </section>
      {actionData?.alreadyRevoked ? <p className="notice" role="status">{actionData.alreadyRevoked}</p> : null}
      {cert.revokedAt ? (
        <p className="notice" role="status">
          Revoked on {formatDate(cert.revokedAt)}{cert.revokedBy ? ` by ${cert.revokedBy.name}` : ""} — {cert.revokedReason}
        </p>
      ) : (
        <>
          <p>
            Revoking keeps the certificate on record but makes it invalid everywhere: the public certificate check says it was
            revoked, it no longer counts toward reach or goals, and no renewal reminders are sent for it. This cannot be undone here.
          </p>
          <FormErrorSummary errors={actionData?.errors} />
          <Form method="post" onSubmit={form.onSubmit} noValidate className="panel">
            <TextField
              name="reason" label="Reason" autoComplete="off" register={form.register} error={form.errorFor("reason")}
              maxLength={REVOKE_REASON_MAX}
              hint="Required. For example: issued in error, wrong person. Shown to program leads and administrators, never on the public check."
            />
            <div className="actions">
              <SubmitButton className="danger">Revoke certificate</SubmitButton>
              <Link to={`/people/${personId}`}>Cancel</Link>
            </div>
          </Form>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Certificate not found", body: "There is no such certificate on this person's record, or you cannot see them." } }} />;
}
