import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { createSchool } from "~/models/school.server";
import { listRegionOptions } from "~/models/region.server";
import { NewSchoolSchema } from "~/forms/school";
import { SCHOOL_LEVELS, SCHOOL_LEVEL_LABELS } from "~/domain/school";
import { parseForm } from "~/utils/forms";
import { FormErrorSummary, SelectField, SubmitButton, TextField, useValidatedForm } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Add a school · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return { regions: await listRegionOptions() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const parsed = parseForm(await request.formData(), NewSchoolSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await createSchool(parsed.data, user.id);
  if (!saved.ok) return data({ errors: saved.errors, values: { ...parsed.data } }, { status: 400 });
  throw redirect(`/admin/schools/${saved.value.id}?created=1`);
}

export default function NewSchool() {
  const { regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorFor } = useValidatedForm(NewSchoolSchema, actionData);
  const values = actionData?.values;
  return (
    <div className="narrow">
      <p>
        <Link to="/admin/schools">Back to schools</Link>
      </p>
      <h1>Add a school</h1>
      {regions.length === 0 ? (
        <p className="notice">
          Schools belong to a region, and there are none yet. <Link to="/admin/regions">Create a region first</Link>.
        </p>
      ) : (
        <>
          <FormErrorSummary errors={actionData?.errors} />
          <Form method="post" onSubmit={onSubmit} noValidate>
            <TextField name="code" label="School code" hint="The district's code for the school, e.g. 0101." register={register}
              defaultValue={values?.code} error={errorFor("code")} autoComplete="off" />
            <TextField name="name" label="Name" register={register} defaultValue={values?.name} error={errorFor("name")} />
            <SelectField name="regionId" label="Region" register={register} defaultValue={values?.regionId ?? ""} error={errorFor("regionId")}
              options={[{ value: "", label: "Choose a region" }, ...regions.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))]} />
            <SelectField name="level" label="Level" register={register} defaultValue={values?.level ?? ""} error={errorFor("level")}
              options={[{ value: "", label: "Choose a level" }, ...SCHOOL_LEVELS.map((l) => ({ value: l, label: SCHOOL_LEVEL_LABELS[l] }))]} />
            <SubmitButton>Add school</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
