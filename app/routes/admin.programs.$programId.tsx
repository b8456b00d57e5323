import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { ProgramRulesSchema } from "~/forms/program";
import { parseForm } from "~/utils/forms";
import { getProgram, updateProgramRules } from "~/models/program.server";
import { listAuditFor } from "~/models/audit.server";
import { ProgramForm } from "~/components/program-form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatCount, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.program.name} · Programs` : "Program not found" },
];

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

const FIELD_LABELS: Record<string, string> = {
  name: "name", description: "description", audience: "audience", validityMonths: "validity",
  renewalWindowDays: "renewal window", requiresAttendance: "attendance rule", requiresPostWork: "post-work rule",
  requiresEvaluation: "evaluation rule", maxParticipants: "maximum participants", reminderDays: "reminder days",
  renewalGuidance: "renewal guidance", instructorCoursesPerYear: "instructors' courses a year",
  instructorNeedsCertificate: "instructors' own certificate", active: "active",
};

function changedFields(details: string): string[] {
  try {
    const parsed: unknown = JSON.parse(details);
    return parsed && typeof parsed === "object" ? Object.keys(parsed).map((k) => FIELD_LABELS[k] ?? k) : [];
  } catch {
    return [];
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const program = await getProgram(params.programId ?? "");
  if (!program) throw notFound();
  const url = new URL(request.url);
  const events = await listAuditFor("Program", program.id);
  const history = events.slice(0, 20).map((e) => ({
    id: e.id,
    at: e.createdAt,
    by: e.actor?.name ?? "System",
    what: e.action === "program.create" ? "Created the program" : `Changed ${changedFields(e.details).join(", ") || "nothing"}`,
  }));
  return {
    program,
    history,
    notice: url.searchParams.has("created") ? "Program created." : url.searchParams.has("saved") ? "Rules saved." : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN");
  const program = await getProgram(params.programId ?? "");
  if (!program) throw notFound();
  const parsed = parseForm(await request.formData(), ProgramRulesSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const saved = await updateProgramRules(program.id, parsed.data, user.id);
  if (!saved) throw notFound();
  return redirect(`/admin/programs/${program.id}?saved=1`);
}

export default function EditProgram() {
  const { program, history, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const defaults = {
    name: program.name,
    description: program.description,
    audience: program.audience,
    validityMonths: program.validityMonths?.toString() ?? "",
    renewalWindowDays: program.renewalWindowDays?.toString() ?? "",
    reminderDays: program.reminderDays,
    renewalGuidance: program.renewalGuidance,
    maxParticipants: program.maxParticipants?.toString() ?? "",
    instructorCoursesPerYear: program.instructorCoursesPerYear?.toString() ?? "",
    instructorNeedsCertificate: program.instructorNeedsCertificate,
    requiresAttendance: program.requiresAttendance,
    requiresPostWork: program.requiresPostWork,
    requiresEvaluation: program.requiresEvaluation,
    active: program.active,
  };
  return (
    <>
      <p><Link to="/admin/programs">Back to programs</Link></p>
      <h1>{program.name} ({program.code})</h1>
      {notice && !actionData ? <p className="notice" role="status">{notice}</p> : null}
      <dl className="facts">
        <dt>Sessions</dt>
        <dd>{formatCount(program._count.sessions)}</dd>
        <dt>Certifications issued</dt>
        <dd>{formatCount(program._count.certifications)}</dd>
      </dl>
      <section className="panel" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        <p className="hint">
          A new validity applies to certificates issued from now on; certificates already issued keep their expiry date.
          The renewal window, reminders and completion rule apply at once.
        </p>
        {/* Keyed by the last save, so the fields show the saved values after a redirect. */}
        <ProgramForm key={new Date(program.updatedAt).getTime()} mode="edit" defaults={defaults} server={actionData} submitLabel="Save rules" />
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Change history</h2>
        {history.length === 0 ? (
          <p>No recorded changes.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>The latest changes to this program, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDateTime(h.at, timeZone)}</td>
                    <td>{h.by}</td>
                    <td>{h.what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Program not found", body: "There is no program at this address. It may have been typed wrong." } }} />;
}
