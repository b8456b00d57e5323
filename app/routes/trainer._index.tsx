import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listTrainerDashboard } from "~/models/training-session.server";
import { SessionTable } from "~/components/session-table";

export const meta: MetaFunction = () => [{ title: "My sessions · Trainer" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "TRAINER");
  return listTrainerDashboard(user.id);
}

export default function TrainerHome() {
  const { todays, upcoming, awaitingClose } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My sessions</h1>
      <p className="actions"><Link className="button" to="/sessions/new">New session</Link> <Link to="/sessions">All my sessions</Link></p>
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
    </>
  );
}
