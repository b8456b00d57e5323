import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getSchool, updateSchool } from "~/models/school.server";
import { listRegionOptions } from "~/models/region.server";
import { EditSchoolSchema } from "~/forms/school";
import { SCHOOL_LEVELS, SCHOOL_LEVEL_LABELS } from "~/domain/school";
import { formatSchoolYear } from "~/domain/school-year";
import { parseForm } from "~/utils/forms";
import { CheckboxField, FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData }) => [
  { title: `${loaderData?.school.name ?? "School"} · Administration` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const school = await getSchool(params.schoolId ?? "");
  if (!school) throw new Response("Not found", { status: 404 });
  return { school, regions: await listRegionOptions() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const parsed = parseForm(await request.formData(), EditSchoolSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await updateSchool(params.schoolId ?? "", parsed.data, user.id);
  if (!saved) throw new Response("Not found", { status: 404 });
  if (!saved.ok) {
    const { active, ...text } = parsed.data;
    return data({ errors: saved.errors, values: { ...text, active: active ? "on" : "" } }, { status: 400 });
  }
  throw redirect(`/admin/schools/${saved.value.id}?saved=1`);
}

export default function EditSchool() {
  const { school, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values = actionData?.values;
  const defaults = {
    code: school.code,
    name: school.name,
    regionId: school.regionId,
    level: school.level,
    active: school.active,
  };
  const { register, onSubmit, errorFor } = useValidatedForm(EditSchoolSchema, actionData, defaults);
  const notice = searchParams.get("created") ? "The school was added." : searchParams.get("saved") ? "Your changes were saved." : null;
  return (
    <>
      <p>
        <Link to="/admin/schools">Back to schools</Link>
      </p>
      <h1>
        {school.name} <span className="muted">({school.code})</span>
      </h1>
      {notice && !actionData ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}

      <section className="panel narrow" aria-labelledby="edit-school">
        <h2 id="edit-school">School details</h2>
        <FormErrorSummary errors={actionData?.errors} />
        <Form method="post" onSubmit={onSubmit} noValidate>
          <TextField name="code" label="School code" register={register} defaultValue={values?.code ?? school.code}
            error={errorFor("code")} autoComplete="off" />
          <TextField name="name" label="Name" register={register} defaultValue={values?.name ?? school.name} error={errorFor("name")} />
          <SelectField name="regionId" label="Region" register={register} defaultValue={values?.regionId ?? school.regionId}
            error={errorFor("regionId")} options={regions.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))} />
          <SelectField name="level" label="Level" register={register} defaultValue={values?.level ?? school.level} error={errorFor("level")}
            options={SCHOOL_LEVELS.map((l) => ({ value: l, label: SCHOOL_LEVEL_LABELS[l] }))} />
          <CheckboxField name="active" label="Open (uncheck when the school closes; its history is kept)" register={register}
            defaultChecked={values ? values.active === "on" : school.active} error={errorFor("active")} />
          <SubmitButton>Save changes</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="headcounts">
        <h2 id="headcounts">Headcounts by school year</h2>
        {school.headcounts.length === 0 ? (
          <p>No headcounts yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Staff and students at {school.name}, newest year first</caption>
              <thead>
                <tr>
                  <th scope="col">School year</th>
                  <th scope="col" className="num">Staff</th>
                  <th scope="col" className="num">Students</th>
                  <th scope="col">Last updated</th>
                </tr>
              </thead>
              <tbody>
                {school.headcounts.map((h) => (
                  <tr key={h.schoolYear}>
                    <th scope="row">{formatSchoolYear(h.schoolYear)}</th>
                    <td className="num">{h.staffCount.toLocaleString("en-US")}</td>
                    <td className="num">{h.studentCount.toLocaleString("en-US")}</td>
                    <td>{new Date(h.updatedAt).toISOString().slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <Link to="/admin/headcounts/import">Import headcounts from CSV</Link>
        </p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "School not found", body: "There is no school at this address. It may have been mistyped." } }} />;
}
