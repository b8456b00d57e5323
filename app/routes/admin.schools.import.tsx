import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { commitSchoolImport, previewSchoolImport, type ImportCounts as SchoolImportCounts, type SchoolImportAction, type SchoolImportPreview } from "~/models/school.server";
import { SCHOOL_CSV_EXAMPLE, validateSchoolRows } from "~/domain/csv-rows";
import { SCHOOL_LEVEL_WORDS } from "~/domain/school";
import { CsvImportSchema, csvImportValues } from "~/forms/csv-import";
import { parseCsv, readCsvUpload } from "~/utils/csv.server";
import { readUploadForm } from "~/utils/upload.server";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { CsvExample, CsvUploadForm, ImportCounts, ImportDone, ImportPreview, OutcomeTag, RowProblems } from "~/components/admin-import";

export const meta: MetaFunction = () => [{ title: "Import schools · Administration" }];

type FormProblem = { stage: "form"; errors: FieldErrors; values: Record<string, string> };
type Preview = { stage: "preview"; preview: SchoolImportPreview; csvText: string; fileName: string | null; errors: FieldErrors };
type Done = { stage: "done"; counts: SchoolImportCounts; fileName: string | null };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
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
  const checked = validateSchoolRows(table.headers, table.rows);
  if (!checked.ok) return problem({ file: checked.error });

  const carriedName = formData.get("fileName");
  const fileName = upload.fileName ?? (typeof carriedName === "string" && carriedName ? carriedName : null);

  if (form.data.intent === "commit") {
    const result = await commitSchoolImport(checked.rows, user.id, { fileName });
    if (!result.ok) {
      return data<Preview>(
        { stage: "preview", preview: result.preview, csvText: upload.text, fileName, errors: { form: "Nothing was imported because some rows have errors." } },
        { status: 400 },
      );
    }
    return data<Done>({ stage: "done", counts: result.counts, fileName });
  }

  const preview = await previewSchoolImport(checked.rows);
  return data<Preview>({ stage: "preview", preview, csvText: upload.text, fileName, errors: {} }, { status: preview.counts.error > 0 ? 400 : 200 });
}

const OUTCOME: Record<SchoolImportAction, { tone: "ok" | "warn" | "muted" | "danger"; label: string; rowClass: string }> = {
  create: { tone: "ok", label: "New school", rowClass: "row-new" },
  update: { tone: "warn", label: "Update", rowClass: "row-change" },
  unchanged: { tone: "muted", label: "Unchanged", rowClass: "" },
  error: { tone: "danger", label: "Error", rowClass: "row-error" },
};

// Very large files are summarised rather than drawn in full; every row is still written.
const TABLE_LIMIT = 1000;

function PreviewTable({ preview }: { preview: SchoolImportPreview }) {
  // Errors and changes first: they are what the administrator has to look at.
  const order: Record<SchoolImportAction, number> = { error: 0, update: 1, create: 2, unchanged: 3 };
  const rows = [...preview.rows].sort((a, b) => order[a.action] - order[b.action] || a.line - b.line).slice(0, TABLE_LIMIT);
  return (
    <div className="table-wrap">
      <table>
        <caption>
          What the import will do, row by row
          {preview.rows.length > TABLE_LIMIT ? ` (the first ${TABLE_LIMIT} of ${preview.rows.length} rows, errors and changes first)` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Outcome</th>
            <th scope="col">Code</th>
            <th scope="col">Name</th>
            <th scope="col">Region</th>
            <th scope="col">Level</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const outcome = OUTCOME[row.action];
            return (
              <tr key={row.line} className={outcome.rowClass || undefined}>
                <td className="num">{row.line}</td>
                <td>
                  <OutcomeTag tone={outcome.tone}>{outcome.label}</OutcomeTag>
                </td>
                <td>{row.code}</td>
                <td>{row.name}</td>
                <td>{row.region}</td>
                <td>{row.level}</td>
                <td>
                  {row.errors.length > 0 ? (
                    <RowProblems errors={row.errors} />
                  ) : row.changes.length > 0 ? (
                    <ul>
                      {row.changes.map((c) => (
                        <li key={c.field}>
                          {c.field}: {c.from} → {c.to}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Counts({ counts }: { counts: SchoolImportCounts }) {
  return <ImportCounts cards={[[counts.create, "new schools"], [counts.update, "to update"], [counts.unchanged, "unchanged"], [counts.error, "with errors"]]} />;
}

export default function ImportSchools() {
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/schools">Back to schools</Link>
      </p>
      <h1>Import schools from CSV</h1>

      {result?.stage === "done" ? (
        <ImportDone
          summary={`Created ${result.counts.create}, updated ${result.counts.update}, unchanged ${result.counts.unchanged}`}
          fileName={result.fileName}
          listHref="/admin/schools"
          listLabel="See the schools"
        />
      ) : result?.stage === "preview" ? (
        <ImportPreview
          fileName={result.fileName}
          formError={result.errors.form}
          counts={<Counts counts={result.preview.counts} />}
          errors={result.preview.rows.flatMap((r) => r.errors)}
          csvText={result.csvText}
          table={<PreviewTable preview={result.preview} />}
        />
      ) : (
        <>
          <section aria-labelledby="upload-heading">
            <h2 id="upload-heading">Choose a file</h2>
            <p>
              Schools are matched on their code: a new code adds a school, a known code updates its name, region and level.
              You will see a preview before anything is written.
            </p>
            <CsvUploadForm server={result} what="school" />
          </section>
          <CsvExample
            example={SCHOOL_CSV_EXAMPLE}
            fileName="schools-example.csv"
            columnsHelp={
              <ul>
                <li><strong>code</strong>: the school's code (letters, digits, dots, dashes, underscores)</li>
                <li><strong>name</strong>: the school's name; put it in double quotes if it contains a comma</li>
                <li><strong>region</strong>: the region's code or name</li>
                <li><strong>level</strong>: one of {SCHOOL_LEVEL_WORDS.join(", ")} (any case)</li>
              </ul>
            }
          />
        </>
      )}
    </>
  );
}
