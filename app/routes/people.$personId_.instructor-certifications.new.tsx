// "$personId_": the page stands on its own rather than inside the person page's layout.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { RecordInstructorCertificationSchema } from "~/forms/instructor-certification";
import { typedValues } from "~/forms/echo";
import { EVIDENCE_NOTE_MAX, SOURCE_MAX } from "~/domain/certificate-records";
import { parseForm } from "~/utils/forms";
import {
  districtToday, INSTRUCTOR_RECORD_ROLES, InstructorCertificationError, listInstructorPrograms, recordInstructorCertificationFromForm,
} from "~/models/instructors.server";
import { getPersonRecord } from "~/models/people-directory.server";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Record an instructor certification · ${data.name}` : "Person not found" },
];

const SUGGESTED_INSTRUCTOR_SOURCES = ["MHFA USA instructor training", "QPR Institute instructor training", "Another district"];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/** The person as the viewer may see them (a 404 otherwise), for program leads and administrators. */
async function personFor(request: Request, personId: string) {
  const user = await requireRole(request, ...INSTRUCTOR_RECORD_ROLES);
  const record = await getPersonRecord(user, personId);
  if (!record) throw notFound();
  return { user, record };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { record } = await personFor(request, params.personId ?? "");
  const programs = await listInstructorPrograms();
  return {
    personId: record.person.id,
    name: `${record.person.firstName} ${record.person.lastName}`,
    mergedInto: record.person.mergedInto,
    programs: programs.map((p) => ({ id: p.id, name: p.name, code: p.code, coursesPerYear: p.instructorCoursesPerYear })),
    today: districtToday(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const personId = params.personId ?? "";
  const { user } = await personFor(request, personId);
  const formData = await request.formData();
  const parsed = parseForm(formData, RecordInstructorCertificationSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const cert = await recordInstructorCertificationFromForm({ personId, form: parsed.data, actorId: user.id });
    return redirect(`/people/${personId}#instructor-certification-${cert.id}`);
  } catch (error) {
    if (error instanceof InstructorCertificationError) return data({ errors: { [error.field]: error.message }, values: typedValues(formData) }, { status: 400 });
    throw error;
  }
}

export default function RecordInstructorCertification() {
  const { personId, name, mergedInto, programs, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults = { programId: "", issuedOn: "", expiresOn: "", source: "", evidenceNote: "", ...actionData?.values };
  const form = useValidatedForm(RecordInstructorCertificationSchema, actionData, defaults);
  const programOptions = [{ value: "", label: "Choose a program" }, ...programs.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))];
  const rules = programs.filter((p) => p.coursesPerYear !== null).map((p) => `${p.code}: ${p.coursesPerYear} a year`).join("; ");
  return (
    <>
      <p><Link to={`/people/${personId}`}>← {name}</Link></p>
      <h1>Record an instructor certification</h1>
      {mergedInto ? (
        <p className="notice" role="status">
          This record was merged into another: record the certification on{" "}
          {mergedInto.hidden ? "that record" : <Link to={`/people/${mergedInto.id}/instructor-certifications/new`}>{mergedInto.name}</Link>}.
        </p>
      ) : (
        <>
          <p>
            A certification that licenses {name} to teach a program (for example, YMHFA instructor). Their standing then counts
            the closed sessions they lead or co-lead{rules ? ` against the courses-a-year rule (${rules})` : ""}, once their
            trainer account is linked to this person.
          </p>
          <FormErrorSummary errors={actionData?.errors} />
          <Form method="post" onSubmit={form.onSubmit} noValidate className="panel">
            <SelectField
              name="programId" label="Program they may teach" register={form.register} defaultValue={defaults.programId}
              error={form.errorFor("programId")} options={programOptions}
            />
            <TextField
              name="issuedOn" label="Issued on" type="date" max={today} register={form.register} defaultValue={defaults.issuedOn} error={form.errorFor("issuedOn")}
              hint="As printed on the instructor certificate (YYYY-MM-DD); not after today. Certification years run from this date."
            />
            <TextField
              name="expiresOn" label="Expires on (optional)" type="date" register={form.register} defaultValue={defaults.expiresOn} error={form.errorFor("expiresOn")}
              hint="The first day it no longer holds, as printed. Leave blank if it does not expire."
            />
            <TextField
              name="source" label="Source" autoComplete="off" list="instructor-sources" maxLength={SOURCE_MAX} register={form.register}
              defaultValue={defaults.source} error={form.errorFor("source")} hint="Where it was earned, for example: MHFA USA instructor training."
            />
            <datalist id="instructor-sources">
              {SUGGESTED_INSTRUCTOR_SOURCES.map((s) => <option key={s} value={s} />)}
            </datalist>
            <TextField
              name="evidenceNote" label="Evidence (optional)" autoComplete="off" maxLength={EVIDENCE_NOTE_MAX} register={form.register}
              defaultValue={defaults.evidenceNote} error={form.errorFor("evidenceNote")}
              hint="What you saw, for example: instructor certificate PDF, MHFA Connect record number."
            />
            <div className="actions">
              <SubmitButton>Record instructor certification</SubmitButton>
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
