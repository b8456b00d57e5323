import { prisma } from "./helpers";
import { ROLLUP_COLUMNS } from "~/domain/reach-rollup";

/**
 * The rollup of the programs as running totals per key: a row only on a day whose counts differ from
 * the key's previous row (or from zero). Incremental upkeep may leave rows that change nothing (a
 * change and its reversal on the same day); the figures read on any day are the same either way, so
 * two rollups compare equal when these are equal (a rebuild against incremental upkeep).
 */
export async function rollupOf(programIds: string[]) {
  const rows = await prisma.reachRollup.findMany({
    where: { programId: { in: programIds } },
    orderBy: [{ programId: "asc" }, { schoolYear: "asc" }, { level: "asc" }, { scopeId: "asc" }, { day: "asc" }],
  });
  const out: string[] = [];
  let lastKey = "";
  let lastCounts = "";
  for (const row of rows) {
    const key = `${row.programId}|${row.schoolYear}|${row.level}|${row.scopeId}`;
    const counts = ROLLUP_COLUMNS.map((c) => row[c]).join(",");
    const previous = key === lastKey ? lastCounts : ROLLUP_COLUMNS.map(() => 0).join(",");
    if (counts !== previous) out.push(`${key}|${row.day}|${counts}`);
    lastKey = key;
    lastCounts = counts;
  }
  return out;
}
