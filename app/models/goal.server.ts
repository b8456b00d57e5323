/**
 * Goals: a scope (district, region, school), a program, a measure, a target and a deadline.
 * Progress and pace are computed on read from the same counts as the reach pages: never stored.
 */
import { prisma } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { goalPace, type GoalPace } from "~/domain/reach";
import { goalValues, type ReachScope } from "~/models/reach-growth.server";
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

export function listGoals({ archived }: { archived: boolean }) {
  return prisma.goal.findMany({
    where: { archivedAt: archived ? { not: null } : null },
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

/** A goal's value on the as-of day, its pace over the last 90 days, and where that pace lands. */
export async function goalProgress(goal: Pick<GoalRecord, "scope" | "regionId" | "schoolId" | "programId" | "measure" | "target" | "startsOn" | "deadline">, asOf: Date): Promise<GoalProgress> {
  const values = await goalValues(
    { scope: scopeOfGoal(goal), programId: goal.programId, measure: goal.measure, startsOn: goal.startsOn, deadline: goal.deadline },
    asOf,
  );
  const pace = goalPace({
    measure: goal.measure, target: goal.target, startsOn: goal.startsOn, deadline: goal.deadline, asOf,
    value: values.value, valueWindowAgo: values.valueWindowAgo,
  });
  return { ...pace, ...values };
}

/** Every goal (active or archived) with its progress. */
export async function listGoalsWithProgress({ archived, asOf }: { archived: boolean; asOf: Date }) {
  const goals = await listGoals({ archived });
  const withProgress = [];
  for (const goal of goals) withProgress.push({ ...goal, scopeLabel: scopeLabel(goal), progress: await goalProgress(goal, asOf) });
  return withProgress;
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
    const school = form.schoolCode ? await prisma.school.findUnique({ where: { code: form.schoolCode }, select: { id: true } }) : null;
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

/** School codes for the goal form's suggestions list (datalist): districts have about a thousand. */
export function listSchoolChoices() {
  return prisma.school.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { code: true, name: true } });
}
