import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { EditUserSchema, PASSWORD_MIN_LENGTH, ResetPasswordSchema } from "~/forms/user";
import { typedValues } from "~/forms/echo";
import { parseForm } from "~/utils/forms";
import { countActiveSignIns, getUserForAdmin, resetPassword, updateUserAccess, UserInputError } from "~/models/user.server";
import { LinkPersonSchema } from "~/forms/instructor-certification";
import { InstructorCertificationError, linkAccountToPerson } from "~/models/instructors.server";
import { CheckboxField, FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.user.name} · Users` : "User not found" }];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

const NOTICES: Record<string, string> = {
  created: "User created. They can sign in with the initial password.",
  saved: "Changes saved.",
  reset: "Password reset. They have been signed out everywhere and must sign in with the new password.",
  linked: "Person record linked.",
  unlinked: "Person record unlinked.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const user = await getUserForAdmin(params.userId ?? "");
  if (!user) throw notFound();
  const url = new URL(request.url);
  const notice = Object.keys(NOTICES).find((k) => url.searchParams.has(k));
  return {
    user,
    activeSignIns: await countActiveSignIns(user.id),
    isSelf: user.id === admin.id,
    notice: notice ? NOTICES[notice] : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const user = await getUserForAdmin(params.userId ?? "");
  if (!user) throw notFound();
  const formData = await request.formData();
  const intent = formData.get("intent");
  try {
    if (intent === "reset-password") {
      const parsed = parseForm(formData, ResetPasswordSchema);
      if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      await resetPassword(user.id, parsed.data.password, admin.id);
      return redirect(`/admin/users/${user.id}?reset=1`);
    }
    if (intent === "link-person") {
      const parsed = parseForm(formData, LinkPersonSchema);
      if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      const linked = await linkAccountToPerson({ userId: user.id, personKey: parsed.data.personKey, actorId: admin.id });
      return redirect(`/admin/users/${user.id}?${linked.personId ? "linked" : "unlinked"}=1`);
    }
    if (intent === "save") {
      const parsed = parseForm(formData, EditUserSchema);
      if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      await updateUserAccess(user.id, parsed.data, admin.id);
      return redirect(`/admin/users/${user.id}?saved=1`);
    }
  } catch (error) {
    if (error instanceof UserInputError || error instanceof InstructorCertificationError) {
      return data({ errors: { [error.field]: error.message }, values: typedValues(formData) }, { status: 400 });
    }
    throw error;
  }
  return data({ errors: { form: "Choose “Save changes”, “Link person” or “Reset password”." }, values: typedValues(formData) }, { status: 400 });
}

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export default function EditUser() {
  const { user, activeSignIns, isSelf, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const timeZone = useTimeZone();
  const typed = actionData?.values;
  const defaults = {
    name: typed?.name ?? user.name,
    role: typed?.role ?? user.role,
    schoolCodes: typed?.schoolCodes ?? user.schools.map((s) => s.school.code).join(", "),
    // An unticked checkbox posts nothing, so after a refused save its absence means "off".
    active: typed?.intent === "save" ? typed.active === "on" : user.active,
  };
  const access = useValidatedForm(EditUserSchema, actionData, defaults);
  return (
    <>
      <p><Link to="/admin/users">Back to users</Link></p>
      <h1>{user.name}</h1>
      {notice && !actionData ? <p className="notice" role="status">{notice}</p> : null}
      <FormErrorSummary errors={actionData?.errors} />
      <dl className="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
        <dt>Status</dt>
        <dd>{user.active ? <span className="tag tag-ok">Active</span> : <span className="tag tag-muted">Deactivated</span>}</dd>
        <dt>Signed in now</dt>
        <dd>{activeSignIns === 1 ? "1 browser" : `${activeSignIns} browsers`}</dd>
        <dt>Last sign-in</dt>
        <dd>{user.lastSignedInAt ? formatDateTime(user.lastSignedInAt, timeZone) : "Never"}</dd>
        <dt>Person record</dt>
        <dd>
          {user.person ? `${user.person.firstName} ${user.person.lastName}${user.person.districtId ? ` (district ID ${user.person.districtId})` : ""}` : "Not linked"}
        </dd>
        <dt>Created</dt>
        <dd>{formatDateTime(user.createdAt, timeZone)}</dd>
      </dl>

      <section className="panel" aria-labelledby="access-heading">
        <h2 id="access-heading">Access</h2>
        <p className="hint">
          Changing the role or deactivating the account signs them out of every browser at once.
          {isSelf ? " This is your own account: you cannot remove your administrator role or deactivate yourself." : ""}
        </p>
        <Form method="post" onSubmit={access.onSubmit} noValidate>
          <TextField name="name" label="Name" autoComplete="off" register={access.register} defaultValue={defaults.name} error={access.errorFor("name")} />
          <SelectField name="role" label="Role" register={access.register} defaultValue={defaults.role} error={access.errorFor("role")} options={ROLE_OPTIONS} />
          <TextField name="schoolCodes" label="School codes" autoComplete="off" register={access.register}
            defaultValue={defaults.schoolCodes} error={access.errorFor("schoolCodes")}
            hint="Separated by commas. Required for a school coordinator: the schools they may see." />
          <CheckboxField name="active" label="Active (may sign in)" register={access.register} defaultChecked={defaults.active} error={access.errorFor("active")} />
          <div className="actions">
            <SubmitButton name="intent" value="save">Save changes</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="person-heading">
        <h2 id="person-heading">Person record</h2>
        <p className="hint">
          The person this account belongs to: a trainer's instructor certifications and standing are on their person record, and the
          sessions they lead count for it. One account per person. Leave blank to unlink.
        </p>
        <Form method="post">
          <TextField
            name="personKey" label="District ID or email of the person" autoComplete="off"
            defaultValue={typed?.intent === "link-person" ? typed.personKey ?? "" : user.person?.districtId ?? ""}
            error={typed?.intent === "link-person" ? actionData?.errors && "personKey" in actionData.errors ? String(actionData.errors.personKey) : undefined : undefined}
          />
          <div className="actions">
            <SubmitButton name="intent" value="link-person" className="secondary">Link person</SubmitButton>
            {user.person ? <Link to={`/people/${user.person.id}`}>Open {user.person.firstName} {user.person.lastName}'s record</Link> : null}
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Reset password</h2>
        <p className="hint">
          Sets a new password and signs them out everywhere. Give them the new password in person.
          {isSelf ? " Resetting your own password signs you out too." : ""}
        </p>
        {/* Remounted after every navigation, so a typed password never lingers in the page. */}
        <ResetPasswordForm key={location.key} server={actionData} />
      </section>
    </>
  );
}

function ResetPasswordForm({ server }: { server: { errors?: Record<string, string>; values?: Record<string, string> } | undefined }) {
  const { register, onSubmit, errorFor } = useValidatedForm(ResetPasswordSchema, server);
  return (
    <Form method="post" onSubmit={onSubmit} noValidate>
      <TextField name="password" label="New password" type="password" autoComplete="new-password" register={register}
        error={errorFor("password")} hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} />
      <div className="actions">
        <SubmitButton name="intent" value="reset-password" className="secondary">Reset password</SubmitButton>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "User not found", body: "There is no user at this address. It may have been typed wrong." } }} />;
}
