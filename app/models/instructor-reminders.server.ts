/**
 * Reminders to instructors short of their program's courses-a-year rule (issue 14): for each
 * instructor whose deciding certification for a program with `instructorCoursesPerYear` is current
 * and who has taught fewer courses this certification year than the rule asks, one email 90 and one
 * 30 days before the year ends ("You have taught 1 of the 3 YMHFA courses needed by Jun 30, 2027").
 *
 * Like the renewal pass (app/models/reminders.server.ts): plan rows idempotently (the unique key
 * (certification, yearEndsOn, daysBefore) makes each one exist once), then claim each row with one
 * conditional UPDATE (only the pass that gets a count of 1 sends it), send, mark SENT or FAILED
 * (retried by later passes up to MAX_SEND_ATTEMPTS). Two passes at once send each reminder once.
 * Instructors number in the hundreds, not the hundreds of thousands: no paging.
 */
import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { transportFromEnv, type MailTransport } from "~/models/mail.server";
import { coursesTaughtDays } from "~/models/instructors.server";
import { addDays, isCurrentOn, startOfDayUtc } from "~/domain/program-rules";
import { dateInZone } from "~/domain/time";
import { certificationYearOn, coursesInYear, decidingCertification, type CertificationYear } from "~/domain/instructor-standing";
import { buildInstructorReminderEmail, planInstructorReminders } from "~/domain/instructor-reminders";
import { CATCH_UP_DAYS, MAX_SEND_ATTEMPTS } from "~/domain/reminders";
import { createUnsubscribeToken } from "~/domain/unsubscribe-token";

/** A claim older than this is taken to belong to a pass that died (as for renewal reminders). */
const STALE_CLAIM_MS = 15 * 60 * 1000;
const LAST_ERROR_MAX = 500;

export type InstructorReminderPassSummary = {
  /** Current instructor certifications read (the deciding one per instructor and program). */
  candidates: number;
  /** Of those, instructors short of the rule this year. */
  short: number;
  created: number;
  sent: number;
  withoutEmail: number;
  failed: number;
  skipped: number;
};

export type InstructorReminderPassOptions = {
  now?: Date;
  transport?: MailTransport;
  log?: (line: string) => void;
  timeZone?: string;
  baseUrl?: string;
  passId?: string;
};

export function formatInstructorPassSummary(s: InstructorReminderPassSummary): string {
  return (
    `Instructor reminders: ${s.candidates} current instructors, ${s.short} short of the courses-a-year rule, ${s.created} created, ` +
    `${s.sent} sent (${s.withoutEmail} without email), ${s.failed} failed, ${s.skipped} skipped`
  );
}

function districtToday(now: Date, timeZone: string): Date {
  return new Date(`${dateInZone(now, timeZone)}T00:00:00Z`);
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, LAST_ERROR_MAX);
}

type Shortfall = { taught: number; required: number; year: CertificationYear };

/** Whether the instructor is short this certification year, with the counts for the email. */
async function shortfallOf(
  cert: { personId: string; programId: string; issuedOn: Date },
  required: number,
  today: Date,
  timeZone: string,
): Promise<Shortfall | null> {
  const year = certificationYearOn(cert.issuedOn, today);
  const taught = coursesInYear(await coursesTaughtDays(cert.personId, cert.programId, timeZone), year);
  return taught < required ? { taught, required, year } : null;
}

/** Inserts a reminder row unless it exists (the unique key decides, also against a concurrent pass). */
async function insertOnce(row: { instructorCertificationId: string; yearEndsOn: Date; daysBefore: number; dueOn: Date; status: "PENDING" | "SKIPPED" }) {
  try {
    await prisma.instructorReminderDelivery.create({ data: row });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

export async function runInstructorReminderPass(options: InstructorReminderPassOptions = {}): Promise<InstructorReminderPassSummary> {
  const env = getEnv();
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? env.DISTRICT_TIME_ZONE;
  const transport = options.transport ?? transportFromEnv();
  const log = options.log ?? ((line: string) => console.log(line));
  const baseUrl = options.baseUrl ?? env.PUBLIC_BASE_URL;
  const passId = options.passId ?? `instructor-pass-${now.toISOString()}-${randomUUID().slice(0, 8)}`;
  const today = districtToday(now, timeZone);
  const summary: InstructorReminderPassSummary = { candidates: 0, short: 0, created: 0, sent: 0, withoutEmail: 0, failed: 0, skipped: 0 };

  // Waiting reminders too late to send (the catch-up window has passed) never will be.
  const tooLate = await prisma.instructorReminderDelivery.updateMany({
    where: { status: "PENDING", dueOn: { lt: addDays(today, -CATCH_UP_DAYS) } },
    data: { status: "SKIPPED" },
  });
  summary.skipped += tooLate.count;

  // Plan: the certifications in force today, for programs with a courses-a-year rule.
  const programs = await prisma.program.findMany({
    where: { instructorCoursesPerYear: { gt: 0 } },
    select: { id: true, code: true, instructorCoursesPerYear: true },
  });
  for (const program of programs) {
    const required = program.instructorCoursesPerYear ?? 0;
    const certs = await prisma.instructorCertification.findMany({
      where: { programId: program.id, issuedOn: { lte: today }, OR: [{ expiresOn: null }, { expiresOn: { gt: today } }] },
      select: { id: true, personId: true, programId: true, issuedOn: true, expiresOn: true },
    });
    const byPerson = new Map<string, typeof certs>();
    for (const c of certs) byPerson.set(c.personId, [...(byPerson.get(c.personId) ?? []), c]);
    for (const own of byPerson.values()) {
      const deciding = decidingCertification(own, today);
      if (!deciding) continue;
      summary.candidates += 1;
      const shortfall = await shortfallOf(deciding, required, today, timeZone);
      if (!shortfall) continue;
      summary.short += 1;
      const plan = planInstructorReminders(shortfall.year, today);
      const key = { instructorCertificationId: deciding.id, yearEndsOn: shortfall.year.endsOn };
      if (plan.send && (await insertOnce({ ...key, ...plan.send, status: "PENDING" }))) summary.created += 1;
      for (const offset of plan.skip) {
        if (await insertOnce({ ...key, ...offset, status: "SKIPPED" })) summary.skipped += 1;
      }
      // An older reminder still waiting is pointless once a newer one is due.
      if (plan.skip.length > 0) {
        const { count } = await prisma.instructorReminderDelivery.updateMany({
          where: { ...key, daysBefore: { in: plan.skip.map((o) => o.daysBefore) }, OR: [{ status: "PENDING" }, { status: "FAILED", attempts: { lt: MAX_SEND_ATTEMPTS } }] },
          data: { status: "SKIPPED" },
        });
        summary.skipped += count;
      }
    }
  }

  // Send: every sendable row due in the catch-up window, each claimed before it is sent.
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const sendable = [
    { status: "PENDING" as const },
    { status: "FAILED" as const, attempts: { lt: MAX_SEND_ATTEMPTS } },
    { status: "SENDING" as const, claimedAt: { lt: staleBefore } },
  ];
  const due = await prisma.instructorReminderDelivery.findMany({
    where: { dueOn: { gte: addDays(today, -CATCH_UP_DAYS), lte: today }, OR: sendable },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    select: {
      id: true, daysBefore: true, yearEndsOn: true,
      instructorCertification: {
        select: {
          personId: true, programId: true, issuedOn: true, expiresOn: true,
          program: { select: { code: true, name: true, instructorCoursesPerYear: true } },
          person: { select: { id: true, firstName: true, lastName: true, email: true, remindersOptOutAt: true } },
        },
      },
    },
  });
  for (const reminder of due) {
    const { count } = await prisma.instructorReminderDelivery.updateMany({
      where: { id: reminder.id, OR: sendable },
      data: { status: "SENDING", claimedBy: passId, claimedAt: now },
    });
    if (count !== 1) continue; // another pass has it
    const mine = { id: reminder.id, claimedBy: passId, status: "SENDING" as const };
    const cert = reminder.instructorCertification;
    const person = cert.person;
    // Taught enough since it was planned, or no longer in force: never sent.
    const shortfall = isCurrentOn(cert, today) ? await shortfallOf(cert, cert.program.instructorCoursesPerYear ?? 0, today, timeZone) : null;
    if (!shortfall || startOfDayUtc(shortfall.year.endsOn).getTime() !== startOfDayUtc(reminder.yearEndsOn).getTime()) {
      await prisma.instructorReminderDelivery.updateMany({ where: mine, data: { status: "SKIPPED" } });
      summary.skipped += 1;
      continue;
    }
    const email = person.email?.trim() ?? "";
    if (email === "" || person.remindersOptOutAt != null) {
      await prisma.instructorReminderDelivery.updateMany({ where: mine, data: { status: "SENT", sentAt: now, channel: "none" } });
      summary.sent += 1;
      summary.withoutEmail += 1;
      continue;
    }
    try {
      const unsubscribeUrl = `${baseUrl}/reminders/unsubscribe/${createUnsubscribeToken(person.id, env.sessionSecrets[0])}`;
      const message = buildInstructorReminderEmail({
        person, program: cert.program, coursesTaught: shortfall.taught, coursesRequired: shortfall.required, year: shortfall.year,
        baseUrl, unsubscribeUrl, districtName: env.DISTRICT_NAME,
      });
      if (transport.channel === "smtp") {
        await transport.mailer.sendMail({
          from: transport.from,
          to: { name: `${person.firstName} ${person.lastName}`.replace(/[\r\n]+/g, " "), address: email },
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        });
        await prisma.instructorReminderDelivery.updateMany({ where: mine, data: { status: "SENT", sentAt: now, channel: "smtp" } });
      } else {
        // The message and the SENT mark in one transaction: the outbox never holds a reminder twice.
        await prisma.$transaction([
          prisma.outboxMessage.create({ data: { toAddress: email, subject: message.subject, textBody: message.text, htmlBody: message.html } }),
          prisma.instructorReminderDelivery.updateMany({ where: mine, data: { status: "SENT", sentAt: now, channel: "outbox" } }),
        ]);
      }
      summary.sent += 1;
    } catch (error) {
      await prisma.instructorReminderDelivery.updateMany({
        where: mine,
        data: { status: "FAILED", attempts: { increment: 1 }, lastError: errorText(error) },
      });
      summary.failed += 1;
    }
  }
  log(formatInstructorPassSummary(summary));
  return summary;
}

/** The reminders sent (or due) to a person about their instructor certifications' courses-a-year rule, newest first, for the person page. */
export async function listInstructorRemindersForPerson(personId: string) {
  const rows = await prisma.instructorReminderDelivery.findMany({
    where: { instructorCertification: { personId }, status: { not: "SKIPPED" } },
    orderBy: [{ dueOn: "desc" }, { daysBefore: "asc" }],
    take: 50,
    select: {
      id: true, daysBefore: true, dueOn: true, yearEndsOn: true, status: true, sentAt: true, channel: true,
      instructorCertification: { select: { program: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    programName: r.instructorCertification.program.name,
    /** The certification year's last day (yearEndsOn is the first day of the next). */
    yearLastDay: addDays(r.yearEndsOn, -1),
    daysBefore: r.daysBefore,
    dueOn: r.dueOn,
    status: r.status,
    sentAt: r.sentAt,
    channel: r.channel,
  }));
}
