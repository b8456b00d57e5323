import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireSessionAccess } from "~/guards.server";
import { getEnv } from "~/env.server";
import { chooseSessionDay } from "~/domain/session-day";
import { getSignInSheet } from "~/models/attendance.server";
import { DayPicker } from "~/components/attendance-sheet";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";
import sheetStyles from "~/styles/sign-in-sheet.css?url";

/** Rows left blank for people who come without being on the roster. */
const BLANK_LINES = 12;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: sheetStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Sign-in sheet: ${data.session.title ?? data.session.program.name}` : "Sign-in sheet" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSessionAccess(request, params.sessionId, "manage");
  const session = await getSignInSheet(sessionId, user);
  const day = chooseSessionDay(session.days, new URL(request.url).searchParams.get("day"), new Date(), getEnv().DISTRICT_TIME_ZONE);
  return { session, day, dayNumber: day ? session.days.indexOf(day) + 1 : 0 };
}

function longDate(value: Date | string, timeZone: string) {
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleDateString("en-US", { weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone });
}

export default function SignInSheetPage() {
  const { session, day, dayNumber } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const lead = session.trainers.filter((t) => t.role === "LEAD").map((t) => t.name);
  const co = session.trainers.filter((t) => t.role === "CO").map((t) => t.name);
  const site = session.school?.name ?? session.siteName ?? (session.format === "VIRTUAL" ? "Virtual" : "—");
  return (
    <div className="sign-in-sheet">
      <p className="no-print"><Link to={`/sessions/${session.id}`}>Back to the session</Link></p>
      <h1>Sign-in sheet: {session.title ?? session.program.name}</h1>
      <div className="no-print">
        <p className="print-hint">
          To print, use your browser’s Print command (Ctrl+P, or ⌘P on a Mac). Only the sheet is printed.
          Afterwards, <Link to={`/sessions/${session.id}/paper${day ? `?day=${day.id}` : ""}`}>enter the signed sheet</Link>.
        </p>
        <DayPicker days={session.days} currentId={day?.id ?? null} timeZone={timeZone} label="Choose the day to print" />
      </div>
      {!day ? (
        <p className="muted">This session has no days yet.</p>
      ) : (
        <>
          <dl className="sheet-facts">
            <dt>Program</dt><dd>{session.program.name}</dd>
            <dt>Date</dt><dd>{longDate(day.startsAt, timeZone)}{session.days.length > 1 ? ` (day ${dayNumber} of ${session.days.length})` : ""}</dd>
            <dt>Time</dt><dd>{formatTime(day.startsAt, timeZone)} – {formatTime(day.endsAt, timeZone)}</dd>
            <dt>Site</dt><dd>{site}</dd>
            <dt>{session.trainers.length > 1 ? "Trainers" : "Trainer"}</dt>
            <dd>{[...lead, ...co].join(", ") || "—"}</dd>
          </dl>
          <section aria-labelledby="roster-heading">
            <h2 id="roster-heading">Roster</h2>
            <div className="table-wrap">
              <table>
                <caption>Sign beside your name. {session.enrollments.length} on the roster.</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Name</th>
                    <th scope="col">District ID</th>
                    <th scope="col">Signature</th>
                  </tr>
                </thead>
                <tbody>
                  {session.enrollments.map((e, i) => (
                    <tr key={e.id}>
                      <td>{i + 1}</td>
                      <th scope="row">{e.name}</th>
                      <td>{e.districtId ?? ""}</td>
                      <td className="signature" />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="walk-in-heading" className="walk-ins">
            <h2 id="walk-in-heading">Not on the roster</h2>
            <div className="table-wrap">
              <table>
                <caption>Print your name. Staff: add your employee ID. Community partners: add your email. Students: your name only.</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Name</th>
                    <th scope="col">Employee ID or email</th>
                    <th scope="col">Signature</th>
                  </tr>
                </thead>
                <tbody>
                  {Array.from({ length: BLANK_LINES }, (_, i) => (
                    <tr key={i}>
                      <td>{session.enrollments.length + i + 1}</td>
                      <td />
                      <td />
                      <td className="signature" />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Session not found", body: "This session does not exist, or it is not one you can see." } }} />;
}
