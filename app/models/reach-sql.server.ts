/**
 * THE raw-SQL module for reach: every aggregate query behind the reach dashboard, the drill-down
 * pages, goal progress and growth lives here, and nowhere else (docs/decisions/004-reach-queries.md).
 *
 * Why raw SQL: the figures count distinct people across joins (affiliation × person × certification)
 * grouped by school, region and district. Done with the ORM that is one query per school; here it is
 * one aggregate per page, which is what keeps the dashboard fast at district scale.
 *
 * Portable to PostgreSQL: only standard SQL — CTEs (WITH … AS MATERIALIZED), VALUES lists, CASE,
 * COUNT(DISTINCT), UNION ALL, LIMIT/OFFSET — and every value is a bound parameter (Prisma.sql), never
 * spliced text. Dates are compared as the column type the adapter writes (a Date parameter).
 *
 * The counting rules, shared by every query:
 * - a person belongs to a school in a school year through an Affiliation (schoolId, schoolYear);
 *   a person at two schools counts at both;
 * - a person is counted once however many certificates they hold ("who" = the record a duplicate was
 *   merged into, else the person), so training twice or renewing never double counts;
 * - "current on D" = issued on or before D and not expired on D (expiresOn null or after D).
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { PersonListKind, PersonListMeasure } from "~/domain/reach-people";

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

export type SchoolYearFactRow = {
  level: FactLevel;
  key: string;
  staffCurrent: number;
  staffTrainedYear: number;
  staffExpiring: number;
  studentsCurrent: number;
  studentsTrainedYear: number;
  studentsExpiring: number;
  communityTrained: number;
  communityCurrent: number;
  communityExpiring: number;
  /** Staff holding a current YMHFA certificate (for Teen MHFA readiness), whatever the program shown. */
  ymhfaStaffCurrent: number;
};

type RawFactRow = { [K in keyof SchoolYearFactRow]: K extends "level" | "key" ? string : Num };

/**
 * One pass over the school year's affiliations: per school (a person at two schools counts at both),
 * per region and for the district (distinct people). Schools without anyone certified have no row.
 */
export async function schoolYearFacts(args: {
  schoolYear: number;
  asOf: Date;
  expiringBefore: Date;
  year: YearBounds;
  programId: string;
  ymhfaProgramId: string | null;
  scope: ScopeFilter;
}): Promise<SchoolYearFactRow[]> {
  const { schoolYear, asOf: d, expiringBefore, year, programId: g } = args;
  const y = args.ymhfaProgramId ?? g;
  const rows = await prisma.$queryRaw<RawFactRow[]>`
    WITH facts AS MATERIALIZED (
      SELECT a."schoolId" AS "schoolId", s."regionId" AS "regionId", COALESCE(p."mergedIntoId", p."id") AS "who", p."kind" AS "kind",
        MAX(CASE WHEN c."programId" = ${g} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d}) THEN 1 ELSE 0 END) AS "cur",
        MAX(CASE WHEN c."programId" = ${g} AND c."issuedOn" >= ${year.startsOn} AND c."issuedOn" < ${year.endsBefore} THEN 1 ELSE 0 END) AS "inYear",
        MAX(CASE WHEN c."programId" = ${g} THEN 1 ELSE 0 END) AS "ever",
        MAX(CASE WHEN c."programId" = ${g} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d}) THEN COALESCE(c."expiresOn", ${NEVER}) ELSE NULL END) AS "coverageEnds",
        MAX(CASE WHEN c."programId" = ${y} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d}) THEN 1 ELSE 0 END) AS "ymhfaCur"
      FROM "Affiliation" a
      JOIN "School" s ON s."id" = a."schoolId"
      JOIN "Person" p ON p."id" = a."personId"
      JOIN "Certification" c ON c."personId" = a."personId" AND c."programId" IN (${g}, ${y}) AND c."issuedOn" <= ${d}
      WHERE a."schoolYear" = ${schoolYear} ${scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`)}
      GROUP BY a."schoolId", s."regionId", COALESCE(p."mergedIntoId", p."id"), p."kind"
    )
    SELECT 'school' AS "level", "schoolId" AS "key",
      SUM(CASE WHEN "kind" = 'STAFF' AND "cur" = 1 THEN 1 ELSE 0 END) AS "staffCurrent",
      SUM(CASE WHEN "kind" = 'STAFF' AND "inYear" = 1 THEN 1 ELSE 0 END) AS "staffTrainedYear",
      SUM(CASE WHEN "kind" = 'STAFF' AND "coverageEnds" <= ${expiringBefore} THEN 1 ELSE 0 END) AS "staffExpiring",
      SUM(CASE WHEN "kind" = 'STUDENT' AND "cur" = 1 THEN 1 ELSE 0 END) AS "studentsCurrent",
      SUM(CASE WHEN "kind" = 'STUDENT' AND "inYear" = 1 THEN 1 ELSE 0 END) AS "studentsTrainedYear",
      SUM(CASE WHEN "kind" = 'STUDENT' AND "coverageEnds" <= ${expiringBefore} THEN 1 ELSE 0 END) AS "studentsExpiring",
      SUM(CASE WHEN "kind" = 'COMMUNITY' AND "ever" = 1 THEN 1 ELSE 0 END) AS "communityTrained",
      SUM(CASE WHEN "kind" = 'COMMUNITY' AND "cur" = 1 THEN 1 ELSE 0 END) AS "communityCurrent",
      SUM(CASE WHEN "kind" = 'COMMUNITY' AND "coverageEnds" <= ${expiringBefore} THEN 1 ELSE 0 END) AS "communityExpiring",
      SUM(CASE WHEN "kind" = 'STAFF' AND "ymhfaCur" = 1 THEN 1 ELSE 0 END) AS "ymhfaStaffCurrent"
    FROM facts GROUP BY "schoolId"
    UNION ALL
    SELECT 'region', "regionId",
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "inYear" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "inYear" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "ever" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "ymhfaCur" = 1 THEN "who" END)
    FROM facts GROUP BY "regionId"
    UNION ALL
    SELECT 'district', '',
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "inYear" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "inYear" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STUDENT' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "ever" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "cur" = 1 THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'COMMUNITY' AND "coverageEnds" <= ${expiringBefore} THEN "who" END),
      COUNT(DISTINCT CASE WHEN "kind" = 'STAFF' AND "ymhfaCur" = 1 THEN "who" END)
    FROM facts`;
  return rows.map((r) => ({
    level: r.level === "school" ? "school" : r.level === "region" ? "region" : "district",
    key: r.key,
    staffCurrent: n(r.staffCurrent),
    staffTrainedYear: n(r.staffTrainedYear),
    staffExpiring: n(r.staffExpiring),
    studentsCurrent: n(r.studentsCurrent),
    studentsTrainedYear: n(r.studentsTrainedYear),
    studentsExpiring: n(r.studentsExpiring),
    communityTrained: n(r.communityTrained),
    communityCurrent: n(r.communityCurrent),
    communityExpiring: n(r.communityExpiring),
    ymhfaStaffCurrent: n(r.ymhfaStaffCurrent),
  }));
}

function yearsValues(years: YearBounds[]): Prisma.Sql {
  return Prisma.join(years.map((y) => Prisma.sql`(${y.year}, ${y.startsOn}, ${y.endsBefore})`));
}

/** The earliest issue date of a program's certificates, to know how far back "all time" goes. */
export async function firstIssuedOn(programId: string): Promise<Date | null> {
  const first = await prisma.certification.findFirst({ where: { programId }, orderBy: { issuedOn: "asc" }, select: { issuedOn: true } });
  return first?.issuedOn ?? null;
}

/**
 * People of a kind trained (a certificate issued on or before the as-of day) while affiliated with a
 * school: the certificate's school year must be a year the person was at that school. Distinct people
 * per school, per region and for the district.
 */
export async function trainedAllTime(args: {
  asOf: Date;
  programId: string;
  kind: "STAFF" | "STUDENT" | "COMMUNITY";
  years: YearBounds[];
  scope: ScopeFilter;
}): Promise<Array<{ level: FactLevel; key: string; people: number }>> {
  if (args.years.length === 0) return [];
  const rows = await prisma.$queryRaw<Array<{ level: string; key: string; people: Num }>>`
    WITH "years"("year", "startsOn", "endsBefore") AS (VALUES ${yearsValues(args.years)}),
    trained AS MATERIALIZED (
      SELECT DISTINCT a."schoolId" AS "schoolId", s."regionId" AS "regionId", COALESCE(p."mergedIntoId", p."id") AS "who"
      FROM "years" y
      JOIN "Affiliation" a ON a."schoolYear" = y."year"
      JOIN "School" s ON s."id" = a."schoolId"
      JOIN "Person" p ON p."id" = a."personId" AND p."kind" = ${args.kind}
      WHERE EXISTS (
        SELECT 1 FROM "Certification" c
        WHERE c."personId" = a."personId" AND c."programId" = ${args.programId}
          AND c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore" AND c."issuedOn" <= ${args.asOf})
        ${scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`)}
    )
    SELECT 'school' AS "level", "schoolId" AS "key", COUNT(*) AS "people" FROM trained GROUP BY "schoolId"
    UNION ALL SELECT 'region', "regionId", COUNT(DISTINCT "who") FROM trained GROUP BY "regionId"
    UNION ALL SELECT 'district', '', COUNT(DISTINCT "who") FROM trained`;
  return rows.map((r) => ({ level: r.level === "school" ? "school" : r.level === "region" ? "region" : "district", key: r.key, people: n(r.people) }));
}

/**
 * Staff holding a current certificate on a day, per school (a person at two schools counts at both):
 * the numerator of staff reach. Used for goals and for reach over time.
 */
export async function staffCurrentBySchool(args: {
  schoolYear: number;
  asOf: Date;
  programId: string;
  scope: ScopeFilter;
}): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<Array<{ schoolId: string; staff: Num }>>`
    SELECT a."schoolId" AS "schoolId", COUNT(DISTINCT COALESCE(p."mergedIntoId", p."id")) AS "staff"
    FROM "Affiliation" a
    JOIN "School" s ON s."id" = a."schoolId"
    JOIN "Person" p ON p."id" = a."personId" AND p."kind" = 'STAFF'
    WHERE a."schoolYear" = ${args.schoolYear} ${scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`)}
      AND EXISTS (
        SELECT 1 FROM "Certification" c
        WHERE c."personId" = a."personId" AND c."programId" = ${args.programId} AND c."issuedOn" <= ${args.asOf}
          AND (c."expiresOn" IS NULL OR c."expiresOn" > ${args.asOf}))
    GROUP BY a."schoolId"`;
  return new Map(rows.map((r) => [r.schoolId, n(r.staff)]));
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
  let rows: Array<{ total: Num; byMidpoint: Num }>;
  if (args.scope === "district") {
    rows = await prisma.$queryRaw`
      SELECT COUNT(DISTINCT COALESCE(p."mergedIntoId", p."id")) AS "total",
        COUNT(DISTINCT CASE WHEN c."issuedOn" <= ${midpoint} THEN COALESCE(p."mergedIntoId", p."id") END) AS "byMidpoint"
      FROM "Certification" c JOIN "Person" p ON p."id" = c."personId"
      WHERE c."programId" = ${programId} AND c."issuedOn" >= ${from} AND c."issuedOn" <= ${to}`;
  } else {
    if (args.years.length === 0) return { total: 0, byMidpoint: 0 };
    rows = await prisma.$queryRaw`
      WITH "years"("year", "startsOn", "endsBefore") AS (VALUES ${yearsValues(args.years)})
      SELECT COUNT(DISTINCT COALESCE(p."mergedIntoId", p."id")) AS "total",
        COUNT(DISTINCT CASE WHEN c."issuedOn" <= ${midpoint} THEN COALESCE(p."mergedIntoId", p."id") END) AS "byMidpoint"
      FROM "years" y
      JOIN "Certification" c ON c."programId" = ${programId} AND c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore"
        AND c."issuedOn" >= ${from} AND c."issuedOn" <= ${to}
      JOIN "Person" p ON p."id" = c."personId"
      WHERE EXISTS (SELECT 1 FROM "Affiliation" a JOIN "School" s ON s."id" = a."schoolId"
        WHERE a."personId" = c."personId" AND a."schoolYear" = y."year" ${scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`)})`;
  }
  return { total: n(rows[0]?.total ?? 0), byMidpoint: n(rows[0]?.byMidpoint ?? 0) };
}

export type MonthBounds = { key: string; startsOn: Date; endsBefore: Date };

/**
 * Per month: distinct people trained that month, and people trained for the first time in the
 * period that month (so the running total counts each person once).
 */
export async function trainedByMonth(args: {
  months: MonthBounds[];
  asOf: Date;
  programId: string;
  kinds: Array<"STAFF" | "STUDENT" | "COMMUNITY">;
  years: YearBounds[];
  scope: ScopeFilter | "district";
}): Promise<Map<string, { trained: number; firstTimers: number }>> {
  const { months, programId, asOf } = args;
  if (months.length === 0 || args.kinds.length === 0) return new Map();
  const from = months[0].startsOn;
  const end = months[months.length - 1].endsBefore;
  const scoped =
    args.scope === "district"
      ? Prisma.sql`SELECT c."personId" AS "personId", c."issuedOn" AS "issuedOn", COALESCE(p."mergedIntoId", p."id") AS "who"
          FROM "Certification" c JOIN "Person" p ON p."id" = c."personId" AND p."kind" IN (${Prisma.join(args.kinds)})
          WHERE c."programId" = ${programId} AND c."issuedOn" >= ${from} AND c."issuedOn" < ${end} AND c."issuedOn" <= ${asOf}`
      : Prisma.sql`SELECT c."personId" AS "personId", c."issuedOn" AS "issuedOn", COALESCE(p."mergedIntoId", p."id") AS "who"
          FROM "years" y
          JOIN "Certification" c ON c."programId" = ${programId} AND c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore"
            AND c."issuedOn" >= ${from} AND c."issuedOn" < ${end} AND c."issuedOn" <= ${asOf}
          JOIN "Person" p ON p."id" = c."personId" AND p."kind" IN (${Prisma.join(args.kinds)})
          WHERE EXISTS (SELECT 1 FROM "Affiliation" a JOIN "School" s ON s."id" = a."schoolId"
            WHERE a."personId" = c."personId" AND a."schoolYear" = y."year" ${scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`)})`;
  const yearsCte = args.scope === "district" || args.years.length === 0
    ? Prisma.sql`"years"("year", "startsOn", "endsBefore") AS (SELECT 0, ${from}, ${from})`
    : Prisma.sql`"years"("year", "startsOn", "endsBefore") AS (VALUES ${yearsValues(args.years)})`;
  const rows = await prisma.$queryRaw<Array<{ key: string; trained: Num; firstTimers: Num }>>`
    WITH ${yearsCte},
    "months"("key", "startsOn", "endsBefore") AS (VALUES ${Prisma.join(months.map((m) => Prisma.sql`(${m.key}, ${m.startsOn}, ${m.endsBefore})`))}),
    scoped AS MATERIALIZED (${scoped}),
    firsts AS (SELECT "who", MIN("issuedOn") AS "firstOn" FROM scoped GROUP BY "who")
    SELECT m."key" AS "key",
      (SELECT COUNT(DISTINCT x."who") FROM scoped x WHERE x."issuedOn" >= m."startsOn" AND x."issuedOn" < m."endsBefore") AS "trained",
      (SELECT COUNT(*) FROM firsts f WHERE f."firstOn" >= m."startsOn" AND f."firstOn" < m."endsBefore") AS "firstTimers"
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
 * The people behind one number on a school or region page, a page at a time: who is counted in
 * "staff current", "students trained this year", and so on, with the same rules as the counts.
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
  offset: number;
}): Promise<{ total: number; rows: PersonListRow[] }> {
  const { asOf: d, programId: g, kind } = args;
  const scope = scopeWhere(args.scope, Prisma.sql`a."schoolId"`, Prisma.sql`s."regionId"`);
  // Members: the person records that count, with the schools that count them.
  let members: Prisma.Sql;
  if (args.measure === "trainedAllTime") {
    if (args.years.length === 0) return { total: 0, rows: [] };
    members = Prisma.sql`
      WITH "years"("year", "startsOn", "endsBefore") AS (VALUES ${yearsValues(args.years)}),
      m AS (
        SELECT a."personId" AS "personId", MIN(s."name") AS "schools"
        FROM "years" y
        JOIN "Certification" c ON c."programId" = ${g} AND c."issuedOn" >= y."startsOn" AND c."issuedOn" < y."endsBefore" AND c."issuedOn" <= ${d}
        JOIN "Affiliation" a ON a."personId" = c."personId" AND a."schoolYear" = y."year"
        JOIN "School" s ON s."id" = a."schoolId"
        JOIN "Person" p0 ON p0."id" = a."personId" AND p0."kind" = ${kind}
        WHERE 1 = 1 ${scope}
        GROUP BY a."personId"
      )`;
  } else {
    const current = Prisma.sql`c."issuedOn" <= ${d} AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d})`;
    const condition =
      args.measure === "current"
        ? Prisma.sql`EXISTS (SELECT 1 FROM "Certification" c WHERE c."personId" = a."personId" AND c."programId" = ${g} AND ${current})`
        : args.measure === "notCurrent"
          ? Prisma.sql`NOT EXISTS (SELECT 1 FROM "Certification" c WHERE c."personId" = a."personId" AND c."programId" = ${g} AND ${current})`
          : args.measure === "trainedEver"
            ? Prisma.sql`EXISTS (SELECT 1 FROM "Certification" c WHERE c."personId" = a."personId" AND c."programId" = ${g} AND c."issuedOn" <= ${d})`
          : args.measure === "trainedYear"
            ? Prisma.sql`EXISTS (SELECT 1 FROM "Certification" c WHERE c."personId" = a."personId" AND c."programId" = ${g}
                AND c."issuedOn" >= ${args.year.startsOn} AND c."issuedOn" < ${args.year.endsBefore} AND c."issuedOn" <= ${d})`
            : Prisma.sql`(SELECT MAX(COALESCE(c."expiresOn", ${NEVER})) FROM "Certification" c
                WHERE c."personId" = a."personId" AND c."programId" = ${g} AND ${current}) <= ${args.expiringBefore}`;
    members = Prisma.sql`
      WITH m AS (
        SELECT a."personId" AS "personId", MIN(s."name") AS "schools"
        FROM "Affiliation" a
        JOIN "School" s ON s."id" = a."schoolId"
        JOIN "Person" p0 ON p0."id" = a."personId" AND p0."kind" = ${kind}
        WHERE a."schoolYear" = ${args.schoolYear} ${scope} AND ${condition}
        GROUP BY a."personId"
      )`;
  }
  const [count] = await prisma.$queryRaw<Array<{ total: Num }>>`${members} SELECT COUNT(*) AS "total" FROM m`;
  const rows = await prisma.$queryRaw<PersonListRow[]>`${members}
    SELECT p."id" AS "personId", p."firstName" AS "firstName", p."lastName" AS "lastName", p."districtId" AS "districtId", p."kind" AS "kind",
      m."schools" AS "schools",
      (SELECT MAX(c."issuedOn") FROM "Certification" c WHERE c."personId" = p."id" AND c."programId" = ${g} AND c."issuedOn" <= ${d}) AS "latestIssuedOn",
      (SELECT MAX(c."expiresOn") FROM "Certification" c WHERE c."personId" = p."id" AND c."programId" = ${g} AND c."issuedOn" <= ${d}
         AND (c."expiresOn" IS NULL OR c."expiresOn" > ${d})) AS "coverageEnds"
    FROM m JOIN "Person" p ON p."id" = m."personId"
    ORDER BY p."lastName", p."firstName", p."id"
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  return { total: n(count?.total ?? 0), rows };
}
