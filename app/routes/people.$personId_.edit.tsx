// "$personId_": the edit page stands on its own rather than inside the person page's layout.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { EditPersonSchema, PERSON_KIND_CHOICES, PERSON_KIND_WORDS } from "~/forms/person";
import { typedValues } from "~/forms/echo";
import { parseForm } from "~/utils/forms";
import { getPersonForEdit, PersonInputError, updatePerson } from "~/models/person-edit.server";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit ${data.person.firstName} ${data.person.lastName} · People` : "Person not found" },
];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const person = await getPersonForEdit(params.personId ?? "");
  if (!person) throw notFound();
  return { person };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const personId = params.personId ?? "";
  const formData = await request.formData();
  const parsed = parseForm(formData, EditPersonSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const saved = await updatePerson(personId, parsed.data, admin.id);
    if (!saved) throw notFound();
  } catch (error) {
    if (error instanceof PersonInputError) return data({ errors: { [error.field]: error.message }, values: typedValues(formData) }, { status: 400 });
    throw error;
  }
  return redirect(`/people/${personId}`);
}

const KIND_OPTIONS = PERSON_KIND_CHOICES.map((k) => ({ value: k, label: PERSON_KIND_WORDS[k] }));

export default function EditPerson() {
  const { person } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults = {
    firstName: person.firstName, lastName: person.lastName, email: person.email ?? "", districtId: person.districtId ?? "", kind: person.kind,
    ...actionData?.values,
  };
  const form = useValidatedForm(EditPersonSchema, actionData, defaults);
  const name = `${person.firstName} ${person.lastName}`;
  return (
    <>
      <p><Link to={`/people/${person.id}`}>← {name}</Link></p>
      <h1>Edit {name}</h1>
      {person.mergedInto ? (
        <p className="notice" role="status">
          This record was merged into{" "}
          <Link to={`/people/${person.mergedInto.id}`}>{person.mergedInto.firstName} {person.mergedInto.lastName}</Link>: edit that record instead,
          or undo the merge first.
        </p>
      ) : (
        <>
          <FormErrorSummary errors={actionData?.errors} />
          <Form method="post" onSubmit={form.onSubmit} noValidate className="panel">
            <TextField name="firstName" label="First name" autoComplete="off" register={form.register} defaultValue={defaults.firstName} error={form.errorFor("firstName")} />
            <TextField name="lastName" label="Last name" autoComplete="off" register={form.register} defaultValue={defaults.lastName} error={form.errorFor("lastName")} />
            <TextField name="email" label="Email" type="email" autoComplete="off" register={form.register} defaultValue={defaults.email} error={form.errorFor("email")}
              hint="Optional. Not unique: shared mailboxes exist." />
            <TextField name="districtId" label="District ID" autoComplete="off" register={form.register} defaultValue={defaults.districtId} error={form.errorFor("districtId")}
              hint="Employee number or student ID; blank for a community partner. No two records may hold one ID." />
            <SelectField name="kind" label="Kind" register={form.register} defaultValue={defaults.kind} error={form.errorFor("kind")} options={KIND_OPTIONS} />
            <div className="actions">
              <SubmitButton>Save changes</SubmitButton>
              <Link to={`/people/${person.id}`}>Cancel</Link>
            </div>
          </Form>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Person not found", body: "There is no person at this address." } }} />;
}
