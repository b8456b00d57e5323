import { EVALUATION_MESSAGES } from "~/domain/evaluation-messages";
import { EVALUATION_RATINGS, responseRate, type EvaluationSummary } from "~/domain/evaluation-summary";

/** The ratings as a trainer reads them: the English questions of the participant's form. */
const QUESTIONS = EVALUATION_MESSAGES.en.questions;
const SCALE = [1, 2, 3, 4, 5] as const;

const average = (value: number | null) => (value === null ? "—" : value.toFixed(1));

/** Counts, averages (out of 5), how many chose each rating, and the share who would recommend. */
export function EvaluationSummaryTable({ summary, enrolled, caption }: { summary: EvaluationSummary; enrolled: number | null; caption: string }) {
  return (
    <>
      <dl className="facts evaluation-facts">
        <dt>Responses</dt>
        <dd>{enrolled === null ? summary.responses : responseRate(summary.responses, enrolled)}</dd>
        <dt>Would recommend</dt>
        <dd>{summary.recommend.percent === null ? "—" : `${summary.recommend.percent}% (${summary.recommend.yes} of ${summary.recommend.answered} who answered)`}</dd>
      </dl>
      <div className="table-wrap">
        <table className="evaluation-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Statement</th>
              <th scope="col">Average (1-5)</th>
              {SCALE.map((n) => <th scope="col" key={n}><span aria-hidden="true">{n}</span><span className="visually-hidden">Answered {n}</span></th>)}
            </tr>
          </thead>
          <tbody>
            {EVALUATION_RATINGS.map((r) => (
              <tr key={r}>
                <th scope="row">{QUESTIONS[r]}</th>
                <td className="num"><strong>{average(summary.ratings[r].average)}</strong></td>
                {summary.ratings[r].distribution.map((count, i) => <td className="num" key={i}>{count}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Free-text comments, as written; a Spanish one says so for screen readers and translation tools. */
export function EvaluationComments({ comments, headingId, heading }: { comments: Array<{ id: string; text: string; language: string }>; headingId: string; heading: string }) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      {comments.length === 0 ? (
        <p className="muted">No comments.</p>
      ) : (
        <ul className="evaluation-comments">
          {comments.map((c) => (
            <li key={c.id} lang={c.language === "es" ? "es" : "en"}>{c.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
