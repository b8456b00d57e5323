import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { CERTIFICATE_EXPORT_ROLES, certificateFilterInput, parseCertificateFilters } from "~/domain/record-exports";
import { certificateFilterOptions, resolveCertificateScope } from "~/models/record-exports.server";
import { FormErrorSummary, SelectField, TextField } from "~/components/form";
import { csvHref } from "~/components/csv-link";

export const meta: MetaFunction = () => [{ title: "Certificates export" }];

/**
 * GET /reports/certificates: the certificates export's filter (a plain GET form). Submitted, it checks the
 * filters as the export does and, when they are good, offers the file; bad ones get a message per field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...CERTIFICATE_EXPORT_ROLES);
  const search = new URL(request.url).searchParams;
  const values = certificateFilterInput(search);
  const options = await certificateFilterOptions(user);
  const submitted = search.has("program") || search.has("from") || search.has("to");
  let errors: Record<string, string> = {};
  let download: string | null = null;
  if (submitted) {
    const parsed = parseCertificateFilters(values);
    if (!parsed.ok) errors = parsed.errors;
    else {
      const scope = await resolveCertificateScope(user, parsed.filters);
      if (!scope.ok) errors = scope.errors;
      else download = csvHref("/reports/certificates/export.csv", { ...values });
    }
  }
  return { values, options, errors, download, coordinator: user.role === "COORDINATOR" };
}

export default function CertificatesExport() {
  const { values, options, errors, download, coordinator } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Certificates export</h1>
      <p>
        The certificates of one program issued between two dates (both included), as a spreadsheet. A certificate counts for a
        school when its holder was at that school in the school year it was issued. Revoked and renewed certificates are listed
        with their status. {coordinator ? "You can export your own schools' certificates." : null}
      </p>
      <FormErrorSummary errors={errors} />
      <Form method="get" className="search" aria-label="Certificates to export">
        <SelectField
          name="program" label="Program" error={errors.program} defaultValue={values.program}
          options={[{ value: "", label: "Choose a program" }, ...options.programs.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))]}
        />
        <SelectField
          name="school" label="School" error={errors.school} defaultValue={values.school}
          options={[{ value: "", label: coordinator ? "All my schools" : "Any school" }, ...options.schools.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))]}
        />
        {coordinator ? null : (
          <SelectField
            name="region" label="Region" error={errors.region} defaultValue={values.region} hint="Or a whole region: leave the school empty."
            options={[{ value: "", label: "Any region" }, ...options.regions.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))]}
          />
        )}
        <TextField name="from" label="Issued from" hint="YYYY-MM-DD" error={errors.from} defaultValue={values.from} inputMode="numeric" autoComplete="off" />
        <TextField name="to" label="Issued to" hint="YYYY-MM-DD" error={errors.to} defaultValue={values.to} inputMode="numeric" autoComplete="off" />
        <button type="submit">Check filters</button>
      </Form>
      {download ? (
        <p className="actions" role="status">
          <a className="button csv-link" href={download} download>Download certificates CSV</a>
        </p>
      ) : null}
    </>
  );
}
