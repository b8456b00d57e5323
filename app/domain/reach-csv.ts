/**
 * The reach pages' tables as CSV: the same columns the page shows (by audience), one header row, every
 * value as text. Pure: the export routes turn these into a file (app/utils/csv-response.server.ts).
 *
 * Numbers stay numbers a spreadsheet can add up (no thousands separators, shares as percent with one
 * decimal). A school without a headcount has no reach: its cells say "no headcount", never 0 or NaN.
 */
import { GOAL_STATUS_LABELS, type GoalStatus } from "./reach";

export const NO_HEADCOUNT = "no headcount";

export type CsvTable = { header: string[]; rows: string[][] };
export type AudienceColumns = { staff: boolean; students: boolean; community: boolean };

/** Which columns an audience filter shows (as on the page). */
export function columnsFor(audience: string): AudienceColumns {
  return {
    staff: audience === "all" || audience === "staff",
    students: audience === "all" || audience === "students",
    community: audience === "all" || audience === "community",
  };
}

const count = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? "" : String(n));
/** A share (0-1) as a percentage with one decimal: 0.4286 -> "42.9". */
export const percentCell = (share: number | null | undefined): string =>
  share == null || !Number.isFinite(share) ? NO_HEADCOUNT : (share * 100).toFixed(1);
const headcountCell = (n: number | null | undefined): string => (n == null ? NO_HEADCOUNT : String(n));
const isoDay = (d: Date | string | null | undefined): string => {
  if (d == null) return "";
  const date = typeof d === "string" ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 10);
};

type Column<T> = { header: string; cell: (row: T) => string; when?: keyof AudienceColumns };

function table<T>(columns: Array<Column<T>>, rows: T[], show: AudienceColumns): CsvTable {
  const shown = columns.filter((c) => !c.when || show[c.when]);
  return { header: shown.map((c) => c.header), rows: rows.map((r) => shown.map((c) => c.cell(r))) };
}

export type AreaCsvRow = {
  code: string;
  name: string;
  schools: number;
  schoolsWithoutHeadcount: number;
  staffHeadcount: number | null;
  staffCurrentAtSchools: number;
  staffReach: number | null;
  staffCurrentPeople: number;
  studentsTrainedYear: number;
  studentsTrainedAllTime: number | null;
  communityTrained: number;
  expiring: number;
  teenReadySchools: number;
};

/** The district totals, or the regions, as on the dashboard and region pages. */
export function areaCsv(rows: AreaCsvRow[], show: AudienceColumns): CsvTable {
  return table<AreaCsvRow>(
    [
      { header: "Area", cell: (r) => r.name },
      { header: "Code", cell: (r) => r.code },
      { header: "Schools", cell: (r) => count(r.schools) },
      { header: "Schools without a staff headcount", cell: (r) => count(r.schoolsWithoutHeadcount) },
      { header: "Staff headcount", cell: (r) => headcountCell(r.staffHeadcount), when: "staff" },
      { header: "Staff current (at schools)", cell: (r) => count(r.staffCurrentAtSchools), when: "staff" },
      { header: "Staff reach (%)", cell: (r) => percentCell(r.staffReach), when: "staff" },
      { header: "Staff current (distinct people)", cell: (r) => count(r.staffCurrentPeople), when: "staff" },
      { header: "Students trained this year", cell: (r) => count(r.studentsTrainedYear), when: "students" },
      { header: "Students trained, all time", cell: (r) => count(r.studentsTrainedAllTime), when: "students" },
      { header: "Community partners trained", cell: (r) => count(r.communityTrained), when: "community" },
      { header: "Expiring in 90 days", cell: (r) => count(r.expiring) },
      { header: "Schools ready for Teen MHFA", cell: (r) => count(r.teenReadySchools) },
    ],
    rows,
    show,
  );
}

export type SchoolCsvRow = {
  code: string;
  name: string;
  regionName: string;
  staffHeadcount: number | null;
  staffCurrent: number;
  staffReach: number | null;
  studentsTrainedYear: number;
  studentsTrainedAllTime: number | null;
  communityTrained: number;
  expiring: number;
  ymhfaStaffCurrent: number;
  ymhfaReach: number | null;
  teenReady: boolean | null;
};

/** Every school of the dashboard or a region, in the page's order. */
export function schoolCsv(rows: SchoolCsvRow[], show: AudienceColumns): CsvTable {
  return table<SchoolCsvRow>(
    [
      { header: "School", cell: (r) => r.name },
      { header: "Code", cell: (r) => r.code },
      { header: "Region", cell: (r) => r.regionName },
      { header: "Staff headcount", cell: (r) => headcountCell(r.staffHeadcount), when: "staff" },
      { header: "Staff current", cell: (r) => count(r.staffCurrent), when: "staff" },
      { header: "Staff reach (%)", cell: (r) => percentCell(r.staffReach), when: "staff" },
      { header: "Students trained this year", cell: (r) => count(r.studentsTrainedYear), when: "students" },
      { header: "Students trained, all time", cell: (r) => count(r.studentsTrainedAllTime), when: "students" },
      { header: "Community partners trained", cell: (r) => count(r.communityTrained), when: "community" },
      { header: "Expiring in 90 days", cell: (r) => count(r.expiring) },
      { header: "Staff with a current YMHFA certificate", cell: (r) => count(r.ymhfaStaffCurrent) },
      { header: "Staff with YMHFA (%)", cell: (r) => percentCell(r.ymhfaReach) },
      { header: "Teen MHFA readiness", cell: (r) => (r.teenReady == null ? NO_HEADCOUNT : r.teenReady ? "Ready" : "Not yet") },
    ],
    rows,
    show,
  );
}

export type ProgramCsvRow = Omit<SchoolCsvRow, "code" | "name" | "regionName"> & { program: { code: string; name: string } };

/** One school, every program (the school page's first table). */
export function schoolProgramsCsv(rows: ProgramCsvRow[]): CsvTable {
  return table<ProgramCsvRow>(
    [
      { header: "Program", cell: (r) => r.program.name },
      { header: "Program code", cell: (r) => r.program.code },
      { header: "Staff headcount", cell: (r) => headcountCell(r.staffHeadcount) },
      { header: "Staff current", cell: (r) => count(r.staffCurrent) },
      { header: "Staff reach (%)", cell: (r) => percentCell(r.staffReach) },
      { header: "Students trained this year", cell: (r) => count(r.studentsTrainedYear) },
      { header: "Students trained, all time", cell: (r) => count(r.studentsTrainedAllTime) },
      { header: "Community partners trained", cell: (r) => count(r.communityTrained) },
      { header: "Expiring in 90 days", cell: (r) => count(r.expiring) },
    ],
    rows,
    { staff: true, students: true, community: true },
  );
}

const KIND_LABELS: Record<string, string> = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" };

export type PersonCsvRow = { name: string; districtId: string | null; kind: string; school: string; latestIssuedOn: Date | string | null; coverageEnds: Date | string | null };

/** The people behind a figure (every page of the list). */
export function peopleCsv(rows: PersonCsvRow[]): CsvTable {
  return table<PersonCsvRow>(
    [
      { header: "Name", cell: (r) => r.name },
      { header: "District ID", cell: (r) => r.districtId ?? "" },
      { header: "Kind", cell: (r) => KIND_LABELS[r.kind] ?? r.kind },
      { header: "School", cell: (r) => r.school },
      { header: "Latest certificate issued", cell: (r) => isoDay(r.latestIssuedOn) },
      { header: "Current until", cell: (r) => isoDay(r.coverageEnds) },
    ],
    rows,
    { staff: true, students: true, community: true },
  );
}

export type GoalCsvRow = {
  measure: string;
  target: number;
  startsOn: Date | string;
  deadline: Date | string;
  scopeLabel: string;
  program: { name: string };
  progress: {
    status: GoalStatus;
    value: number | null;
    progress: number | null;
    neededPer30Days: number | null;
    currentPer30Days: number | null;
    projectedAtDeadline: number | null;
  };
};

/** A goal's figure in its unit: whole people, or percent of staff with one decimal. */
function goalValue(measure: string, value: number | null): string {
  if (value == null || !Number.isFinite(value)) return "";
  return measure === "STAFF_REACH" ? value.toFixed(1) : String(Math.round(value));
}
const pace = (v: number | null) => (v == null || !Number.isFinite(v) ? "" : v.toFixed(1));

/** The goal list: each goal with its progress, pace and status. */
export function goalsCsv(rows: GoalCsvRow[]): CsvTable {
  return table<GoalCsvRow>(
    [
      { header: "Measure", cell: (g) => (g.measure === "STAFF_REACH" ? "Staff reach (%)" : "People trained") },
      { header: "Target", cell: (g) => goalValue(g.measure, g.target) },
      { header: "Scope", cell: (g) => g.scopeLabel },
      { header: "Program", cell: (g) => g.program.name },
      { header: "Starts on", cell: (g) => isoDay(g.startsOn) },
      { header: "Deadline", cell: (g) => isoDay(g.deadline) },
      { header: "Progress", cell: (g) => goalValue(g.measure, g.progress.value) },
      { header: "Progress (% of target)", cell: (g) => (g.progress.progress == null ? "" : String(Math.round(g.progress.progress * 100))) },
      { header: "Pace needed (per 30 days)", cell: (g) => pace(g.progress.neededPer30Days) },
      { header: "Current pace, last 90 days (per 30 days)", cell: (g) => pace(g.progress.currentPer30Days) },
      { header: "Projected at deadline", cell: (g) => goalValue(g.measure, g.progress.projectedAtDeadline) },
      { header: "Status", cell: (g) => GOAL_STATUS_LABELS[g.progress.status] },
    ],
    rows,
    { staff: true, students: true, community: true },
  );
}

export type GrowthCsvRow = { month: string; trained: number | null; newPeople: number | null; cumulativePeople: number | null; staffReachPercent: number | null };

/** Growth over time, month by month; months not yet begun are blank. */
export function growthCsv(rows: GrowthCsvRow[], withReach: boolean): CsvTable {
  return table<GrowthCsvRow>(
    [
      { header: "Month", cell: (r) => r.month },
      { header: "People trained", cell: (r) => count(r.trained) },
      { header: "Trained for the first time", cell: (r) => count(r.newPeople) },
      { header: "Running total (distinct people)", cell: (r) => count(r.cumulativePeople) },
      {
        header: "Staff reach at month end (%)",
        cell: (r) => (r.trained == null ? "" : r.staffReachPercent == null || !Number.isFinite(r.staffReachPercent) ? NO_HEADCOUNT : r.staffReachPercent.toFixed(1)),
        when: "staff",
      },
    ],
    rows,
    { staff: withReach, students: true, community: true },
  );
}

/** A file name from its parts: lower case, letters, digits and dashes only. */
export function csvFileName(parts: Array<string | null | undefined>): string {
  const slug = parts
    .filter((p): p is string => Boolean(p))
    .map((p) => p.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""))
    .filter(Boolean)
    .join("-");
  return `${slug || "export"}.csv`;
}

/** The ?table= of an export: one of the page's tables; absent means the first. */
export function parseCsvTable<T extends string>(value: string | null, tables: readonly T[]): { ok: true; table: T } | { ok: false; error: string } {
  if (value == null || value === "") return { ok: true, table: tables[0] };
  const found = tables.find((t) => t === value);
  return found ? { ok: true, table: found } : { ok: false, error: `Table must be one of: ${tables.join(", ")}` };
}
