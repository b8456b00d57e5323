import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getMemberReminderSettings, listJoinableSessions, listMemberCertificates, listMemberSessions } from "~/models/member.server";
import { listRemindersForPerson } from "~/models/reminders.server";
import { getEnv } from "~/env.server";
import { createUnsubscribeToken } from "~/domain/unsubscribe-token";
import { createOrReplaceCalendarFeed, getCalendarFeedToken, turnOffCalendarFeed } from "~/models/calendar.server";
import { CalendarFeedSchema } from "~/forms/calendar-feed";
import { CertificationStatusTag } from "~/components/status-tag";
import { formatDate, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "My trainings" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const token = await getCalendarFeedToken(user.id);
  // The district's own address, never the Host header the request happened to carry.
  const base = getEnv().PUBLIC_BASE_URL;
  const feed = token ? { url: `${base}/calendar/${token}`, webcal: `${base.replace(/^https?:/, "webcal:")}/calendar/${token}` } : null;
  if (!user.personId) return { linked: false as const, certificates: [], sessions: [], joinable: [], reminders: [], reminderEmails: null, feed };
  const personId = user.personId;
  const [certificates, sessions, reminders, settings] = await Promise.all([
    listMemberCertificates(personId),
    listMemberSessions(personId),
    listRemindersForPerson(personId),
    getMemberReminderSettings(personId),
  ]);
  // Sessions to join, for programs where the member needs to renew or retake.
  const programs = new Map(certificates.filter((c) => c.guidance.suggestSessions).map((c) => [c.programId, c.programName]));
  const byProgram = await listJoinableSessions([...programs.keys()], personId);
  const joinable = [...programs].map(([programId, programName]) => ({ programId, programName, sessions: byProgram[programId] ?? [] }));
  return {
    linked: true as const,
    certificates: certificates.map(({ verificationCode, ...c }) => ({
      ...c,
      pdfPath: `/me/certificates/${c.id}/pdf`,
      checkPath: `/verify/${verificationCode}`,
      // A renewal deadline to remember: only while the certificate is the member's current one.
      icsPath: c.expiresOn && (c.status === "active" || c.status === "renewal-window") ? `/me/certificates/${c.id}/ics` : null,
    })),
    sessions,
    joinable,
    reminders,
    // The same signed link as in the emails: the member turns reminder emails off or on there.
    reminderEmails: settings
      ? {
          address: settings.email?.trim() || null,
          off: settings.remindersOptOutAt != null,
          managePath: `/reminders/unsubscribe/${createUnsubscribeToken(personId, getEnv().sessionSecrets[0])}`,
        }
      : null,
    feed,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const parsed = CalendarFeedSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ notice: null, error: parsed.error.issues[0]?.message ?? "Choose an action" }, { status: 400 });
  switch (parsed.data.intent) {
    case "create-feed":
      await createOrReplaceCalendarFeed(user.id, { replace: false });
      return { notice: "Your calendar feed address is ready. Add it to your calendar app.", error: null };
    case "replace-feed":
      await createOrReplaceCalendarFeed(user.id, { replace: true });
      return { notice: "Your calendar feed has a new address. The old address no longer works: update your calendar app.", error: null };
    case "turn-off-feed":
      await turnOffCalendarFeed(user.id);
      return { notice: "Your calendar feed is turned off. Its address no longer works.", error: null };
  }
}

/** How a reminder reached the member, in words. */
function reminderDelivery(status: string, channel: string | null): string {
  if (status === "SENT") return channel === "none" ? "Shown here only (not emailed)" : "Emailed to you";
  if (status === "FAILED") return "The email could not be sent";
  return "Being sent";
}

export default function MyTrainings() {
  const { linked, certificates, sessions, joinable, reminders, reminderEmails, feed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const timeZone = useTimeZone();
  return (
    <>
      <h1>My trainings</h1>
      {result?.notice ? <p className="notice" role="status">{result.notice}</p> : null}
      {result?.error ? <p className="error-summary" role="alert">{result.error}</p> : null}
      {!linked ? (
        <p className="notice">Your account is not linked to a person record yet. Ask an administrator to link it using your district ID.</p>
      ) : null}

      <section className="panel" aria-labelledby="certs">
        <h2 id="certs">My certificates</h2>
        {certificates.length === 0 ? (
          <p className="muted">No certificates yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Certificates you hold or held, and what to do next</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Issued on</th>
                  <th scope="col">Expires on</th>
                  <th scope="col">Status</th>
                  <th scope="col">What to do next</th>
                  <th scope="col">Certificate</th>
                </tr>
              </thead>
              <tbody>
                {certificates.map((c) => {
                  const which = `${c.programName} certificate issued ${formatDate(c.issuedOn)}`;
                  return (
                    <tr key={c.id}>
                      <th scope="row">{c.programName}</th>
                      <td>{formatDate(c.issuedOn)}</td>
                      <td>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</td>
                      <td>
                        <CertificationStatusTag status={c.status} />
                      </td>
                      <td>
                        {c.guidance.summary}
                        {c.guidance.programGuidance ? <p className="hint">{c.guidance.programGuidance}</p> : null}
                      </td>
                      <td>
                        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                          <li>
                            <a href={c.pdfPath} aria-label={`Download PDF: ${which}`} download>
                              Download PDF
                            </a>
                          </li>
                          <li>
                            <a href={c.checkPath} aria-label={`Public check: ${which}`}>
                              Public check
                            </a>
                          </li>
                          {c.icsPath ? (
                            <li>
                              <a href={c.icsPath} aria-label={`Add renewal deadline to calendar (.ics): ${which}`}>
                                Add renewal deadline to calendar (.ics)
                              </a>
                            </li>
                          ) : null}
                        </ul>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {joinable.length > 0 ? (
        // id "upcoming": reminder emails link to /me#upcoming.
        <section className="panel" aria-labelledby="upcoming">
          <h2 id="upcoming">Sessions you can join</h2>
          <p>To take one of these sessions, ask your school coordinator or the program's trainers to enroll you.</p>
          {joinable.map((p) => (
            <section key={p.programId} aria-labelledby={`join-${p.programId}`}>
              <h3 id={`join-${p.programId}`}>{p.programName}</h3>
              {p.sessions.length === 0 ? (
                <p className="muted">No {p.programName} session is scheduled yet.</p>
              ) : (
                <ul>
                  {p.sessions.map((s) => (
                    <li key={s.id}>
                      {formatDateTime(s.firstDay, timeZone)} — {s.where}
                      {s.dayCount > 1 ? ` (${s.dayCount} days)` : ""}
                      {s.title ? `: ${s.title}` : ""}
                      {s.enrolled ? <strong> (you are enrolled)</strong> : null}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </section>
      ) : null}

      {linked ? (
        <section className="panel" aria-labelledby="reminders">
          <h2 id="reminders">Renewal reminders</h2>
          {reminderEmails ? (
            <p>
              {reminderEmails.address == null
                ? "We have no email address for you, so your renewal reminders appear only here. "
                : reminderEmails.off
                  ? "Reminder emails are off: your renewal reminders appear only here. "
                  : `We email renewal reminders to ${reminderEmails.address} before a certificate expires, and list them here. `}
              {reminderEmails.address != null ? (
                <a href={reminderEmails.managePath}>{reminderEmails.off ? "Turn reminder emails back on" : "Stop reminder emails"}</a>
              ) : null}
            </p>
          ) : null}
          {reminders.length === 0 ? (
            <p className="muted">No renewal reminder has been sent to you yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>Reminders about your certificates, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Certificate</th>
                    <th scope="col">Reminder</th>
                    <th scope="col">Sent</th>
                    <th scope="col">How</th>
                  </tr>
                </thead>
                <tbody>
                  {reminders.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        {r.programName}, expires {formatDate(r.expiresOn)}
                      </th>
                      <td>{r.daysBefore === 0 ? "On the day it expires" : `${r.daysBefore} ${r.daysBefore === 1 ? "day" : "days"} before it expires`}</td>
                      <td>{r.sentAt ? formatDateTime(r.sentAt, timeZone) : `Due ${formatDate(r.dueOn)}`}</td>
                      <td>{reminderDelivery(r.status, r.channel)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="sessions">
        <h2 id="sessions">My sessions</h2>
        {sessions.length === 0 ? (
          <p className="muted">You are not enrolled in any session.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Sessions you are enrolled in</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Session</th>
                  <th scope="col">Where</th>
                  <th scope="col">First day</th>
                  <th scope="col" className="num">Days</th>
                  <th scope="col">Status</th>
                  <th scope="col">Calendar</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.programName}</th>
                    <td>{s.title ?? "—"}</td>
                    <td>{s.where}</td>
                    <td>{s.firstDay ? formatDateTime(s.firstDay, timeZone) : "—"}</td>
                    <td className="num">{s.dayCount}</td>
                    <td>{s.status === "SCHEDULED" ? "Scheduled" : s.status === "CLOSED" ? "Completed" : "Cancelled"}</td>
                    <td>
                      {s.dayCount > 0 ? (
                        <a href={`/me/sessions/${s.id}/ics`} aria-label={`Add to calendar (.ics): ${s.programName} session${s.firstDay ? ` starting ${formatDateTime(s.firstDay, timeZone)}` : ""}`}>
                          Add to calendar (.ics)
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {linked ? (
        <section className="panel" aria-labelledby="feed">
          <h2 id="feed">Calendar feed</h2>
          <p>
            A calendar feed keeps your upcoming sessions and renewal dates in Outlook, Google Calendar or Apple Calendar, and updates them by
            itself. Anyone who has the address can see those dates, so keep it private. If it leaks, replace it: the old address stops
            working.
          </p>
          {feed ? (
            <>
              <div className="field">
                <label htmlFor="feed-url">Your feed address</label>
                <p id="feed-url-hint" className="hint">
                  Copy it into your calendar app (in Google Calendar: Other calendars, From URL; in Outlook: Add calendar, Subscribe from web).
                </p>
                <input id="feed-url" type="text" readOnly value={feed.url} aria-describedby="feed-url-hint" onFocus={(e) => e.currentTarget.select()} />
              </div>
              <p>
                <a href={feed.webcal}>Open in your calendar app</a>
              </p>
              <Form method="post" className="actions">
                <button type="submit" name="intent" value="replace-feed" className="secondary">
                  Replace the address
                </button>
                <button type="submit" name="intent" value="turn-off-feed" className="danger">
                  Turn off the feed
                </button>
              </Form>
            </>
          ) : (
            <Form method="post" className="actions">
              <button type="submit" name="intent" value="create-feed">
                Create my feed address
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
