import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getMerge, MergeRefused, undoMerge } from "~/models/person-merge.server";
import { FormErrorSummary, SubmitButton } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "Merge · People" }];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/** One merge: what it did, and undo. Administrators only, like merging. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const merge = await getMerge(params.mergeId ?? "");
  if (!merge) throw notFound();
  return { merge };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const mergeId = params.mergeId ?? "";
  if (!(await getMerge(mergeId))) throw notFound();
  const intent = (await request.formData()).get("intent");
  if (intent !== "undo") return data({ errors: { form: "Choose “Undo this merge”." } }, { status: 400 });
  try {
    await undoMerge({ mergeId, actorId: admin.id });
  } catch (error) {
    if (error instanceof MergeRefused) return data({ errors: { form: error.message } }, { status: 400 });
    throw error;
  }
  return redirect(`/people/merges/${mergeId}`);
}

export default function MergePage() {
  const { merge } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const survivor = `${merge.survivor.firstName} ${merge.survivor.lastName}`;
  const merged = `${merge.merged.firstName} ${merge.merged.lastName}`;
  return (
    <>
      <p><Link to="/people/duplicates">← Likely duplicates</Link></p>
      <h1>Merge of {merged} into {survivor}</h1>
      <FormErrorSummary errors={actionData?.errors} />
      {merge.undoneAt ? (
        <p className="notice" role="status">Undone {formatDateTime(merge.undoneAt, timeZone)} by {merge.undoneBy}: the two records are separate again.</p>
      ) : (
        <p className="notice" role="status">Merged: {merged}'s record is kept, with everything on it, and points at {survivor}'s.</p>
      )}
      <section className="panel" aria-labelledby="what">
        <h2 id="what">What the merge did</h2>
        <dl className="facts">
          <dt>Record kept</dt>
          <dd><Link to={`/people/${merge.survivor.id}`}>{survivor}</Link></dd>
          <dt>Record merged into it</dt>
          <dd><Link to={`/people/${merge.merged.id}`}>{merged}</Link></dd>
          <dt>When, by whom</dt>
          <dd>{formatDateTime(merge.createdAt, timeZone)}, {merge.mergedBy}</dd>
          <dt>Why</dt>
          <dd>{merge.reason || <span className="muted">Not given</span>}</dd>
          <dt>Copied onto the record kept</dt>
          <dd>
            {[merge.copied.districtId ? `district ID ${merge.copied.districtId}` : null, merge.copied.email ? `email ${merge.copied.email}` : null].filter(Boolean).join(", ") ||
              <span className="muted">Nothing</span>}
          </dd>
          <dt>Earlier merges re-pointed</dt>
          <dd>{merge.copied.repointed === 0 ? <span className="muted">None</span> : `${merge.copied.repointed} record(s) merged into ${merged} before now point at ${survivor}`}</dd>
        </dl>
        {merge.undoneAt ? null : (
          <Form method="post" className="actions">
            <SubmitButton name="intent" value="undo" className="secondary">Undo this merge</SubmitButton>
            <span className="hint">Makes {merged}'s record separate again and gives back what was copied, unless it was changed since.</span>
          </Form>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Merge not found", body: "There is no merge at this address." } }} />;
}
