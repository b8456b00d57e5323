import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { getEnv } from "~/env.server";
import { reminderOverview, runReminderPass, transportFromEnv } from "~/models/reminders.server";
import { runInstructorReminderPass } from "~/models/instructor-reminders.server";
import { formatCount, formatDate, formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction = () => [{ title: "Renewal reminders · Administration" }];

const STATUS_LABELS = {
  PENDING: "Waiting to send",
  SENDING: "Being sent",
  SENT: "Sent or recorded",
  FAILED: "Failed",
  SKIPPED: "Skipped",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const overview = await reminderOverview();
  return { ...overview, channel: getEnv().SMTP_URL ? ("smtp" as const) : ("outbox" as const), scheduleMinutes: getEnv().REMINDER_SCHEDULE_MINUTES ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "ADMIN");
  const form = await request.formData();
  if (form.get("intent") !== "run") return data({ summary: null, instructors: null, error: "Unknown action." }, { status: 400 });
  const transport = transportFromEnv();
  // The same pass as the schedule's: renewal reminders, then instructors short of the courses-a-year rule.
  const summary = await runReminderPass({ transport });
  const instructors = await runInstructorReminderPass({ transport });
  return { summary, instructors, error: null };
}

export default function AdminReminders() {
  const { counts, failed, failedTotal, maxAttempts, channel, scheduleMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const timeZone = useTimeZone();
  const running = navigation.state === "submitting" && navigation.formData?.get("intent") === "run";
  return (
    <>
      <h1>Renewal reminders</h1>
      <p className="muted">
        Reminders go out before a certificate expires, on the days each program sets.{" "}
        {channel === "smtp" ? "Emails are sent through the SMTP server." : <>No SMTP server is set up: emails are kept in the <Link to="/admin/outbox">outbox</Link>.</>}{" "}
        {scheduleMinutes ? (
          `The server runs a pass every ${scheduleMinutes} minutes.`
        ) : (
          <>The server does not run passes on its own: schedule <code>npm run reminders</code> (cron), or run one here.</>
        )}
      </p>

      <section className="panel" aria-labelledby="run-heading">
        <h2 id="run-heading">Run a pass</h2>
        <p>
          A pass sends every reminder that is due and not yet sent: renewal reminders, and reminders to instructors short of
          their program's courses-a-year rule. It is safe to run at any time: nobody gets a reminder twice.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="run" />
          <button type="submit" disabled={running}>{running ? "Running…" : "Run a pass now"}</button>
        </Form>
        {result?.error ? <p className="field-error" role="alert">{result.error}</p> : null}
        {result?.summary ? (
          <div role="status">
            <h3>Pass finished</h3>
            <dl className="facts">
              <dt>For the day</dt>
              <dd>{formatDate(result.summary.today)}</dd>
              <dt>Certificates checked</dt>
              <dd>{formatCount(result.summary.candidates)}</dd>
              <dt>Reminders created</dt>
              <dd>{formatCount(result.summary.created)}</dd>
              <dt>Sent</dt>
              <dd>{formatCount(result.summary.sent)} ({formatCount(result.summary.withoutEmail)} recorded without an email)</dd>
              <dt>Failed</dt>
              <dd>{formatCount(result.summary.failed)}</dd>
              <dt>Skipped</dt>
              <dd>{formatCount(result.summary.skipped)}</dd>
              <dt>Took</dt>
              <dd>{(result.summary.durationMs / 1000).toFixed(1)} seconds</dd>
            </dl>
            {result.instructors ? (
              <>
                <h3>Instructors short of the courses-a-year rule</h3>
                <dl className="facts">
                  <dt>Current instructors checked</dt>
                  <dd>{formatCount(result.instructors.candidates)} ({formatCount(result.instructors.short)} short this certification year)</dd>
                  <dt>Reminders created</dt>
                  <dd>{formatCount(result.instructors.created)}</dd>
                  <dt>Sent</dt>
                  <dd>{formatCount(result.instructors.sent)} ({formatCount(result.instructors.withoutEmail)} recorded without an email)</dd>
                  <dt>Failed</dt>
                  <dd>{formatCount(result.instructors.failed)}</dd>
                  <dt>Skipped</dt>
                  <dd>{formatCount(result.instructors.skipped)}</dd>
                </dl>
              </>
            ) : null}
          </div>
        ) : null}
      </section>

      <div className="table-wrap panel">
        <table>
          <caption>Reminders by status</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" className="num">Reminders</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={c.status}>
                <th scope="row">{STATUS_LABELS[c.status]}</th>
                <td className="num">{formatCount(c.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="panel" aria-labelledby="failed-heading">
        <h2 id="failed-heading">Failed reminders</h2>
        {failed.length === 0 ? (
          <p className="muted">No reminder has failed.</p>
        ) : (
          <>
            <p>
              A failed reminder is tried again by the next pass, up to {maxAttempts} attempts in all, for as long as it is at most 14 days late.
              After that it stays here: fix the address or the mail settings, and tell the person.
            </p>
            <div className="table-wrap">
              <table>
                <caption>
                  {failedTotal > failed.length ? `The ${failed.length} most recent of ${formatCount(failedTotal)} failed reminders` : `${failed.length} failed reminder${failed.length === 1 ? "" : "s"}`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Email</th>
                    <th scope="col">Certificate</th>
                    <th scope="col">Reminder</th>
                    <th scope="col" className="num">Attempts</th>
                    <th scope="col">Last tried</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {failed.map((r) => (
                    <tr key={r.id}>
                      <td>{r.certification.person.lastName}, {r.certification.person.firstName}</td>
                      <td>{r.certification.person.email ?? <span className="muted">none</span>}</td>
                      <td>{r.certification.program.name}, expires {formatDate(r.certification.expiresOn)}</td>
                      <td>{r.daysBefore === 0 ? "On expiry" : `${r.daysBefore} days before`}, due {formatDate(r.dueOn)}</td>
                      <td className="num">
                        {r.attempts}
                        {r.attempts >= maxAttempts ? <> <span className="tag tag-danger">gave up</span></> : null}
                      </td>
                      <td>{r.claimedAt ? formatDateTime(r.claimedAt, timeZone) : "—"}</td>
                      <td><code>{r.lastError ?? "—"}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}
