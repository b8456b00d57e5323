import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import {
  commitHeadcountImport,
  previewHeadcountImport,
  type CountChange,
  type HeadcountImportAction,
  type HeadcountImportCounts,
  type HeadcountImportPreview,
} from "~/models/headcount.server";
import { HEADCOUNT_CSV_EXAMPLE, MAX_COUNT, validateHeadcountRows } from "~/domain/csv-rows";
import { CsvImportSchema, csvImportValues } from "~/forms/csv-import";
import { parseCsv, readCsvUpload } from "~/utils/csv.server";
import { readUploadForm } from "~/utils/upload.server";
import { fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { CsvExample, CsvUploadForm, ImportCounts, ImportDone, ImportPreview, OutcomeTag, RowProblems } from "~/components/admin-import";

export const meta: MetaFunction = () => [{ title: "Import headcounts · Administration" }];

type FormProblem = { stage: "form"; errors: FieldErrors; values: Record<string, string> };
type Preview = { stage: "preview"; preview: HeadcountImportPreview; csvText: string; fileName: string | null; errors: FieldErrors };
type Done = { stage: "done"; counts: HeadcountImportCounts; fileName: string | null };

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
  const checked = validateHeadcountRows(table.headers, table.rows);
  if (!checked.ok) return problem({ file: checked.error });

  const carriedName = formData.get("fileName");
  const fileName = upload.fileName ?? (typeof carriedName === "string" && carriedName ? carriedName : null);

  if (form.data.intent === "commit") {
    const result = await commitHeadcountImport(checked.rows, user.id, { fileName });
    if (!result.ok) {
      return data<Preview>(
        { stage: "preview", preview: result.preview, csvText: upload.text, fileName, errors: { form: "Nothing was imported because some rows have errors." } },
        { status: 400 },
      );
    }
    return data<Done>({ stage: "done", counts: result.counts, fileName });
  }

  const preview = await previewHeadcountImport(checked.rows);
  return data<Preview>({ stage: "preview", preview, csvText: upload.text, fileName, errors: {} }, { status: preview.counts.error > 0 ? 400 : 200 });
}

const OUTCOME: Record<HeadcountImportAction, { tone: "ok" | "warn" | "muted" | "danger"; label: string; rowClass: string }> = {
  new: { tone: "ok", label: "New", rowClass: "row-new" },
  change: { tone: "warn", label: "Change", rowClass: "row-change" },
  unchanged: { tone: "muted", label: "Unchanged", rowClass: "" },
  error: { tone: "danger", label: "Error", rowClass: "row-error" },
};

// Very large files are summarised rather than drawn in full; every row is still written.
const TABLE_LIMIT = 1000;

function Count({ change }: { change: CountChange | null }) {
  if (!change) return null;
  const to = change.to.toLocaleString("en-US");
  if (change.from === null || change.from === change.to) return <>{to}</>;
  return (
    <>
      {change.from.toLocaleString("en-US")} → {to}
    </>
  );
}

function PreviewTable({ preview }: { preview: HeadcountImportPreview }) {
  // Errors and changes first: they are what the administrator has to look at.
  const order: Record<HeadcountImportAction, number> = { error: 0, change: 1, new: 2, unchanged: 3 };
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
            <th scope="col">School code</th>
            <th scope="col">School</th>
            <th scope="col">School year</th>
            <th scope="col" className="num">Staff</th>
            <th scope="col" className="num">Students</th>
            <th scope="col">Problems</th>
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
                <td>{row.schoolCode}</td>
                <td>{row.schoolName ?? ""}</td>
                <td>{row.schoolYear}</td>
                <td className="num">
                  <Count change={row.staff} />
                </td>
                <td className="num">
                  <Count change={row.students} />
                </td>
                <td>
                  <RowProblems errors={row.errors} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Counts({ counts }: { counts: HeadcountImportCounts }) {
  return <ImportCounts cards={[[counts.new, "new headcounts"], [counts.change, "to change"], [counts.unchanged, "unchanged"], [counts.error, "with errors"]]} />;
}

export default function ImportHeadcounts() {
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/headcounts">Back to headcounts</Link>
      </p>
      <h1>Import headcounts from CSV</h1>

      {result?.stage === "done" ? (
        <ImportDone
          summary={`Created ${result.counts.new}, updated ${result.counts.change}, unchanged ${result.counts.unchanged}`}
          fileName={result.fileName}
          listHref="/admin/headcounts"
          listLabel="See the headcounts"
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
              Rows are matched on school code and school year: a new pair adds a headcount, a known pair replaces its counts.
              You will see a preview before anything is written.
            </p>
            <CsvUploadForm server={result} what="headcount" />
          </section>
          <CsvExample
            example={HEADCOUNT_CSV_EXAMPLE}
            fileName="headcounts-example.csv"
            columnsHelp={
              <ul>
                <li><strong>school_code</strong>: the code of a school already in the system</li>
                <li><strong>school_year</strong>: the year it starts, as 2025 or 2025-26</li>
                <li><strong>staff_count</strong> and <strong>student_count</strong>: whole numbers from 0 to {MAX_COUNT.toLocaleString("en-US")}</li>
              </ul>
            }
          />
        </>
      )}
    </>
  );
}
