import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { SessionForm } from "~/components/session-form";
import { SessionFormSchema } from "~/forms/session";
import { parseForm } from "~/utils/forms";
import { createSession, SessionInputError, sessionFormOptions } from "~/models/training-session.server";
import { getEnv } from "~/env.server";
import { ownInstructorStatus } from "~/models/instructor-lapse.server";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "New session" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER", "ADMIN");
  // A trainer leads what they create: they see up front whether their instructor certifications cover it.
  const instructor = user.role === "TRAINER" ? await ownInstructorStatus(user.personId, getEnv().DISTRICT_TIME_ZONE) : null;
  return { options: await sessionFormOptions(), chooseLead: user.role === "ADMIN", instructor };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "TRAINER", "ADMIN");
  const parsed = parseForm(await request.formData(), SessionFormSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  if (user.role === "ADMIN" && !parsed.data.leadTrainerId) {
    return data({ errors: { leadTrainerId: "Choose the lead trainer" }, values: {} }, { status: 400 });
  }
  try {
    const session = await createSession(parsed.data, user, getEnv().DISTRICT_TIME_ZONE);
    return redirect(`/sessions/${session.id}`);
  } catch (error) {
    if (error instanceof SessionInputError) return data({ errors: { [error.field]: error.message }, values: {} }, { status: 400 });
    throw error;
  }
}

export default function NewSession() {
  const { options, chooseLead, instructor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>New session</h1>
      <SessionForm
        options={options} defaults={{ format: "IN_PERSON", audience: "STAFF" }} server={actionData} submitLabel="Create session" chooseLead={chooseLead}
        programNotice={instructor ? <InstructorNotice certifications={instructor} /> : null}
      />
    </>
  );
}

type InstructorRow = { programId: string; programCode: string; programName: string; issuedOn: string | Date; expiresOn: string | Date | null; state: "current" | "expired" | "not-yet"; ownCertificate: "current" | "missing" | null };

/** The creating trainer's instructor certifications, so a lapse is seen before the session exists. */
function InstructorNotice({ certifications }: { certifications: InstructorRow[] }) {
  const lapsed = certifications.filter((c) => c.state !== "current" || c.ownCertificate === "missing");
  return (
    <div className={`notice notice-compact${lapsed.length > 0 || certifications.length === 0 ? " notice-warn" : ""}`} id="instructor-status">
      <p><strong>Your instructor certifications</strong></p>
      {certifications.length === 0 ? (
        <p>You have no instructor certification on record. Sessions you lead will show a warning until one is recorded for their program.</p>
      ) : (
        <>
          <ul>
            {certifications.map((c) => (
              <li key={c.programId}>
                {c.programName} ({c.programCode}):{" "}
                {c.state === "current"
                  ? c.expiresOn ? `current, expires on ${formatDate(c.expiresOn)}` : "current, does not expire"
                  : c.state === "expired" ? <strong>expired on {formatDate(c.expiresOn)}</strong> : <strong>in force from {formatDate(c.issuedOn)}</strong>}
                {c.ownCertificate === "missing" ? <>; <strong>no current {c.programCode} certificate of your own</strong> (a {c.programCode} instructor also holds one)</> : null}
              </li>
            ))}
          </ul>
          <p>A session you lead in a program not listed here, or on a day your certification does not cover, will show a warning.</p>
        </>
      )}
    </div>
  );
}
