import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireSessionAccess } from "~/guards.server";
import { SessionForm } from "~/components/session-form";
import { SessionFormSchema } from "~/forms/session";
import { optionalText, parseForm } from "~/utils/forms";
import { cancelSession, getSessionDetail, SessionInputError, sessionFormOptions, updateSession } from "~/models/training-session.server";
import { dateInZone, timeInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Edit session" }];

const CancelSchema = z.object({ reason: optionalText(500) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const [session, options] = await Promise.all([getSessionDetail(sessionId, user), sessionFormOptions()]);
  if (session.status !== "SCHEDULED") throw redirect(`/sessions/${sessionId}`);
  const tz = getEnv().DISTRICT_TIME_ZONE;
  const defaults: Record<string, string | string[]> = {
    programId: session.programId, title: session.title ?? "", format: session.format, audience: session.audience,
    schoolId: session.schoolId ?? "", siteName: session.siteName ?? "", hostOrganization: session.hostOrganization ?? "",
    capacity: session.capacity?.toString() ?? "", notes: session.notes ?? "",
    leadTrainerId: session.trainers.find((t) => t.role === "LEAD")?.userId ?? "",
    coTrainerIds: session.trainers.filter((t) => t.role === "CO").map((t) => t.userId),
  };
  session.days.forEach((d, i) => {
    defaults[`day${i}Date`] = dateInZone(d.startsAt, tz);
    defaults[`day${i}Start`] = timeInZone(d.startsAt, tz);
    defaults[`day${i}End`] = timeInZone(d.endsAt, tz);
  });
  return { sessionId, defaults, options, chooseLead: user.role === "ADMIN" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const formData = await request.formData();
  try {
    if (formData.get("intent") === "cancel") {
      const parsed = parseForm(formData, CancelSchema);
      if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      await cancelSession(sessionId, user.id, parsed.data.reason);
      return redirect(`/sessions/${sessionId}`);
    }
    const parsed = parseForm(formData, SessionFormSchema);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    await updateSession(sessionId, parsed.data, user, getEnv().DISTRICT_TIME_ZONE);
    return redirect(`/sessions/${sessionId}`);
  } catch (error) {
    if (error instanceof SessionInputError) return data({ errors: { [error.field]: error.message }, values: {} }, { status: 400 });
    throw error;
  }
}

export default function EditSession() {
  const { sessionId, defaults, options, chooseLead } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p><Link to={`/sessions/${sessionId}`}>Back to the session</Link></p>
      <h1>Edit session</h1>
      <SessionForm options={options} defaults={defaults} server={actionData} submitLabel="Save changes" chooseLead={chooseLead}
        dayHint="Days with attendance recorded cannot be removed. Times are in the district's time zone." />
      <section className="panel" aria-labelledby="cancel">
        <h2 id="cancel">Cancel this session</h2>
        <p>Cancelling keeps the record and its roster; nobody can check in and no certificates are issued.</p>
        <Form method="post">
          <div className="field">
            <label htmlFor="cancel-reason">Reason (optional)</label>
            <input id="cancel-reason" name="reason" />
          </div>
          <button type="submit" name="intent" value="cancel" className="danger">Cancel session</button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
