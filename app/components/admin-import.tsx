import { Form, Link } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { FormErrorSummary, SubmitButton, useValidatedForm } from "~/components/form";
import { CsvImportSchema } from "~/forms/csv-import";

type ServerResult = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

/**
 * Upload a CSV file or paste its text, then preview. A plain multipart form, so it works
 * without JavaScript; with it, the same schema as the action checks that something was given.
 */
export function CsvUploadForm({ server, what }: { server: ServerResult; what: string }) {
  const { register, onSubmit, errorFor } = useValidatedForm(CsvImportSchema, server);
  const fileHint = useId();
  const textHint = useId();
  const fileError = errorFor("file");
  return (
    <>
      <FormErrorSummary errors={server?.errors} />
      <Form method="post" encType="multipart/form-data" onSubmit={onSubmit} noValidate>
        <div className={`field${fileError ? " field-invalid" : ""}`}>
          <label htmlFor="field-file">CSV file</label>
          <p id={fileHint} className="hint">
            A .csv file saved as UTF-8, at most 5 MB and 20,000 rows.
          </p>
          {fileError ? (
            <p id="file-error" className="field-error">
              {fileError}
            </p>
          ) : null}
          <input
            id="field-file"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={[fileHint, fileError ? "file-error" : null].filter(Boolean).join(" ")}
            {...register("file")}
          />
        </div>
        <div className="field">
          <label htmlFor="field-csvText">Or paste the CSV text</label>
          <p id={textHint} className="hint">
            Used only when no file is chosen. The first line names the columns.
          </p>
          <textarea
            id="field-csvText"
            rows={8}
            spellCheck={false}
            aria-describedby={textHint}
            defaultValue={server?.values?.csvText ?? ""}
            {...register("csvText")}
          />
        </div>
        <div className="actions">
          <SubmitButton name="intent" value="preview">
            Preview {what} import
          </SubmitButton>
        </div>
      </Form>
    </>
  );
}

/** The carried-over text of a previewed file and the button that writes it, all or nothing. */
export function CommitImportForm({ csvText, fileName, label }: { csvText: string; fileName: string | null; label: string }) {
  return (
    <Form method="post" encType="multipart/form-data">
      <input type="hidden" name="csvText" value={csvText} />
      <input type="hidden" name="fileName" value={fileName ?? ""} />
      <div className="actions">
        <SubmitButton name="intent" value="commit">
          {label}
        </SubmitButton>
        <Link to=".">Start again with another file</Link>
      </div>
    </Form>
  );
}

/** The expected format, shown and downloadable. */
export function CsvExample({ example, fileName, columnsHelp }: { example: string; fileName: string; columnsHelp: ReactNode }) {
  return (
    <section className="panel" aria-labelledby="csv-format">
      <h2 id="csv-format">File format</h2>
      {columnsHelp}
      <pre>{example}</pre>
      <p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(`${example}\n`)}`} download={fileName}>
          Download this example ({fileName})
        </a>
      </p>
    </section>
  );
}

/** Every row error, each naming its line. Long lists are cut so the page stays usable. */
export function ImportErrorList({ errors, limit = 500 }: { errors: string[]; limit?: number }) {
  if (errors.length === 0) return null;
  const shown = errors.slice(0, limit);
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>
        {errors.length === 1 ? "1 problem" : `${errors.length.toLocaleString("en-US")} problems`} in the file: nothing was imported
      </h2>
      <ul>
        {shown.map((message, i) => (
          <li key={i}>{message}</li>
        ))}
      </ul>
      {errors.length > limit ? <p>…and {(errors.length - limit).toLocaleString("en-US")} more. Fix these and preview again.</p> : null}
    </div>
  );
}

/** The import's outcome for a row, in words as well as colour. */
export function OutcomeTag({ tone, children }: { tone: "ok" | "warn" | "danger" | "muted"; children: ReactNode }) {
  return <span className={`tag tag-${tone}`}>{children}</span>;
}

/** The figures of a preview: how many rows will be new, changed, left alone, or are in error. */
export function ImportCounts({ cards }: { cards: Array<[count: number, label: string]> }) {
  return (
    <ul className="cards">
      {cards.map(([count, label]) => (
        <li key={label} className="card">
          <span className="figure">{count.toLocaleString("en-US")}</span> {label}
        </li>
      ))}
    </ul>
  );
}

/** A preview row's problems, without the "Line n:" the error list above the table repeats. */
export function RowProblems({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul>
      {errors.map((e) => (
        <li key={e}>{e.replace(/^Line \d+: /, "")}</li>
      ))}
    </ul>
  );
}

/** After a commit: what was written, and where to go next. */
export function ImportDone({ summary, fileName, listHref, listLabel }: { summary: string; fileName: string | null; listHref: string; listLabel: string }) {
  return (
    <section className="notice" role="status" aria-labelledby="import-done">
      <h2 id="import-done">Import complete</h2>
      <p>
        {summary}
        {fileName ? ` from ${fileName}` : ""}.
      </p>
      <p>
        <Link to={listHref}>{listLabel}</Link> or <Link to=".">import another file</Link>.
      </p>
    </section>
  );
}

/**
 * The preview of a file: its figures, every row error, and either the commit button (no errors)
 * or the way back to fix the file. Nothing is written until the commit.
 */
export function ImportPreview(props: {
  fileName: string | null;
  formError?: string;
  counts: ReactNode;
  errors: string[];
  csvText: string;
  table: ReactNode;
}) {
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview{props.fileName ? ` of ${props.fileName}` : ""}</h2>
      {props.formError ? <p className="field-error">{props.formError}</p> : null}
      {props.counts}
      <ImportErrorList errors={props.errors} />
      {props.errors.length === 0 ? (
        <>
          <p>Nothing has been written yet. Check the rows below, then commit: every row is written, or none.</p>
          <CommitImportForm csvText={props.csvText} fileName={props.fileName} label="Commit import" />
        </>
      ) : (
        <p>
          Fix the rows with errors in your file, then <Link to=".">upload it again</Link>.
        </p>
      )}
      {props.table}
    </section>
  );
}
