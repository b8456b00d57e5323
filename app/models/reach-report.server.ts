/**
 * The growth page and the printable report: one scope (district, region or school), one program, one
 * period. The figures come from the same queries as the reach pages and goal progress, so a report
 * handed to a funder says what the dashboard says.
 */
import type { ScopeChoice, ScopePeriod } from "~/domain/goals";
import type { ReachFilters } from "~/domain/reach-filters";
import { schoolYearOf } from "~/domain/school-year";
import { reachFigures, resolveFilters, type ProgramOption, type RegionOption } from "~/models/reach.server";
import { growthSeries, type ReachScope } from "~/models/reach-growth.server";
import { findSchoolByCode, listGoalsWithProgress, listSchoolChoices, scopeLabel } from "~/models/goal.server";

export type ResolvedScope = {
  scope: ReachScope;
  /** "District", "Region: North", "School: Maple High (S001)". */
  label: string;
  region: RegionOption | null;
  school: { id: string; code: string; name: string; region: RegionOption } | null;
};

/** The region (by id or code) or school (by code) the query names; errors name the field. */
async function resolveScope(choice: ScopeChoice, regions: RegionOption[]): Promise<{ ok: true; value: ResolvedScope } | { ok: false; errors: Record<string, string> }> {
  if (choice.scope === "region") {
    const wanted = choice.region.toLowerCase();
    const region = regions.find((r) => r.id === choice.region || r.code.toLowerCase() === wanted);
    if (!region) return { ok: false, errors: { region: `Region "${choice.region}" does not exist` } };
    return { ok: true, value: { scope: { scope: "REGION", regionId: region.id }, label: `Region: ${region.name}`, region, school: null } };
  }
  if (choice.scope === "school") {
    const school = await findSchoolByCode(choice.school);
    if (!school) return { ok: false, errors: { school: `School code must be a school's code; no school has the code "${choice.school}"` } };
    return { ok: true, value: { scope: { scope: "SCHOOL", schoolId: school.id }, label: `School: ${school.name} (${school.code})`, region: school.region, school } };
  }
  return { ok: true, value: { scope: { scope: "DISTRICT" }, label: "District", region: null, school: null } };
}

export type ScopeProblem = { ok: false; errors: Record<string, string>; programs: ProgramOption[]; regions: RegionOption[]; schools: Array<{ code: string; name: string }> };

/** Program and scope checked against the database: the common first step of both pages. */
async function resolveQuery(query: ScopePeriod) {
  const [resolved, schools] = await Promise.all([resolveFilters({ programCode: query.programCode, regionId: null }), listSchoolChoices()]);
  if (!resolved.ok) return { ok: false as const, errors: resolved.errors, programs: resolved.programs, regions: resolved.regions, schools };
  const scope = await resolveScope(query.scope, resolved.regions);
  if (!scope.ok) return { ok: false as const, errors: scope.errors, programs: resolved.programs, regions: resolved.regions, schools };
  return { ...resolved, schools, where: scope.value };
}

/** Growth over time for a scope: per month, people trained, the running total, and (asked for) staff reach. */
export async function loadGrowthPage(query: ScopePeriod, asOf: Date) {
  const resolved = await resolveQuery(query);
  if (!resolved.ok) return resolved;
  const rows = await growthSeries({
    scope: resolved.where.scope, programId: resolved.program.id, from: query.from, to: query.to, asOf,
    kinds: ["STAFF", "STUDENT", "COMMUNITY"], withReach: query.line === "reach",
  });
  return { ...resolved, rows };
}

/**
 * The printable report: the scope's totals as of the period's last day (in that day's school year),
 * its regions and schools, the program's goals in the scope with their progress on that day, people
 * trained in the period, and growth month by month.
 */
export async function loadReachReport(query: ScopePeriod) {
  const resolved = await resolveQuery(query);
  if (!resolved.ok) return resolved;
  const { where, program, ymhfa } = resolved;
  const filters: ReachFilters = {
    schoolYear: schoolYearOf(query.to), asOf: query.to, programCode: program.code, regionId: null,
    audience: "all", q: "", sort: "name", dir: "asc", page: 1,
  };
  const scopeFilter = where.scope.scope === "REGION" ? { regionId: where.scope.regionId } : where.scope.scope === "SCHOOL" ? { schoolIds: [where.scope.schoolId] } : {};
  const [figures, goals, growth] = await Promise.all([
    reachFigures({ filters, programId: program.id, ymhfaProgramId: ymhfa?.id ?? null, scope: scopeFilter }),
    listGoalsWithProgress({ archived: false, asOf: query.to, programId: program.id, scope: where.scope }),
    growthSeries({ scope: where.scope, programId: program.id, from: query.from, to: query.to, asOf: query.to, kinds: ["STAFF", "STUDENT", "COMMUNITY"], withReach: false }),
  ]);
  // People trained in the period: growth's running total on its last month counts each person once from
  // the period's first day to its last (every kind, as of the last day), the count peopleTrainedInScope
  // makes; read from it rather than counted a second time.
  const peopleTrainedInPeriod = growth.at(-1)?.cumulativePeople ?? 0;
  const totals =
    where.scope.scope === "REGION" ? (figures.regions.find((r) => r.id === where.region?.id) ?? { ...figures.total, name: where.region?.name ?? "Region" })
    : where.scope.scope === "SCHOOL" ? { ...figures.total, name: where.school?.name ?? "School" }
    : { ...figures.total, name: "District" };
  return {
    ...resolved,
    schoolYear: filters.schoolYear,
    totals,
    regionRows: where.scope.scope === "DISTRICT" ? figures.regions : [],
    schoolRows: [...figures.schools].sort((a, b) => a.name.localeCompare(b.name, "en-US") || a.code.localeCompare(b.code)),
    peopleTrainedInPeriod,
    goals: goals.map((g) => ({ ...g, scopeLabel: scopeLabel(g) })),
    growth,
  };
}
