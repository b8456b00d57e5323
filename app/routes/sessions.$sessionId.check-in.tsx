import { useEffect } from "react";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { chooseSessionDay } from "~/domain/session-day";
import { CheckInControlSchema } from "~/forms/check-in";
import {
  checkInExpiry, CheckInError, closeCheckIn, currentCheckInToken, getCheckInScreen, listCheckIns, openCheckIn,
} from "~/models/check-in.server";
import { dayLabel, DayPicker } from "~/components/attendance-sheet";
import { FormErrorSummary } from "~/components/form";
import { AppErrorBoundary } from "~/components/error-boundary";
import { parseForm } from "~/utils/forms";
import { formatDateTime, formatTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";
import attendanceStyles from "~/styles/attendance.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: attendanceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `QR check-in: ${data.session.title ?? data.session.programName}` : "QR check-in" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const { DISTRICT_TIME_ZONE: timeZone } = getEnv();
  const now = new Date();
  const url = new URL(request.url);
  const screen = await getCheckInScreen(sessionId);
  const chosen = chooseSessionDay(screen.days, url.searchParams.get("day"), now, timeZone);
  const scheduled = screen.status === "SCHEDULED";
  const token = chosen && scheduled ? currentCheckInToken(chosen, { now }) : null;
  // The link is built from the address the trainer reached us by, so it works on this network.
  const link = token ? `${url.origin}/check-in/${token}` : null;
  const qrSvg = link ? await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  const day = chosen
    ? {
        id: chosen.id, startsAt: chosen.startsAt, endsAt: chosen.endsAt, openedAt: chosen.checkInOpenedAt,
        open: chosen.checkInNonce !== null, ended: now >= checkInExpiry(chosen, timeZone), closesAt: checkInExpiry(chosen, timeZone),
      }
    : null;
  return {
    session: { id: screen.id, title: screen.title, status: screen.status, programName: screen.program.name },
    days: screen.days.map((d) => ({ id: d.id, startsAt: d.startsAt, endsAt: d.endsAt })),
    day,
    dayNumber: chosen ? screen.days.indexOf(chosen) + 1 : 0,
    link,
    qrSvg,
    checkIns: chosen ? await listCheckIns(chosen.id) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const parsed = parseForm(await request.formData(), CheckInControlSchema);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const { intent, dayId } = parsed.data;
  try {
    if (intent === "open") await openCheckIn(dayId, user.id, { sessionId });
    else await closeCheckIn(dayId, user.id, { sessionId });
  } catch (error) {
    if (error instanceof CheckInError) {
      return error.code === "not-found"
        ? data({ errors: { dayId: error.message } }, { status: 400 })
        : data({ errors: { form: error.message } }, { status: 409 });
    }
    throw error;
  }
  return redirect(`/sessions/${sessionId}/check-in?day=${encodeURIComponent(dayId)}`);
}

const REFRESH_MS = 10_000;

export default function CheckInScreen() {
  const { session, days, day, dayNumber, link, qrSvg, checkIns } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const revalidator = useRevalidator();
  const live = Boolean(link);
  // With JavaScript the count refreshes itself while check-in is open; without it, the Refresh link does.
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);
  const scheduled = session.status === "SCHEDULED";
  return (
    <>
      <p><Link to={`/sessions/${session.id}`}>Back to the session</Link></p>
      <h1>QR check-in: {session.title ?? session.programName}</h1>
      <FormErrorSummary errors={actionData?.errors} />
      {!scheduled ? <p className="notice" role="status">This session is {session.status === "CLOSED" ? "closed" : "cancelled"}, so check-in is not available.</p> : null}
      {!day ? (
        <p className="muted">This session has no days yet.</p>
      ) : (
        <>
          <DayPicker days={days} currentId={day.id} timeZone={timeZone} label="Choose the day" />
          <section className="panel" aria-labelledby="status-heading">
            <h2 id="status-heading">Day {dayNumber}: {dayLabel(day, timeZone)}</h2>
            {link && qrSvg ? (
              <>
                <p>Check-in is <strong>open</strong>{day.openedAt ? ` since ${formatTime(day.openedAt, timeZone)}` : ""}. It closes by itself at {formatDateTime(day.closesAt, timeZone)}.</p>
                <div className="qr-code" role="img" aria-label="QR code for check-in" dangerouslySetInnerHTML={{ __html: qrSvg }} />
                <p>Or open this link:</p>
                <p className="check-in-link"><code>{link}</code></p>
              </>
            ) : day.open && day.ended ? (
              <p>This day is over, so its check-in link no longer works. Close check-in to tidy up.</p>
            ) : (
              <p>Check-in is <strong>closed</strong>. Open it to show a QR code people scan with their phones to mark themselves present.</p>
            )}
            {scheduled ? (
              <Form method="post" className="actions">
                <input type="hidden" name="dayId" value={day.id} />
                {!day.ended ? (
                  <button type="submit" name="intent" value="open" className={day.open ? "secondary" : undefined}>
                    {day.open ? "Open check-in with a new link" : "Open check-in"}
                  </button>
                ) : null}
                {day.open ? <button type="submit" name="intent" value="close">Close check-in</button> : null}
              </Form>
            ) : null}
            {day.open && !day.ended ? <p className="hint">A new link stops the old one from working (for example if the QR code was shared outside the room).</p> : null}
          </section>
          {checkIns ? (
            <section className="panel" aria-labelledby="who-heading">
              <h2 id="who-heading">Checked in</h2>
              <p className="live-count" aria-live="polite">{checkIns.byQr.length} by QR</p>
              <p>{checkIns.presentCount} marked present on this day in all. <Link to={`?day=${day.id}`}>Refresh</Link> · <Link to={`/sessions/${session.id}/attendance?day=${day.id}`}>Attendance</Link></p>
              {checkIns.byQr.length ? (
                <div className="table-wrap">
                  <table>
                    <caption>People who checked in by QR on day {dayNumber}, newest first</caption>
                    <thead><tr><th scope="col">Name</th><th scope="col">Time</th></tr></thead>
                    <tbody>
                      {checkIns.byQr.map((c) => (
                        <tr key={c.id}><th scope="row">{c.name}</th><td>{formatTime(c.recordedAt, timeZone)}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </section>
          ) : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
