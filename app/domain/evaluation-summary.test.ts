import { describe, expect, it } from "vitest";
import { percent, responseRate, roundToTenth, summariseEvaluations, type EvaluationAnswers } from "./evaluation-summary";

const row = (overall: number, content: number, trainers: number, confidence: number, recommend: boolean | null): EvaluationAnswers =>
  ({ overall, content, trainers, confidence, recommend });

describe("evaluation summaries", () => {
  it("counts responses and averages each rating to one decimal", () => {
    const s = summariseEvaluations([row(5, 4, 5, 3, true), row(4, 4, 5, 4, false), row(4, 3, 4, 4, true)]);
    expect(s.responses).toBe(3);
    expect(s.ratings.overall.average).toBe(4.3); // 13 / 3 = 4.333…
    expect(s.ratings.content.average).toBe(3.7); // 11 / 3 = 3.666…
    expect(s.ratings.trainers.average).toBe(4.7);
    expect(s.ratings.confidence.average).toBe(3.7);
    expect(s.ratings.overall.distribution).toEqual([0, 0, 0, 2, 1]);
    expect(s.ratings.content.distribution).toEqual([0, 0, 1, 2, 0]);
  });

  it("gives the share who would recommend, of those who answered", () => {
    const s = summariseEvaluations([row(5, 5, 5, 5, true), row(5, 5, 5, 5, null), row(3, 3, 3, 3, false), row(4, 4, 4, 4, true)]);
    expect(s.recommend).toEqual({ yes: 2, answered: 3, percent: 67 });
  });

  it("has no averages or share when there are no responses", () => {
    const s = summariseEvaluations([]);
    expect(s.responses).toBe(0);
    expect(s.ratings.trainers).toEqual({ average: null, distribution: [0, 0, 0, 0, 0] });
    expect(s.recommend).toEqual({ yes: 0, answered: 0, percent: null });
  });

  it("ignores a rating outside 1-5 rather than skewing the mean", () => {
    const s = summariseEvaluations([row(5, 5, 5, 5, true), row(0, 5, 5, 5, true), row(9, 5, 5, 5, true)]);
    expect(s.ratings.overall).toEqual({ average: 5, distribution: [0, 0, 0, 0, 1] });
  });

  it("rounds half up at one decimal without floating-point slips", () => {
    expect(roundToTenth(4.45)).toBe(4.5);
    expect(roundToTenth(4.25)).toBe(4.3);
    expect(roundToTenth(4.249)).toBe(4.2);
    expect(roundToTenth(1.05)).toBe(1.1);
    expect(roundToTenth(5)).toBe(5);
  });

  it("gives whole percentages and the response rate against the roster", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 0)).toBeNull();
    expect(responseRate(12, 20)).toBe("12 of 20 enrolled (60%)");
    expect(responseRate(3, 0)).toBe("3");
  });
});
