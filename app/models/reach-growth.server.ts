/**
 * Progress over time for a scope (district, region, school) and program: people trained per month,
 * the running total of distinct people, staff reach at each month's end, and a goal's values.
 */
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { combinedReach, cumulative, monthKey, monthsBetween, PACE_WINDOW_DAYS } from "~/domain/reach";
import { schoolYearBounds } from "~/domain/reach-filters";
import { peopleTrainedBetween, staffReachOnDays, trainedByMonth, type ScopeFilter, type YearBounds } from "~/models/reach-sql.server";

export type ReachScope = { scope: "DISTRICT" } | { scope: "REGION"; regionId: string } | { scope: "SCHOOL"; schoolId: string };

export function scopeFilterOf(scope: ReachScope): ScopeFilter {
  if (scope.scope === "REGION") return { regionId: scope.regionId };
  if (scope.scope === "SCHOOL") return { schoolIds: [scope.schoolId] };
  return {};
}

export function yearsBetween(from: Date, to: Date): YearBounds[] {
  const years: YearBounds[] = [];
  for (let y = schoolYearOf(from); y <= schoolYearOf(to); y += 1) years.push({ year: y, ...schoolYearBounds(y) });
  return years;
}

type StaffReach = { percent: number | null; staffCurrent: number; staffHeadcount: number | null };

/** Staff reach wanted for a scope and program on a day. */
export type StaffReachAsk = { scope: ReachScope; programId: string; day: Date };

/**
 * Staff reach in percent for each ask (schools with a headcount), or null with no headcount: one query
 * for all of them (a goal's value now and at the start of its pace window, a chart's months, a list's goals).
 */
export async function staffReachPercents(asks: StaffReachAsk[]): Promise<StaffReach[]> {
  const days = asks.map((ask, key) => {
    const asOf = startOfDayUtc(ask.day);
    return {
      key, schoolYear: schoolYearOf(asOf), asOf, programId: ask.programId,
      regionId: ask.scope.scope === "REGION" ? ask.scope.regionId : null,
      schoolId: ask.scope.scope === "SCHOOL" ? ask.scope.schoolId : null,
    };
  });
  const figures = await staffReachOnDays(days);
  return days.map(({ key }) => {
    // The schools with a headcount, already summed; none: no reach.
    const summed = figures.get(key);
    const combined = combinedReach(summed ? [{ staffCurrent: summed.staffCurrent, staffHeadcount: summed.staffHeadcount }] : []);
    return { percent: combined.reach == null ? null : combined.reach * 100, staffCurrent: combined.staffCurrent, staffHeadcount: combined.staffHeadcount };
  });
}

/** Staff reach in percent on a day for a scope (schools with a headcount), or null with no headcount. */
export async function staffReachPercentOn(scope: ReachScope, programId: string, day: Date): Promise<StaffReach> {
  const [reach] = await staffReachPercents([{ scope, programId, day }]);
  return reach;
}

/** People trained in a scope between two days (distinct), and the same count up to a midpoint. */
export function peopleTrainedInScope(scope: ReachScope, programId: string, from: Date, to: Date, midpoint: Date) {
  return peopleTrainedBetween({
    from: startOfDayUtc(from),
    to: startOfDayUtc(to),
    midpoint: startOfDayUtc(midpoint),
    programId,
    years: yearsBetween(from, to),
    scope: scope.scope === "DISTRICT" ? "district" : scopeFilterOf(scope),
  });
}

export type GoalForValues = { scope: ReachScope; programId: string; measure: "PEOPLE_TRAINED" | "STAFF_REACH"; startsOn: Date; deadline: Date };
export type GoalValues = { value: number | null; valueWindowAgo: number | null };

/**
 * A goal's value on the as-of day and PACE_WINDOW_DAYS earlier (not before the start): people trained
 * since the start, or staff reach in percent. Values stop at the deadline.
 */
export async function goalValues(goal: GoalForValues, asOf: Date): Promise<GoalValues> {
  const [values] = await goalValuesOfMany([goal], asOf);
  return values;
}

/**
 * goalValues for several goals: people trained counted goal by goal, every staff-reach goal's two days
 * read together (one query instead of one per goal, each with its own look at the rollup's queue).
 */
export async function goalValuesOfMany(goals: GoalForValues[], asOf: Date): Promise<GoalValues[]> {
  const values: GoalValues[] = goals.map(() => ({ value: null, valueWindowAgo: null }));
  const asks: StaffReachAsk[] = [];
  const askedBy: number[] = [];
  for (const [i, goal] of goals.entries()) {
    const end = startOfDayUtc(asOf) > startOfDayUtc(goal.deadline) ? startOfDayUtc(goal.deadline) : startOfDayUtc(asOf);
    const windowStart = addDays(end, -PACE_WINDOW_DAYS) > goal.startsOn ? addDays(end, -PACE_WINDOW_DAYS) : startOfDayUtc(goal.startsOn);
    if (end < startOfDayUtc(goal.startsOn)) {
      values[i] = { value: goal.measure === "PEOPLE_TRAINED" ? 0 : null, valueWindowAgo: null };
    } else if (goal.measure === "PEOPLE_TRAINED") {
      // The value on a day is everyone trained from the start up to and including that day; the gain
      // is the window's days after its first, exactly the days goalPace divides by.
      const counts = await peopleTrainedInScope(goal.scope, goal.programId, goal.startsOn, end, windowStart);
      values[i] = { value: counts.total, valueWindowAgo: counts.byMidpoint };
    } else {
      asks.push({ scope: goal.scope, programId: goal.programId, day: end }, { scope: goal.scope, programId: goal.programId, day: windowStart });
      askedBy.push(i);
    }
  }
  const reach = await staffReachPercents(asks);
  askedBy.forEach((i, k) => {
    values[i] = { value: reach[2 * k].percent, valueWindowAgo: reach[2 * k + 1].percent };
  });
  return values;
}

export type GrowthPoint = {
  month: string;
  monthStart: Date;
  /** Distinct people trained that month; null for a month after the as-of day (no figures yet). */
  trained: number | null;
  /** People trained for the first time in the period that month. */
  newPeople: number | null;
  /** Running total of distinct people trained since the period began. */
  cumulativePeople: number | null;
  staffReachPercent: number | null;
  goalLine: number | null;
};

/** At most this many months of staff reach are computed (one aggregate per month). */
export const MAX_REACH_MONTHS = 36;

/**
 * Per month from `from` to `to`: distinct people trained that month, people trained for the first time
 * in the period (their running total counts each person once), and staff reach at the month's end.
 * The first and last months are cut at `from` and `to`, so the running total on the last month is the
 * number of people trained in the period: the same count as a goal's progress. Months that start after
 * the as-of day have no figures (null), so a goal's chart can run on to the deadline.
 */
export async function growthSeries(args: {
  scope: ReachScope;
  programId: string;
  from: Date;
  to: Date;
  asOf: Date;
  kinds: Array<"STAFF" | "STUDENT" | "COMMUNITY">;
  withReach: boolean;
}): Promise<GrowthPoint[]> {
  const from = startOfDayUtc(args.from);
  const to = startOfDayUtc(args.to);
  const asOf = startOfDayUtc(args.asOf);
  const months = monthsBetween(from, to);
  const bounds = months.map((m) => {
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    const dayAfterTo = addDays(to, 1);
    return {
      key: monthKey(m),
      monthStart: m,
      startsOn: m < from ? from : m,
      endsBefore: next > dayAfterTo ? dayAfterTo : next,
      started: m <= asOf,
    };
  });
  const started = bounds.filter((b) => b.started);
  const byMonth = await trainedByMonth({
    months: started.map(({ key, startsOn, endsBefore }) => ({ key, startsOn, endsBefore })),
    asOf,
    programId: args.programId,
    kinds: args.kinds,
    years: yearsBetween(from, to),
    scope: args.scope.scope === "DISTRICT" ? "district" : scopeFilterOf(args.scope),
  });
  const running = cumulative(started.map((b) => byMonth.get(b.key)?.firstTimers ?? 0));
  const runningOf = new Map(started.map((b, i) => [b.key, running[i]]));
  const reachOf = new Map<string, number | null>();
  if (args.withReach) {
    const reachMonths = started.slice(-MAX_REACH_MONTHS);
    // Reach on the month's last day (within the period), or the as-of day for the month still running.
    const lastDays = reachMonths.map((b) => {
      const lastDay = addDays(b.endsBefore, -1);
      return lastDay > asOf ? asOf : lastDay;
    });
    const reach = await staffReachPercents(lastDays.map((day) => ({ scope: args.scope, programId: args.programId, day })));
    reachMonths.forEach((b, i) => reachOf.set(b.key, reach[i].percent));
  }
  return bounds.map((b) => ({
    month: b.key,
    monthStart: b.monthStart,
    trained: b.started ? (byMonth.get(b.key)?.trained ?? 0) : null,
    newPeople: b.started ? (byMonth.get(b.key)?.firstTimers ?? 0) : null,
    cumulativePeople: runningOf.get(b.key) ?? null,
    staffReachPercent: reachOf.get(b.key) ?? null,
    goalLine: null,
  }));
}
