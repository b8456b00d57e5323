import { useEffect } from "react";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { chooseSessionDay } from "~/domain/session-day";
import { CheckInControlSchema, WalkInDecisionSchema } from "~/forms/check-in";
import {
  approveWalkIn, checkInExpiry, CheckInError, closeCheckIn, currentCheckInToken, dismissWalkIn, getCheckInScreen, listCheckIns,
  listWalkIns, openCheckIn, WalkInError,
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
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const { DISTRICT_TIME_ZONE: timeZone } = getEnv();
  const now = new Date();
  const url = new URL(request.url);
  const screen = await getCheckInScreen(sessionId);
  const chosen = chooseSessionDay(screen.days, url.searchParams.get("day"), now, timeZone);
  const scheduled = screen.status === "SCHEDULED";
  const token = chosen && scheduled ? currentCheckInToken(chosen, { now }) : null;
  // The district's own address (PUBLIC_BASE_URL), never the Host header: a forged one must not put a
  // stranger's site in the QR code that attendees scan.
  const link = token ? `${getEnv().PUBLIC_BASE_URL}/check-in/${token}` : null;
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
    // What visitors not on the roster typed: only on this screen, which needs manage access.
    walkIns: chosen ? await listWalkIns(sessionId, chosen.id, user, now) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "approve" || intent === "dismiss") {
    const parsed = parseForm(form, WalkInDecisionSchema);
    if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
    try {
      const { dayId } = parsed.data.intent === "approve"
        ? await approveWalkIn(sessionId, parsed.data.walkInId, user)
        : await dismissWalkIn(sessionId, parsed.data.walkInId, user.id);
      return redirect(`/sessions/${sessionId}/check-in?day=${encodeURIComponent(dayId)}`);
    } catch (error) {
      if (error instanceof WalkInError) {
        const errors: Record<string, string> = error.code === "not-found" ? { walkInId: error.message } : { form: error.message };
        return data({ errors }, { status: error.code === "not-found" ? 400 : 409 });
      }
      throw error;
    }
  }
  const parsed = parseForm(form, CheckInControlSchema);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const { intent: control, dayId } = parsed.data;
  try {
    if (control === "open") await openCheckIn(dayId, user.id, { sessionId });
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
  const { session, days, day, dayNumber, link, qrSvg, checkIns, walkIns } = useLoaderData<typeof loader>();
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
          <WalkIns walkIns={walkIns} sessionId={session.id} scheduled={scheduled} timeZone={timeZone} />
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

type WalkInRow = {
  id: string; createdAt: string | Date; dismissed: boolean; knownAs: string | null;
  districtId: string | null; firstName: string | null; lastName: string | null; email: string | null;
};

/** People not on the roster who used the link: approve (enrol and mark present) or dismiss, one click each. */
function WalkIns({ walkIns, sessionId, scheduled, timeZone }: { walkIns: WalkInRow[]; sessionId: string; scheduled: boolean; timeZone: string }) {
  const waiting = walkIns.filter((w) => !w.dismissed);
  const dismissed = walkIns.filter((w) => w.dismissed);
  const rows = (list: WalkInRow[], caption: string) => (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead><tr><th scope="col">Typed at the door</th><th scope="col">Time</th><th scope="col">Decision</th></tr></thead>
        <tbody>
          {list.map((w) => {
            const typed = w.districtId !== null ? `District ID ${w.districtId}` : `${w.firstName ?? ""} ${w.lastName ?? ""}`;
            return (
              <tr key={w.id}>
                <th scope="row">
                  {typed}
                  {w.districtId === null ? <><br /><span className="muted">{w.email}</span></> : null}
                  <br />
                  <span className="hint">
                    {w.districtId === null
                      ? "Approve adds them (a new community partner if no one has this name and email)."
                      : w.knownAs
                        ? <>This ID is {w.knownAs}&apos;s.</>
                        : <>No one you can add has this ID: <Link to={`/sessions/${sessionId}/roster`}>add them on the roster page</Link>, then approve.</>}
                  </span>
                </th>
                <td>{formatTime(new Date(w.createdAt), timeZone)}</td>
                <td>
                  {scheduled ? (
                    <Form method="post" className="actions">
                      <input type="hidden" name="walkInId" value={w.id} />
                      <button type="submit" name="intent" value="approve" aria-label={`Approve ${typed}`}>Approve</button>
                      {!w.dismissed ? <button type="submit" name="intent" value="dismiss" className="secondary" aria-label={`Dismiss ${typed}`}>Dismiss</button> : null}
                    </Form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="panel" aria-labelledby="walk-ins-heading">
      <h2 id="walk-ins-heading">Walk-ins to confirm</h2>
      <p className="walk-in-count" aria-live="polite">{waiting.length === 1 ? "1 walk-in waiting" : `${waiting.length} walk-ins waiting`}</p>
      <p className="hint">People not on the roster who used the link. Nobody is added until you approve: approving adds them to the roster and marks them present.</p>
      {waiting.length ? rows(waiting, "Walk-ins waiting for you, newest first") : null}
      {dismissed.length ? rows(dismissed, "Dismissed walk-ins (still possible to approve)") : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
