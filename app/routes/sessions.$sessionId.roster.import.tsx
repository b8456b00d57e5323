import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import {
  commitRosterImport, getSavedRosterMapping, importDefaults, parseRosterFile, previewRosterImport, saveRosterMapping, type ImportPreview,
} from "~/models/roster-import.server";
import { describeMembership } from "~/domain/membership-from-work";
import {
  PERSON_KINDS, PERSON_KIND_LABELS, ROSTER_FIELDS, ROSTER_FIELD_LABELS, checkMapping, isRosterField, checkRosterRows, describeRow,
  rowsToShow, suggestMapping, type ImportCounts, type ImportSummary, type PersonKindName, type RosterField, type RosterRow, type RowView,
} from "~/domain/roster-import";
import { ImportStepSchema, choicesFromForm, columnField, mappingFromForm } from "~/forms/roster";
import { readCsvUpload } from "~/utils/csv.server";
import { readUploadForm } from "~/utils/upload.server";
import { formValues } from "~/utils/forms";
import { CommitStep, ImportProblems, PreviewCounts, PreviewNotes, PreviewTable, SummaryNotice, UploadFields, WorkingStatus } from "~/components/roster-import";
import { AppErrorBoundary } from "~/components/error-boundary";
import { ColumnMappingTable } from "~/components/column-mapping";

export const meta: MetaFunction = () => [{ title: "Import a roster CSV" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  return importDefaults(sessionId);
}

type Column = { index: number; header: string; field: RosterField; samples: string[] };
type Carried = { csvText: string; fileName: string | null; defaultKind: PersonKindName };
type UploadStage = { stage: "upload"; error: string; pasted: string };
type MapStage = Carried & { stage: "map"; columns: Column[]; rowCount: number; problems: string[] };
type PreviewStage = Carried & {
  stage: "preview"; headers: string[]; mapping: RosterField[]; counts: ImportCounts; rows: RowView[]; errorMessages: string[];
  /** Memberships the import adds, in all (every row's is in `rows`, as far as they are shown). */
  membershipCount: number;
  capacityMessage: string | null; unchosenMessage: string | null; open: boolean; refusal: string | null; overrideCapacity: boolean;
};
type DoneStage = { stage: "done"; summary: ImportSummary; fileName: string | null };

const SAMPLES = 3;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await readUploadForm(request);
  if (!form.ok) return data<UploadStage>({ stage: "upload", error: form.error, pasted: "" }, { status: 400 });
  const { formData } = form;
  const step = ImportStepSchema.safeParse(formValues(formData));
  const pastedValue = formData.get("csvText");
  const pasted = typeof pastedValue === "string" ? pastedValue : "";
  const uploadProblem = (error: string) => data<UploadStage>({ stage: "upload", error, pasted: pasted.length <= 200_000 ? pasted : "" }, { status: 400 });
  if (!step.success) return uploadProblem("Choose a CSV file or paste its text, then preview.");
  const { intent, overrideCapacity } = step.data;
  const defaultKind = step.data.defaultKind ?? (await importDefaults(sessionId)).defaultKind;

  // Step 1 reads the upload; later steps carry the text in a hidden field.
  const upload = await readCsvUpload(formData);
  if (!upload.ok) return uploadProblem(upload.error);
  const table = parseRosterFile(upload.text);
  if (!table.ok) return uploadProblem(table.error);
  const carried: Carried = { csvText: upload.text, fileName: upload.fileName ?? step.data.fileName ?? null, defaultKind };

  const posted = mappingFromForm(formData, table.headers.length);
  const mapStage = (mapping: RosterField[], problems: string[]) =>
    data<MapStage>({
      ...carried, stage: "map", rowCount: table.rows.length, problems,
      columns: table.headers.map((header, index) => ({
        index, header, field: mapping[index] ?? "ignore",
        samples: table.rows.map((r) => r.values[header] ?? "").filter((v) => v !== "").slice(0, SAMPLES),
      })),
    }, { status: problems.length ? 400 : 200 });

  if (intent === "upload" || intent === "map" || !posted) {
    const mapping = posted ?? suggestMapping(table.headers, await getSavedRosterMapping(user.id));
    return mapStage(mapping, intent === "upload" || intent === "map" ? [] : ["Choose a field for every column."]);
  }
  const problems = checkMapping(table.headers, posted);
  if (problems.length) return mapStage(posted, problems);

  const rows = checkRosterRows(table.headers, table.rows, posted, defaultKind);
  const choices = choicesFromForm(formData);
  const previewStage = (preview: ImportPreview<RosterRow>, refusal: string | null, status: number) => {
    const views = preview.rows.map((row): RowView => {
      const m = preview.memberships.get(row.line);
      return { ...describeRow(row), membership: m ? describeMembership(m.schoolName, m.schoolYear) : null };
    });
    return data<PreviewStage>({
      ...carried, stage: "preview", headers: table.headers, mapping: posted, counts: preview.counts, membershipCount: preview.memberships.size,
      rows: rowsToShow(views), errorMessages: preview.rows.flatMap((r) => (r.plan.status === "error" ? r.plan.errors : [])),
      capacityMessage: preview.capacityMessage, unchosenMessage: preview.unchosenMessage, open: preview.session.open,
      refusal, overrideCapacity,
    }, { status });
  };

  if (intent === "preview") {
    await saveRosterMapping(user.id, table.headers, posted);
    const preview = await previewRosterImport(sessionId, rows, choices, user);
    return previewStage(preview, null, preview.counts.errors > 0 ? 400 : 200);
  }

  const result = await commitRosterImport(sessionId, rows, choices, { overrideCapacity, actorId: user.id, viewer: user });
  if (result.ok) return data<DoneStage>({ stage: "done", summary: result.summary, fileName: carried.fileName });
  const status = result.reason === "capacity" || result.reason === "closed" ? 409 : 400;
  const preview = result.preview ?? (await previewRosterImport(sessionId, rows, choices, user));
  return previewStage(preview, result.message, status);
}

export default function RosterImportPage() {
  const { session } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p><Link to={`/sessions/${session.id}/roster`}>Back to the roster</Link></p>
      <h1>Import a roster CSV: {session.title ?? `${session.program.name} session`}</h1>
      <WorkingStatus>checking every row; a large file takes a few seconds.</WorkingStatus>
      {result?.stage === "done" ? (
        <SummaryNotice summary={result.summary}>
          <p><Link to={`/sessions/${session.id}/roster`}>See the roster</Link> or <Link to=".">import another file</Link>.</p>
        </SummaryNotice>
      ) : result?.stage === "map" ? (
        <MapStep stage={result} />
      ) : result?.stage === "preview" ? (
        <PreviewStep stage={result} />
      ) : (
        <UploadStep error={result?.stage === "upload" ? result.error : undefined} pasted={result?.stage === "upload" ? result.pasted : undefined} />
      )}
    </>
  );
}

function UploadStep({ error, pasted }: { error?: string; pasted?: string }) {
  return (
    <>
      {error ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>There is a problem with the file</h2>
          <p><a href="#field-file">{error}</a></p>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="step-1">
        <h2 id="step-1">Step 1 of 4: choose the file</h2>
        <p>
          Any roster export will do: a district or school system file, a sign-up sheet. Next you say which column holds what,
          then you see what will happen to every row before anything is written.
        </p>
        <Form method="post" encType="multipart/form-data">
          <UploadFields error={error} pasted={pasted} />
          <div className="actions">
            <button type="submit" name="intent" value="upload">Next: match the columns</button>
          </div>
        </Form>
      </section>
      <section className="panel" aria-labelledby="how-matched">
        <h2 id="how-matched">How people are matched</h2>
        <ul>
          <li>A <strong>district ID</strong> (employee number, student ID) already known: that person is used.</li>
          <li>No district ID match, but the same <strong>name and email</strong> as someone known: the row is marked
            “possible duplicate” and you choose, row by row, whether it is that person or someone new. Nothing is merged without you.</li>
          <li>Otherwise a new person is created. Students need no email; community partners need no district ID.</li>
          <li>A line repeated in the file is skipped; the same district ID with a different name is an error to fix.</li>
          <li>A <strong>school</strong> column (its code or name) says where each person works or studies this school year; a blank
            cell means this session’s school. People added who have no school that year get one, so reach counts them; community
            partners only when the file names a school. A student can be given only this session’s school.</li>
        </ul>
      </section>
    </>
  );
}

function CarriedFields({ stage }: { stage: Carried }) {
  return (
    <>
      <input type="hidden" name="csvText" value={stage.csvText} />
      <input type="hidden" name="fileName" value={stage.fileName ?? ""} />
    </>
  );
}

function MapStep({ stage }: { stage: MapStage }) {
  return (
    <>
      {stage.problems.length ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>Check the column mapping</h2>
          <ul>{stage.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="step-2">
        <h2 id="step-2">Step 2 of 4: match the columns{stage.fileName ? ` of ${stage.fileName}` : ""}</h2>
        <p>
          {stage.rowCount.toLocaleString("en-US")} rows. Choose what each column holds: first and last name (or one full-name column,
          “Núñez, José” or “José Núñez”) are needed; district ID, email, kind and school are optional. Your choices are remembered for next time.
        </p>
        <Form method="post" encType="multipart/form-data">
          <CarriedFields stage={stage} />
          <ColumnMappingTable columns={stage.columns} fields={ROSTER_FIELDS} labelOf={(f) => (isRosterField(f) ? ROSTER_FIELD_LABELS[f] : f)} nameOf={columnField} />
          <div className="field">
            <label htmlFor="field-defaultKind">Kind of people, where the file does not say</label>
            <select id="field-defaultKind" name="defaultKind" defaultValue={stage.defaultKind}>
              {PERSON_KINDS.map((k) => <option key={k} value={k}>{PERSON_KIND_LABELS[k]}</option>)}
            </select>
          </div>
          <div className="actions">
            <button type="submit" name="intent" value="preview">Next: preview every row</button>
            <Link to=".">Start again with another file</Link>
          </div>
        </Form>
      </section>
    </>
  );
}

function PreviewStep({ stage }: { stage: PreviewStage }) {
  const blocked = stage.counts.errors > 0 || !stage.open;
  return (
    <>
      <ImportProblems refusal={stage.refusal} errorMessages={stage.errorMessages} />
      <section aria-labelledby="step-3">
        <h2 id="step-3">Step 3 of 4: check every row{stage.fileName ? ` of ${stage.fileName}` : ""}</h2>
        <p>Nothing has been written yet. The import writes every row or none.</p>
        <PreviewCounts counts={stage.counts} />
        <p>
          {stage.membershipCount.toLocaleString("en-US")} {stage.membershipCount === 1 ? "person gets" : "people get"} a school membership for
          the session’s school year (people who have none that year yet: a blank school cell means this session’s school; community partners get one only when the file names a school).
        </p>
        <PreviewNotes stage={stage} />
        <Form method="post" encType="multipart/form-data">
          <CarriedFields stage={stage} />
          {stage.mapping.map((field, i) => <input key={i} type="hidden" name={columnField(i)} value={field} />)}
          <input type="hidden" name="defaultKind" value={stage.defaultKind} />
          <PreviewTable rows={stage.rows} total={stage.counts.rows} />
          <CommitStep blocked={blocked} heading="Step 4 of 4: import" commitLabel={`Import ${stage.counts.toAdd.toLocaleString("en-US")} people to the roster`} review={stage.counts.review} overrideCapacity={stage.overrideCapacity} />
          <div className="actions">
            <button type="submit" name="intent" value="map" className="secondary">Change the column mapping</button>
            <Link to=".">Start again with another file</Link>
          </div>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
