/**
 * THE raw-SQL module for reach: every query behind the reach dashboard, the drill-down pages, goal
 * progress and growth lives here, and nowhere else (docs/decisions/005-reach-rollups.md). The rollup's
 * upkeep, and its safety with several app instances, is app/models/reach-rollup.server.ts.
 *
 * Figures (dashboard, region and school pages, staff reach for goals) are read from the rollup: one
 * index seek per scope for the as-of day, so their cost grows with the number of schools, not with the
 * number of certificates. The people behind a figure, growth by month and people trained in a period
 * are counted from the records, with the same rules, for one scope at a time.
 *
 * Written once for SQLite and PostgreSQL (docs/decisions/016-postgresql.md): only standard SQL — CTEs
 * (WITH … AS MATERIALIZED), CASE, COUNT(DISTINCT), UNION ALL, ORDER BY … LIMIT in a subquery — quoted
 * identifiers, and every value a bound parameter (Prisma.sql), never spliced text. Lists of dates go in
 * as jsonTable (each column cast to its type: PostgreSQL reads an untyped VALUES date as text); counts
 * come back as bigint on PostgreSQL and go through Number().
 *
 * The counting rules, shared by every query:
 * - a person belongs to a school in a school year through an Affiliation (schoolId, schoolYear);
 *   a person at two schools counts at both;
 * - a person is counted once however many certificates they hold ("who" = the record a duplicate was
 *   merged into, else the person), so training twice or renewing never double counts;
 * - "current on D" = issued on or before D and not expired on D (expiresOn null or after D);
 * - a revoked certificate (revokedAt set: issued by mistake) counts for nothing.
 */
import { prisma } from "~/db.server";
import { indexedBy, jsonTable } from "~/db/dialect.server";
import { Prisma } from "~/generated/prisma/client";
import type { PersonListKind, PersonListMeasure } from "~/domain/reach-people";
import { ALL_TIME_YEAR, dayNumber, ROLLUP_COLUMNS, type RollupColumn } from "~/domain/reach-rollup";
import { refreshReachRollups } from "~/models/reach-rollup.server";

const NEVER = new Date(Date.UTC(9999, 11, 31));

type Num = number | bigint | null;
const n = (v: Num): number => (v == null ? 0 : Number(v));

export type YearBounds = { year: number; startsOn: Date; endsBefore: Date };

export type ScopeFilter = { regionId?: string | null; schoolIds?: string[] | null };

function scopeWhere(scope: ScopeFilter, schoolAlias: Prisma.Sql, regionAlias: Prisma.Sql): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (scope.regionId) parts.push(Prisma.sql`${regionAlias} = ${scope.regionId}`);
  if (scope.schoolIds) {
    parts.push(scope.schoolIds.length ? Prisma.sql`${schoolAlias} IN (${Prisma.join(scope.schoolIds)})` : Prisma.sql`1 = 0`);
  }
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

export type FactLevel = "school" | "region" | "district";

/** The figures of one scope read from the rollup: counts for the school year and program on the as-of day. */
export type RollupFigureRow = {
  level: FactLevel;
  /** School or region id; "" for the district. */
  key: string;
  code: string;
  name: string;
  regionId: string;
  regionCode: string;
  regionName: string;
  /** Schools only: the staff headcount for the school year, null when there is none. */
  staffHeadcount: number | null;
  counts: Record<RollupColumn, number>;
  /** People trained while at the scope, all school years up to the as-of day. */
  allTime: { staff: number; student: number; community: number };
  /** Staff holding a current YMHFA certificate (Teen MHFA readiness), whatever the program shown. */
  ymhfaStaffCurrent: number;
};

const LEVEL_OF: Record<string, FactLevel> = { S: "school", R: "region", D: "district" };
const col = (name: string) => Prisma.raw(`"${name}"`);

/** The rollup row of a scope that holds on the as-of day: the latest one on or before it (one index seek). */
function rollupJoin(alias: string, schoolYear: number, programId: string, day: number): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`LEFT JOIN "ReachRollup" ${a} ON ${a}."schoolYear" = ${schoolYear} AND ${a}."programId" = ${programId}
    AND ${a}."level" = sc."level" AND ${a}."scopeId" = sc."scopeId"
    AND ${a}."day" = (SELECT x."day" FROM "ReachRollup" x WHERE x."schoolYear" = ${schoolYear} AND x."programId" = ${programId}
      AND x."level" = sc."level" AND x."scopeId" = sc."scopeId" AND x."day" <= ${day} ORDER BY x."day" DESC LIMIT 1)`;
}

/**
 * Every figure of the reach pages for a scope, from the rollup (app/domain/reach-rollup.ts): one row per
 * active school in the scope with its headcount, and for the district or a region their own rows
 * (distinct people: a person at two schools once). The queue of changed people is applied first.
 */
export async function rollupFigures(args: {
  schoolYear: number;
  asOf: Date;
  programId: string;
  ymhfaProgramId: string | null;
  scope: ScopeFilter;
  /** "areas": only the region and district rows (the dashboard reads its schools a page at a time). */
  levels?: "all" | "areas";
}): Promise<RollupFigureRow[]> {
  await refreshReachRollups();
  const { schoolYear, programId, scope } = args;
  const day = dayNumber(args.asOf);
  // No YMHFA program: nobody holds it (the school page counts the same way).
  const ymhfa = args.ymhfaProgramId ?? "";
  // Showing YMHFA itself (the default), readiness comes from the same row: one seek per scope fewer.
  const sameProgram = ymhfa === programId;
  const schoolFilter = scopeWhere(scope, Prisma.sql`s."id"`, Prisma.sql`s."regionId"`);
  const areas = scope.schoolIds
    ? Prisma.empty
    : scope.regionId
      ? Prisma.sql`UNION ALL SELECT 'R', r."id", r."code", r."name", r."id", r."code", r."name", NULL FROM "Region" r WHERE r."id" = ${scope.regionId}`
      : Prisma.sql`UNION ALL SELECT 'R', r."id", r."code", r."name", r."id", r."code", r."name", NULL FROM "Region" r
          UNION ALL SELECT 'D', '', '', 'All schools', '', '', '', NULL`;
  // Areas only: the schools' part of the scope list matches nothing (the UNION keeps its column types).
  const schoolsWanted = args.levels === "areas" ? Prisma.sql`AND 1 = 0` : Prisma.empty;
  const rows = await prisma.$queryRaw<Array<Record<string, string | Num>>>`
    WITH sc("level", "scopeId", "code", "name", "regionId", "regionCode", "regionName", "staffCount") AS (
      SELECT 'S', s."id", s."code", s."name", r."id", r."code", r."name", h."staffCount"
      FROM "School" s
      JOIN "Region" r ON r."id" = s."regionId"
      LEFT JOIN "Headcount" h ON h."schoolId" = s."id" AND h."schoolYear" = ${schoolYear}
      WHERE s."active" = ${true} ${schoolFilter} ${schoolsWanted}
      ${areas}
    )
    SELECT sc."level", sc."scopeId", sc."code", sc."name", sc."regionId", sc."regionCode", sc."regionName", sc."staffCount",
      ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.sql`f.${col(c)}`))},
      a."staffYear" AS "staffAllTime", a."studentYear" AS "studentAllTime", a."communityYear" AS "communityAllTime",
      ${sameProgram ? Prisma.sql`f."staffCurrent"` : Prisma.sql`m."staffCurrent"`} AS "ymhfaStaffCurrent"
    FROM sc
    ${rollupJoin("f", schoolYear, programId, day)}
    ${rollupJoin("a", ALL_TIME_YEAR, programId, day)}
    ${sameProgram ? Prisma.empty : rollupJoin("m", schoolYear, ymhfa, day)}`;
  return rows.map((r) => {
    const counts = countsOf(r);
    return {
      level: LEVEL_OF[String(r.level)] ?? "school",
      key: String(r.scopeId ?? ""),
      code: String(r.code ?? ""),
      name: String(r.name ?? ""),
      regionId: String(r.regionId ?? ""),
      regionCode: String(r.regionCode ?? ""),
      regionName: String(r.regionName ?? ""),
      staffHeadcount: r.staffCount == null ? null : n(num(r.staffCount)),
      counts,
      allTime: { staff: n(num(r.staffAllTime)), student: n(num(r.studentAllTime)), community: n(num(r.communityAllTime)) },
      ymhfaStaffCurrent: n(num(r.ymhfaStaffCurrent)),
    };
  });
}

/** A school as the dashboard lists it before any figure is read: what it is sorted, filtered and paged by. */
export type SchoolDirectoryRow = {
  id: string;
  code: string;
  name: string;
  regionId: string;
  regionName: string;
  /** The staff headcount for the school year, null when there is none. */
  staffHeadcount: number | null;
};

/** Every active school (of a region, when given) with its region and headcount, in name order; no figures. */
export async function schoolDirectory(args: { schoolYear: number; regionId: string | null }): Promise<SchoolDirectoryRow[]> {
  const rows = await prisma.$queryRaw<Array<Record<string, string | Num>>>`
    SELECT s."id", s."code", s."name", r."id" AS "regionId", r."name" AS "regionName", h."staffCount"
    FROM "School" s
    JOIN "Region" r ON r."id" = s."regionId"
    LEFT JOIN "Headcount" h ON h."schoolId" = s."id" AND h."schoolYear" = ${args.schoolYear}
    WHERE s."active" = ${true} ${scopeWhere({ regionId: args.regionId }, Prisma.sql`s."id"`, Prisma.sql`s."regionId"`)}
    ORDER BY s."name", s."id"`;
  return rows.map((r) => ({
    id: String(r.id), code: String(r.code), name: String(r.name), regionId: String(r.regionId), regionName: String(r.regionName),
    staffHeadcount: r.staffCount == null ? null : n(num(r.staffCount)),
  }));
}

/** A region's sums over its schools, as the reach share of several schools needs them (app/domain/reach.ts combinedReach). */
export type SchoolSums = {
  schools: number;
  schoolsWithoutHeadcount: number;
  /** Over the schools with a headcount; null when none has one. */
  staffHeadcount: number | null;
  /** Staff holding a current certificate, summed over the schools with a headcount (a person at two schools twice). */
  staffCurrentAtSchools: number;
  /** Schools whose staff with a current YMHFA certificate reach the readiness share, with a safety protocol in place. */
  teenReadySchools: number;
};

/**
 * For every region with an active school, the sums over its schools that its reach share and the district's
 * need: each school's current staff (and YMHFA staff, for Teen MHFA readiness) is one index seek into the rollup,
 * summed in SQL, so one row per region leaves the database however many schools there are.
 * `readinessPercent`: the readiness share in whole percent (10 for 10%), compared in whole numbers.
 */
export async function schoolSumsByRegion(args: {
  schoolYear: number;
  asOf: Date;
  programId: string;
  ymhfaProgramId: string | null;
  readinessPercent: number;
}): Promise<Map<string, SchoolSums>> {
  if (!Number.isInteger(args.readinessPercent)) throw new Error("schoolSumsByRegion: the readiness share must be a whole percent");
  await refreshReachRollups();
  const { schoolYear, programId } = args;
  const day = dayNumber(args.asOf);
  const ymhfa = args.ymhfaProgramId ?? "";
  // Showing YMHFA itself (the default), readiness comes from the same figure: one seek per school fewer.
  const sameProgram = ymhfa === programId;
  const current = (program: string) => Prisma.sql`COALESCE((SELECT x."staffCurrent" FROM "ReachRollup" x
      WHERE x."schoolYear" = ${schoolYear} AND x."programId" = ${program} AND x."level" = 'S' AND x."scopeId" = sc."id"
        AND x."day" <= ${day} ORDER BY x."day" DESC LIMIT 1), 0)`;
  const rows = await prisma.$queryRaw<Array<Record<string, string | Num>>>`
    WITH sc AS MATERIALIZED (
      SELECT s."id", s."regionId", h."staffCount" AS "staffCount",
        CASE WHEN s."safetyProtocolSince" <= ${args.asOf} THEN 1 ELSE 0 END AS "protocol"
      FROM "School" s
      LEFT JOIN "Headcount" h ON h."schoolId" = s."id" AND h."schoolYear" = ${schoolYear}
      WHERE s."active" = ${true}
    ),
    figures AS MATERIALIZED (
      SELECT sc."regionId", sc."staffCount", sc."protocol", ${current(programId)} AS "staffCurrent",
        ${sameProgram ? Prisma.sql`NULL` : current(ymhfa)} AS "ymhfaCurrent"
      FROM sc
    )
    SELECT "regionId",
      COUNT(*) AS "schools",
      SUM(CASE WHEN "staffCount" > 0 THEN 0 ELSE 1 END) AS "without",
      SUM(CASE WHEN "staffCount" > 0 THEN "staffCount" ELSE 0 END) AS "headcount",
      SUM(CASE WHEN "staffCount" > 0 THEN "staffCurrent" ELSE 0 END) AS "currentAtSchools",
      SUM(CASE WHEN "staffCount" > 0 AND "protocol" = 1 AND ${sameProgram ? Prisma.sql`"staffCurrent"` : Prisma.sql`"ymhfaCurrent"`} * 100 >= "staffCount" * ${args.readinessPercent} THEN 1 ELSE 0 END) AS "ready"
    FROM figures
    GROUP BY "regionId"`;
  return new Map(
    rows.map((r) => {
      const schools = n(num(r.schools));
      const without = n(num(r.without));
      return [String(r.regionId), {
        schools,
        schoolsWithoutHeadcount: without,
        staffHeadcount: schools > without ? n(num(r.headcount)) : null,
        staffCurrentAtSchools: n(num(r.currentAtSchools)),
        teenReadySchools: n(num(r.ready)),
      }];
    }),
  );
}

/**
 * One figure of every active school (of a region, when given), to sort the dashboard by it: the sum of some rollup
 * columns of the school's row on the as-of day, for a school year (or all time) and program. One index seek per
 * school and one number back, instead of every figure.
 */
export async function schoolFigureForSort(args: {
  schoolYear: number;
  asOf: Date;
  programId: string;
  columns: readonly RollupColumn[];
  regionId: string | null;
}): Promise<Map<string, number>> {
  await refreshReachRollups();
  const day = dayNumber(args.asOf);
  const value = Prisma.join(args.columns.map((c) => Prisma.sql`x.${col(c)}`), " + ");
  const rows = await prisma.$queryRaw<Array<Record<string, string | Num>>>`
    SELECT s."id", (SELECT ${value} FROM "ReachRollup" x
        WHERE x."schoolYear" = ${args.schoolYear} AND x."programId" = ${args.programId} AND x."level" = 'S' AND x."scopeId" = s."id"
          AND x."day" <= ${day} ORDER BY x."day" DESC LIMIT 1) AS "value"
    FROM "School" s
    WHERE s."active" = ${true} ${scopeWhere({ regionId: args.regionId }, Prisma.sql`s."id"`, Prisma.sql`s."regionId"`)}`;
  return new Map(rows.map((r) => [String(r.id), n(num(r.value))]));
}

/** One school, several programs: the rollup figures of each (the school page). */
export async function schoolFiguresByProgram(args: {
  schoolId: string;
  schoolYear: number;
  asOf: Date;
  programIds: string[];
  ymhfaProgramId: string | null;
}): Promise<Map<string, Omit<RollupFigureRow, "code" | "name" | "regionId" | "regionCode" | "regionName">>> {
  if (args.programIds.length === 0) return new Map();
  await refreshReachRollups();
  const { schoolYear, schoolId } = args;
  const day = dayNumber(args.asOf);
  const latest = (alias: string, year: Prisma.Sql, program: Prisma.Sql) => {
    const a = Prisma.raw(`"${alias}"`);
    return Prisma.sql`LEFT JOIN "ReachRollup" ${a} ON ${a}."schoolYear" = ${year} AND ${a}."programId" = ${program} AND ${a}."level" = 'S' AND ${a}."scopeId" = ${schoolId}
      AND ${a}."day" = (SELECT x."day" FROM "ReachRollup" x WHERE x."schoolYear" = ${year} AND x."programId" = ${program}
        AND x."level" = 'S' AND x."scopeId" = ${schoolId} AND x."day" <= ${day} ORDER BY x."day" DESC LIMIT 1)`;
  };
  const rows = await prisma.$queryRaw<Array<Record<string, string | Num>>>`
    WITH progs("programId") AS (VALUES ${Prisma.join(args.programIds.map((id) => Prisma.sql`(${id})`))})
    SELECT p."programId" AS "programId", h."staffCount" AS "staffCount",
      ${Prisma.join(ROLLUP_COLUMNS.map((c) => Prisma.sql`f.${col(c)}`))},
      a."staffYear" AS "staffAllTime", a."studentYear" AS "studentAllTime", a."communityYear" AS "communityAllTime",
      m."staffCurrent" AS "ymhfaStaffCurrent"
    FROM progs p
    LEFT JOIN "Headcount" h ON h."schoolId" = ${schoolId} AND h."schoolYear" = ${schoolYear}
    ${latest("f", Prisma.sql`${schoolYear}`, Prisma.sql`p."programId"`)}
    ${latest("a", Prisma.sql`${ALL_TIME_YEAR}`, Prisma.sql`p."programId"`)}
    ${latest("m", Prisma.sql`${schoolYear}`, Prisma.sql`${args.ymhfaProgramId ?? ""}`)}`;
  return new Map(
    rows.map((r) => [
      String(r.programId),
      {
        level: "school" as const,
        key: schoolId,
        staffHeadcount: r.staffCount == null ? null : n(num(r.staffCount)),
        counts: countsOf(r),
        allTime: { staff: n(num(r.staffAllTime)), student: n(num(r.studentAllTime)), community: n(num(r.communityAllTime)) },
        ymhfaStaffCurrent: n(num(r.ymhfaStaffCurrent)),
      },
    ]),
  );
}

function countsOf(r: Record<string, string | Num>): Record<RollupColumn, number> {
  const v = (c: RollupColumn) => n(num(r[c]));
  return {
    staffCurrent: v("staffCurrent"), staffExpiring: v("staffExpiring"), staffYear: v("staffYear"), staffEver: v("staffEver"),
    studentCurrent: v("studentCurrent"), studentExpiring: v("studentExpiring"), studentYear: v("studentYear"), studentEver: v("studentEver"),
    communityCurrent: v("communityCurrent"), communityExpiring: v("communityExpiring"), communityYear: v("communityYear"), communityEver: v("communityEver"),
  };
}

function num(v: string | Num | undefined): Num {
  if (v == null) return null;
  if (typeof v === "string") return Number(v);
  return v;
}

/** School years as a table ("year", "startsOn", "endsBefore"), typed so that PostgreSQL compares the dates as dates. */
function yearsTable(years: YearBounds[]): Prisma.Sql {
  return jsonTable(years, { year: "integer", startsOn: "timestamp", endsBefore: "timestamp" });
}

/** The earliest issue date of a program's certificates, to know how far back "all time" goes. */
export async function firstIssuedOn(programId: string): Promise<Date | null> {
  const first = await prisma.certification.findFirst({ where: { programId, revokedAt: null }, orderBy: { issuedOn: "asc" }, select: { issuedOn: true } });
  return first?.issuedOn ?? null;
}

/** A day on which staff reach is wanted, for one program and scope (a region, a school, or neither: the district). */
export type StaffReachDay = { key: number; schoolYear: number; asOf: Date; programId: string; regionId: string | null; schoolId: string | null };

/**
 * Staff reach's parts on each of several days, each for its own program and scope, over the active
 * schools of the scope that have a staff headcount (above zero) in the day's school year: staff holding
 * a current certificate, summed over those schools (a person at two schools counts at both), and their
 * headcounts summed. Read from the rollup, one index seek per school and day, and summed here: one
 * statement however many goals and months ask (a district goal reads a thousand schools, twice; its
 * chart once per month; the goals list every staff-reach goal); a school's or region's ask passes over
 * the district's schools (or the year's headcounts) in memory and seeks only its own in the rollup.
 * `key` is the caller's name for the day.
 */
export async function staffReachOnDays(days: StaffReachDay[]): Promise<Map<number, { staffCurrent: number; staffHeadcount: number; schools: number }>> {
  if (days.length === 0) return new Map();
  await refreshReachRollups();
  const rows = days.map((d) => ({ key: d.key, schoolYear: d.schoolYear, day: dayNumber(d.asOf), programId: d.programId, regionId: d.regionId, schoolId: d.schoolId }));
  const figures = await prisma.$queryRaw<Array<{ key: Num; schools: Num; staffHeadcount: Num; staffCurrent: Num }>>`
    WITH "days" AS ${jsonTable(rows, { key: "integer", schoolYear: "integer", day: "integer", programId: "text", regionId: "text", schoolId: "text" })}
    SELECT d."key" AS "key", COUNT(*) AS "schools", SUM(h."staffCount") AS "staffHeadcount",
      SUM(COALESCE((SELECT x."staffCurrent" FROM "ReachRollup" x WHERE x."schoolYear" = d."schoolYear" AND x."programId" = d."programId"
        AND x."level" = 'S' AND x."scopeId" = s."id" AND x."day" <= d."day" ORDER BY x."day" DESC LIMIT 1), 0)) AS "staffCurrent"
    FROM "days" d
    JOIN "Headcount" h ON h."schoolYear" = d."schoolYear" AND h."staffCount" > 0
    JOIN "School" s ON s."id" = h."schoolId" AND s."active" = ${true}
    WHERE (d."regionId" IS NULL OR s."regionId" = d."regionId") AND (d."schoolId" IS NULL OR s."id" = d."schoolId")
    GROUP BY d."key"`;
  return new Map(figures.map((r) => [n(r.key), { staffCurrent: n(r.staffCurrent), staffHeadcount: n(r.staffHeadcount), schools: n(num(r.schools)) }]));
}

/**
 * The person a certificate (or an affiliation) counts for, "who": the record it was merged into, else
 * its own. Merged records are few, so their ids are read once per statement and only their rows look up
 * the record they went into; joining Person for every certificate cost a lookup per certificate (tens of
 * thousands for a district's year). `> ''` is IS NOT NULL written as a range, which SQLite seeks in the
 * mergedIntoId index whatever its statistics (IS NOT NULL, without statistics, scanned every person).
 */
function whoOf(personId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${personId} IN (SELECT mx."id" FROM "Person" mx WHERE mx."mergedIntoId" > '')
    THEN (SELECT mx."mergedIntoId" FROM "Person" mx WHERE mx."id" = ${personId}) ELSE ${personId} END`;
}

/** Certificates of records of the given kinds; nothing to check when every kind is asked for. */
function kindFilter(kinds: ReadonlyArray<"STAFF" | "STUDENT" | "COMMUNITY">): Prisma.Sql {
  if (kinds.length === 0 || ["STAFF", "STUDENT", "COMMUNITY"].every((k) => kinds.some((x) => x === k))) return Prisma.empty;
  return Prisma.sql`AND EXISTS (SELECT 1 FROM "Person" pk WHERE pk."id" = c."personId" AND pk."kind" IN (${Prisma.join(kinds)}))`;
}

/**
 * The program's certificates counted in a scope, as rows ("issuedOn", "who"), `issued` being the
 * conditions on c."issuedOn". The district counts every certificate; a region or school those whose
 * record is affiliated with it in the school year the certificate was issued in (the statement defines
 * "years", the period's school years). An EXISTS on Affiliation per certificate let SQLite's planner
 * (without statistics) read a whole school year's affiliations for every certificate: minutes for a
 * region. So the join order is written out (CROSS JOIN: SQLite keeps the order as written; PostgreSQL
 * plans it as any inner join):
 * - a school's people (a few hundred a year) are read from Affiliation's (schoolYear, schoolId, personId)
 *   index, and each one's certificates of the period sought by (personId, programId, issuedOn);
 * - a region's run to thousands, and a seek each, at random places in a large index, cost more than
 *   reading the program's certificates of the period once in issue order (a QPR region's 24 months:
 *   0.44 s against 0.25 s; a YMHFA region's year: 20 ms against 6 ms), so each certificate is looked up in
 *   the list of the region's affiliations (`|| ''` keeps SQLite from turning that list into a seek per
 *   affiliated record instead).
 * `kinds` (the record's kind) filters only when it leaves a kind out.
 */
function certificatesInScope(args: {
  programId: string;
  issued: Prisma.Sql;
  scope: ScopeFilter | "district";
  kinds?: ReadonlyArray<"STAFF" | "STUDENT" | "COMMUNITY">;
}): Prisma.Sql {
  const kinds = kindFilter(args.kinds ?? []);
  const who = whoOf(Prisma.sql`c."personId"`);
  // Revoked certificates count for nothing (revokedAt is in the reach indexes: no row read to tell).
  const issued = Prisma.sql`${args.issued} AND c."revokedAt" IS NULL`;
  if (args.scope === "district") {
    return Prisma.sql`SELECT c."issuedOn" AS "issuedOn", ${who} AS "who"
      FROM "Certification" c WHERE c."programId" = ${args.programId} AND ${issued} ${kinds}`;
  }
  const atSchools = Prisma.sql`AND ${schoolsInScope(args.scope, Prisma.sql`a."schoolId"`)}`;
  if (args.scope.schoolIds && !args.scope.regionId) {
    return Prisma.sql`SELECT c."issuedOn" AS "issuedOn", ${who} AS "who"
      FROM (SELECT DISTINCT a."personId" AS "personId", y."startsOn" AS "startsOn", y."endsBefore" AS "endsBefore"
        FROM "years" y JOIN "Affiliation" a ON a."schoolYear" = y."year" WHERE 1 = 1 ${atSchools}) m
      CROSS JOIN "Certification" c
      WHERE c."personId" = m."personId" AND c."programId" = ${args.programId}
        AND c."issuedOn" >= m."startsOn" AND c."issuedOn" < m."endsBefore" AND ${issued} ${kinds}`;
  }
  return Prisma.sql`SELECT c."issuedOn" AS "issuedOn", ${who} AS "who"
    FROM "years" y CROSS JOIN "Certification" c
    WHERE c."programId" = ${args.programId} AND c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore" AND ${issued}
      AND (c."personId" || '', y."year") IN (SELECT a."personId", a."schoolYear" FROM "Affiliation" a
        WHERE a."schoolYear" IN (SELECT yy."year" FROM "years" yy) ${atSchools}) ${kinds}`;
}

/**
 * Distinct people trained (a certificate of the program issued) in [from, to], in a scope:
 * the district counts everyone, a region or school those affiliated with it in the school year of
 * the certificate. Also the same count up to `midpoint` (for the pace of the last 90 days).
 */
export async function peopleTrainedBetween(args: {
  from: Date;
  to: Date;
  midpoint: Date;
  programId: string;
  years: YearBounds[];
  scope: ScopeFilter | "district";
}): Promise<{ total: number; byMidpoint: number }> {
  const { from, to, midpoint, programId } = args;
  if (args.scope !== "district" && args.years.length === 0) return { total: 0, byMidpoint: 0 };
  const trained = certificatesInScope({ programId, scope: args.scope, issued: Prisma.sql`c."issuedOn" >= ${from} AND c."issuedOn" <= ${to}` });
  // Each person once with their first training in the period: one grouping serves both counts (two
  // COUNT(DISTINCT …) took twice as long over a district's tens of thousands of certificates).
  const rows = await prisma.$queryRaw<Array<{ total: Num; byMidpoint: Num }>>`
    WITH "years" AS ${yearsTable(args.years)}
    SELECT COUNT(*) AS "total", SUM(CASE WHEN g."firstOn" <= ${midpoint} THEN 1 ELSE 0 END) AS "byMidpoint"
    FROM (SELECT MIN(t."issuedOn") AS "firstOn" FROM (${trained}) t GROUP BY t."who") g`;
  return { total: n(rows[0]?.total ?? 0), byMidpoint: n(rows[0]?.byMidpoint ?? 0) };
}

export type MonthBounds = { key: string; startsOn: Date; endsBefore: Date };

function monthsTable(months: MonthBounds[]): Prisma.Sql {
  return jsonTable(months, { key: "text", startsOn: "timestamp", endsBefore: "timestamp" });
}

/**
 * Per month: distinct people trained that month, and people trained for the first time in the
 * period that month (so the running total counts each person once). Each person's first training in
 * the period is found once (a table of its own); the district's months are each a range of the
 * program's certificates by index, a region's or school's a pass over its few certificates.
 */
export async function trainedByMonth(args: {
  months: MonthBounds[];
  asOf: Date;
  programId: string;
  kinds: Array<"STAFF" | "STUDENT" | "COMMUNITY">;
  years: YearBounds[];
  scope: ScopeFilter | "district";
}): Promise<Map<string, { trained: number; firstTimers: number }>> {
  const { months, programId, asOf, kinds, scope } = args;
  if (months.length === 0 || kinds.length === 0) return new Map();
  if (scope !== "district" && args.years.length === 0) return new Map(months.map((m) => [m.key, { trained: 0, firstTimers: 0 }]));
  const from = months[0].startsOn;
  const end = months[months.length - 1].endsBefore;
  const period = certificatesInScope({
    programId, scope, kinds, issued: Prisma.sql`c."issuedOn" >= ${from} AND c."issuedOn" < ${end} AND c."issuedOn" <= ${asOf}`,
  });
  // Each person's first training in the period, then how many first trained on each day: a month adds
  // up its days (a few hundred rows in all) instead of reading every person once per month.
  const firstDays = Prisma.sql`"firstDays" AS MATERIALIZED (SELECT f."firstOn" AS "firstOn", COUNT(*) AS "people" FROM "firsts" f GROUP BY f."firstOn")`;
  const firstTimers = Prisma.sql`(SELECT CAST(COALESCE(SUM(d."people"), 0) AS INTEGER) FROM "firstDays" d WHERE d."firstOn" >= m."startsOn" AND d."firstOn" < m."endsBefore")`;
  const rows = scope === "district"
    ? await prisma.$queryRaw<Array<{ key: string; trained: Num; firstTimers: Num }>>`
      WITH "years" AS ${yearsTable(args.years)},
      "months" AS ${monthsTable(months)},
      "firsts" AS MATERIALIZED (SELECT MIN(t."issuedOn") AS "firstOn" FROM (${period}) t GROUP BY t."who"),
      ${firstDays}
      SELECT m."key" AS "key",
        (SELECT COUNT(DISTINCT ${whoOf(Prisma.sql`c."personId"`)}) FROM "Certification" c WHERE c."programId" = ${programId}
          AND c."issuedOn" >= m."startsOn" AND c."issuedOn" < m."endsBefore" AND c."issuedOn" <= ${asOf} AND c."revokedAt" IS NULL ${kindFilter(kinds)}) AS "trained",
        ${firstTimers} AS "firstTimers"
      FROM "months" m`
    : await prisma.$queryRaw<Array<{ key: string; trained: Num; firstTimers: Num }>>`
      WITH "years" AS ${yearsTable(args.years)},
      "months" AS ${monthsTable(months)},
      "scoped" AS MATERIALIZED (${period}),
      "firsts" AS MATERIALIZED (SELECT MIN(x."issuedOn") AS "firstOn" FROM "scoped" x GROUP BY x."who"),
      ${firstDays}
      SELECT m."key" AS "key",
        (SELECT COUNT(DISTINCT x."who") FROM "scoped" x WHERE x."issuedOn" >= m."startsOn" AND x."issuedOn" < m."endsBefore") AS "trained",
        ${firstTimers} AS "firstTimers"
      FROM "months" m`;
  return new Map(rows.map((r) => [r.key, { trained: n(r.trained), firstTimers: n(r.firstTimers) }]));
}


export type PersonListRow = {
  personId: string;
  firstName: string;
  lastName: string;
  districtId: string | null;
  kind: string;
  schools: string;
  latestIssuedOn: Date | string | null;
  coverageEnds: Date | string | null;
};

/**
 * Where a page of a people list starts, in name order (last name, first name, id): an offset (a typed
 * page number, the first and last pages), or right after or before a person on the page next to it
 * (the Next and Previous links), which costs the same on every page.
 */
export type ListPosition = { offset: number } | { after: string } | { before: string };

const MERGED_INDEX = "Person_mergedIntoId_idx";
const NAME_ORDER_INDEX = "Person_lastName_firstName_id_idx";

/**
 * A person's certificates of a program that meet `where`: those of the record itself, then those of the
 * records merged into it, each branch one index seek. ("c.personId IN (who, merged…)" inside EXISTS let
 * PostgreSQL read every certificate of the program for each person; "= who OR IN (…)" did the same on
 * SQLite.) The merged records are sought through their index by name (indexedBy): with statistics,
 * SQLite counts the NULL mergedIntoId of nearly every person as one value and scanned all of Person
 * for each person listed (a region's list took 152 s at district scale).
 */
function certificatesOf(who: Prisma.Sql, programId: string, condition: Prisma.Sql): Prisma.Sql {
  // Revoked certificates count for nothing.
  const where = Prisma.sql`${condition} AND c."revokedAt" IS NULL`;
  return Prisma.sql`(
    SELECT c."issuedOn" AS "issuedOn", c."expiresOn" AS "expiresOn" FROM "Certification" c
    WHERE c."personId" = ${who} AND c."programId" = ${programId} AND ${where}
    UNION ALL
    SELECT c."issuedOn" AS "issuedOn", c."expiresOn" AS "expiresOn" FROM "Person" x ${indexedBy(MERGED_INDEX)}
    CROSS JOIN "Certification" c
    WHERE x."mergedIntoId" = ${who} AND c."personId" = x."id" AND c."programId" = ${programId} AND ${where})`;
}

/** A person's affiliations (their own record's, then their merged records'), as certificatesOf. */
function affiliationsOf(who: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT a0."schoolId" AS "schoolId", a0."schoolYear" AS "schoolYear" FROM "Affiliation" a0 WHERE a0."personId" = ${who}
    UNION ALL
    SELECT a0."schoolId" AS "schoolId", a0."schoolYear" AS "schoolYear" FROM "Person" x ${indexedBy(MERGED_INDEX)}
    CROSS JOIN "Affiliation" a0
    WHERE x."mergedIntoId" = ${who} AND a0."personId" = x."id")`;
}

/**
 * The scope as a condition on a school column alone: a region's schools as a list, so that affiliations
 * are sought school by school through (schoolYear, schoolId). Filtering on a joined School row's regionId
 * instead let the planner read every affiliation of the year and drop the other regions'.
 */
function schoolsInScope(scope: ScopeFilter, column: Prisma.Sql): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (scope.regionId) parts.push(Prisma.sql`${column} IN (SELECT rs."id" FROM "School" rs WHERE rs."regionId" = ${scope.regionId})`);
  if (scope.schoolIds) parts.push(scope.schoolIds.length ? Prisma.sql`${column} IN (${Prisma.join(scope.schoolIds)})` : Prisma.sql`1 = 0`);
  return Prisma.join(parts, " AND ");
}

type NameKey = { lastName: string; firstName: string; id: string };

/** The page's rows in the order they were read (pg has "personId" for the id). */
function pgOrder(backwards: boolean): Prisma.Sql {
  const dir = Prisma.raw(backwards ? "DESC" : "ASC");
  return Prisma.sql`ORDER BY pg."lastName" ${dir}, pg."firstName" ${dir}, pg."personId" ${dir}`;
}

/** Name order, forwards or backwards, and the rows strictly after (or before) a person in it. */
function nameOrder(alias: string, backwards: boolean, from: { key: NameKey; after: boolean } | null) {
  const t = Prisma.raw(`"${alias}"`);
  const dir = Prisma.raw(backwards ? "DESC" : "ASC");
  return {
    where: from
      ? Prisma.sql`AND (${t}."lastName", ${t}."firstName", ${t}."id") ${Prisma.raw(from.after ? ">" : "<")} (${from.key.lastName}, ${from.key.firstName}, ${from.key.id})`
      : Prisma.empty,
    orderBy: Prisma.sql`ORDER BY ${t}."lastName" ${dir}, ${t}."firstName" ${dir}, ${t}."id" ${dir}`,
  };
}

/**
 * The page to read: forwards from an offset or a person, or backwards (then reversed) when that is
 * shorter: from a person for Previous, or from the end for a page in the list's second half.
 */
function readPlan(position: ListPosition, limit: number, total: number | null, key: NameKey | null) {
  if ("after" in position && key) return { backwards: false, from: { key, after: true }, offset: 0, limit };
  if ("before" in position && key) return { backwards: true, from: { key, after: false }, offset: 0, limit };
  const offset = "offset" in position ? Math.max(0, position.offset) : 0;
  if (total != null && offset + limit < total && total - offset - limit < offset) {
    return { backwards: true, from: null, offset: total - offset - limit, limit };
  }
  if (total != null && offset + limit >= total && offset > 0 && offset < total) {
    return { backwards: true, from: null, offset: 0, limit: total - offset };
  }
  return { backwards: false, from: null, offset, limit };
}

/**
 * The people behind one number on a school or region page, a page at a time: who is counted in
 * "staff current", "students trained this year", and so on, with the same rules as the counts.
 *
 * Two ways to read it, each with one plan whatever SQLite's statistics say (CROSS JOIN fixes SQLite's
 * join order; PostgreSQL plans from its own statistics):
 * - a school, or one school year of a region: the members are found from the scope's affiliations of
 *   the year (at most a few thousand), counted, sorted, and the page cut before its lookups;
 * - a region's "trained while here, all time" list (tens of thousands of people, every affiliation of
 *   ten years): people are walked in name order through the name index and tested one by one, so a page
 *   costs about the same wherever it is, and the total is the figure's own, read from the rollup (the
 *   same rules: the bench and tests/integration/reach.test.ts check they agree).
 */
export async function listPeopleBehind(args: {
  measure: PersonListMeasure;
  kind: PersonListKind;
  schoolYear: number;
  asOf: Date;
  expiringBefore: Date;
  year: YearBounds;
  years: YearBounds[];
  programId: string;
  scope: ScopeFilter;
  limit: number;
  position: ListPosition;
}): Promise<{ total: number; rows: PersonListRow[] }> {
  const { asOf: d, programId: g, kind } = args;
  if (args.measure === "trainedAllTime" && args.years.length === 0) return { total: 0, rows: [] };
  const cursorId = "after" in args.position ? args.position.after : "before" in args.position ? args.position.before : null;
  const key = cursorId ? await prisma.person.findUnique({ where: { id: cursorId }, select: { lastName: true, firstName: true, id: true } }) : null;
  const current = Prisma.sql`c."issuedOn" <= ${d} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d})`;
  const inYear = Prisma.sql`c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore" AND c."issuedOn" <= ${d}`;
  const details = (who: Prisma.Sql) => Prisma.sql`
    (SELECT MAX(t."issuedOn") FROM ${certificatesOf(who, g, Prisma.sql`c."issuedOn" <= ${d}`)} t) AS "latestIssuedOn",
    (SELECT MAX(t."expiresOn") FROM ${certificatesOf(who, g, current)} t) AS "coverageEnds"`;

  if (args.measure === "trainedAllTime" && args.scope.regionId && !args.scope.schoolIds) {
    const total = await allTimeFromRollup({ programId: g, regionId: args.scope.regionId, asOf: d, kind });
    const plan = readPlan(args.position, args.limit, total, key);
    if (plan.limit <= 0) return { total, rows: [] };
    const order = nameOrder("p", plan.backwards, plan.from);
    const trainedHere = (who: Prisma.Sql) => Prisma.sql`FROM ${affiliationsOf(who)} a CROSS JOIN "years" y CROSS JOIN "School" s
      WHERE y."year" = a."schoolYear" AND s."id" = a."schoolId" AND ${schoolsInScope(args.scope, Prisma.sql`a."schoolId"`)}
        AND EXISTS (SELECT 1 FROM ${certificatesOf(who, g, inYear)} t)`;
    const rows = await prisma.$queryRaw<PersonListRow[]>`
      WITH "years" AS ${yearsTable(args.years)},
      pg AS MATERIALIZED (
        SELECT p."id" AS "personId", p."firstName" AS "firstName", p."lastName" AS "lastName", p."districtId" AS "districtId", p."kind" AS "kind"
        FROM "Person" p ${indexedBy(NAME_ORDER_INDEX)}
        WHERE p."kind" = ${kind} AND p."mergedIntoId" IS NULL ${order.where}
          AND EXISTS (SELECT 1 ${trainedHere(Prisma.sql`p."id"`)})
        ${order.orderBy}
        LIMIT ${plan.limit} OFFSET ${plan.offset}
      )
      SELECT pg."personId", pg."firstName", pg."lastName", pg."districtId", pg."kind",
        (SELECT MIN(s."name") ${trainedHere(Prisma.sql`pg."personId"`)}) AS "schools",
        ${details(Prisma.sql`pg."personId"`)}
      FROM pg
      ${pgOrder(plan.backwards)}`;
    return { total, rows: inNameOrder(rows, plan.backwards) };
  }

  // Members: the people who count (the record duplicates were merged into), with the schools that count them.
  let members: Prisma.Sql;
  const scope = schoolsInScope(args.scope, Prisma.sql`a."schoolId"`);
  const who = Prisma.sql`p0."id" = a."personId" AND w."id" = COALESCE(p0."mergedIntoId", p0."id") AND w."kind" = ${kind} AND s."id" = a."schoolId"`;
  if (args.measure === "trainedAllTime") {
    members = Prisma.sql`
      "years" AS ${yearsTable(args.years)},
      m AS MATERIALIZED (
        SELECT w."id" AS "personId", MIN(s."name") AS "schools"
        FROM "years" y CROSS JOIN "Affiliation" a CROSS JOIN "Person" p0 CROSS JOIN "Person" w CROSS JOIN "School" s
        WHERE a."schoolYear" = y."year" AND ${scope} AND ${who}
          AND EXISTS (SELECT 1 FROM ${certificatesOf(Prisma.sql`w."id"`, g, inYear)} t)
        GROUP BY w."id"
      )`;
  } else {
    const mine = (where: Prisma.Sql) => certificatesOf(Prisma.sql`w."id"`, g, where);
    const condition =
      args.measure === "current"
        ? Prisma.sql`EXISTS (SELECT 1 FROM ${mine(current)} t)`
        : args.measure === "notCurrent"
          ? Prisma.sql`NOT EXISTS (SELECT 1 FROM ${mine(current)} t)`
          : args.measure === "trainedEver"
            ? Prisma.sql`EXISTS (SELECT 1 FROM ${mine(Prisma.sql`c."issuedOn" <= ${d}`)} t)`
            : args.measure === "trainedYear"
              ? Prisma.sql`EXISTS (SELECT 1 FROM ${mine(Prisma.sql`c."issuedOn" >= ${args.year.startsOn} AND c."issuedOn" < ${args.year.endsBefore} AND c."issuedOn" <= ${d}`)} t)`
              : Prisma.sql`(SELECT MAX(COALESCE(t."expiresOn", ${NEVER})) FROM ${mine(current)} t) <= ${args.expiringBefore}`;
    members = Prisma.sql`
      m AS MATERIALIZED (
        SELECT w."id" AS "personId", MIN(s."name") AS "schools"
        FROM "Affiliation" a CROSS JOIN "Person" p0 CROSS JOIN "Person" w CROSS JOIN "School" s
        WHERE a."schoolYear" = ${args.schoolYear} AND ${scope} AND ${who} AND ${condition}
        GROUP BY w."id"
      )`;
  }
  // The members are few enough to count; the page is cut before its lookups, and the total rides along
  // (on a row of its own when the page is empty).
  const plan = readPlan(args.position, args.limit, null, key);
  const order = nameOrder("p", plan.backwards, plan.from);
  const found = await prisma.$queryRaw<Array<Omit<PersonListRow, "personId"> & { personId: string | null; total: Num }>>`
    WITH ${members},
    pg AS MATERIALIZED (
      SELECT p."id" AS "personId", p."firstName" AS "firstName", p."lastName" AS "lastName", p."districtId" AS "districtId", p."kind" AS "kind",
        m."schools" AS "schools"
      FROM m CROSS JOIN "Person" p
      WHERE p."id" = m."personId" ${order.where}
      ${order.orderBy}
      LIMIT ${plan.limit} OFFSET ${plan.offset}
    )
    SELECT (SELECT COUNT(*) FROM m) AS "total", pg."personId", pg."firstName", pg."lastName", pg."districtId", pg."kind", pg."schools",
      ${details(Prisma.sql`pg."personId"`)}
    FROM (SELECT 1 AS "one") o LEFT JOIN pg ON 1 = 1
    ${pgOrder(plan.backwards)}`;
  const rows: PersonListRow[] = [];
  for (const r of found) if (r.personId != null) rows.push({ ...r, personId: r.personId });
  return { total: n(found[0]?.total ?? 0), rows: inNameOrder(rows, plan.backwards) };
}

/** Rows in name order, as a page shows them, whichever way they were read (the engine sorted them: its collation). */
function inNameOrder(rows: PersonListRow[], readBackwards: boolean): PersonListRow[] {
  return readBackwards ? [...rows].reverse() : rows;
}

/**
 * People trained while at a region's schools, all school years up to the as-of day, of one kind: the
 * region page's own figure, from the rollup (the latest row on or before the day).
 */
async function allTimeFromRollup(args: { programId: string; regionId: string; asOf: Date; kind: PersonListKind }): Promise<number> {
  await refreshReachRollups();
  const column = col(args.kind === "STAFF" ? "staffYear" : args.kind === "STUDENT" ? "studentYear" : "communityYear");
  const rows = await prisma.$queryRaw<Array<{ n: Num }>>`
    SELECT r.${column} AS "n" FROM "ReachRollup" r
    WHERE r."schoolYear" = ${ALL_TIME_YEAR} AND r."programId" = ${args.programId} AND r."level" = 'R' AND r."scopeId" = ${args.regionId}
      AND r."day" <= ${dayNumber(args.asOf)}
    ORDER BY r."day" DESC LIMIT 1`;
  return n(rows[0]?.n ?? 0);
}
