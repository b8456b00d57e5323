/**
 * The arithmetic of session evaluation summaries: counts, averages of the 1-5 ratings, how many
 * chose each rating, and the share who would recommend the course. Pure; the model gathers the rows.
 */
export const EVALUATION_RATINGS = ["overall", "content", "trainers", "confidence"] as const;
export type EvaluationRating = (typeof EVALUATION_RATINGS)[number];
export const RATING_MIN = 1;
export const RATING_MAX = 5;

export type EvaluationAnswers = Record<EvaluationRating, number> & { recommend: boolean | null };

export type RatingSummary = {
  /** Mean to one decimal place (4.25 → 4.3), or null when there are no answers. */
  average: number | null;
  /** How many answered 1, 2, 3, 4 and 5, in that order. */
  distribution: [number, number, number, number, number];
};

export type EvaluationSummary = {
  responses: number;
  ratings: Record<EvaluationRating, RatingSummary>;
  /** Of those who answered the question (a blank is not a "no"). */
  recommend: { yes: number; answered: number; percent: number | null };
};

/** Rounds half away from zero to one decimal, without the floating-point slip of Math.round(x * 10) / 10 on 4.45. */
export function roundToTenth(value: number): number {
  const sign = value < 0 ? -1 : 1;
  return (sign * Math.round(Number((Math.abs(value) * 10).toPrecision(12)))) / 10;
}

/** A whole-number percentage, or null when nobody answered. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

function summariseRating(values: readonly number[]): RatingSummary {
  const distribution: RatingSummary["distribution"] = [0, 0, 0, 0, 0];
  let sum = 0;
  let count = 0;
  for (const v of values) {
    // Out-of-range values cannot be written (the form refuses them); ignored rather than skewing the mean.
    if (!Number.isInteger(v) || v < RATING_MIN || v > RATING_MAX) continue;
    distribution[v - RATING_MIN] += 1;
    sum += v;
    count += 1;
  }
  return { average: count ? roundToTenth(sum / count) : null, distribution };
}

export function summariseEvaluations(rows: readonly EvaluationAnswers[]): EvaluationSummary {
  const ratings = Object.fromEntries(EVALUATION_RATINGS.map((r) => [r, summariseRating(rows.map((row) => row[r]))]));
  const answered = rows.filter((r) => r.recommend !== null);
  const yes = answered.filter((r) => r.recommend === true).length;
  return {
    responses: rows.length,
    ratings: {
      overall: ratings.overall, content: ratings.content, trainers: ratings.trainers, confidence: ratings.confidence,
    },
    recommend: { yes, answered: answered.length, percent: percent(yes, answered.length) },
  };
}

/** "12 of 20 enrolled (60%)": responses against the roster; no share when nobody is enrolled. */
export function responseRate(responses: number, enrolled: number): string {
  const share = percent(responses, enrolled);
  return share === null ? `${responses}` : `${responses} of ${enrolled} enrolled (${share}%)`;
}
