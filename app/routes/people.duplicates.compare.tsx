import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { CompareIntentSchema, parseCompareQuery } from "~/forms/person";
import { fieldErrorsOf } from "~/utils/forms";
import { getPersonRecord } from "~/models/people-directory.server";
import { dismissPair, isDismissed } from "~/models/duplicates.server";
import { mergePeople, MergeRefused } from "~/models/person-merge.server";
import { decideHeldRow, getHeldRow, ReviewRefused } from "~/models/directory-review.server";
import { formatSchoolYear } from "~/domain/school-year";
import { ComparedPerson } from "~/components/person-compare";
import { FormErrorSummary, SubmitButton } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Compare records · Likely duplicates" }];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const parsed = parseCompareQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors }, { status: 400 });
  const { query } = parsed;
  if (query.kind === "pair") {
    const [a, b] = await Promise.all([getPersonRecord(admin, query.a), getPersonRecord(admin, query.b)]);
    if (!a || !b) throw notFound();
    return { ok: true as const, errors: {}, kind: "pair" as const, a, b, dismissed: await isDismissed(query.a, query.b) };
  }
  const row = await getHeldRow(query.rowId);
  if (!row) throw notFound();
  const person = row.personId ? await getPersonRecord(admin, row.personId) : null;
  return { ok: true as const, errors: {}, kind: "row" as const, row, person };
}

const refused = (message: string) => data({ errors: { form: message } }, { status: 400 });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const parsed = parseCompareQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const intent = CompareIntentSchema.safeParse({ intent: (await request.formData()).get("intent") ?? undefined });
  if (!intent.success) return data({ errors: fieldErrorsOf(intent.error) }, { status: 400 });
  const { query } = parsed;
  try {
    if (query.kind === "pair") {
      const [a, b] = await Promise.all([getPersonRecord(admin, query.a), getPersonRecord(admin, query.b)]);
      if (!a || !b) throw notFound();
      switch (intent.data.intent) {
        case "merge-b-into-a":
        case "merge-a-into-b": {
          const [survivorId, mergedId] = intent.data.intent === "merge-b-into-a" ? [query.a, query.b] : [query.b, query.a];
          const { mergeId } = await mergePeople({ survivorId, mergedId, actorId: admin.id, reason: "compared on the duplicates page" });
          return redirect(`/people/merges/${mergeId}`);
        }
        case "dismiss":
          await dismissPair(query.a, query.b, admin.id);
          return redirect("/people/duplicates");
        default:
          return refused("These buttons are for an import's row; this page compares two records.");
      }
    }
    const row = await getHeldRow(query.rowId);
    if (!row) throw notFound();
    if (intent.data.intent !== "accept-row" && intent.data.intent !== "reject-row") return refused("These buttons are for two records; this page compares an import's row.");
    const decided = await decideHeldRow({ rowId: row.id, decision: intent.data.intent === "accept-row" ? "same" : "different", actorId: admin.id });
    return redirect(decided.personId ? `/people/${decided.personId}` : "/people/duplicates?show=imports");
  } catch (error) {
    if (error instanceof MergeRefused || error instanceof ReviewRefused) return refused(error.message);
    throw error;
  }
}

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p><Link to="/people/duplicates">← Likely duplicates</Link></p>
      <h1>Compare records</h1>
      <FormErrorSummary errors={actionData?.errors ?? d.errors} />
      {!d.ok ? null : d.kind === "pair" ? (
        <>
          <div className="cards">
            <ComparedPerson label="Record A" record={d.a} headingId="record-a" />
            <ComparedPerson label="Record B" record={d.b} headingId="record-b" />
          </div>
          {d.dismissed ? <p className="notice" role="status">Someone said these two are different people; you can still merge them.</p> : null}
          <section className="panel" aria-labelledby="decide">
            <h2 id="decide">Decide</h2>
            <p className="hint">
              A merge keeps both records and everything on them: the merged record points at the one kept, whose names and kind
              stay; it takes the merged record's district ID and email only where it has none. Reach then counts one person. A
              merge can be undone. A user account linked to the merged record stays linked to it.
            </p>
            {d.a.person.mergedInto || d.b.person.mergedInto ? (
              <p className="notice" role="status">One of the two is merged into another record already: compare with the record it was merged into, or undo that merge first.</p>
            ) : (
              <Form method="post" className="actions">
                <SubmitButton name="intent" value="merge-b-into-a">Merge B into A (keep A)</SubmitButton>
                <SubmitButton name="intent" value="merge-a-into-b">Merge A into B (keep B)</SubmitButton>
                <SubmitButton name="intent" value="dismiss" className="secondary">Not the same person</SubmitButton>
              </Form>
            )}
          </section>
        </>
      ) : (
        <>
          <div className="cards">
            <section className="card" aria-labelledby="file-row">
              <h2 id="file-row">The file's row</h2>
              <p className="muted">{d.row.file}, line {d.row.line}; import for {formatSchoolYear(d.row.import.schoolYear)}</p>
              <dl className="facts">
                <dt>Name</dt>
                <dd>{d.row.firstName} {d.row.lastName}</dd>
                <dt>District ID</dt>
                <dd>{d.row.districtId ?? <span className="muted">None</span>}</dd>
                <dt>Email</dt>
                <dd>{d.row.email ?? <span className="muted">None</span>}</dd>
                <dt>Held because</dt>
                <dd>{d.row.reason ?? ""}</dd>
                <dt>Memberships in the file</dt>
                <dd>{d.row.memberships.length === 0 ? "None" : d.row.memberships.map((m) => `${m.schoolName}${m.title ? `, ${m.title}` : ""}`).join("; ")}</dd>
              </dl>
            </section>
            {d.person ? <ComparedPerson label="The record" record={d.person} headingId="held-record" /> : <p>No record to compare with.</p>}
          </div>
          {d.row.reviewState !== "OPEN" ? (
            <p className="notice" role="status">This row was decided already ({d.row.reviewState === "ACCEPTED" ? "written" : "left unwritten"}).</p>
          ) : (
            <section className="panel" aria-labelledby="decide">
              <h2 id="decide">Decide</h2>
              <p className="hint">
                “Same person” writes the file's name, email and kind onto the record (and its district ID, if the record has none), and adds
                the file's memberships for {formatSchoolYear(d.row.import.schoolYear)}.{" "}
                {d.row.idClash
                  ? "“Not the same person” leaves the row unwritten: its district ID belongs to the record, so correct the file or the record."
                  : "“Not the same person” makes the row a new person, with its memberships."}
              </p>
              <Form method="post" className="actions">
                <SubmitButton name="intent" value="accept-row">Same person: apply the file's details</SubmitButton>
                <SubmitButton name="intent" value="reject-row" className="secondary">Not the same person</SubmitButton>
              </Form>
            </section>
          )}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Record not found", body: "One of the records, or the import row, does not exist." } }} />;
}
