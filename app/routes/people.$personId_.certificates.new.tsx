// "$personId_": the page stands on its own rather than inside the person page's layout.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { RecordCertificateSchema } from "~/forms/certificate-records";
import { typedValues } from "~/forms/echo";
import { EVIDENCE_NOTE_MAX, SOURCE_MAX, SUGGESTED_SOURCES } from "~/domain/certificate-records";
import { parseForm } from "~/utils/forms";
import {
  CERTIFICATE_RECORD_ROLES, CertificateRecordError, districtToday, listProgramsForRecording, recordCertificationElsewhere,
} from "~/models/certificate-records.server";
import { getPersonRecord } from "~/models/people-directory.server";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Record a certificate earned elsewhere · ${data.name}` : "Person not found" },
];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/** The person as the viewer may see them (a 404 otherwise), for program leads and administrators. */
async function personFor(request: Request, personId: string) {
  const user = await requireRole(request, ...CERTIFICATE_RECORD_ROLES);
  const record = await getPersonRecord(user, personId);
  if (!record) throw notFound();
  return { user, record };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { record } = await personFor(request, params.personId ?? "");
  const programs = await listProgramsForRecording();
  return {
    personId: record.person.id,
    name: `${record.person.firstName} ${record.person.lastName}`,
    mergedInto: record.person.mergedInto,
    programs: programs.map((p) => ({ id: p.id, name: p.name, validityMonths: p.validityMonths })),
    today: districtToday(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const personId = params.personId ?? "";
  const { user } = await personFor(request, personId);
  const formData = await request.formData();
  const parsed = parseForm(formData, RecordCertificateSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const cert = await recordCertificationElsewhere({ personId, form: parsed.data, actorId: user.id });
    return redirect(`/people/${personId}#certificate-${cert.id}`);
  } catch (error) {
    if (error instanceof CertificateRecordError) return data({ errors: { [error.field]: error.message }, values: typedValues(formData) }, { status: 400 });
    throw error;
  }
}

export default function RecordCertificate() {
  const { personId, name, mergedInto, programs, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults = { programId: "", issuedOn: "", expiresOn: "", source: "", evidenceNote: "", ...actionData?.values };
  const form = useValidatedForm(RecordCertificateSchema, actionData, defaults);
  const programOptions = [{ value: "", label: "Choose a program" }, ...programs.map((p) => ({ value: p.id, label: p.name }))];
  const validity = programs
    .map((p) => `${p.name}: ${p.validityMonths == null ? "does not expire" : `${p.validityMonths} months`}`)
    .join("; ");
  return (
    <>
      <p><Link to={`/people/${personId}`}>← {name}</Link></p>
      <h1>Record a certificate earned elsewhere</h1>
      {mergedInto ? (
        <p className="notice" role="status">
          This record was merged into another: record the certificate on{" "}
          {mergedInto.hidden ? "that record" : <Link to={`/people/${mergedInto.id}/certificates/new`}>{mergedInto.name}</Link>}.
        </p>
      ) : (
        <>
          <p>
            For a certificate {name} earned outside this district's sessions: on the official MHFA platform, in another district, or
            with a partner organisation. It counts toward reach and gets renewal reminders like any other, and its public check
            code is made here.
          </p>
          <FormErrorSummary errors={actionData?.errors} />
          <Form method="post" onSubmit={form.onSubmit} noValidate className="panel">
            <SelectField name="programId" label="Program" register={form.register} defaultValue={defaults.programId} error={form.errorFor("programId")} options={programOptions} />
            <TextField
              name="issuedOn" label="Issued on" type="date" max={today} register={form.register} defaultValue={defaults.issuedOn} error={form.errorFor("issuedOn")}
              hint="As printed on the certificate (YYYY-MM-DD); not after today."
            />
            <TextField
              name="expiresOn" label="Expires on (optional)" type="date" register={form.register} defaultValue={defaults.expiresOn} error={form.errorFor("expiresOn")}
              hint={`Leave blank to use the program's validity from the issue date (${validity}).`}
            />
            <TextField
              name="source" label="Source" autoComplete="off" list="certificate-sources" maxLength={SOURCE_MAX} register={form.register}
              defaultValue={defaults.source} error={form.errorFor("source")} hint="Where it was earned, for example: Official MHFA platform, Another district."
            />
            <datalist id="certificate-sources">
              {SUGGESTED_SOURCES.map((s) => <option key={s} value={s} />)}
            </datalist>
            <TextField
              name="evidenceNote" label="Evidence" autoComplete="off" maxLength={EVIDENCE_NOTE_MAX} register={form.register}
              defaultValue={defaults.evidenceNote} error={form.errorFor("evidenceNote")}
              hint="Required. What you saw, for example: certificate PDF emailed by the holder, platform record number."
            />
            <div className="actions">
              <SubmitButton>Record certificate</SubmitButton>
              <Link to={`/people/${personId}`}>Cancel</Link>
            </div>
          </Form>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Person not found", body: "There is no person at this address, or they are not one you can see." } }} />;
}
