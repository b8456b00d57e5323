import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import {
  commitDirectoryImport, discardDirectoryImport, getDirectoryImport, importRows, mapPlainCsv, membershipChangesBySchool, plainCsvColumns,
  recheckDirectoryImport, type DirectoryImportView,
} from "~/models/directory-import.server";
import { DirectoryFileError } from "~/models/directory-files.server";
import { DirectoryImportIntentSchema, DirectoryRowsQuerySchema, OUTCOMES, mappingField, mappingFromForm } from "~/forms/directory-import";
import { DIRECTORY_FIELDS, directoryFieldLabel, isDirectoryField } from "~/domain/directory/plain-csv";
import { ColumnMappingTable } from "~/components/column-mapping";
import { DIRECTORY_FORMAT_LABELS } from "~/domain/directory/plan";
import { formatSchoolYear } from "~/domain/school-year";
import { Pager } from "~/components/admin-pager";
import { ImportCounts, OutcomeTag } from "~/components/admin-import";
import { ImportProgress, ImportStatusTag, OUTCOME_WORDS } from "~/components/directory-import";
import { SubmitButton } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Directory import · Administration" }];

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const importId = params.importId ?? "";
  const imp = await getDirectoryImport(importId);
  if (!imp) throw notFound();
  const query = DirectoryRowsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw data({ message: query.error.issues[0]?.message ?? "Bad query string" }, { status: 400 });
  const show = query.data.show ?? (imp.counts.REVIEW > 0 ? "REVIEW" : imp.counts.NEW > 0 ? "NEW" : "UPDATED");
  const showsRows = imp.status === "READY" || imp.status === "COMMITTED";
  const [rows, bySchool, columns] = await Promise.all([
    showsRows ? importRows(importId, show, query.data.page) : null,
    showsRows ? membershipChangesBySchool(importId) : null,
    imp.status === "MAPPING" ? readColumns(importId, user.id) : null,
  ]);
  return { imp, show, rows, bySchool, columns };
}

async function readColumns(importId: string, userId: string) {
  try {
    const columns = await plainCsvColumns(importId, userId);
    if (!columns) throw notFound();
    return { ok: true as const, ...columns };
  } catch (error) {
    if (error instanceof DirectoryFileError) return { ok: false as const, error: error.message };
    throw error;
  }
}

type ActionProblem = { message: string; problems?: string[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const importId = params.importId ?? "";
  const imp = await getDirectoryImport(importId);
  if (!imp) throw notFound();
  const formData = await request.formData();
  const intent = DirectoryImportIntentSchema.safeParse({ intent: formData.get("intent") });
  if (!intent.success) return data<ActionProblem>({ message: intent.error.issues[0]?.message ?? "Choose what to do" }, { status: 400 });
  const back = redirect(`/admin/directory/${importId}`);
  switch (intent.data.intent) {
    case "map": {
      if (imp.status !== "MAPPING") return data<ActionProblem>({ message: "This file’s columns are already chosen." }, { status: 409 });
      const columns = await plainCsvColumns(importId, user.id);
      const mapping = columns ? mappingFromForm(formData, columns.headers.length) : null;
      if (!columns || !mapping) return data<ActionProblem>({ message: "Choose what every column holds." }, { status: 400 });
      const mapped = await mapPlainCsv(importId, user.id, columns.headers, mapping);
      if (!mapped.ok) return data<ActionProblem>({ message: "Check the column choices.", problems: mapped.problems }, { status: 400 });
      return back;
    }
    case "commit": {
      const started = await commitDirectoryImport(importId, user.id);
      return started.ok ? back : data<ActionProblem>({ message: started.message }, { status: 409 });
    }
    case "recheck":
      return (await recheckDirectoryImport(importId)) ? back : data<ActionProblem>({ message: "Only an import waiting for its commit can be checked again." }, { status: 409 });
    case "discard":
      return (await discardDirectoryImport(importId)) ? back : data<ActionProblem>({ message: "A committed or running import cannot be discarded." }, { status: 409 });
  }
}

const n = (x: number) => x.toLocaleString("en-US");
const when = (d: Date | string) => new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function DirectoryImportPage() {
  const { imp, show, rows, bySchool, columns } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/admin/directory">Directory imports</Link></p>
      <h1>{DIRECTORY_FORMAT_LABELS[imp.format] ?? imp.format} import for {formatSchoolYear(imp.schoolYear)}</h1>
      <p>
        <ImportStatusTag status={imp.status} /> {imp.fileNames}, uploaded by {imp.createdBy} on {when(imp.createdAt)} UTC
        {imp.committedAt ? `; committed by ${imp.committedBy ?? "an administrator"} on ${when(imp.committedAt)} UTC` : ""}.
      </p>
      {problem ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>{problem.message}</h2>
          {problem.problems ? <ul>{problem.problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </div>
      ) : null}
      {imp.interrupted ? (
        <Interrupted />
      ) : imp.running ? (
        <ImportProgress phase={imp.phase} progress={imp.status === "STAGING" ? imp.progress : null} />
      ) : imp.status === "MAPPING" && columns ? (
        columns.ok ? <MappingStep headers={columns.headers} mapping={columns.mapping} samples={columns.samples} studentFile={imp.format === "student-csv"} /> : <Failed message={columns.error} />
      ) : imp.status === "FAILED" ? (
        <Failed message={imp.error ?? "The import failed; nothing was written."} />
      ) : imp.status === "DISCARDED" ? (
        <p className="notice">This import was discarded: nothing it held was written. <Link to="/admin/directory/import">Import people files</Link></p>
      ) : null}
      {(imp.status === "READY" || imp.status === "COMMITTED") && rows && bySchool ? (
        <Preview imp={imp} show={show} rows={rows} bySchool={bySchool} />
      ) : null}
    </>
  );
}

function Interrupted() {
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>This import stopped part-way (the server restarted)</h2>
      <p>Nothing it held was written. Discard it and upload the files again.</p>
      <Form method="post"><SubmitButton name="intent" value="discard" className="secondary">Discard this import</SubmitButton></Form>
    </div>
  );
}

function Failed({ message }: { message: string }) {
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>The files could not be imported</h2>
      <p>{message}</p>
      <p>Nothing was written. <Link to="/admin/directory/import">Upload the files again</Link>.</p>
    </div>
  );
}

function MappingStep({ headers, mapping, samples, studentFile }: { headers: string[]; mapping: string[]; samples: string[][]; studentFile: boolean }) {
  const kind = studentFile ? "STUDENT" : "STAFF";
  return (
    <section className="panel" aria-labelledby="map-heading">
      <h2 id="map-heading">Say which column holds what</h2>
      <p>The district ID, the names and the school are needed; email and {studentFile ? "grade" : "job title"} are optional. Your choices are remembered for your next file.</p>
      <Form method="post">
        <ColumnMappingTable
          columns={headers.map((header, index) => ({ index, header, samples: samples[index] ?? [], field: mapping[index] ?? "ignore" }))}
          fields={DIRECTORY_FIELDS} labelOf={(f) => (isDirectoryField(f) ? directoryFieldLabel(f, kind) : f)} nameOf={mappingField}
        />
        <div className="actions">
          <SubmitButton name="intent" value="map">Check every row</SubmitButton>
          <SubmitButton name="intent" value="discard" className="secondary">Discard</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

type RowsPage = NonNullable<Awaited<ReturnType<typeof loader>>["rows"]>;
type SchoolChanges = NonNullable<Awaited<ReturnType<typeof loader>>["bySchool"]>;

function Preview({ imp, show, rows, bySchool }: { imp: DirectoryImportView; show: string; rows: RowsPage; bySchool: SchoolChanges }) {
  const c = imp.counts;
  const ready = imp.status === "READY";
  const blocked = imp.problemCount > 0;
  return (
    <>
      {imp.error ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>The commit did not happen</h2>
          <p>{imp.error}</p>
          {ready ? <Form method="post"><SubmitButton name="intent" value="recheck">Check the files again</SubmitButton></Form> : null}
        </div>
      ) : null}
      {blocked ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>{n(imp.problemCount)} {imp.problemCount === 1 ? "row" : "rows"} cannot be read: nothing can be written until the file is fixed</h2>
          <ul>{imp.problems.map((p, i) => <li key={i}>{p}</li>)}</ul>
          {imp.problemCount > imp.problems.length ? <p>…and {n(imp.problemCount - imp.problems.length)} more.</p> : null}
        </div>
      ) : null}
      {ready && !blocked ? <p className="notice">Nothing has been written yet. Check what will change, then commit: every row is written, or none.</p> : null}
      {imp.status === "COMMITTED" ? (
        <p className="notice">
          Written. {c.REVIEW > 0 ? <>The {n(c.REVIEW)} {c.REVIEW === 1 ? "row" : "rows"} held for review wait in <Link to="/people/duplicates">Likely duplicates</Link>.</> : null}
        </p>
      ) : null}
      {imp.notes.length ? <ul className="notes">{imp.notes.map((note) => <li key={note}>{note}</li>)}</ul> : null}

      <h2>People</h2>
      <ImportCounts cards={[
        [c.NEW, "new people"], [c.UPDATED, "updated"], [c.UNCHANGED, "unchanged"], [c.REVIEW, "held for review"], [c.IGNORED, "ignored"],
        ...(c.guardians ? [[c.guardians, "guardians and parents, never stored"] as [number, string]] : []),
      ]} />
      <h2>Memberships for {formatSchoolYear(imp.schoolYear)}</h2>
      <ImportCounts cards={[[c.membershipsAdded, "added"], [c.membershipsEnded, "ended"], [c.membershipsRetitled, "new job or grade"]]} />
      {!imp.endsAbsent ? <p className="hint">A delta file: people absent from it keep their memberships.</p> : null}

      {imp.unmatchedOrgs.length ? (
        <div className="table-wrap">
          <table>
            <caption>Orgs that match no school ({n(imp.unmatchedOrgs.length)}): their people get no membership there. Add the school, with this identifier as its code, and import again.</caption>
            <thead><tr><th scope="col">Identifier</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">People</th></tr></thead>
            <tbody>
              {imp.unmatchedOrgs.slice(0, 200).map((o) => (
                <tr key={o.identifier}><td>{o.identifier}</td><td>{o.name}</td><td>{o.type}</td><td>{n(o.users)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {bySchool.length ? (
        <details>
          <summary>Membership changes school by school ({n(bySchool.length)} schools)</summary>
          <div className="table-wrap">
            <table>
              <caption>Membership changes by school</caption>
              <thead><tr><th scope="col">School</th><th scope="col">Added</th><th scope="col">Ended</th><th scope="col">New job or grade</th></tr></thead>
              <tbody>
                {bySchool.map((s) => (
                  <tr key={s.school.id}><th scope="row">{s.school.name} ({s.school.code})</th><td>{n(s.ADD)}</td><td>{n(s.END)}</td><td>{n(s.RETITLE)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}

      <h2 id="rows-heading">Rows</h2>
      <nav aria-labelledby="rows-heading">
        <ul className="tabs">
          {OUTCOMES.map((o) => (
            <li key={o}>
              <Link to={`?show=${o}`} aria-current={show === o ? "page" : undefined}>
                {OUTCOME_WORDS[o].label} ({n(c[o])})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <RowsTable rows={rows} show={show} committed={imp.status === "COMMITTED"} />
      <Pager page={rows.page} pageCount={rows.pageCount} params={{ show }} label="Pages of rows" />

      {ready ? (
        <Form method="post" className="panel">
          <h2>Commit</h2>
          <p>
            Writes {n(c.NEW)} new people, {n(c.UPDATED)} updates and {n(c.membershipsAdded + c.membershipsEnded + c.membershipsRetitled)} membership
            changes in one step. Rows held for review are not written; they wait in the duplicates queue.
          </p>
          <div className="actions">
            {blocked ? null : <SubmitButton name="intent" value="commit">Commit this import</SubmitButton>}
            <SubmitButton name="intent" value="discard" className="secondary">Discard</SubmitButton>
          </div>
        </Form>
      ) : null}
    </>
  );
}

function RowsTable({ rows, show, committed }: { rows: RowsPage; show: string; committed: boolean }) {
  const words = OUTCOME_WORDS[show];
  if (rows.total === 0) return <p>No rows are {words?.plural ?? "here"}.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{words?.label ?? show} rows: {n(rows.total)}</caption>
        <thead>
          <tr><th scope="col">File, line</th><th scope="col">District ID</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Kind</th><th scope="col">What happens</th></tr>
        </thead>
        <tbody>
          {rows.rows.map((r) => (
            <tr key={r.id}>
              <td>{r.file}, {r.line}</td>
              <td>{r.districtId ?? "—"}</td>
              <td>
                {r.personId && (show !== "NEW" || committed) && show !== "IGNORED" ? <Link to={`/people/${r.personId}`}>{r.firstName} {r.lastName}</Link> : `${r.firstName} ${r.lastName}`}
              </td>
              <td>{r.email ?? "—"}</td>
              <td>{r.kind === "STUDENT" ? "Student" : r.kind === "STAFF" ? "Staff" : "—"}</td>
              <td>
                <OutcomeTag tone={words?.tone ?? "muted"}>{words?.label ?? show}</OutcomeTag>
                {r.reason ? <> {r.reason}</> : null}
                {r.changes.length ? <ul>{r.changes.map((ch) => <li key={ch}>{ch}</li>)}</ul> : null}
                {r.reviewState ? <> ({r.reviewState === "OPEN" ? "waiting for a decision" : r.reviewState === "ACCEPTED" ? "accepted" : "left unwritten"})</> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Import not found", body: "There is no directory import with this address." } }} />;
}
