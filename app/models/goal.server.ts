/**
 * Goals: a scope (district, region, school), a program, a measure, a target and a deadline.
 * Progress and pace are computed on read from the same counts as the reach pages: never stored.
 */
import { prisma } from "~/db.server";
import { listAuditFor, recordAudit } from "~/models/audit.server";
import { goalPace, monthsBetween, type GoalPace } from "~/domain/reach";
import { goalLineByMonth } from "~/domain/goals";
import { startOfDayUtc } from "~/domain/program-rules";
import {
  goalValues, goalValuesOfMany, growthSeries, staffReachPercentOn, type GoalForValues, type GoalValues, type GrowthPoint, type ReachScope,
} from "~/models/reach-growth.server";
import type { GoalForm } from "~/forms/goal";
import type { FieldErrors } from "~/utils/forms";

export type SavedGoal = { ok: true; id: string } | { ok: false; errors: FieldErrors };

const goalSelect = {
  id: true, scope: true, measure: true, target: true, startsOn: true, deadline: true, archivedAt: true,
  regionId: true, schoolId: true, programId: true, createdAt: true, updatedAt: true,
  region: { select: { id: true, code: true, name: true } },
  school: { select: { id: true, code: true, name: true } },
  program: { select: { id: true, code: true, name: true } },
  createdBy: { select: { name: true } },
} as const;

export type GoalRecord = NonNullable<Awaited<ReturnType<typeof getGoal>>>;

export function getGoal(id: string) {
  return prisma.goal.findUnique({ where: { id }, select: goalSelect });
}

export function listGoals({ archived, programId, scope }: { archived: boolean; programId?: string; scope?: ReachScope }) {
  return prisma.goal.findMany({
    where: { archivedAt: archived ? { not: null } : null, ...(programId ? { programId } : {}), ...(scope ? goalsWithinScope(scope) : {}) },
    orderBy: [{ deadline: "asc" }, { createdAt: "asc" }],
    select: goalSelect,
  });
}

export function scopeOfGoal(goal: { scope: string; regionId: string | null; schoolId: string | null }): ReachScope {
  if (goal.scope === "REGION" && goal.regionId) return { scope: "REGION", regionId: goal.regionId };
  if (goal.scope === "SCHOOL" && goal.schoolId) return { scope: "SCHOOL", schoolId: goal.schoolId };
  return { scope: "DISTRICT" };
}

export function scopeLabel(goal: Pick<GoalRecord, "scope" | "region" | "school">): string {
  if (goal.scope === "REGION" && goal.region) return `Region: ${goal.region.name}`;
  if (goal.scope === "SCHOOL" && goal.school) return `School: ${goal.school.name} (${goal.school.code})`;
  return "District";
}

export type GoalProgress = GoalPace & { value: number | null; valueWindowAgo: number | null };

type GoalFields = Pick<GoalRecord, "scope" | "regionId" | "schoolId" | "programId" | "measure" | "target" | "startsOn" | "deadline">;

const valuesOf = (goal: GoalFields): GoalForValues => ({ scope: scopeOfGoal(goal), programId: goal.programId, measure: goal.measure, startsOn: goal.startsOn, deadline: goal.deadline });

function progressOf(goal: GoalFields, values: GoalValues, asOf: Date): GoalProgress {
  const pace = goalPace({
    measure: goal.measure, target: goal.target, startsOn: goal.startsOn, deadline: goal.deadline, asOf,
    value: values.value, valueWindowAgo: values.valueWindowAgo,
  });
  return { ...pace, ...values };
}

/** A goal's value on the as-of day, its pace over the last 90 days, and where that pace lands. */
export async function goalProgress(goal: GoalFields, asOf: Date): Promise<GoalProgress> {
  return progressOf(goal, await goalValues(valuesOf(goal), asOf), asOf);
}

/**
 * The goals that belong to a scope's report: the district's takes every goal; a region's, its own and its
 * schools'; a school's, its own.
 */
function goalsWithinScope(scope: ReachScope) {
  if (scope.scope === "REGION") return { OR: [{ scope: "REGION" as const, regionId: scope.regionId }, { scope: "SCHOOL" as const, school: { regionId: scope.regionId } }] };
  if (scope.scope === "SCHOOL") return { scope: "SCHOOL" as const, schoolId: scope.schoolId };
  return {};
}

/** Every goal (active or archived) with its progress; optionally one program's, within a scope. */
export async function listGoalsWithProgress({ archived, asOf, programId, scope }: { archived: boolean; asOf: Date; programId?: string; scope?: ReachScope }) {
  const goals = await listGoals({ archived, programId, scope });
  // Every goal's values at once: the staff-reach goals share one query.
  const values = await goalValuesOfMany(goals.map(valuesOf), asOf);
  return goals.map((goal, i) => ({ ...goal, scopeLabel: scopeLabel(goal), progress: progressOf(goal, values[i], asOf) }));
}

/**
 * A school by the code as typed. Codes are stored as the administrator wrote them, so when no school
 * has the code exactly as typed, one whose code differs only in case ("s001" for "S001") is taken.
 */
export async function findSchoolByCode(code: string) {
  const select = { id: true, code: true, name: true, region: { select: { id: true, code: true, name: true } } } as const;
  const exact = await prisma.school.findUnique({ where: { code }, select });
  if (exact) return exact;
  const folded = await prisma.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "School" WHERE LOWER("code") = LOWER(${code}) ORDER BY "code" LIMIT 1`;
  return folded[0] ? prisma.school.findUnique({ where: { id: folded[0].id }, select }) : null;
}

/** The form's names turned into ids: the region must exist, the school code must be a school, the program active. */
async function resolveGoalForm(form: GoalForm): Promise<{ ok: true; data: { regionId: string | null; schoolId: string | null } } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  const program = await prisma.program.findUnique({ where: { id: form.programId }, select: { id: true, active: true } });
  if (!program || !program.active) errors.programId = "Program must be one of the active programs";
  let regionId: string | null = null;
  let schoolId: string | null = null;
  if (form.scope === "REGION") {
    const region = form.regionId ? await prisma.region.findUnique({ where: { id: form.regionId }, select: { id: true } }) : null;
    if (!region) errors.regionId = "Region must be one of the district's regions";
    else regionId = region.id;
  }
  if (form.scope === "SCHOOL") {
    const school = form.schoolCode ? await findSchoolByCode(form.schoolCode) : null;
    if (!school) errors.schoolCode = `School code must be a school's code; no school has the code "${form.schoolCode ?? ""}"`;
    else schoolId = school.id;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: { regionId, schoolId } };
}

function goalData(form: GoalForm, ids: { regionId: string | null; schoolId: string | null }) {
  return {
    scope: form.scope, regionId: ids.regionId, schoolId: ids.schoolId, programId: form.programId, measure: form.measure,
    target: form.target, startsOn: form.startsOn, deadline: form.deadline,
  };
}

function auditDetails(data: ReturnType<typeof goalData>) {
  return { ...data, startsOn: data.startsOn.toISOString().slice(0, 10), deadline: data.deadline.toISOString().slice(0, 10) };
}

export async function createGoal(form: GoalForm, actorId: string): Promise<SavedGoal> {
  const resolved = await resolveGoalForm(form);
  if (!resolved.ok) return resolved;
  const data = goalData(form, resolved.data);
  const goal = await prisma.$transaction(async (tx) => {
    const created = await tx.goal.create({ data: { ...data, createdById: actorId }, select: { id: true } });
    await recordAudit(tx, { actorId, action: "goal.create", entityType: "Goal", entityId: created.id, details: auditDetails(data) });
    return created;
  });
  return { ok: true, id: goal.id };
}

export async function updateGoal(id: string, form: GoalForm, actorId: string): Promise<SavedGoal> {
  const resolved = await resolveGoalForm(form);
  if (!resolved.ok) return resolved;
  const data = goalData(form, resolved.data);
  await prisma.$transaction(async (tx) => {
    await tx.goal.update({ where: { id }, data });
    await recordAudit(tx, { actorId, action: "goal.update", entityType: "Goal", entityId: id, details: auditDetails(data) });
  });
  return { ok: true, id };
}

/** Archiving hides a goal from the active list; it is kept, and can be restored. */
export async function setGoalArchived(id: string, archived: boolean, actorId: string) {
  await prisma.$transaction(async (tx) => {
    await tx.goal.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit(tx, { actorId, action: archived ? "goal.archive" : "goal.restore", entityType: "Goal", entityId: id, details: {} });
  });
}

export type GoalGrowth = { rows: GrowthPoint[]; startValue: number };

/**
 * A goal's chart and table: every month from the start to the deadline, the measure's figure for the
 * months that have begun (the running total of people trained since the start, or staff reach at each
 * month's end), and the goal line from the value at the start to the target on the deadline.
 */
export async function goalGrowth(goal: Pick<GoalRecord, "scope" | "regionId" | "schoolId" | "programId" | "measure" | "target" | "startsOn" | "deadline">, asOf: Date): Promise<GoalGrowth> {
  const scope = scopeOfGoal(goal);
  const rows = await growthSeries({
    scope, programId: goal.programId, from: goal.startsOn, to: goal.deadline, asOf,
    kinds: ["STAFF", "STUDENT", "COMMUNITY"], withReach: goal.measure === "STAFF_REACH",
  });
  // People trained start from nothing; reach starts from where it stood on the first day.
  const startValue = goal.measure === "STAFF_REACH" && startOfDayUtc(goal.startsOn) <= startOfDayUtc(asOf)
    ? ((await staffReachPercentOn(scope, goal.programId, goal.startsOn)).percent ?? 0)
    : 0;
  const line = goalLineByMonth(monthsBetween(goal.startsOn, goal.deadline), { startsOn: goal.startsOn, deadline: goal.deadline, target: goal.target, startValue });
  return { rows: rows.map((r, i) => ({ ...r, goalLine: line[i] ?? null })), startValue };
}

/** School codes for the goal form's suggestions list (datalist): districts have about a thousand. */
export function listSchoolChoices() {
  return prisma.school.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { code: true, name: true } });
}

/** What the goal form offers: active programs, every region, active schools' codes. */
export async function loadGoalChoices() {
  const [programs, regions, schools] = await Promise.all([
    prisma.program.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
    prisma.region.findMany({ orderBy: { name: "asc" }, select: { id: true, code: true, name: true } }),
    listSchoolChoices(),
  ]);
  return { programs, regions, schools };
}

/** Who changed a goal and when, newest first. */
export async function goalHistory(goalId: string) {
  const events = await listAuditFor("Goal", goalId);
  return events.map((e) => ({ id: e.id, action: e.action, at: e.createdAt, by: e.actor?.name ?? "System" }));
}
