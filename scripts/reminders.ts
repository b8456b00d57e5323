/**
 * One reminder pass, for cron: `npm run reminders`. Prints progress and the summary; exits 1 when
 * any reminder failed to send (those are retried by the next pass), 2 when the pass itself broke.
 * Safe to run while the server's own schedule runs: each reminder is claimed before it is sent.
 */
import { prisma } from "~/db.server";
import { closeTransportFromEnv, runReminderPass } from "~/models/reminders.server";
import { runInstructorReminderPass } from "~/models/instructor-reminders.server";

try {
  const summary = await runReminderPass({ log: (line) => console.log(line) });
  // Then instructors short of their courses-a-year rule; it prints its own summary line.
  const instructors = await runInstructorReminderPass({ log: (line) => console.log(line) });
  process.exitCode = summary.failed + instructors.failed > 0 ? 1 : 0;
} catch (error) {
  console.error("Reminder pass stopped:", error);
  process.exitCode = 2;
} finally {
  closeTransportFromEnv();
  await prisma.$disconnect();
}
