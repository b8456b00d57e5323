/**
 * Reach for program leads: district totals, every region, every school, per program and audience,
 * and the people behind each number. Counting happens in SQL (app/models/reach-sql.server.ts);
 * shares, readiness and sorting in app/domain/reach.ts.
 */
import { prisma } from "~/db.server";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { combinedReach, compareNullable, safetyProtocolInPlace, shareOf, TEEN_MHFA_READINESS_PERCENT, teenMhfaReady } from "~/domain/reach";
import { schoolYearBounds, type Audience, type ReachFilters, type SchoolSort } from "~/domain/reach-filters";
import { PEOPLE_LISTS, type PeopleListName } from "~/domain/reach-people";
import { ALL_TIME_YEAR, EXPIRING_WINDOW_DAYS, type RollupColumn } from "~/domain/reach-rollup";
import { maskPerson, type VisibilityViewer } from "~/models/people-visibility.server";
export { PEOPLE_LISTS, isPeopleListName, type PeopleListName } from "~/domain/reach-people";
import {
  firstIssuedOn, listPeopleBehind, type PersonListRow, rollupFigures, schoolDirectory, type SchoolDirectoryRow, schoolFigureForSort, schoolFiguresByProgram,
  schoolSumsByRegion, type SchoolSums, type RollupFigureRow, type ScopeFilter, type YearBounds,
} from "~/models/reach-sql.server";

export { EXPIRING_WINDOW_DAYS } from "~/domain/reach-rollup";
export const YMHFA_CODE = "YMHFA";

export type ProgramOption = { id: string; code: string; name: string };
export type RegionOption = { id: string; code: string; name: string };

export function listProgramOptions(): Promise<ProgramOption[]> {
  return prisma.program.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, code: true, name: true } });
}

export function listRegionOptions(): Promise<RegionOption[]> {
  return prisma.region.findMany({ orderBy: { name: "asc" }, select: { id: true, code: true, name: true } });
}

export type ResolvedFilters =
  | { ok: true; program: ProgramOption; ymhfa: ProgramOption | null; region: RegionOption | null; programs: ProgramOption[]; regions: RegionOption[] }
  | { ok: false; errors: Record<string, string>; programs: ProgramOption[]; regions: RegionOption[] };

/** Checks the program and region named in the query string exist; the program defaults to YMHFA. */
export async function resolveFilters(filters: Pick<ReachFilters, "programCode" | "regionId">): Promise<ResolvedFilters> {
  const [programs, regions] = await Promise.all([listProgramOptions(), listRegionOptions()]);
  const errors: Record<string, string> = {};
  const program = filters.programCode
    ? programs.find((p) => p.code.toLowerCase() === filters.programCode?.toLowerCase())
    : (programs.find((p) => p.code === YMHFA_CODE) ?? programs[0]);
  if (!program) errors.program = filters.programCode ? `Program "${filters.programCode}" is not an active program` : "There are no active programs yet";
  const region = filters.regionId ? (regions.find((r) => r.id === filters.regionId || r.code === filters.regionId) ?? null) : null;
  if (filters.regionId && !region) errors.region = `Region "${filters.regionId}" does not exist`;
  if (!program || Object.keys(errors).length > 0) return { ok: false, errors, programs, regions };
  const ymhfa = programs.find((p) => p.code === YMHFA_CODE) ?? null;
  return { ok: true, program, ymhfa, region, programs, regions };
}

/** A school of the directory (name, region, headcount) with its reach figures. */
export type SchoolReachRow = SchoolDirectoryRow & {
  staffCurrent: number;
  staffReach: number | null;
  staffTrainedYear: number;
  studentsTrainedYear: number;
  studentsTrainedAllTime: number | null;
  communityTrained: number;
  expiring: number;
  ymhfaStaffCurrent: number;
  ymhfaReach: number | null;
  /** Teen MHFA readiness: the staff share and the safety protocol (null without a headcount). */
  teenReady: boolean | null;
  /** The school's safety protocol is in place on the as-of day (the other half of readiness). */
  safetyProtocol: boolean;
};

export type AreaReachRow = {
  id: string;
  code: string;
  name: string;
  schools: number;
  schoolsWithoutHeadcount: number;
  staffHeadcount: number | null;
  /** Summed over schools with a headcount, as the reach share divides. */
  staffCurrentAtSchools: number;
  staffReach: number | null;
  /** Distinct people (a person at two schools once). */
  staffCurrentPeople: number;
  staffTrainedYear: number;
  studentsTrainedYear: number;
  studentsTrainedAllTime: number | null;
  communityTrained: number;
  expiring: number;
  teenReadySchools: number;
};

type Figures = Pick<RollupFigureRow, "counts" | "allTime" | "ymhfaStaffCurrent">;

function expiringFor(c: RollupFigureRow["counts"], audience: Audience): number {
  if (audience === "staff") return c.staffExpiring;
  if (audience === "students") return c.studentExpiring;
  if (audience === "community") return c.communityExpiring;
  return c.staffExpiring + c.studentExpiring + c.communityExpiring;
}

type FigureArgs = {
  filters: ReachFilters;
  programId: string;
  ymhfaProgramId: string | null;
  scope: ScopeFilter;
};

/**
 * The schools with a safety protocol on record, and since when (Teen MHFA readiness). One small read:
 * a district has a thousand schools at most.
 */
export async function safetyProtocols(): Promise<Map<string, Date>> {
  const schools = await prisma.school.findMany({ where: { safetyProtocolSince: { not: null } }, select: { id: true, safetyProtocolSince: true } });
  return new Map(schools.flatMap((s) => (s.safetyProtocolSince ? [[s.id, s.safetyProtocolSince] as const] : [])));
}

/** One school's row of the reach tables from its rollup figures. */
function schoolRow(
  s: { id: string; code: string; name: string; regionId: string; regionName: string; staffHeadcount: number | null },
  f: Figures,
  filters: ReachFilters,
  protocols: ReadonlyMap<string, Date>,
): SchoolReachRow {
  const wantStudents = filters.audience === "all" || filters.audience === "students";
  const safetyProtocol = safetyProtocolInPlace(protocols.get(s.id), filters.asOf);
  return {
    // Field by field, not `...s`: the spread took 20 µs a school here (20 ms of a 1,000-school dashboard).
    id: s.id, code: s.code, name: s.name, regionId: s.regionId, regionName: s.regionName, staffHeadcount: s.staffHeadcount,
    staffCurrent: f.counts.staffCurrent,
    staffReach: shareOf(f.counts.staffCurrent, s.staffHeadcount),
    staffTrainedYear: f.counts.staffYear,
    studentsTrainedYear: f.counts.studentYear,
    studentsTrainedAllTime: wantStudents ? f.allTime.student : null,
    communityTrained: f.counts.communityEver,
    expiring: expiringFor(f.counts, filters.audience),
    ymhfaStaffCurrent: f.ymhfaStaffCurrent,
    ymhfaReach: shareOf(f.ymhfaStaffCurrent, s.staffHeadcount),
    teenReady: teenMhfaReady(f.ymhfaStaffCurrent, s.staffHeadcount, safetyProtocol),
    safetyProtocol,
  };
}

/** An area's row (a region, the district): its sums over its schools, and its own figures (distinct people). */
function areaRow(id: string, code: string, name: string, sum: SchoolSums, f: Figures, filters: ReachFilters): AreaReachRow {
  const wantStudents = filters.audience === "all" || filters.audience === "students";
  return {
    id, code, name,
    schools: sum.schools,
    schoolsWithoutHeadcount: sum.schoolsWithoutHeadcount,
    staffHeadcount: sum.staffHeadcount,
    staffCurrentAtSchools: sum.staffCurrentAtSchools,
    staffReach: sum.staffHeadcount == null ? null : shareOf(sum.staffCurrentAtSchools, sum.staffHeadcount),
    staffCurrentPeople: f.counts.staffCurrent,
    staffTrainedYear: f.counts.staffYear,
    studentsTrainedYear: f.counts.studentYear,
    studentsTrainedAllTime: wantStudents ? f.allTime.student : null,
    communityTrained: f.counts.communityEver,
    expiring: expiringFor(f.counts, filters.audience),
    teenReadySchools: sum.teenReadySchools,
  };
}

/** The sums over schools' rows, when every school's row is at hand (app/domain/reach.ts combinedReach). */
function sumsOf(rows: SchoolReachRow[]): SchoolSums {
  const combined = combinedReach(rows);
  return {
    schools: rows.length,
    schoolsWithoutHeadcount: combined.schoolsWithoutHeadcount,
    staffHeadcount: combined.staffHeadcount,
    staffCurrentAtSchools: combined.staffCurrent,
    teenReadySchools: rows.filter((r) => r.teenReady === true).length,
  };
}

/**
 * The figures for every school in a scope, every region in it and the scope as a whole: one read of
 * the reach rollup (app/domain/reach-rollup.ts), one index seek per scope, however many records.
 */
export async function reachFigures({ filters, programId, ymhfaProgramId, scope }: FigureArgs) {
  const asOf = startOfDayUtc(filters.asOf);
  const [figures, protocols] = await Promise.all([rollupFigures({ schoolYear: filters.schoolYear, asOf, programId, ymhfaProgramId, scope }), safetyProtocols()]);

  const schoolRows: SchoolReachRow[] = figures
    .filter((f) => f.level === "school")
    .map((f) => schoolRow({ id: f.key, code: f.code, name: f.name, regionId: f.regionId, regionName: f.regionName, staffHeadcount: f.staffHeadcount }, f, filters, protocols));

  const regionFigures = new Map(figures.filter((f) => f.level === "region").map((f) => [f.key, f]));
  const byRegion = new Map<string, { code: string; name: string; rows: SchoolReachRow[] }>();
  for (const f of figures) {
    if (f.level !== "school") continue;
    const entry = byRegion.get(f.regionId) ?? { code: f.regionCode, name: f.regionName, rows: [] };
    byRegion.set(f.regionId, entry);
  }
  for (const row of schoolRows) byRegion.get(row.regionId)?.rows.push(row);
  const regionRows = [...byRegion.entries()]
    .map(([id, r]) => areaRow(id, r.code, r.name, sumsOf(r.rows), regionFigures.get(id) ?? EMPTY_FIGURES, filters))
    .sort((a, b) => BY_NAME.compare(a.name, b.name));
  // The scope's own distinct-people figures: the district's row, the region's, or the one school's.
  // (Several schools without their area would need distinct people across them; no page asks that.)
  if (scope.schoolIds && scope.schoolIds.length > 1) throw new Error("reachFigures: a scope of several schools has no total");
  const scopeFigures = scope.schoolIds
    ? figures.find((f) => f.level === "school")
    : scope.regionId
      ? regionFigures.get(scope.regionId)
      : figures.find((f) => f.level === "district");
  const total = areaRow("", "", "All schools", sumsOf(schoolRows), scopeFigures ?? EMPTY_FIGURES, filters);
  return { schools: schoolRows, regions: regionRows, total };
}

const EMPTY_FIGURES: Figures = {
  counts: {
    staffCurrent: 0, staffExpiring: 0, staffYear: 0, staffEver: 0,
    studentCurrent: 0, studentExpiring: 0, studentYear: 0, studentEver: 0,
    communityCurrent: 0, communityExpiring: 0, communityYear: 0, communityEver: 0,
  },
  allTime: { staff: 0, student: 0, community: 0 },
  ymhfaStaffCurrent: 0,
};

const SORT_VALUE: Record<SchoolSort, (r: SchoolReachRow) => number | string | null> = {
  name: (r) => r.name,
  code: (r) => r.code,
  region: (r) => r.regionName,
  headcount: (r) => r.staffHeadcount,
  current: (r) => r.staffCurrent,
  reach: (r) => r.staffReach,
  studentsYear: (r) => r.studentsTrainedYear,
  studentsAllTime: (r) => r.studentsTrainedAllTime,
  community: (r) => r.communityTrained,
  expiring: (r) => r.expiring,
  ymhfaReach: (r) => r.ymhfaReach,
};

/**
 * The orders of `a.localeCompare(b, "en-US")` and of compareNullable's text (`…, { numeric: true }`), from
 * collators made once: localeCompare with a locale makes a collator per call (about 15 µs), and sorting
 * 1,000 schools compares 10,000 times.
 */
const BY_NAME = new Intl.Collator("en-US");
const BY_TEXT_VALUE = new Intl.Collator("en-US", { numeric: true });

/** compareNullable (app/domain/reach.ts), with two texts compared by the collator made once. */
function compareValues(a: number | string | null, b: number | string | null, dir: "asc" | "desc"): number {
  if (typeof a === "string" && typeof b === "string") {
    const order = BY_TEXT_VALUE.compare(a, b);
    return dir === "asc" ? order : -order;
  }
  return compareNullable(a, b, dir);
}

/** Sorts schools by a column; ties fall back to the name so the order is stable. */
export function sortSchools(rows: SchoolReachRow[], sort: SchoolSort, dir: "asc" | "desc"): SchoolReachRow[] {
  return sortRows(rows, SORT_VALUE[sort], dir);
}

function sortRows<T extends { id: string; name: string }>(rows: T[], value: (r: T) => number | string | null, dir: "asc" | "desc"): T[] {
  return [...rows].sort((a, b) => compareValues(value(a), value(b), dir) || BY_NAME.compare(a.name, b.name) || a.id.localeCompare(b.id));
}

export function filterSchools<T extends { name: string; code: string }>(rows: T[], q: string): T[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter((r) => r.name.toLowerCase().includes(needle) || r.code.toLowerCase().includes(needle));
}

/** Sorts that need no figure: the dashboard sorts and pages its schools before reading any figure. */
const DIRECTORY_SORT_VALUE: Partial<Record<SchoolSort, (r: SchoolDirectoryRow) => number | string | null>> = {
  name: (r) => r.name,
  code: (r) => r.code,
  region: (r) => r.regionName,
  headcount: (r) => r.staffHeadcount,
};

export const SCHOOLS_PER_PAGE = 100;

/**
 * The district dashboard: whole-district totals, every region, and one page of schools for one program.
 * The region filter narrows the regions and schools shown; the district line stays whole.
 *
 * Its cost does not grow with the schools' figures (docs/decisions/018): the regions' and the district's sums over
 * their schools come from SQL (one row per region), and the schools are sorted and paged before their figures are
 * read, so only a page's figures are read; an order by a figure reads that one figure of every school (one seek each).
 * `page: "all"`: every school, for the CSV export.
 */
export async function reachDashboard(
  filters: ReachFilters,
  resolved: { program: ProgramOption; ymhfa: ProgramOption | null; region: RegionOption | null },
  { page = filters.page, pageSize = SCHOOLS_PER_PAGE }: { page?: number | "all"; pageSize?: number } = {},
) {
  const asOf = startOfDayUtc(filters.asOf);
  const figureArgs = { schoolYear: filters.schoolYear, asOf, programId: resolved.program.id, ymhfaProgramId: resolved.ymhfa?.id ?? null };
  const regionId = resolved.region?.id ?? null;
  const [areaFigures, sums, directory, protocols] = await Promise.all([
    rollupFigures({ ...figureArgs, scope: {}, levels: "areas" }),
    schoolSumsByRegion({ ...figureArgs, readinessPercent: TEEN_MHFA_READINESS_PERCENT }),
    schoolDirectory({ schoolYear: filters.schoolYear, regionId }),
    safetyProtocols(),
  ]);
  const regionRows = areaFigures
    .filter((f) => f.level === "region" && sums.has(f.key) && (!regionId || f.key === regionId))
    .map((f) => areaRow(f.key, f.code, f.name, sums.get(f.key) ?? NO_SCHOOLS, f, filters))
    .sort((a, b) => BY_NAME.compare(a.name, b.name));
  const district = areaRow("", "", "All schools", addSums([...sums.values()]), areaFigures.find((f) => f.level === "district") ?? EMPTY_FIGURES, filters);

  // The schools: filtered, then sorted and paged by what the directory holds, or by their figures.
  const listed = filterSchools(directory, filters.q);
  const byDirectory = DIRECTORY_SORT_VALUE[filters.sort];
  const pageCount = Math.max(1, Math.ceil(listed.length / pageSize));
  const shownPage = page === "all" ? 1 : Math.min(Math.max(1, page), pageCount);
  const slice = <T,>(rows: T[]) => (page === "all" ? rows : rows.slice((shownPage - 1) * pageSize, shownPage * pageSize));
  // A figure's order reads that one figure of every school listed (one seek each); then the page's figures.
  const byFigure = byDirectory ? null : await figureSortValue(filters, figureArgs, regionId);
  const ordered = slice(byDirectory ? sortRows(listed, byDirectory, filters.dir) : sortRows(listed, (r) => byFigure?.(r) ?? null, filters.dir));
  const figures = new Map(
    (await rollupFigures({ ...figureArgs, scope: { schoolIds: ordered.map((s) => s.id) } })).filter((f) => f.level === "school").map((f) => [f.key, f]),
  );
  const schools = ordered.map((s) => schoolRow(s, figures.get(s.id) ?? EMPTY_FIGURES, filters, protocols));
  return { district, regions: regionRows, schools, schoolCount: listed.length, page: shownPage, pageCount };
}

/** What each figure order sorts by (SORT_VALUE's figure columns, from the one rollup column sum it needs). */
async function figureSortValue(
  filters: ReachFilters,
  args: { schoolYear: number; asOf: Date; programId: string; ymhfaProgramId: string | null },
  regionId: string | null,
): Promise<(r: SchoolDirectoryRow) => number | null> {
  const read = (columns: readonly RollupColumn[], over: { schoolYear?: number; programId?: string } = {}) =>
    schoolFigureForSort({ schoolYear: over.schoolYear ?? args.schoolYear, asOf: args.asOf, programId: over.programId ?? args.programId, columns, regionId });
  const of = (values: Map<string, number>) => (r: SchoolDirectoryRow) => values.get(r.id) ?? 0;
  switch (filters.sort) {
    case "current": return of(await read(["staffCurrent"]));
    case "studentsYear": return of(await read(["studentYear"]));
    case "community": return of(await read(["communityEver"]));
    case "expiring": return of(await read(EXPIRING_COLUMNS[filters.audience]));
    case "studentsAllTime": {
      if (filters.audience !== "all" && filters.audience !== "students") return () => null;
      return of(await read(["studentYear"], { schoolYear: ALL_TIME_YEAR }));
    }
    case "reach": {
      const current = of(await read(["staffCurrent"]));
      return (r) => shareOf(current(r), r.staffHeadcount);
    }
    case "ymhfaReach": {
      const current = args.ymhfaProgramId ? of(await read(["staffCurrent"], { programId: args.ymhfaProgramId })) : () => 0;
      return (r) => shareOf(current(r), r.staffHeadcount);
    }
    default: throw new Error(`figureSortValue: ${filters.sort} is not a figure`);
  }
}

const EXPIRING_COLUMNS: Record<Audience, readonly RollupColumn[]> = {
  all: ["staffExpiring", "studentExpiring", "communityExpiring"],
  staff: ["staffExpiring"],
  students: ["studentExpiring"],
  community: ["communityExpiring"],
};

const NO_SCHOOLS: SchoolSums = { schools: 0, schoolsWithoutHeadcount: 0, staffHeadcount: null, staffCurrentAtSchools: 0, teenReadySchools: 0 };

function addSums(all: SchoolSums[]): SchoolSums {
  const total = { ...NO_SCHOOLS };
  let headcount = 0;
  for (const s of all) {
    total.schools += s.schools;
    total.schoolsWithoutHeadcount += s.schoolsWithoutHeadcount;
    headcount += s.staffHeadcount ?? 0;
    total.staffCurrentAtSchools += s.staffCurrentAtSchools;
    total.teenReadySchools += s.teenReadySchools;
  }
  return { ...total, staffHeadcount: total.schools > total.schoolsWithoutHeadcount ? headcount : null };
}

export function getRegionById(regionId: string) {
  return prisma.region.findUnique({ where: { id: regionId }, select: { id: true, code: true, name: true } });
}

/** One region: its figures and every school in it. */
export async function regionReach(region: RegionOption, filters: ReachFilters, resolved: { program: ProgramOption; ymhfa: ProgramOption | null }) {
  const figures = await reachFigures({ filters, programId: resolved.program.id, ymhfaProgramId: resolved.ymhfa?.id ?? null, scope: { regionId: region.id } });
  const totals = figures.regions.find((r) => r.id === region.id) ?? { ...figures.total, id: region.id, code: region.code, name: region.name };
  return { totals, schools: sortSchools(filterSchools(figures.schools, filters.q), filters.sort, filters.dir) };
}

export function getSchoolById(schoolId: string) {
  return prisma.school.findUnique({
    where: { id: schoolId },
    select: { id: true, code: true, name: true, active: true, region: { select: { id: true, code: true, name: true } } },
  });
}

/** One school, every active program: the per-program figures of its dashboard row (one rollup read). */
export async function schoolReachByProgram(
  school: { id: string; code: string; name: string; region: { id: string; name: string } },
  filters: ReachFilters,
  programs: ProgramOption[],
  ymhfa: ProgramOption | null,
) {
  const protocols = await safetyProtocols();
  const figures = await schoolFiguresByProgram({
    schoolId: school.id,
    schoolYear: filters.schoolYear,
    asOf: startOfDayUtc(filters.asOf),
    programIds: programs.map((p) => p.id),
    ymhfaProgramId: ymhfa?.id ?? null,
  });
  return programs.flatMap((program) => {
    const f = figures.get(program.id);
    if (!f) return [];
    const row = schoolRow({ id: school.id, code: school.code, name: school.name, regionId: school.region.id, regionName: school.region.name, staffHeadcount: f.staffHeadcount }, f, filters, protocols);
    return [{ program, ...row }];
  });
}

/** The school years from the program's first certificate to the as-of day: "all time". */
async function allTimeYears(programId: string, asOf: Date): Promise<YearBounds[]> {
  const first = await firstIssuedOn(programId);
  if (!first) return [];
  const years: YearBounds[] = [];
  for (let y = schoolYearOf(first); y <= schoolYearOf(asOf); y += 1) years.push({ year: y, ...schoolYearBounds(y) });
  return years;
}

export const PEOPLE_PAGE_SIZE = 50;

/**
 * The people behind one figure, a page at a time. The route decides whether a students' list is
 * shown at all; each person then goes through person-visibility, so a student who has since
 * moved to another school is counted, not named (hiddenCount).
 */
export async function peopleBehind(args: {
  viewer: VisibilityViewer;
  list: PeopleListName;
  filters: ReachFilters;
  programId: string;
  scope: ScopeFilter;
  page: number;
  /** The Next and Previous links: the page starts right after, or ends right before, this person. */
  after?: string | null;
  before?: string | null;
  pageSize?: number;
}) {
  const { kind, measure } = PEOPLE_LISTS[args.list];
  const asOf = startOfDayUtc(args.filters.asOf);
  const pageSize = args.pageSize ?? PEOPLE_PAGE_SIZE;
  const years = measure === "trainedAllTime" ? await allTimeYears(args.programId, asOf) : [];
  const result = await listPeopleBehind({
    measure,
    kind,
    schoolYear: args.filters.schoolYear,
    asOf,
    expiringBefore: addDays(asOf, EXPIRING_WINDOW_DAYS),
    year: { year: args.filters.schoolYear, ...schoolYearBounds(args.filters.schoolYear) },
    years,
    programId: args.programId,
    scope: args.scope,
    limit: pageSize,
    position: args.after ? { after: args.after } : args.before ? { before: args.before } : { offset: (Math.max(1, args.page) - 1) * pageSize },
  });
  const studentIds = result.rows.filter((r) => r.kind === "STUDENT").map((r) => r.personId);
  const affiliations = studentIds.length === 0 ? []
    : await prisma.affiliation.findMany({ where: { personId: { in: studentIds } }, select: { personId: true, schoolId: true, schoolYear: true } });
  const people = [];
  let hiddenCount = 0;
  for (const r of result.rows) {
    const kind = r.kind === "STUDENT" || r.kind === "STAFF" || r.kind === "COMMUNITY" ? r.kind : "STUDENT";
    const shown = maskPerson(args.viewer, {
      id: r.personId, kind, firstName: r.firstName, lastName: r.lastName, districtId: r.districtId, email: null,
      affiliations: affiliations.filter((a) => a.personId === r.personId),
    }, { via: "reach" });
    if (shown.hidden) {
      hiddenCount += 1;
      continue;
    }
    people.push({
      id: shown.id,
      name: `${shown.lastName}, ${shown.firstName}`,
      districtId: shown.districtId,
      kind: r.kind,
      school: r.schools,
      latestIssuedOn: toDate(r.latestIssuedOn),
      coverageEnds: toDate(r.coverageEnds),
    });
  }
  // The Next and Previous links start from the page's last and first person, named only when the viewer
  // may see them (a hidden student's id never goes into a link: that page is then reached by number).
  const first = result.rows[0];
  const last = result.rows[result.rows.length - 1];
  const shownIds = new Set(people.map((p): string => p.id));
  const visible = (row: PersonListRow | undefined) => row != null && shownIds.has(row.personId);
  return {
    total: result.total, page: args.page, pageCount: Math.max(1, Math.ceil(result.total / pageSize)), people, hiddenCount,
    nextAfter: visible(last) ? last.personId : null,
    previousBefore: visible(first) ? first.personId : null,
  };
}

/** Raw rows carry dates as the adapter stores them (ISO text in SQLite); pages get Date or null. */
function toDate(value: Date | string | null): Date | null {
  if (value == null) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/* ---------- Page loaders: what each route (and the benchmark) calls ---------- */

export type FilterProblem = { ok: false; errors: Record<string, string>; programs: ProgramOption[]; regions: RegionOption[] };

/** The district dashboard: filters checked against the database, then the figures. */
export async function loadReachDashboard(filters: ReachFilters, options: { page?: number | "all" } = {}) {
  const resolved = await resolveFilters(filters);
  if (!resolved.ok) return resolved;
  const dashboard = await reachDashboard(filters, resolved, { page: options.page });
  return { ...resolved, ...dashboard };
}

/** A region page: its figures, its schools, and (optionally) the people behind one figure. */
export async function loadRegionReachPage(args: { viewer: VisibilityViewer; regionId: string; filters: ReachFilters; list: PeopleListName | null; listPage: number; listAfter?: string | null; listBefore?: string | null; showStudentNames: boolean }) {
  const region = await getRegionById(args.regionId);
  if (!region) return null;
  const resolved = await resolveFilters({ programCode: args.filters.programCode, regionId: null });
  if (!resolved.ok) return { region, ...resolved };
  const figures = await regionReach(region, args.filters, resolved);
  const people = args.list && (args.showStudentNames || PEOPLE_LISTS[args.list].kind !== "STUDENT")
    ? await peopleBehind({ viewer: args.viewer, list: args.list, filters: args.filters, programId: resolved.program.id, scope: { regionId: region.id }, page: args.listPage, after: args.listAfter, before: args.listBefore })
    : null;
  return { ...resolved, region, ...figures, people };
}

/** A school page: every program's figures for the school, and (optionally) the people behind one figure. */
export async function loadSchoolReachPage(args: { viewer: VisibilityViewer; schoolId: string; filters: ReachFilters; list: PeopleListName | null; listPage: number; listAfter?: string | null; listBefore?: string | null; showStudentNames: boolean }) {
  const school = await getSchoolById(args.schoolId);
  if (!school) return null;
  const resolved = await resolveFilters({ programCode: args.filters.programCode, regionId: null });
  if (!resolved.ok) return { school, ...resolved };
  const byProgram = await schoolReachByProgram(school, args.filters, resolved.programs, resolved.ymhfa);
  const people = args.list && (args.showStudentNames || PEOPLE_LISTS[args.list].kind !== "STUDENT")
    ? await peopleBehind({ viewer: args.viewer, list: args.list, filters: args.filters, programId: resolved.program.id, scope: { schoolIds: [school.id] }, page: args.listPage, after: args.listAfter, before: args.listBefore })
    : null;
  return { ...resolved, school, byProgram, people };
}
