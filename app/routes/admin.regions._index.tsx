import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { createRegion, listRegionsWithCounts } from "~/models/region.server";
import { RegionFormSchema } from "~/forms/region";
import { parseForm } from "~/utils/forms";
import { FormErrorSummary, SubmitButton, TextField, useValidatedForm } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Regions · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return { regions: await listRegionsWithCounts() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const parsed = parseForm(await request.formData(), RegionFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await createRegion(parsed.data, user.id);
  if (!saved.ok) return data({ errors: saved.errors, values: parsed.data }, { status: 400 });
  throw redirect(`/admin/regions?created=${encodeURIComponent(parsed.data.code)}`);
}

export default function RegionsIndex() {
  const { regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, errorFor } = useValidatedForm(RegionFormSchema, actionData);
  const created = searchParams.get("created");
  const saved = searchParams.get("saved");
  return (
    <>
      <h1>Regions</h1>
      {created && !actionData ? (
        <p className="notice" role="status">
          Region {created} was created.
        </p>
      ) : null}
      {saved && !actionData ? (
        <p className="notice" role="status">
          Region {saved} was saved.
        </p>
      ) : null}

      <section aria-labelledby="region-list">
        <h2 id="region-list">All regions</h2>
        {regions.length === 0 ? (
          <p>There are no regions yet. Add the first one below.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Regions by code, with how many schools each has</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">Schools</th>
                </tr>
              </thead>
              <tbody>
                {regions.map((region) => (
                  <tr key={region.id}>
                    <td>{region.code}</td>
                    <td>
                      <Link to={region.id}>{region.name}</Link>
                    </td>
                    <td className="num">
                      <Link
                        to={`/admin/schools?region=${encodeURIComponent(region.id)}`}
                        aria-label={`${region._count.schools.toLocaleString("en-US")} schools in ${region.name}`}
                      >
                        {region._count.schools.toLocaleString("en-US")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel narrow" aria-labelledby="add-region">
        <h2 id="add-region">Add a region</h2>
        <FormErrorSummary errors={actionData?.errors} />
        <Form method="post" onSubmit={onSubmit} noValidate>
          <TextField name="code" label="Region code" hint="Short and unique, e.g. NORTH or R1." register={register}
            defaultValue={actionData?.values?.code} error={errorFor("code")} autoComplete="off" />
          <TextField name="name" label="Name" register={register} defaultValue={actionData?.values?.name} error={errorFor("name")} />
          <SubmitButton>Add region</SubmitButton>
        </Form>
      </section>
    </>
  );
}
