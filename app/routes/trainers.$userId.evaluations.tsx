import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/session.server";
import { getTrainerEvaluations, requireTrainerEvaluationsAccess } from "~/models/evaluations.server";
import { EvaluationComments, EvaluationSummaryTable } from "~/components/evaluation-summary";
import { EVALUATION_RATINGS } from "~/domain/evaluation-summary";
import { AppErrorBoundary } from "~/components/error-boundary";
import { useTimeZone } from "~/utils/use-time-zone";
import evaluationStyles from "~/styles/evaluation.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: evaluationStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Evaluations: ${data.trainer.name}` : "Evaluations" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  // The trainer themselves, program leads and administrators; anyone else a 404.
  const trainer = await requireTrainerEvaluationsAccess(viewer, params.userId);
  const evaluations = await getTrainerEvaluations(trainer.id);
  return { trainer: { id: trainer.id, name: trainer.name }, own: trainer.id === viewer.id, ...evaluations };
}

const LABELS = { overall: "Overall", content: "Content", trainers: "Trainers", confidence: "Confidence" } as const;
const average = (value: number | null) => (value === null ? "—" : value.toFixed(1));

export default function TrainerEvaluations() {
  const { trainer, own, sessions, total, enrolled } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const dayOf = (value: string | Date) => new Date(value).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone });
  return (
    <>
      <p>{own ? <Link to="/trainer">My sessions</Link> : <Link to="/sessions">All sessions</Link>}</p>
      <h1>{own ? "My evaluations" : `Evaluations: ${trainer.name}`}</h1>
      <p className="hint">Participants&apos; answers to the evaluation form of every session {own ? "you" : "this trainer"} led or co-led. The answers are anonymous.</p>
      {sessions.length === 0 ? (
        <p className="muted">No evaluations yet.</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="totals">
            <h2 id="totals">All sessions</h2>
            <EvaluationSummaryTable summary={total} enrolled={enrolled} caption={`Ratings over ${sessions.length} ${sessions.length === 1 ? "session" : "sessions"}, from 1 (strongly disagree) to 5 (strongly agree)`} />
          </section>
          <section className="panel" aria-labelledby="per-session">
            <h2 id="per-session">By session</h2>
            <div className="table-wrap">
              <table className="evaluation-table">
                <caption>Average ratings per session, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Session</th>
                    <th scope="col">Last day</th>
                    <th scope="col">Role</th>
                    <th scope="col">Responses</th>
                    {EVALUATION_RATINGS.map((r) => <th scope="col" key={r}>{LABELS[r]}</th>)}
                    <th scope="col">Would recommend</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s) => (
                    <tr key={s.id}>
                      <th scope="row"><Link to={`/sessions/${s.id}/evaluation`}>{s.title ?? `${s.programName} session`}</Link></th>
                      <td>{s.lastDayStartsAt ? dayOf(s.lastDayStartsAt) : "—"}</td>
                      <td>{s.role === "LEAD" ? "Lead" : "Co-trainer"}</td>
                      <td className="num">{s.summary.responses} of {s.enrolled}</td>
                      {EVALUATION_RATINGS.map((r) => <td className="num" key={r}>{average(s.summary.ratings[r].average)}</td>)}
                      <td className="num">{s.summary.recommend.percent === null ? "—" : `${s.summary.recommend.percent}%`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel" aria-labelledby="comments">
            <h2 id="comments">Comments</h2>
            {sessions.map((s) => (
              <EvaluationComments key={s.id} comments={s.comments} headingId={`comments-${s.id}`} heading={s.title ?? `${s.programName} session`} />
            ))}
          </section>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary messages={{ 404: { title: "Page not found", body: "There is no such trainer, or their evaluations are not yours to see." } }} />;
}
