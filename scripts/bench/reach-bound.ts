/**
 * The district dashboard's raw-SQL lower bound, shared by the reach and pages sections: by hand, the rows
 * the dashboard's figures come from — each active school with its region and staff headcount for the
 * school year, every region, the district, and for each of them the rollup row that holds on the as-of
 * day (the latest on or before it, one index seek) for the school year and for all time (schoolYear 0).
 * The program shown is YMHFA, so its row also gives Teen MHFA readiness. No ORM, no post-processing.
 */
import type Database from "better-sqlite3";

export function prepareDashboardBound(db: Database.Database, args: { programId: string; schoolYear: number; asOf: Date }) {
  const latest = (alias: string, year: string) => `LEFT JOIN "ReachRollup" ${alias} ON ${alias}.rowid = (
      SELECT x.rowid FROM "ReachRollup" x WHERE x."schoolYear" = ${year} AND x."programId" = @program
        AND x."level" = sc."level" AND x."scopeId" = sc."scopeId" AND x."day" <= @day ORDER BY x."day" DESC LIMIT 1)`;
  const bound = db.prepare(`
    WITH sc("level", "scopeId", "code", "name", "regionId", "regionName", "staffCount") AS (
      SELECT 'S', s."id", s."code", s."name", r."id", r."name", h."staffCount"
      FROM "School" s JOIN "Region" r ON r."id" = s."regionId"
      LEFT JOIN "Headcount" h ON h."schoolId" = s."id" AND h."schoolYear" = @year
      WHERE s."active" = 1
      UNION ALL SELECT 'R', r."id", r."code", r."name", r."id", r."name", NULL FROM "Region" r
      UNION ALL SELECT 'D', '', '', 'All schools', '', '', NULL
    )
    SELECT sc.*, f.*, a."staffYear" AS "staffAllTime", a."studentYear" AS "studentAllTime", a."communityYear" AS "communityAllTime"
    FROM sc
    ${latest("f", "@year")}
    ${latest("a", "0")}`);
  const params = { program: args.programId, year: args.schoolYear, day: Math.floor(args.asOf.getTime() / 86_400_000) };
  return () => bound.all(params);
}
