import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { commitMhfaImport, importDefaults, parseRosterFile, previewMhfaImport, type ImportPreview, type MhfaReview } from "~/models/roster-import.server";
import {
  MHFA_COLUMNS, PERSON_KINDS, PERSON_KIND_LABELS, checkMhfaRows, describeRow, findMhfaColumns, rowsToShow,
  type ImportCounts, type ImportSummary, type MhfaRow, type PersonKindName, type RowView,
} from "~/domain/roster-import";
import { ImportStepSchema, choicesFromForm } from "~/forms/roster";
import { absentChoicesFromForm, absentField } from "~/forms/mhfa-import";
import { humanDate } from "~/domain/mhfa-import";
import { readCsvUpload } from "~/utils/csv.server";
import { readUploadForm } from "~/utils/upload.server";
import { formValues } from "~/utils/forms";
import { formatDate } from "~/utils/format";
import { CommitStep, ImportProblems, PreviewCounts, PreviewNotes, PreviewTable, SummaryNotice, UploadFields, WorkingStatus } from "~/components/roster-import";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Import an MHFA platform roster export" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  return importDefaults(sessionId);
}

type MhfaRowView = RowView & { completed: boolean | null; endDate: string | null; course: string | null };
type Carried = { csvText: string; fileName: string | null; defaultKind: PersonKindName };
type UploadStage = { stage: "upload"; error: string; pasted: string; defaultKind: PersonKindName };
type PreviewStage = Carried & {
  stage: "preview"; counts: ImportCounts; rows: MhfaRowView[]; errorMessages: string[]; dayCount: number; completed: number;
  capacityMessage: string | null; unchosenMessage: string | null; open: boolean; refusal: string | null; overrideCapacity: boolean;
  review: MhfaReview;
};
type DoneStage = { stage: "done"; summary: ImportSummary; completed: number; dayCount: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await readUploadForm(request);
  if (!form.ok) {
    return data<UploadStage>({ stage: "upload", error: form.error, pasted: "", defaultKind: (await importDefaults(sessionId)).defaultKind }, { status: 400 });
  }
  const { formData } = form;
  const step = ImportStepSchema.safeParse(formValues(formData));
  const defaultKind = (step.success ? step.data.defaultKind : undefined) ?? (await importDefaults(sessionId)).defaultKind;
  const pastedValue = formData.get("csvText");
  const pasted = typeof pastedValue === "string" && pastedValue.length <= 200_000 ? pastedValue : "";
  const uploadProblem = (error: string) => data<UploadStage>({ stage: "upload", error, pasted, defaultKind }, { status: 400 });
  if (!step.success || (step.data.intent !== "preview" && step.data.intent !== "commit")) {
    return uploadProblem("Choose the MHFA export file or paste its text, then preview.");
  }
  const { intent, overrideCapacity } = step.data;

  const upload = await readCsvUpload(formData);
  if (!upload.ok) return uploadProblem(upload.error);
  const table = parseRosterFile(upload.text);
  if (!table.ok) return uploadProblem(table.error);
  const found = findMhfaColumns(table.headers);
  if (!found.ok) return uploadProblem(found.error);
  const carried: Carried = { csvText: upload.text, fileName: upload.fileName ?? step.data.fileName ?? null, defaultKind };

  const rows = checkMhfaRows(found.columns, table.rows, defaultKind);
  const choices = choicesFromForm(formData);
  const absentChoices = absentChoicesFromForm(formData);
  const completedRows = rows.filter((r) => r.status === "COMPLETED" && r.person && r.duplicateOfLine === null).length;
  const previewStage = ({ preview, review }: { preview: ImportPreview<MhfaRow>; review: MhfaReview }, refusal: string | null, status: number) => {
    const outside = new Map(review.outsideSession.map((o) => [o.line, o.message]));
    return data<PreviewStage>({
      ...carried, stage: "preview", counts: preview.counts,
      rows: rowsToShow(preview.rows.map((r) => {
        const view = describeRow(r);
        const outsideMessage = outside.get(r.line);
        return {
          ...view,
          messages: outsideMessage ? [...view.messages, outsideMessage] : view.messages,
          tone: outsideMessage && view.tone === "ok" ? "warn" : view.tone,
          completed: r.status === null ? null : r.status === "COMPLETED",
          endDate: r.endDate ? r.endDate.toISOString() : null,
          course: r.course ?? null,
        };
      })),
      errorMessages: preview.rows.flatMap((r) => (r.plan.status === "error" ? r.plan.errors : [])), dayCount: preview.session.dayCount, completed: completedRows,
      capacityMessage: preview.capacityMessage, unchosenMessage: preview.unchosenMessage, open: preview.session.open, refusal, overrideCapacity, review,
    }, { status });
  };

  if (intent === "preview") {
    const previewed = await previewMhfaImport(sessionId, rows, choices, absentChoices, user);
    return previewStage(previewed, null, previewed.preview.counts.errors > 0 ? 400 : 200);
  }
  const result = await commitMhfaImport(sessionId, rows, choices, absentChoices, { overrideCapacity, actorId: user.id, viewer: user });
  if (result.ok) return data<DoneStage>({ stage: "done", summary: result.summary, completed: completedRows, dayCount: result.preview.session.dayCount });
  const status = result.reason === "capacity" || result.reason === "closed" || result.reason === "not-yet" ? 409 : 400;
  // The page is drawn from a fresh read: the refusal says why, the preview what the import would do now.
  return previewStage(await previewMhfaImport(sessionId, rows, choices, absentChoices, user), result.message, status);
}

export default function MhfaImportPage() {
  const { session, defaultKind } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p><Link to={`/sessions/${session.id}/roster`}>Back to the roster</Link></p>
      <h1>Import an MHFA platform export: {session.title ?? `${session.program.name} session`}</h1>
      <WorkingStatus>reconciling learners with people already known.</WorkingStatus>
      {result?.stage === "done" ? (
        <SummaryNotice summary={result.summary}>
          <p>
            {result.completed} completed learners marked present on all {result.dayCount} session {result.dayCount === 1 ? "day" : "days"} (recorded as an import),
            except absences you chose to keep, with post-work done on their course end date.
          </p>
          <p><Link to={`/sessions/${session.id}/roster`}>See the roster</Link> or <Link to={`/sessions/${session.id}`}>go to the session</Link>.</p>
        </SummaryNotice>
      ) : result?.stage === "preview" ? (
        <PreviewStep stage={result} />
      ) : (
        <UploadStep
          error={result?.stage === "upload" ? result.error : undefined}
          pasted={result?.stage === "upload" ? result.pasted : undefined}
          defaultKind={result?.stage === "upload" ? result.defaultKind : defaultKind}
        />
      )}
    </>
  );
}

function UploadStep({ error, pasted, defaultKind }: { error?: string; pasted?: string; defaultKind: PersonKindName }) {
  return (
    <>
      {error ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>There is a problem with the file</h2>
          <p><a href="#field-file">{error}</a></p>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="step-1">
        <h2 id="step-1">Step 1 of 3: choose the export</h2>
        <Form method="post" encType="multipart/form-data">
          <UploadFields error={error} pasted={pasted} />
          <div className="field">
            <label htmlFor="field-defaultKind">Learners not already known are added as</label>
            <select id="field-defaultKind" name="defaultKind" defaultValue={defaultKind}>
              {PERSON_KINDS.map((k) => <option key={k} value={k}>{PERSON_KIND_LABELS[k]}</option>)}
            </select>
          </div>
          <div className="actions">
            <button type="submit" name="intent" value="preview">Next: preview every learner</button>
          </div>
        </Form>
      </section>
      <section className="panel" aria-labelledby="expected">
        <h2 id="expected">What the file must contain</h2>
        <p>The course roster export from the official MHFA platform, saved as CSV. Its header row names these columns (other columns are ignored):</p>
        <ul>
          {Object.values(MHFA_COLUMNS).map((c) => <li key={c.label}><strong>{c.label}</strong></li>)}
        </ul>
        <ul>
          <li><strong>Completion Status</strong>: Completed, Incomplete, In Progress or Not Started.</li>
          <li><strong>Course Start Date</strong> and <strong>Course End Date</strong>: like 11/14/2026 or 2026-11-14. A completed learner needs an end date.</li>
        </ul>
        <h3>What the import does</h3>
        <ul>
          <li>Every learner is put on this session's roster.</li>
          <li>A learner already on this roster (same name and email) is recognised as that person.</li>
          <li>A learner with the same name and email as someone else already known is a “possible duplicate”: you choose, row by row, whether it is that person or someone new. Nothing is merged without you.</li>
          <li>A <strong>Completed</strong> learner is marked present on every day of this session (recorded as an import) and their post-work is recorded as done on the course end date. Other learners are enrolled only; marks already recorded are kept.</li>
          <li>Where you marked a completed learner absent, the preview shows it and you choose: keep the absence, or take the platform's word. Nothing overwrites it without you.</li>
          <li>The preview also flags courses in the file that ran on other dates than this session's days, and lists people on the roster who are not in the file (the import leaves them as they are).</li>
          <li>It writes everything or nothing.</li>
        </ul>
        <pre aria-label="Example MHFA export">{`"Learner First Name","Learner Last Name","Learner Email","Course Start Date","Course End Date","Completion Status"
"José","Núñez","jose.nunez@example.org","11/14/2026","11/14/2026","Completed"
"Ana","Li","ana.li@example.org","11/14/2026","11/14/2026","In Progress"`}</pre>
      </section>
    </>
  );
}

function PreviewStep({ stage }: { stage: PreviewStage }) {
  const blocked = stage.counts.errors > 0 || !stage.open;
  const { review } = stage;
  return (
    <>
      <ImportProblems refusal={stage.refusal} errorMessages={stage.errorMessages} />
      <section aria-labelledby="step-2">
        <h2 id="step-2">Step 2 of 3: check every learner{stage.fileName ? ` in ${stage.fileName}` : ""}</h2>
        <p>
          Nothing has been written yet. {stage.completed} completed learners will be marked present on all {stage.dayCount} session{" "}
          {stage.dayCount === 1 ? "day" : "days"}, with post-work done on their course end date.
        </p>
        {stage.dayCount === 0 ? <p className="field-error">This session has no days, so no attendance can be recorded. Add its days first.</p> : null}
        <PreviewCounts counts={stage.counts} />
        <PreviewNotes stage={stage} />
        {review.absentUnchosenMessage && !stage.refusal ? <p className="hint">{review.absentUnchosenMessage}</p> : null}
        <OutsideSessionNotice outside={review.outsideSession} />
        <MissingFromExport missing={review.missingFromExport} />
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="csvText" value={stage.csvText} />
          <input type="hidden" name="fileName" value={stage.fileName ?? ""} />
          <input type="hidden" name="defaultKind" value={stage.defaultKind} />
          <PreviewTable
            rows={stage.rows}
            total={stage.counts.rows}
            extra={{
              heading: "Platform status",
              cell: (row) =>
                row.completed === null ? "—" : row.completed
                  ? `Completed${row.endDate ? ` ${formatDate(row.endDate)}` : ""}: present every day, post-work done`
                  : "Not completed: enrolled only",
            }}
          />
          <AbsentConflicts conflicts={review.absentConflicts} />
          <CommitStep
            blocked={blocked} heading="Step 3 of 3: import" commitLabel={`Import ${stage.counts.rows - stage.counts.duplicates} learners`}
            review={stage.counts.review + review.absentConflicts.length} overrideCapacity={stage.overrideCapacity}
          />
          <p><Link to=".">Start again with another file</Link></p>
        </Form>
      </section>
    </>
  );
}

/** Courses in the export that ran on other dates than this session's days: most likely another course's export. */
function OutsideSessionNotice({ outside }: { outside: MhfaReview["outsideSession"] }) {
  if (outside.length === 0) return null;
  return (
    <section className="notice" aria-labelledby="outside-dates">
      <h3 id="outside-dates">
        {outside.length === 1 ? "1 learner's course" : `${outside.length.toLocaleString("en-US")} learners' courses`} ran outside this session's days
      </h3>
      <p>Completed learners are still marked present on this session's days if you import. Check that the file is this session's export.</p>
      <ul>
        {outside.slice(0, 200).map((o) => <li key={o.line}>{o.message}</li>)}
      </ul>
      {outside.length > 200 ? <p>…and {(outside.length - 200).toLocaleString("en-US")} more.</p> : null}
    </section>
  );
}

/** People on the roster that the export does not list: the import leaves them as they are. */
function MissingFromExport({ missing }: { missing: MhfaReview["missingFromExport"] }) {
  if (missing.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="missing-from-export">
      <h3 id="missing-from-export">On the roster, not in the export ({missing.length.toLocaleString("en-US")})</h3>
      <p>The import does not remove them or change their marks. If they did not take this course, remove them from the roster.</p>
      <ul>
        {missing.map((m) => (
          <li key={m.personId}>{m.name}{m.districtId ? ` (${m.districtId})` : ""}{m.email ? `, ${m.email}` : ""}</li>
        ))}
      </ul>
    </section>
  );
}

/** Where the platform says Completed and the trainer recorded an absence: the trainer chooses, line by line. */
function AbsentConflicts({ conflicts }: { conflicts: MhfaReview["absentConflicts"] }) {
  if (conflicts.length === 0) return null;
  return (
    <section aria-labelledby="absent-conflicts">
      <h3 id="absent-conflicts">Absences you recorded that the platform says were completed ({conflicts.length})</h3>
      <p>Nothing overwrites an absence unless you choose the platform's word. Days not marked absent are marked present either way.</p>
      {conflicts.map((c) => {
        const days = c.absentDays.map((d) => humanDate(d.date)).join(", ");
        const name = absentField(c.line);
        return (
          <fieldset key={c.line} className={`field${c.choice ? "" : " field-invalid"}`}>
            <legend>Line {c.line}: {c.name}, marked absent on {days}; the platform says Completed</legend>
            <div className="radio">
              <input type="radio" id={`${name}-keep`} name={name} value="keep-absent" defaultChecked={c.choice === "keep-absent"} />
              <label htmlFor={`${name}-keep`}>Keep absent on {days} (as you recorded)</label>
            </div>
            <div className="radio">
              <input type="radio" id={`${name}-platform`} name={name} value="platform" defaultChecked={c.choice === "platform"} />
              <label htmlFor={`${name}-platform`}>Take the platform's: present on {days} too</label>
            </div>
          </fieldset>
        );
      })}
    </section>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
