import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listTrainerDashboard } from "~/models/training-session.server";
import { SessionTable } from "~/components/session-table";
import { CALENDAR_FEED_NOTICES, CalendarFeedPanel } from "~/components/calendar-feed-panel";
import { createOrReplaceCalendarFeed, getCalendarFeedToken, turnOffCalendarFeed } from "~/models/calendar.server";
import { CalendarFeedSchema } from "~/forms/calendar-feed";
import { getEnv } from "~/env.server";

export const meta: MetaFunction = () => [{ title: "My sessions · Trainer" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER");
  const [dashboard, token] = await Promise.all([listTrainerDashboard(user.id), getCalendarFeedToken(user.id)]);
  // The district's own address, never the Host header the request happened to carry (as on /me).
  const base = getEnv().PUBLIC_BASE_URL;
  const feed = token ? { url: `${base}/calendar/${token}`, webcal: `${base.replace(/^https?:/, "webcal:")}/calendar/${token}` } : null;
  return { ...dashboard, feed, instructorPersonId: user.personId };
}

/** The calendar feed's buttons (the sessions the trainer teaches, in their calendar app). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "TRAINER");
  const parsed = CalendarFeedSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ notice: null, error: parsed.error.issues[0]?.message ?? "Choose an action" }, { status: 400 });
  if (parsed.data.intent === "turn-off-feed") await turnOffCalendarFeed(user.id);
  else await createOrReplaceCalendarFeed(user.id, { replace: parsed.data.intent === "replace-feed" });
  return { notice: CALENDAR_FEED_NOTICES[parsed.data.intent], error: null };
}

export default function TrainerHome() {
  const { todays, upcoming, awaitingClose, feed, instructorPersonId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>My sessions</h1>
      <p className="actions"><Link className="button" to="/sessions/new">New session</Link> <Link to="/sessions">All my sessions</Link> <Link to="/trainer/evaluations">My evaluations</Link></p>
      <p>
        {instructorPersonId ? <Link to={`/instructors/${instructorPersonId}`}>Your instructor standing</Link>
          : <span className="muted">Your instructor standing shows here once an administrator links your account to your person record.</span>}
      </p>
      <section className="panel" aria-labelledby="today">
        <h2 id="today">Today</h2>
        <SessionTable caption="Sessions with a day today" sessions={todays} empty="No sessions today." linked />
      </section>
      <section className="panel" aria-labelledby="awaiting">
        <h2 id="awaiting">Waiting to be closed</h2>
        <p className="hint">Closing a session applies the program's completion rule and issues certificates.</p>
        <SessionTable caption="Past sessions not yet closed" sessions={awaitingClose} empty="Every past session is closed." linked />
      </section>
      <section className="panel" aria-labelledby="upcoming">
        <h2 id="upcoming">Upcoming</h2>
        <SessionTable caption="Upcoming sessions you lead or co-train" sessions={upcoming} empty="No upcoming sessions." linked />
      </section>
      {result?.error ? <p className="error-summary" role="alert">{result.error}</p> : null}
      <CalendarFeedPanel feed={feed} notice={result?.notice} />
    </>
  );
}
