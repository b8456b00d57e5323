/**
 * Rebuilds the reach rollup from the records: `npm run reach:rebuild`, the release step after a
 * migration that queues everyone (docs/decisions/005-reach-rollups.md), so that no page waits for it.
 * Safe while the app serves: it claims the same job a reach read would start in the background
 * (app/models/reach-rebuild.server.ts); when an instance already runs it, this follows that run's
 * progress to its end. Pages show "being prepared" until it is done. Exits 1 when the rebuild failed.
 */
import { prisma } from "~/db.server";
import { rebuildReachRollups, type RebuildProgress } from "~/models/reach-rollup.server";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const n = (value: number) => value.toLocaleString("en-US");
let lastLine = "";
let lastAt = 0;

/** At most one line every two seconds, and one at each change of phase. */
function report(p: RebuildProgress) {
  const percent = p.peopleTotal > 0 ? Math.floor((p.peopleDone * 100) / p.peopleTotal) : 0;
  const line =
    p.phase === "clearing" ? "Clearing the old figures"
    : p.phase === "counting" ? `Counting people: ${n(p.peopleDone)} of ${n(p.peopleTotal)} (${percent}%)`
    : p.phase === "saving" ? `Saving the figures (${n(p.peopleTotal)} people counted)${p.rowsSaved ? `: ${n(p.rowsSaved)} rollup rows written` : ""}`
    : "Done";
  const phaseChanged = !lastLine.startsWith(line.slice(0, 8));
  if (line === lastLine || (!phaseChanged && Date.now() - lastAt < 2_000)) return;
  console.log(`[${seconds()} s] ${line}`);
  lastLine = line;
  lastAt = Date.now();
}

try {
  const outcome = await rebuildReachRollups({ onProgress: report });
  if (outcome.ranHere) {
    console.log(`Rebuilt the reach rollup in ${outcome.seconds.toFixed(1)} s: ${n(outcome.people)} people, ${n(outcome.rows)} rollup rows.`);
  } else {
    console.log(`Another app instance rebuilt the reach rollup (${n(outcome.people)} people); followed it for ${outcome.seconds.toFixed(1)} s.`);
  }
} catch (error) {
  console.error("The reach rebuild stopped:", error);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
