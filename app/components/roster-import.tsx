import { Link, useNavigation } from "@remix-run/react";
import { useState, type ChangeEvent, type ReactNode } from "react";
import { MAX_CSV_BYTES, TOO_LARGE_CSV_MESSAGE } from "~/domain/csv-rows";
import { choiceField } from "~/forms/roster";
import type { ImportCounts, ImportSummary, RowView } from "~/domain/roster-import";

/**
 * A live region that is always on the page (so screen readers announce changes to it) and
 * says "Working…" while a form posts: a 10,000-row preview or import takes a few seconds.
 */
export function WorkingStatus({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  return (
    <div role="status" aria-live="polite">
      {navigation.state === "submitting" ? <p className="notice">Working… {children}</p> : null}
    </div>
  );
}

/** Step 1: a CSV file, or pasted text. */
export function UploadFields({ error: serverError, pasted }: { error?: string; pasted?: string }) {
  // With JavaScript, a file too large to import is refused here, before it is uploaded.
  const [tooLarge, setTooLarge] = useState(false);
  const onFileChange = (event: ChangeEvent<HTMLInputElement>) => {
    const large = (event.currentTarget.files?.[0]?.size ?? 0) > MAX_CSV_BYTES;
    if (large) event.currentTarget.value = "";
    setTooLarge(large);
  };
  const error = tooLarge ? TOO_LARGE_CSV_MESSAGE : serverError;
  return (
    <>
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor="field-file">CSV file</label>
        <p id="file-hint" className="hint">A .csv file saved as UTF-8, at most 5 MB and 20,000 rows. The first line names the columns.</p>
        {error ? <p id="file-error" className="field-error">{error}</p> : null}
        <input id="field-file" name="file" type="file" accept=".csv,text/csv" onChange={onFileChange}
          aria-invalid={error ? true : undefined} aria-describedby={error ? "file-hint file-error" : "file-hint"} />
      </div>
      <div className="field">
        <label htmlFor="field-csvText">Or paste the CSV text</label>
        <p id="paste-hint" className="hint">Used only when no file is chosen.</p>
        <textarea id="field-csvText" name="csvText" rows={8} spellCheck={false} aria-describedby="paste-hint" defaultValue={pasted ?? ""} />
      </div>
    </>
  );
}

export function PreviewCounts({ counts }: { counts: ImportCounts }) {
  return (
    <ul className="cards">
      <li className="card"><span className="figure">{counts.rows.toLocaleString("en-US")}</span> rows</li>
      <li className="card"><span className="figure">{counts.newPeople.toLocaleString("en-US")}</span> new people</li>
      <li className="card"><span className="figure">{counts.matched.toLocaleString("en-US")}</span> matched to people already known</li>
      <li className="card"><span className="figure">{counts.onRoster.toLocaleString("en-US")}</span> already on the roster</li>
      <li className="card"><span className="figure">{counts.review.toLocaleString("en-US")}</span> possible duplicates ({counts.unchosen} still to review)</li>
      <li className="card"><span className="figure">{counts.duplicates.toLocaleString("en-US")}</span> repeated in the file, skipped</li>
      <li className="card"><span className="figure">{counts.errors.toLocaleString("en-US")}</span> with errors</li>
    </ul>
  );
}

/** Every row error, each naming its line and field; long lists are cut so the page stays usable. */
export function RowErrors({ messages, limit = 500 }: { messages: string[]; limit?: number }) {
  if (messages.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>{messages.length === 1 ? "1 problem" : `${messages.length.toLocaleString("en-US")} problems`} in the file: nothing will be imported until they are fixed</h2>
      <ul>
        {messages.slice(0, limit).map((m, i) => <li key={i}>{m}</li>)}
      </ul>
      {messages.length > limit ? <p>…and {(messages.length - limit).toLocaleString("en-US")} more.</p> : null}
    </div>
  );
}

const ROW_CLASS: Record<RowView["status"], string | undefined> = {
  error: "row-error", review: "row-change", new: "row-new", matched: undefined, "on-roster": undefined, duplicate: undefined,
};

/**
 * The preview, row by row. A "possible duplicate" row carries a select inside the page's
 * form: "needs review" until the trainer picks the existing person or a new one.
 */
export function PreviewTable<R extends RowView>({ rows, total, extra }: {
  rows: R[]; total: number;
  extra?: { heading: string; cell: (row: R) => ReactNode };
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>
          What the import will do, row by row
          {rows.length < total ? ` (${rows.length.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows: every possible duplicate, then errors and the rest in file order)` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Name</th>
            <th scope="col">District ID</th>
            <th scope="col">Email</th>
            {extra ? <th scope="col">{extra.heading}</th> : null}
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.line} className={ROW_CLASS[row.status]}>
              <td className="num">{row.line}</td>
              <th scope="row">{row.name || "—"}</th>
              <td>{row.districtId ?? "—"}</td>
              <td>{row.email ?? "—"}</td>
              {extra ? <td>{extra.cell(row)}</td> : null}
              <td>
                <span className={`tag tag-${row.tone}`}>{row.label}</span>
                {row.membership ? <p className="hint">Membership: {row.membership}</p> : null}
                {row.messages.length > 0 ? (
                  <ul>{row.messages.map((m) => <li key={m}>{m.replace(/^Line \d+: /, "")}</li>)}</ul>
                ) : null}
                {row.status === "review" ? (
                  <div className={`field${row.choice ? "" : " field-invalid"}`}>
                    <label htmlFor={`choice-${row.line}`}>Line {row.line}: who is this?</label>
                    <select id={`choice-${row.line}`} name={choiceField(row.line)} defaultValue={row.choice}>
                      <option value="">Needs review: choose</option>
                      {row.candidates.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
                    </select>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SummaryNotice({ summary, children }: { summary: ImportSummary; children?: ReactNode }) {
  return (
    <section className="notice" aria-labelledby="import-done">
      <h2 id="import-done">Import complete</h2>
      <p>
        Added {summary.added.toLocaleString("en-US")} to the roster: {summary.matched.toLocaleString("en-US")} matched to people already known,{" "}
        {summary.newPeople.toLocaleString("en-US")} new people. {summary.onRoster.toLocaleString("en-US")} were already on the roster
        {summary.duplicates ? `; ${summary.duplicates.toLocaleString("en-US")} repeated lines were skipped` : ""}.
        {summary.memberships ? ` ${summary.memberships.toLocaleString("en-US")} ${summary.memberships === 1 ? "person was" : "people were"} given a school membership for the year.` : ""}
      </p>
      {children}
    </section>
  );
}

/** The top of a preview: why nothing was imported (if a commit was refused) and the rows with errors. */
export function ImportProblems({ refusal, errorMessages }: { refusal: string | null; errorMessages: string[] }) {
  return (
    <>
      {refusal ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>Nothing was imported</h2>
          <p>{refusal}</p>
        </div>
      ) : null}
      <RowErrors messages={errorMessages} />
    </>
  );
}

/** What stands in the way of a roster import: a closed session, choices still to make, seats. */
export function PreviewNotes({ stage }: { stage: { open: boolean; refusal: string | null; unchosenMessage: string | null; capacityMessage: string | null } }) {
  return (
    <>
      {!stage.open ? <p className="field-error">This session is closed or cancelled; reopen it to change the roster.</p> : null}
      {stage.unchosenMessage && !stage.refusal ? <p className="hint">{stage.unchosenMessage}</p> : null}
      {stage.capacityMessage ? <p className="field-error">{stage.capacityMessage}</p> : null}
    </>
  );
}

/** The last step of a roster import: fix the file, or import (over capacity on purpose if need be). */
export function CommitStep({ blocked, heading, commitLabel, review, overrideCapacity }: {
  blocked: boolean; heading: string; commitLabel: string; review: number; overrideCapacity: boolean;
}) {
  if (blocked) return <p>Fix the rows with errors in your file, then <Link to=".">upload it again</Link>.</p>;
  return (
    <>
      <h2>{heading}</h2>
      <div className="field field-checkbox">
        <input type="checkbox" id="field-overrideCapacity" name="overrideCapacity" defaultChecked={overrideCapacity} />
        <label htmlFor="field-overrideCapacity">Over capacity on purpose: import even if the session goes over its seat limit</label>
      </div>
      <div className="actions">
        <button type="submit" name="intent" value="commit">{commitLabel}</button>
        {review > 0 ? <button type="submit" name="intent" value="preview" className="secondary">Check my choices again</button> : null}
      </div>
    </>
  );
}
