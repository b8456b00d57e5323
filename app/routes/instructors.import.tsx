import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { districtToday, INSTRUCTOR_RECORD_ROLES } from "~/models/instructors.server";
import {
  commitInstructorImport, previewInstructorImport, type InstructorImportAction, type InstructorImportCounts, type InstructorImportPreview,
} from "~/models/instructor-import.server";
import { INSTRUCTOR_IMPORT_EXAMPLE, validateInstructorImportRows } from "~/domain/instructor-import";
import { CsvImportSchema, csvImportValues } from "~/forms/csv-import";
import { parseCsv, readCsvUpload } from "~/utils/csv.server";
import { readUploadForm } from "~/utils/upload.server";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { CsvExample, CsvUploadForm, ImportCounts, ImportDone, ImportPreview, OutcomeTag, RowProblems } from "~/components/admin-import";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Import instructor certifications" }];

type FormProblem = { stage: "form"; errors: FieldErrors; values: Record<string, string> };
type Preview = { stage: "preview"; preview: InstructorImportPreview; csvText: string; fileName: string | null; errors: FieldErrors };
type Done = { stage: "done"; counts: InstructorImportCounts; fileName: string | null };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...INSTRUCTOR_RECORD_ROLES);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ...INSTRUCTOR_RECORD_ROLES);
  const received = await readUploadForm(request);
  if (!received.ok) return data<FormProblem>({ stage: "form", errors: { file: received.error }, values: { csvText: "" } }, { status: 400 });
  const { formData } = received;
  const pasted = formData.get("csvText");
  // Pasted text is shown again so it can be fixed; a file has to be chosen again.
  const echo = { csvText: typeof pasted === "string" ? pasted : "" };
  const problem = (errors: FieldErrors) => data<FormProblem>({ stage: "form", errors, values: echo }, { status: 400 });

  const form = CsvImportSchema.safeParse(csvImportValues(formData));
  if (!form.success) return problem(fieldErrorsOf(form.error));
  const upload = await readCsvUpload(formData);
  if (!upload.ok) return problem({ file: upload.error });
  const table = parseCsv(upload.text);
  if (!table.ok) return problem({ file: table.error });
  const checked = validateInstructorImportRows(table.headers, table.rows, districtToday());
  if (!checked.ok) return problem({ file: checked.error });

  const carriedName = formData.get("fileName");
  const fileName = upload.fileName ?? (typeof carriedName === "string" && carriedName ? carriedName : null);

  if (form.data.intent === "commit") {
    const result = await commitInstructorImport(checked.rows, user.id, { fileName });
    if (!result.ok) {
      return data<Preview>(
        { stage: "preview", preview: result.preview, csvText: upload.text, fileName, errors: { form: "Nothing was imported because some rows have errors." } },
        { status: 400 },
      );
    }
    return data<Done>({ stage: "done", counts: result.counts, fileName });
  }

  const preview = await previewInstructorImport(checked.rows);
  return data<Preview>({ stage: "preview", preview, csvText: upload.text, fileName, errors: {} }, { status: preview.counts.error > 0 ? 400 : 200 });
}

const OUTCOME: Record<InstructorImportAction, { tone: "ok" | "muted" | "danger"; label: string; rowClass: string }> = {
  new: { tone: "ok", label: "New", rowClass: "row-new" },
  "already-recorded": { tone: "muted", label: "Already on record", rowClass: "" },
  error: { tone: "danger", label: "Error", rowClass: "row-error" },
};

// Very large files are summarised rather than drawn in full; every row is still written.
const TABLE_LIMIT = 1000;

function PreviewTable({ preview }: { preview: InstructorImportPreview }) {
  const order: Record<InstructorImportAction, number> = { error: 0, new: 1, "already-recorded": 2 };
  const rows = [...preview.rows].sort((a, b) => order[a.action] - order[b.action] || a.line - b.line).slice(0, TABLE_LIMIT);
  return (
    <div className="table-wrap">
      <table>
        <caption>
          What the import will record, row by row
          {preview.rows.length > TABLE_LIMIT ? ` (the first ${TABLE_LIMIT} of ${preview.rows.length} rows, errors first)` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Outcome</th>
            <th scope="col">District ID / email</th>
            <th scope="col">Person</th>
            <th scope="col">Program</th>
            <th scope="col">Issued on</th>
            <th scope="col">Expires on</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const outcome = OUTCOME[row.action];
            return (
              <tr key={row.line} className={outcome.rowClass || undefined}>
                <td className="num">{row.line}</td>
                <td><OutcomeTag tone={outcome.tone}>{outcome.label}</OutcomeTag></td>
                <td>{row.who}</td>
                <td>{row.personName ?? ""}</td>
                <td>{row.programCode}</td>
                <td className="date">{row.issuedOn}</td>
                <td className="date">{row.expiresOn || (row.action === "error" ? "" : "Never")}</td>
                <td><RowProblems errors={row.errors} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function ImportInstructorCertifications() {
  const result = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/instructors">Back to instructors</Link></p>
      <h1>Import instructor certifications from CSV</h1>

      {result?.stage === "done" ? (
        <ImportDone
          summary={`Recorded ${result.counts.new}, already on record ${result.counts.alreadyRecorded}`}
          fileName={result.fileName}
          listHref="/instructors"
          listLabel="See the instructors"
        />
      ) : result?.stage === "preview" ? (
        <ImportPreview
          fileName={result.fileName}
          formError={result.errors.form}
          counts={<ImportCounts cards={[[result.preview.counts.new, "to record"], [result.preview.counts.alreadyRecorded, "already on record"], [result.preview.counts.error, "with errors"]]} />}
          errors={result.preview.rows.flatMap((r) => r.errors)}
          csvText={result.csvText}
          table={<PreviewTable preview={result.preview} />}
        />
      ) : (
        <>
          <section aria-labelledby="upload-heading">
            <h2 id="upload-heading">Choose a file</h2>
            <p>
              Each row records one instructor certification for a person already in the directory, found by district ID or email.
              A certification already on record (same person, program and issue date) is left as it is. You will see a preview before anything is written.
            </p>
            <CsvUploadForm server={result} what="instructor certification" />
          </section>
          <CsvExample
            example={INSTRUCTOR_IMPORT_EXAMPLE}
            fileName="instructor-certifications-example.csv"
            columnsHelp={
              <ul>
                <li><strong>district_id</strong> or <strong>email</strong>: the person, as in the directory (one of the two may be blank; an email shared by several people needs the district ID)</li>
                <li><strong>program_code</strong>: the program the certification licenses them to teach, e.g. YMHFA or QPR</li>
                <li><strong>issued_on</strong> and <strong>expires_on</strong>: dates as YYYY-MM-DD; a blank expiry never expires</li>
                <li><strong>source</strong>: where it was earned, e.g. MHFA USA instructor training</li>
                <li><strong>evidence_note</strong> (optional column): what shows it, e.g. a certificate number</li>
              </ul>
            }
          />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
