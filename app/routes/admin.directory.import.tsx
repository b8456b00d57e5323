import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { newImportId, startDirectoryImport } from "~/models/directory-import.server";
import { importFolder, receiveDirectoryUpload, removeImportFiles } from "~/models/directory-files.server";
import { DirectoryUploadSchema } from "~/forms/directory-import";
import { formatSchoolYear, schoolYearOf } from "~/domain/school-year";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { FormErrorSummary, SubmitButton } from "~/components/form";
import { WorkingStatus } from "~/components/roster-import";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Import people files · Administration" }];

function yearChoices(now = new Date()) {
  const current = schoolYearOf(now);
  return { current, years: [current - 1, current, current + 1] };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return yearChoices();
}

type Problem = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const id = newImportId();
  const upload = await receiveDirectoryUpload(request, importFolder(id));
  const values = { format: upload.fields.get("format") ?? "", schoolYear: upload.fields.get("schoolYear") ?? "" };
  const refuse = async (errors: FieldErrors) => {
    await removeImportFiles(id);
    return data<Problem>({ errors, values }, { status: 400 });
  };
  if (!upload.ok) return refuse({ files: upload.error });
  const form = DirectoryUploadSchema.safeParse(values);
  if (!form.success) return refuse(fieldErrorsOf(form.error));
  if (upload.files.length === 0) return refuse({ files: "Choose the export’s zip, or its CSV files." });
  const started = await startDirectoryImport({ id, ...form.data, files: upload.files, actorId: user.id });
  if (!started.ok) return refuse({ files: started.error });
  return redirect(`/admin/directory/${id}`);
}

export default function DirectoryUploadPage() {
  const { current, years } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const format = result?.values.format || "oneroster";
  const year = result?.values.schoolYear || String(current);
  return (
    <>
      <p><Link to="/admin/directory">Directory imports</Link></p>
      <h1>Import people files</h1>
      <WorkingStatus>sending the files; a large export takes a few seconds.</WorkingStatus>
      <FormErrorSummary errors={result?.errors} />
      <Form method="post" encType="multipart/form-data" className="panel" noValidate>
        <fieldset className={`field${errors.format ? " field-invalid" : ""}`} aria-describedby={errors.format ? "format-error" : undefined}>
          <legend>What are the files?</legend>
          {errors.format ? <p id="format-error" className="field-error">{errors.format}</p> : null}
          {[
            ["oneroster", "A OneRoster CSV export (1.1 or 1.2)", "The zip, or its loose files: orgs.csv, users.csv, academicSessions.csv, manifest.csv, and roles.csv for 1.2. Staff and students; guardians are left out and never stored."],
            ["staff-csv", "A staff CSV from HR", "One row per person and school; next you say which column holds what."],
            ["student-csv", "A student CSV from the student-information system", "One row per student and school; next you say which column holds what."],
          ].map(([value, label, hint]) => (
            <div className="radio" key={value}>
              <input type="radio" id={`format-${value}`} name="format" value={value} defaultChecked={format === value} aria-describedby={`format-${value}-hint`} />
              <label htmlFor={`format-${value}`}>{label}</label>
              <p id={`format-${value}-hint`} className="hint">{hint}</p>
            </div>
          ))}
        </fieldset>
        <div className={`field${errors.schoolYear ? " field-invalid" : ""}`}>
          <label htmlFor="field-schoolYear">School year the files describe</label>
          {errors.schoolYear ? <p id="schoolYear-error" className="field-error">{errors.schoolYear}</p> : null}
          <select id="field-schoolYear" name="schoolYear" defaultValue={year} aria-invalid={errors.schoolYear ? true : undefined} aria-describedby={errors.schoolYear ? "schoolYear-error" : undefined}>
            {years.map((y) => <option key={y} value={y}>{formatSchoolYear(y)}{y === current ? " (this year)" : ""}</option>)}
          </select>
        </div>
        <div className={`field${errors.files ? " field-invalid" : ""}`}>
          <label htmlFor="field-files">Files</label>
          <p id="files-hint" className="hint">A .zip or .csv files saved as UTF-8. Choose several with Ctrl or ⌘.</p>
          {errors.files ? <p id="files-error" className="field-error">{errors.files}</p> : null}
          <input
            id="field-files" name="files" type="file" multiple accept=".zip,.csv,text/csv,application/zip"
            aria-invalid={errors.files ? true : undefined} aria-describedby={["files-hint", errors.files ? "files-error" : null].filter(Boolean).join(" ")}
          />
        </div>
        <div className="actions">
          <SubmitButton>Upload and check</SubmitButton>
        </div>
      </Form>
      <section className="panel" aria-labelledby="how-heading">
        <h2 id="how-heading">What happens next</h2>
        <ul>
          <li>Every person is checked against the directory; nothing is written until you have seen the preview and commit it.</li>
          <li>The <strong>district ID</strong> (OneRoster’s <code>identifier</code>) decides who a row is. An ID held by someone with a clearly different name is held for review, as is a person whose name and email match a record without an ID (a community partner): nobody is merged silently.</li>
          <li>Schools are matched by the org’s <code>identifier</code> to the school’s code; orgs that match no school are listed, never created.</li>
          <li>The commit writes every row or none. A person missing from the year’s file loses that year’s membership at the file’s schools; earlier years stay.</li>
        </ul>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
