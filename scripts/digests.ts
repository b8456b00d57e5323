/**
 * One pass of the coordinators' monthly digest, for cron or by hand: `npm run digests` (in the first days of a
 * month: the month before) or `npm run digests -- --month 2026-11` (that month, any day). Prints progress and the
 * summary; exits 1 when any digest failed to send (the next pass retries it), 2 when the pass itself broke or the
 * month is not YYYY-MM. Safe to run while the server's own schedule runs: each digest is claimed before it is sent,
 * and a coordinator gets one per month.
 */
import { parseArgs } from "node:util";
import { prisma } from "~/db.server";
import { parseDigestMonth } from "~/domain/coordinator-digest";
import { closeTransportFromEnv, formatDigestSummary, runDigestPass } from "~/models/coordinator-digest.server";

try {
  const { values } = parseArgs({ options: { month: { type: "string" } } });
  const month = values.month === undefined ? undefined : parseDigestMonth(values.month);
  if (month === null) {
    console.error(`--month must be a month as YYYY-MM (for example 2026-11), not "${values.month ?? ""}"`);
    process.exitCode = 2;
  } else {
    const summary = await runDigestPass({ month, log: (line) => console.log(line) });
    if (summary.month === null) console.log(`${formatDigestSummary(summary)} (digests go out in the first days of a month; name one with --month YYYY-MM)`);
    process.exitCode = summary.failed > 0 ? 1 : 0;
  }
} catch (error) {
  console.error("Digest pass stopped:", error);
  process.exitCode = 2;
} finally {
  closeTransportFromEnv();
  await prisma.$disconnect();
}
