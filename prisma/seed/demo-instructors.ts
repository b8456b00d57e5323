/**
 * The demo district's instructors (issue 14): each demo trainer account is linked to a person of its
 * own, with instructor certifications chosen so the standing pages show every case: Terry Trainer
 * short of the YMHFA courses-a-year rule, Dana Ortiz's YMHFA instructor certification expiring
 * soon, Sam Whitfield's expired, QPR instructors with no rule, and Kim Nguyen without the current
 * YMHFA certificate a YMHFA instructor holds themselves (the others record theirs, earned on the
 * official MHFA platform). Dates are placed relative to today
 * and to the courses each trainer taught in the plan, so the cases hold whatever day the seed runs.
 */
import type { Prisma } from "~/generated/prisma/client";
import { addDays } from "~/domain/program-rules";
import { dateInZone } from "~/domain/time";
import { isoCalendarDate as isoDay } from "~/domain/calendar-date";
import { newVerificationCode } from "~/domain/verification-code";
import { recordAudit } from "~/models/audit.server";

type Tx = Prisma.TransactionClient;

export type DemoTrainer = { userId: string; email: string; name: string; org: string };

type Plan = {
  sessions: ReadonlyArray<{ id?: string | null; status?: string | null; program: string }>;
  days: ReadonlyArray<{ sessionId: string; startsAt: Date | string }>;
  trainers: ReadonlyArray<{ sessionId: string; userId: string }>;
};

/** The same day `years` later (Feb 29 becomes Feb 28). */
function addYears(day: Date, years: number): Date {
  const year = day.getUTCFullYear() + years;
  const lastDay = new Date(Date.UTC(year, day.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, day.getUTCMonth(), Math.min(day.getUTCDate(), lastDay)));
}

/** The district dates (newest first) of the closed YMHFA sessions each trainer led or co-led in the plan. */
function ymhfaCourseDays(plan: Plan, timeZone: string): Map<string, Date[]> {
  const closedYmhfa = new Set(plan.sessions.filter((s) => s.status === "CLOSED" && s.program === "YMHFA" && s.id).map((s) => String(s.id)));
  const lastDay = new Map<string, Date>();
  for (const d of plan.days) {
    if (!closedYmhfa.has(d.sessionId)) continue;
    const day = new Date(`${dateInZone(new Date(d.startsAt), timeZone)}T00:00:00Z`);
    const seen = lastDay.get(d.sessionId);
    if (!seen || day > seen) lastDay.set(d.sessionId, day);
  }
  const byTrainer = new Map<string, Date[]>();
  for (const t of plan.trainers) {
    const day = lastDay.get(t.sessionId);
    if (day) byTrainer.set(t.userId, [...(byTrainer.get(t.userId) ?? []), day]);
  }
  for (const days of byTrainer.values()) days.sort((a, b) => b.getTime() - a.getTime());
  return byTrainer;
}

export async function seedDemoInstructors(
  tx: Tx,
  input: { trainers: readonly DemoTrainer[]; programIds: { YMHFA: string; QPR: string }; today: Date; timeZone: string; plan: Plan; recordedById: string },
): Promise<number> {
  const { today, programIds } = input;
  const courses = ymhfaCourseDays(input.plan, input.timeZone);
  let recorded = 0;
  for (const [i, trainer] of input.trainers.entries()) {
    const [firstName, ...rest] = trainer.name.split(" ");
    const person = await tx.person.create({
      data: {
        firstName, lastName: rest.join(" ") || firstName, email: trainer.email,
        // The district's own wellness staff are staff; partner organisations' trainers are community partners.
        kind: trainer.org.startsWith("Lakeside USD") ? "STAFF" : "COMMUNITY",
        districtId: trainer.org.startsWith("Lakeside USD") ? `TRN-${String(i + 1).padStart(3, "0")}` : null,
      },
      select: { id: true },
    });
    await tx.user.update({ where: { id: trainer.userId }, data: { personId: person.id } });

    const certs: Array<{ programId: string; issuedOn: Date; expiresOn: Date | null; source: string }> = [];
    const ymhfa = (issuedOn: Date, expiresOn: Date | null = addYears(issuedOn, 3)) =>
      certs.push({ programId: programIds.YMHFA, issuedOn, expiresOn, source: "MHFA USA instructor training" });
    const qpr = (issuedOn: Date) => certs.push({ programId: programIds.QPR, issuedOn, expiresOn: null, source: "QPR Institute instructor training" });
    const taught = courses.get(trainer.userId) ?? [];
    switch (i) {
      case 0: {
        // Terry: short this certification year. Issued the day after the second-newest course, so at most the
        // newest one counts (when that day is under a year ago); otherwise 200 days ago.
        const second = taught[1];
        const issuedOn = second && addDays(second, 1) > addDays(today, -360) ? addDays(second, 1) : addDays(today, -200);
        ymhfa(issuedOn);
        qpr(addDays(today, -700));
        break;
      }
      case 1:
        // Dana: expires in 45 days.
        ymhfa(addYears(addDays(today, 45), -3), addDays(today, 45));
        break;
      case 2:
        // Sam: expired 30 days ago.
        ymhfa(addYears(addDays(today, -30), -3), addDays(today, -30));
        break;
      case 3:
        // Priya: QPR only (no courses-a-year rule).
        qpr(addDays(today, -500));
        break;
      default:
        ymhfa(addDays(today, -400 - 30 * i));
        if (i === 4) qpr(addDays(today, -300));
    }
    for (const c of certs) {
      // Recorded by the administrator, as the form records one: the audit page and the person's history show it.
      const cert = await tx.instructorCertification.create({
        data: { ...c, personId: person.id, evidenceNote: "Seeded demo record", recordedById: input.recordedById },
        select: { id: true },
      });
      await recordAudit(tx, {
        actorId: input.recordedById, action: "instructor-certification.record", entityType: "InstructorCertification", entityId: cert.id,
        details: {
          personId: person.id, programId: c.programId, issuedOn: isoDay(c.issuedOn), expiresOn: c.expiresOn ? isoDay(c.expiresOn) : null,
          source: c.source, evidenceNote: "Seeded demo record",
        },
      });
    }
    recorded += certs.length;
    // A YMHFA instructor's own First Aider certificate, recorded from the official platform (not Kim's: case 5).
    if (i !== 5 && certs.some((c) => c.programId === programIds.YMHFA)) {
      const issuedOn = addDays(today, -420 - 20 * i);
      const own = { programId: programIds.YMHFA, issuedOn, expiresOn: addYears(issuedOn, 3), source: "Official MHFA platform", evidenceNote: "Seeded demo record" };
      const cert = await tx.certification.create({ data: { ...own, personId: person.id, verificationCode: newVerificationCode() }, select: { id: true } });
      await recordAudit(tx, {
        actorId: input.recordedById, action: "certification.record", entityType: "Certification", entityId: cert.id,
        details: { programId: own.programId, issuedOn: isoDay(own.issuedOn), expiresOn: isoDay(own.expiresOn), source: own.source, evidenceNote: own.evidenceNote },
      });
    }
  }
  return recorded;
}
