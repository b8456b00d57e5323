import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getRegion, updateRegion } from "~/models/region.server";
import { RegionFormSchema } from "~/forms/region";
import { parseForm } from "~/utils/forms";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData }) => [
  { title: `${loaderData?.region.name ?? "Region"} · Administration` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const region = await getRegion(params.regionId ?? "");
  if (!region) throw new Response("Not found", { status: 404 });
  return { region };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const parsed = parseForm(await request.formData(), RegionFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await updateRegion(params.regionId ?? "", parsed.data, user.id);
  if (!saved) throw new Response("Not found", { status: 404 });
  if (!saved.ok) return data({ errors: saved.errors, values: parsed.data }, { status: 400 });
  throw redirect(`/admin/regions?saved=${encodeURIComponent(parsed.data.code)}`);
}

export default function EditRegion() {
  const { region } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorFor } = useValidatedForm(RegionFormSchema, actionData, { code: region.code, name: region.name });
  return (
    <div className="narrow">
      <p>
        <Link to="/admin/regions">Back to regions</Link>
      </p>
      <h1>
        {region.name} <span className="muted">({region.code})</span>
      </h1>
      <p>
        <Link to={`/admin/schools?region=${encodeURIComponent(region.id)}`}>
          {region._count.schools === 1 ? "1 school" : `${region._count.schools.toLocaleString("en-US")} schools`} in this region
        </Link>
      </p>
      <section aria-labelledby="edit-region">
        <h2 id="edit-region">Region details</h2>
        <FormErrorSummary errors={actionData?.errors} />
        <Form method="post" onSubmit={onSubmit} noValidate>
          <TextField name="code" label="Region code" hint="Imports may name a region by this code." register={register}
            defaultValue={actionData?.values?.code ?? region.code} error={errorFor("code")} autoComplete="off" />
          <TextField name="name" label="Name" register={register} defaultValue={actionData?.values?.name ?? region.name} error={errorFor("name")} />
          <SubmitButton>Save changes</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Region not found", body: "There is no region at this address. It may have been mistyped." } }} />;
}
