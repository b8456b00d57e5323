import { prisma } from "~/db.server";
import { certificationStatus, renewalWindowOpens, type CertificationStatus } from "~/domain/program-rules";
import { GUIDANCE_WORDS, renewalGuidance, type RenewalGuidance } from "~/domain/renewal-guidance";
import { memberDate } from "~/domain/member-words";
import type { Language } from "~/domain/sign-in-messages";
import { sessionLocation } from "~/domain/calendar-events";

/** How many sessions to suggest per program. */
const JOINABLE_PER_PROGRAM = 5;

export type MemberCertificate = {
  id: string;
  programId: string;
  programCode: string;
  programName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  renewalOpens: Date | null;
  status: CertificationStatus;
  guidance: RenewalGuidance;
  verificationCode: string;
  revokedAt: Date | null;
  /** Earned elsewhere: where it was recorded from (null: issued here). */
  source: string | null;
};

/**
 * The member's own certificates with their status and what to do next. A certificate that
 * expired and was followed by a newer one of the same program (a retake, which is not a
 * renewal) says so rather than asking the member to retake the course again.
 */
export async function listMemberCertificates(personId: string, asOf = new Date(), lang: Language = "en"): Promise<MemberCertificate[]> {
  const certs = await prisma.certification.findMany({
    where: { personId },
    orderBy: [{ issuedOn: "desc" }],
    take: 200,
    select: {
      id: true, issuedOn: true, expiresOn: true, renewedById: true, verificationCode: true, revokedAt: true, source: true,
      renewedBy: { select: { issuedOn: true } },
      program: { select: { id: true, code: true, name: true, renewalWindowDays: true, renewalGuidance: true } },
    },
  });
  return certs.map((c) => {
    const status = certificationStatus(c, c.program, asOf);
    const newer = certs.find((o) => o.program.id === c.program.id && o.issuedOn > c.issuedOn && !o.revokedAt);
    const guidance = renewalGuidance({
      status,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      renewalWindowDays: c.program.renewalWindowDays,
      programGuidance: c.program.renewalGuidance,
      replacedByIssuedOn: c.renewedBy?.issuedOn ?? (status === "expired" ? newer?.issuedOn ?? null : null),
      today: asOf,
      revokedAt: c.revokedAt,
    }, (d) => memberDate(d, lang), GUIDANCE_WORDS[lang]);
    return {
      id: c.id,
      programId: c.program.id,
      programCode: c.program.code,
      programName: c.program.name,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      renewalOpens: renewalWindowOpens(c.expiresOn, c.program),
      status,
      guidance,
      verificationCode: c.verificationCode,
      revokedAt: c.revokedAt,
      source: c.source,
    };
  });
}

/**
 * The sessions the member is enrolled in, newest first; no roster. Read from the member's enrollments
 * (the personId index): asked of TrainingSession with `enrollments: { some }`, SQLite walked every
 * session newest first looking for the member's (274,000 at district scale, about 1 s, holding the
 * one Node process while every other request waited).
 */
export async function listMemberSessions(personId: string) {
  const enrollments = await prisma.enrollment.findMany({
    where: { personId },
    orderBy: { session: { createdAt: "desc" } },
    take: 100,
    select: {
      session: {
        select: {
          id: true, title: true, status: true, format: true, siteName: true,
          program: { select: { name: true } },
          school: { select: { name: true } },
          days: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
        },
      },
    },
  });
  const sessions = enrollments.map((e) => e.session);
  return sessions.map((s) => ({
    id: s.id,
    title: s.title,
    status: s.status,
    programName: s.program.name,
    where: sessionLocation(s),
    firstDay: s.days[0]?.startsAt ?? null,
    lastDayEnds: s.days.at(-1)?.endsAt ?? null,
    dayCount: s.days.length,
  }));
}

export type JoinableSession = { id: string; title: string | null; where: string; firstDay: Date; dayCount: number; enrolled: boolean };

/**
 * Scheduled sessions of these programs that have not started yet (every day in the future),
 * soonest first: date and place only, never who is enrolled. Student sessions are left out.
 */
export async function listJoinableSessions(programIds: string[], personId: string, asOf = new Date()): Promise<Record<string, JoinableSession[]>> {
  if (programIds.length === 0) return {};
  const sessions = await prisma.trainingSession.findMany({
    where: {
      programId: { in: programIds },
      status: "SCHEDULED",
      audience: { not: "STUDENTS" },
      days: { some: {} },
      NOT: { days: { some: { startsAt: { lte: asOf } } } },
    },
    take: 200,
    select: {
      id: true, title: true, programId: true, format: true, siteName: true,
      school: { select: { name: true } },
      days: { orderBy: { startsAt: "asc" }, take: 1, select: { startsAt: true } },
      _count: { select: { days: true } },
      // Only the member's own enrollment, to say "you are enrolled".
      enrollments: { where: { personId }, select: { id: true } },
    },
  });
  const byProgram: Record<string, JoinableSession[]> = {};
  const sorted = sessions
    .filter((s) => s.days[0])
    .sort((a, b) => (a.days[0]?.startsAt.getTime() ?? 0) - (b.days[0]?.startsAt.getTime() ?? 0));
  for (const s of sorted) {
    const first = s.days[0];
    if (!first) continue;
    const list = (byProgram[s.programId] ??= []);
    if (list.length >= JOINABLE_PER_PROGRAM) continue;
    list.push({ id: s.id, title: s.title, where: sessionLocation(s), firstDay: first.startsAt, dayCount: s._count.days, enrolled: s.enrollments.length > 0 });
  }
  return byProgram;
}

/** Where the member's reminder emails go, and whether they turned them off; null when the person is gone. */
export function getMemberReminderSettings(personId: string) {
  return prisma.person.findUnique({ where: { id: personId }, select: { email: true, remindersOptOutAt: true } });
}

/** The member's language (their page, emails and certificate). */
export async function getMemberLanguage(personId: string): Promise<Language> {
  const person = await prisma.person.findUnique({ where: { id: personId }, select: { language: true } });
  return person?.language === "es" ? "es" : "en";
}

export async function setMemberLanguage(personId: string, lang: Language) {
  await prisma.person.update({ where: { id: personId }, data: { language: lang } });
}

/** True on the member's first visit to their page (and records the visit): the page then explains itself. */
export async function firstVisit(userId: string, now = new Date()): Promise<boolean> {
  const marked = await prisma.user.updateMany({ where: { id: userId, welcomedAt: null }, data: { welcomedAt: now } });
  return marked.count === 1;
}
