import { prisma, signIn } from "./helpers";
import { createSession } from "../../prisma/seed/factories";

const HOUR = 3600_000;

/**
 * A scheduled session led by a signed-in trainer: day A starts now (so it is today in the district
 * whatever the hour, and open to check-in), day B a day later (not started yet).
 */
export async function sessionTodayAndTomorrow({ programId, schoolId }: { programId: string; schoolId: string }) {
  const { user: trainer, cookie } = await signIn("TRAINER");
  const startA = new Date();
  const startB = new Date(startA.getTime() + 24 * HOUR);
  const session = await createSession(prisma, {
    programId, schoolId, leadTrainerId: trainer.id,
    days: [{ startsAt: startA, endsAt: new Date(startA.getTime() + 2 * HOUR) }, { startsAt: startB, endsAt: new Date(startB.getTime() + 2 * HOUR) }],
  });
  const [dayA, dayB] = session.days;
  return { trainer, cookie, session, dayA, dayB };
}
