/**
 * Reach and goal arithmetic: shares of headcount, tMHFA readiness, goal pace.
 * Pure functions, no database: the models count people, these turn counts into figures.
 */
import { addDays, daysBetween, startOfDayUtc } from "./program-rules";

/** A school may run Teen MHFA when about 10% of its staff hold a current YMHFA certificate (docs/domain.md, Programs and their rules). */
export const TEEN_MHFA_READINESS_SHARE = 0.1;
/** The same share in whole percent, for comparing in whole numbers (in SQL too). */
export const TEEN_MHFA_READINESS_PERCENT = Math.round(TEEN_MHFA_READINESS_SHARE * 100);

/** How far back "the current pace" looks: people trained or reach gained in the last 90 days. */
export const PACE_WINDOW_DAYS = 90;

/**
 * A part of a whole, or null when there is no whole to divide by. A school with no headcount
 * (or a headcount of 0) has no reach: the page says "no headcount", never 0% or NaN.
 */
export function shareOf(part: number, whole: number | null | undefined): number | null {
  if (whole == null || !Number.isFinite(whole) || whole <= 0) return null;
  if (!Number.isFinite(part)) return null;
  return part / whole;
}

/**
 * The staff half of Teen MHFA readiness: at least 10% of staff hold a current YMHFA certificate.
 * null when the school has no staff headcount (it cannot be judged).
 */
export function teenMhfaStaffReady(staffWithYmhfa: number, staffHeadcount: number | null | undefined): boolean | null {
  const share = shareOf(staffWithYmhfa, staffHeadcount);
  if (share == null) return null;
  // Compare in whole people to avoid floating-point edges: 10 of 100 is ready.
  return staffWithYmhfa * 10 >= (staffHeadcount ?? 0) * (TEEN_MHFA_READINESS_SHARE * 10);
}

/** Whether a school's safety protocol, in place since `since` (a day; null: not recorded), is in place on `asOf`. */
export function safetyProtocolInPlace(since: Date | null | undefined, asOf: Date): boolean {
  return since != null && startOfDayUtc(since) <= startOfDayUtc(asOf);
}

/**
 * Readiness for Teen MHFA (../shared/docs/domain.md): a school may run it when about 10% of its staff
 * hold YMHFA and a safety protocol is in place. null when the school has no staff headcount (the share
 * cannot be judged); false without the protocol whatever the share.
 */
export function teenMhfaReady(staffWithYmhfa: number, staffHeadcount: number | null | undefined, protocolInPlace: boolean): boolean | null {
  const staff = teenMhfaStaffReady(staffWithYmhfa, staffHeadcount);
  if (staff == null) return null;
  return staff && protocolInPlace;
}

/** Staff who must still be certified for a school to be ready (0 when ready; null without headcount). */
export function staffNeededForReadiness(staffWithYmhfa: number, staffHeadcount: number | null | undefined): number | null {
  if (staffHeadcount == null || staffHeadcount <= 0) return null;
  return Math.max(0, Math.ceil(staffHeadcount * TEEN_MHFA_READINESS_SHARE - 1e-9) - staffWithYmhfa);
}

/**
 * Reach over several schools (a region, the district): certified staff summed over the schools
 * that have a headcount, divided by those headcounts. Schools without a headcount are left out
 * of both sides, so they neither inflate nor deflate the share. A person at two schools counts
 * at both, as in each school's own figure.
 */
export function combinedReach(rows: Array<{ staffCurrent: number; staffHeadcount: number | null }>): {
  staffCurrent: number;
  staffHeadcount: number | null;
  schoolsWithoutHeadcount: number;
  reach: number | null;
} {
  let current = 0;
  let headcount = 0;
  let withHeadcount = 0;
  let without = 0;
  for (const row of rows) {
    if (row.staffHeadcount == null || row.staffHeadcount <= 0) {
      without += 1;
      continue;
    }
    withHeadcount += 1;
    current += row.staffCurrent;
    headcount += row.staffHeadcount;
  }
  return {
    staffCurrent: current,
    staffHeadcount: withHeadcount > 0 ? headcount : null,
    schoolsWithoutHeadcount: without,
    reach: withHeadcount > 0 ? shareOf(current, headcount) : null,
  };
}

export type GoalMeasureName = "PEOPLE_TRAINED" | "STAFF_REACH";
export type GoalStatus = "reached" | "on-track" | "at-risk" | "missed" | "not-started" | "no-data";

export type GoalPaceInput = {
  measure: GoalMeasureName;
  /** People, or percent of staff (0-100) for STAFF_REACH. */
  target: number;
  startsOn: Date;
  deadline: Date;
  asOf: Date;
  /** Progress on the as-of day: people trained since the start, or reach in percent. null: no headcount. */
  value: number | null;
  /** The same figure PACE_WINDOW_DAYS before (or on the start day if that is later). */
  valueWindowAgo: number | null;
};

export type GoalPace = {
  status: GoalStatus;
  /** value / target, capped at 1; null without data. */
  progress: number | null;
  remaining: number | null;
  daysLeft: number;
  /** Gain per 30 days needed from now to reach the target on the deadline; null once reached or past. */
  neededPer30Days: number | null;
  /** Gain per 30 days over the pace window. */
  currentPer30Days: number | null;
  /** Where the current pace lands on the deadline. */
  projectedAtDeadline: number | null;
};

/**
 * Where a goal stands: reached, on track (the last 90 days' pace, extrapolated, reaches the
 * target by the deadline), at risk (it does not), missed (the deadline has passed), or not
 * started (the as-of day is before the start: there is no pace to judge yet).
 */
export function goalPace(input: GoalPaceInput): GoalPace {
  const deadline = startOfDayUtc(input.deadline);
  // Figures stop at the deadline (goalValues reads them there), so the pace window does too.
  const asOf = startOfDayUtc(input.asOf) > deadline ? deadline : startOfDayUtc(input.asOf);
  const startsOn = startOfDayUtc(input.startsOn);
  const daysLeft = Math.max(0, daysBetween(asOf, deadline));
  const { value, valueWindowAgo, target } = input;
  if (asOf < startsOn) {
    const total = Math.max(1, daysBetween(startsOn, deadline));
    return {
      status: "not-started", progress: null, remaining: null, daysLeft,
      neededPer30Days: input.measure === "PEOPLE_TRAINED" ? (target / total) * 30 : null,
      currentPer30Days: null, projectedAtDeadline: null,
    };
  }
  if (value == null) {
    return { status: "no-data", progress: null, remaining: null, daysLeft, neededPer30Days: null, currentPer30Days: null, projectedAtDeadline: null };
  }
  const progress = target > 0 ? Math.min(1, Math.max(0, value / target)) : 1;
  const remaining = Math.max(0, target - value);
  // The window is the last 90 days, but never before the goal started.
  const windowStart = laterOf(addDays(asOf, -PACE_WINDOW_DAYS), startsOn);
  const windowDays = daysBetween(windowStart, asOf);
  const perDay = valueWindowAgo != null && windowDays > 0 ? (value - valueWindowAgo) / windowDays : null;
  const currentPer30Days = perDay == null ? null : perDay * 30;
  const projectedAtDeadline = perDay == null ? value : value + Math.max(0, perDay) * daysLeft;
  let status: GoalStatus;
  let neededPer30Days: number | null = null;
  if (value >= target) status = "reached";
  else if (asOf >= deadline) status = "missed";
  else {
    neededPer30Days = (remaining / Math.max(1, daysLeft)) * 30;
    status = projectedAtDeadline >= target ? "on-track" : "at-risk";
  }
  return { status, progress, remaining, daysLeft, neededPer30Days, currentPer30Days, projectedAtDeadline };
}

function laterOf(a: Date, b: Date): Date {
  return a > b ? a : b;
}

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  reached: "Reached",
  "on-track": "On track",
  "at-risk": "At risk",
  missed: "Deadline passed",
  "not-started": "Not started",
  "no-data": "No headcount",
};

/**
 * The goal line: a straight line from the value at the start to the target on the deadline,
 * read on a given day (flat after the deadline).
 */
export function goalLineOn(day: Date, goal: { startsOn: Date; deadline: Date; target: number; startValue: number }): number {
  const total = daysBetween(goal.startsOn, goal.deadline);
  if (total <= 0) return goal.target;
  const elapsed = Math.min(total, Math.max(0, daysBetween(goal.startsOn, day)));
  return goal.startValue + ((goal.target - goal.startValue) * elapsed) / total;
}

/** The first day of each month from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const endKey = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (y * 12 + m <= endKey && months.length < 600) {
    months.push(new Date(Date.UTC(y, m, 1)));
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return months;
}

/** "2025-07" for a month's first day. */
export function monthKey(day: Date): string {
  return `${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** Running totals of monthly figures. */
export function cumulative(values: number[]): number[] {
  let total = 0;
  return values.map((v) => (total += v));
}

/** Comparison for sortable tables: numbers and text, with missing values (null) always last. */
export function compareNullable(a: number | string | null, b: number | string | null, dir: "asc" | "desc"): number {
  if (a == null && b == null) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  const order = typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), "en-US", { numeric: true });
  return dir === "asc" ? order : -order;
}
