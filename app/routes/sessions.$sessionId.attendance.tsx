import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { attendanceRefusal, chooseSessionDay } from "~/domain/session-day";
import { dateInZone } from "~/domain/time";
import { attendanceSheetSchema, echoValues } from "~/forms/attendance";
import { getAttendanceSheet, saveAttendanceSheet, sheetRows } from "~/models/attendance.server";
import { AttendanceSheetForm, DayPicker, namedSheetErrors } from "~/components/attendance-sheet";
import { FormErrorSummary } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { parseForm } from "~/utils/forms";
import { useTimeZone } from "~/utils/use-time-zone";
import attendanceStyles from "~/styles/attendance.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: attendanceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Attendance: ${data.session.title ?? data.session.program.name}` : "Attendance" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const { DISTRICT_TIME_ZONE: timeZone } = getEnv();
  const now = new Date();
  const sheet = await getAttendanceSheet(sessionId, user);
  const day = chooseSessionDay(sheet.days, new URL(request.url).searchParams.get("day"), now, timeZone);
  return {
    session: { id: sheet.id, title: sheet.title, status: sheet.status, program: sheet.program },
    days: sheet.days,
    day,
    dayNumber: day ? sheet.days.indexOf(day) + 1 : 0,
    rows: day ? sheetRows(sheet, day.id) : [],
    today: dateInZone(now, timeZone),
    notStarted: day ? attendanceRefusal(day, now, timeZone) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await request.formData();
  const parsed = parseForm(form, attendanceSheetSchema(dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE)));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, saved: null }, { status: 400 });
  const outcome = await saveAttendanceSheet(sessionId, parsed.data, { actorId: user.id, method: "MANUAL" });
  if (!outcome.ok) return data({ errors: outcome.errors, values: echoValues(form), saved: null }, { status: outcome.status });
  return { errors: undefined, values: undefined, saved: outcome.changed };
}

export default function AttendancePage() {
  const { session, days, day, dayNumber, rows, today, notStarted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const editable = session.status === "SCHEDULED";
  const needsSteps = [session.program.requiresPostWork && "post-work", session.program.requiresEvaluation && "the evaluation"].filter(Boolean);
  return (
    <>
      <p><Link to={`/sessions/${session.id}`}>Back to the session</Link></p>
      <h1>Attendance: {session.title ?? session.program.name}</h1>
      <p className="actions">
        <Link className="button secondary" to={`/sessions/${session.id}/paper${day ? `?day=${day.id}` : ""}`}>Enter a paper sign-in sheet</Link>
        <Link className="button secondary" to={`/sessions/${session.id}/check-in${day ? `?day=${day.id}` : ""}`}>QR check-in</Link>
        <Link className="button secondary" to={`/sessions/${session.id}/sign-in-sheet${day ? `?day=${day.id}` : ""}`}>Print a sign-in sheet</Link>
      </p>
      {!editable ? <p className="notice" role="status">This session is {session.status === "CLOSED" ? "closed" : "cancelled"}; reopen it to change attendance.</p> : null}
      {actionData?.saved != null ? (
        <p className="notice" role="status">Saved: {actionData.saved} {actionData.saved === 1 ? "change" : "changes"} recorded.</p>
      ) : null}
      <FormErrorSummary errors={namedSheetErrors(actionData?.errors, rows, dayNumber)} />
      {!day ? (
        <p className="muted">This session has no days yet: add them by editing the session.</p>
      ) : (
        <section className="panel" aria-labelledby="sheet-heading">
          <h2 id="sheet-heading">Day {dayNumber} of {days.length}</h2>
          <DayPicker days={days} currentId={day.id} timeZone={timeZone} label="Choose the day" />
          {needsSteps.length ? (
            <p className="hint">This program also needs {needsSteps.join(" and ")}: enter the date each was done, or leave it blank.</p>
          ) : null}
          {rows.length === 0 ? (
            <p className="muted">Nobody is on the roster yet.</p>
          ) : (
            <AttendanceSheetForm
              day={day} dayNumber={dayNumber} rows={rows} editable={editable} notStarted={notStarted} today={today} timeZone={timeZone}
              requiresPostWork={session.program.requiresPostWork} requiresEvaluation={session.program.requiresEvaluation}
              errors={actionData?.errors} values={actionData?.values} submitLabel="Save attendance"
            />
          )}
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
