import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { NewUserSchema, PASSWORD_MIN_LENGTH } from "~/forms/user";
import { typedValues } from "~/forms/echo";
import { parseForm } from "~/utils/forms";
import { createUser, UserInputError } from "~/models/user.server";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { ROLE_LABELS, ROLES } from "~/domain/roles";

export const meta: MetaFunction = () => [{ title: "New user · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const formData = await request.formData();
  const parsed = parseForm(formData, NewUserSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const user = await createUser(parsed.data, admin.id);
    return redirect(`/admin/users/${user.id}?created=1`);
  } catch (error) {
    if (error instanceof UserInputError) {
      return data({ errors: { [error.field]: error.message }, values: typedValues(formData) }, { status: 400 });
    }
    throw error;
  }
}

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export default function NewUser() {
  const actionData = useActionData<typeof action>();
  const typed: Record<string, string | undefined> = actionData?.values ?? {};
  const defaults = { email: typed.email, name: typed.name, role: typed.role ?? "MEMBER", schoolCodes: typed.schoolCodes, districtId: typed.districtId };
  const { register, onSubmit, errorFor } = useValidatedForm(NewUserSchema, actionData, defaults);
  return (
    <>
      <p><Link to="/admin/users">Back to users</Link></p>
      <h1>New user</h1>
      <FormErrorSummary errors={actionData?.errors} />
      <section className="panel" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <Form method="post" onSubmit={onSubmit} noValidate>
          <TextField name="email" label="Email" type="email" autoComplete="off" register={register}
            defaultValue={defaults.email} error={errorFor("email")} hint="They sign in with this address." />
          <TextField name="name" label="Name" autoComplete="off" register={register} defaultValue={defaults.name} error={errorFor("name")} />
          <SelectField name="role" label="Role" register={register} defaultValue={defaults.role} error={errorFor("role")} options={ROLE_OPTIONS} />
          <TextField name="password" label="Initial password" type="password" autoComplete="new-password" register={register}
            error={errorFor("password")} hint={`At least ${PASSWORD_MIN_LENGTH} characters. Give it to them in person; they keep using it until an administrator resets it.`} />
          <TextField name="schoolCodes" label="School codes" autoComplete="off" register={register}
            defaultValue={defaults.schoolCodes} error={errorFor("schoolCodes")}
            hint="Separated by commas. Required for a school coordinator: the schools they may see." />
          <TextField name="districtId" label="District ID (optional)" autoComplete="off" register={register}
            defaultValue={defaults.districtId} error={errorFor("districtId")}
            hint="Links the account to the person with this employee number, so they see their own trainings." />
          <div className="actions">
            <SubmitButton>Create user</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
