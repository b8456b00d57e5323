import { describe, expect, it } from "vitest";
import {
  goalLineByMonth, lastTwelveMonthsFrom, monthEnd, monthHasStarted, parseAsOf, parseScopePeriod, schoolYearStartFrom, scopePeriodParams,
} from "./goals";
import { goalLineOn, goalPace, monthsBetween, PACE_WINDOW_DAYS } from "./reach";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const TODAY = new Date("2026-03-01T15:30:00Z");
const parse = (query: string, from = lastTwelveMonthsFrom) => parseScopePeriod(new URLSearchParams(query), TODAY, from);

describe("goalPace: where a goal stands", () => {
  // 1 Mar 2026, deadline 1 Jun 2026: 92 days left; the window is the 90 days since 1 Dec 2025.
  const people = { measure: "PEOPLE_TRAINED" as const, target: 100, startsOn: d("2025-09-01"), deadline: d("2026-06-01"), asOf: d("2026-03-01") };

  it("is on track when the last 90 days' pace, kept up, reaches the target by the deadline", () => {
    // 40 then, 70 now: 30 in 90 days, so 30.7 more in 92 days lands on 100.7.
    const pace = goalPace({ ...people, value: 70, valueWindowAgo: 40 });
    expect(pace.status).toBe("on-track");
    expect(pace.daysLeft).toBe(92);
    expect(pace.currentPer30Days).toBeCloseTo(10, 10);
    expect(pace.neededPer30Days).toBeCloseTo((30 / 92) * 30, 10);
    expect(pace.projectedAtDeadline).toBeCloseTo(70 + (30 / 90) * 92, 10);
    expect(pace.progress).toBeCloseTo(0.7, 10);
    expect(pace.remaining).toBe(30);
  });

  it("is at risk when the pace falls short, however close the total", () => {
    // 29 in 90 days lands on 69 + 29.6 = 98.6: short of 100.
    const pace = goalPace({ ...people, value: 69, valueWindowAgo: 40 });
    expect(pace.status).toBe("at-risk");
    expect(pace.projectedAtDeadline).toBeLessThan(100);
  });

  it("is reached once the value meets the target, whatever the pace", () => {
    const pace = goalPace({ ...people, value: 100, valueWindowAgo: 100 });
    expect(pace.status).toBe("reached");
    expect(pace.progress).toBe(1);
    expect(pace.neededPer30Days).toBeNull();
  });

  it("is missed after the deadline, and the pace is read over the 90 days before the deadline", () => {
    const pace = goalPace({ ...people, asOf: d("2026-08-01"), value: 80, valueWindowAgo: 50 });
    expect(pace.status).toBe("missed");
    expect(pace.daysLeft).toBe(0);
    expect(pace.currentPer30Days).toBeCloseTo(10, 10);
    expect(pace.projectedAtDeadline).toBe(80);
  });

  it("uses the days since the start when the goal began less than 90 days ago", () => {
    // Started 1 Feb: 28 days; 14 people then (the start day's value 0) means 15 per 30 days.
    const pace = goalPace({ ...people, startsOn: d("2026-02-01"), value: 14, valueWindowAgo: 0 });
    expect(pace.currentPer30Days).toBeCloseTo(15, 10);
    expect(PACE_WINDOW_DAYS).toBe(90);
  });

  it("has not started before its start day, and needs no headcount to say so", () => {
    const pace = goalPace({ ...people, startsOn: d("2026-04-01"), value: null, valueWindowAgo: null });
    expect(pace.status).toBe("not-started");
    expect(pace.progress).toBeNull();
    // 100 people over the 61 days from 1 Apr to 1 Jun.
    expect(pace.neededPer30Days).toBeCloseTo((100 / 61) * 30, 10);
  });

  it("has no data for a reach goal without a headcount (never 0% or NaN)", () => {
    const pace = goalPace({ ...people, measure: "STAFF_REACH", target: 25, value: null, valueWindowAgo: null });
    expect(pace.status).toBe("no-data");
    expect(pace.progress).toBeNull();
  });

  it("judges staff reach in percentage points: from 10% to 16% in 90 days is 2 points per 30 days", () => {
    const reach = { ...people, measure: "STAFF_REACH" as const, target: 25 };
    expect(goalPace({ ...reach, value: 16, valueWindowAgo: 10 }).status).toBe("at-risk"); // lands on 22.1%
    expect(goalPace({ ...reach, value: 20, valueWindowAgo: 10 }).status).toBe("on-track"); // lands on 30.2%
    expect(goalPace({ ...reach, value: 16, valueWindowAgo: 10 }).currentPer30Days).toBeCloseTo(2, 10);
  });

  it("does not count a falling pace as progress: reach going down projects today's value", () => {
    const pace = goalPace({ ...people, measure: "STAFF_REACH", target: 25, value: 12, valueWindowAgo: 15 });
    expect(pace.currentPer30Days).toBeCloseTo(-1, 10);
    expect(pace.projectedAtDeadline).toBe(12);
    expect(pace.status).toBe("at-risk");
  });
});

describe("goalLineByMonth", () => {
  const goal = { startsOn: d("2025-07-01"), deadline: d("2026-06-30"), target: 365, startValue: 0 };

  it("reads the straight line from the start value to the target at each month's end, the target in the deadline's month", () => {
    const months = monthsBetween(goal.startsOn, goal.deadline);
    const line = goalLineByMonth(months, goal);
    expect(line).toHaveLength(12);
    expect(line[0]).toBeCloseTo(goalLineOn(d("2025-07-31"), goal), 10);
    expect(line[0]).toBeCloseTo((365 * 30) / 364, 10);
    expect(line[11]).toBe(365);
    for (let i = 1; i < line.length; i += 1) expect(line[i]).toBeGreaterThan(line[i - 1]);
  });

  it("starts from where reach stood on the first day", () => {
    const line = goalLineByMonth([d("2026-06-01")], { ...goal, target: 25, startValue: 10 });
    expect(line).toEqual([25]);
    expect(goalLineOn(goal.startsOn, { ...goal, target: 25, startValue: 10 })).toBe(10);
  });

  it("stops at the deadline when the deadline falls mid-month", () => {
    const line = goalLineByMonth([d("2026-03-01")], { ...goal, deadline: d("2026-03-15") });
    expect(line).toEqual([365]);
  });
});

describe("months", () => {
  it("knows a month's last day, leap years included", () => {
    expect(monthEnd(d("2024-02-01"))).toEqual(d("2024-02-29"));
    expect(monthEnd(d("2025-12-01"))).toEqual(d("2025-12-31"));
  });

  it("a month has started on or after its first day", () => {
    expect(monthHasStarted(d("2026-03-01"), d("2026-03-01"))).toBe(true);
    expect(monthHasStarted(d("2026-04-01"), d("2026-03-31"))).toBe(false);
  });

  it("default periods: the last twelve months, or the school year so far", () => {
    expect(lastTwelveMonthsFrom(d("2026-03-15"))).toEqual(d("2025-04-01"));
    expect(schoolYearStartFrom(d("2026-03-15"))).toEqual(d("2025-07-01"));
    expect(schoolYearStartFrom(d("2025-07-01"))).toEqual(d("2025-07-01"));
  });
});

describe("parseScopePeriod", () => {
  it("defaults to the district, today and the page's own start", () => {
    const r = parse("");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.query).toEqual({ scope: { scope: "district" }, programCode: null, from: d("2025-04-01"), to: d("2026-03-01"), line: "people" });
    expect(r.values).toMatchObject({ scope: "district", from: "2025-04-01", to: "2026-03-01" });
    const report = parse("", schoolYearStartFrom);
    expect(report.ok && report.query.from).toEqual(d("2025-07-01"));
  });

  it("reads a region, a school (its code as typed), a program and a period", () => {
    const region = parse("scope=region&region=r1&program=QPR&from=2025-01-01&to=2025-12-31&line=reach");
    expect(region.ok && region.query).toEqual({ scope: { scope: "region", region: "r1" }, programCode: "QPR", from: d("2025-01-01"), to: d("2025-12-31"), line: "reach" });
    const school = parse("scope=school&school=s001&region=ignored");
    expect(school.ok && school.query.scope).toEqual({ scope: "school", school: "s001" });
    expect(school.ok && school.values.region).toBe("");
  });

  it("names the field of every bad value, and echoes what was typed", () => {
    const r = parse("scope=county&from=2025-02-30&to=soon&line=bars&program=Y%20MHFA");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      scope: "Scope must be district, region or school",
      from: "From must be a real date written as YYYY-MM-DD, e.g. 2026-06-30",
      to: "To must be a real date written as YYYY-MM-DD, e.g. 2026-06-30",
      line: "Line must be people or reach",
      program: "Program is not a known value",
    });
    expect(r.values).toMatchObject({ scope: "county", from: "2025-02-30", to: "soon" });
  });

  it("needs the region or school the scope names", () => {
    expect(parse("scope=region")).toMatchObject({ ok: false, errors: { region: "Region is required for a region's figures" } });
    expect(parse("scope=school")).toMatchObject({ ok: false, errors: { school: "School code is required for a school's figures" } });
  });

  it("refuses a period that ends before it starts, or runs past ten years", () => {
    expect(parse("from=2026-02-01&to=2026-01-01")).toMatchObject({ ok: false, errors: { from: "From must be on or before To" } });
    expect(parse("from=2010-01-01&to=2026-01-01")).toMatchObject({ ok: false, errors: { from: "The period can be at most 10 years long" } });
    expect(parse("from=2016-02-01&to=2026-01-31").ok).toBe(true);
  });

  it("builds the same question as a query string, leaving out defaults", () => {
    expect(scopePeriodParams({ scope: "district", program: "YMHFA", line: "people", from: "", to: "" }).toString()).toBe("program=YMHFA");
    expect(scopePeriodParams({ scope: "school", school: "S001" }).toString()).toBe("scope=school&school=S001");
  });
});

describe("parseAsOf", () => {
  it("defaults to today, reads a day, and names a bad one", () => {
    expect(parseAsOf(new URLSearchParams(""), TODAY)).toEqual({ ok: true, asOf: d("2026-03-01"), value: "2026-03-01" });
    expect(parseAsOf(new URLSearchParams("asOf=2025-12-31"), TODAY)).toEqual({ ok: true, asOf: d("2025-12-31"), value: "2025-12-31" });
    expect(parseAsOf(new URLSearchParams("asOf=31/12/2025"), TODAY)).toMatchObject({ ok: false, error: expect.stringMatching(/^As-of date must be a real date/), value: "31/12/2025" });
  });
});
