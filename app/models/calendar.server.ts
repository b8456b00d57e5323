import { randomBytes } from "node:crypto";
import { prisma } from "~/db.server";
import { lockForTransaction } from "~/db/dialect.server";
import { addDays, certificationStatus, renewalWindowOpens, startOfDayUtc } from "~/domain/program-rules";
import { renewalGuidance } from "~/domain/renewal-guidance";
import { calendarText, renewalEvents, sessionDayEvents, sessionLocation, type CalendarHeader, type SessionDayEvent } from "~/domain/calendar-events";
import { recordAudit } from "~/models/audit.server";
import type { EventAttributes } from "ics";

/** 256 random bits, URL-safe: the secret in a personal calendar feed address. */
export function newCalendarFeedToken(): string {
  return randomBytes(32).toString("base64url");
}

const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isCalendarFeedToken(value: string): boolean {
  return FEED_TOKEN_PATTERN.test(value);
}

/**
 * Kept as is, not hashed, so the member page can show the address again whenever the member
 * needs to copy it into another calendar app. It reveals only training and renewal dates, and
 * replacing it revokes the old address.
 */
export async function getCalendarFeedToken(userId: string): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { calendarFeedToken: true } });
  return user?.calendarFeedToken ?? null;
}

/**
 * Creates the member's feed address, or with `replace` gives it a new one: the old address
 * stops working at once. Creating when one exists keeps it (a double click changes nothing).
 * The audit event records that it happened, never the token.
 */
export async function createOrReplaceCalendarFeed(userId: string, { replace }: { replace: boolean }): Promise<string> {
  return prisma.$transaction(async (tx) => {
    // Two clicks at once (on one instance or two) read the same "none yet": the second must wait and see the first's.
    await lockForTransaction(tx, `calendar-feed:${userId}`);
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { calendarFeedToken: true } });
    if (before.calendarFeedToken && !replace) return before.calendarFeedToken;
    const token = newCalendarFeedToken();
    await tx.user.update({ where: { id: userId }, data: { calendarFeedToken: token } });
    await recordAudit(tx, {
      actorId: userId,
      action: before.calendarFeedToken ? "calendarFeed.replace" : "calendarFeed.create",
      entityType: "User",
      entityId: userId,
      details: {},
    });
    return token;
  });
}

/** Turns the feed off: the address answers 404 from now on. */
export async function turnOffCalendarFeed(userId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: userId, calendarFeedToken: { not: null } }, data: { calendarFeedToken: null } });
    if (updated.count > 0) {
      await recordAudit(tx, { actorId: userId, action: "calendarFeed.revoke", entityType: "User", entityId: userId, details: {} });
    }
  });
}

const sessionForCalendar = {
  id: true,
  updatedAt: true,
  status: true,
  title: true,
  format: true,
  siteName: true,
  program: { select: { name: true } },
  school: { select: { name: true } },
  trainers: { where: { role: "LEAD" }, select: { user: { select: { name: true } } } },
  days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true, endsAt: true } },
} as const;

type SessionForCalendar = {
  id: string;
  updatedAt: Date;
  status: string;
  title: string | null;
  format: string;
  siteName: string | null;
  program: { name: string };
  school: { name: string } | null;
  trainers: Array<{ user: { name: string } }>;
  days: Array<{ id: string; startsAt: Date; endsAt: Date }>;
};

function dayEvents(s: SessionForCalendar, keep: (day: { endsAt: Date }) => boolean = () => true): SessionDayEvent[] {
  return s.days
    .map((d, i) => ({
      sessionId: s.id,
      sessionUpdatedAt: s.updatedAt,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      dayNumber: i + 1,
      dayCount: s.days.length,
      programName: s.program.name,
      sessionTitle: s.title,
      location: sessionLocation(s),
      leadTrainer: s.trainers[0]?.user.name ?? null,
      cancelled: s.status === "CANCELLED",
    }))
    .filter(keep);
}

/** Every day of a session the person is enrolled in, or null when they are not (the route answers 404). */
export async function sessionCalendarForPerson(sessionId: string, personId: string, header: CalendarHeader): Promise<string | null> {
  const session = await prisma.trainingSession.findFirst({
    where: { id: sessionId, enrollments: { some: { personId } } },
    select: sessionForCalendar,
  });
  if (!session) return null;
  return calendarText(sessionDayEvents(dayEvents(session), header.host), header);
}

const certificateForCalendar = {
  id: true,
  issuedOn: true,
  expiresOn: true,
  renewedById: true,
  renewedBy: { select: { issuedOn: true } },
  program: { select: { name: true, renewalWindowDays: true, renewalGuidance: true } },
} as const;

type CertificateForCalendar = {
  id: string;
  issuedOn: Date;
  expiresOn: Date | null;
  renewedById: string | null;
  renewedBy: { issuedOn: Date } | null;
  program: { name: string; renewalWindowDays: number | null; renewalGuidance: string };
};

function certificateEvents(cert: CertificateForCalendar, host: string, asOf: Date): EventAttributes[] {
  if (!cert.expiresOn) return [];
  const guidance = renewalGuidance({
    status: certificationStatus(cert, cert.program, asOf),
    issuedOn: cert.issuedOn,
    expiresOn: cert.expiresOn,
    renewalWindowDays: cert.program.renewalWindowDays,
    programGuidance: cert.program.renewalGuidance,
    replacedByIssuedOn: cert.renewedBy?.issuedOn ?? null,
    today: asOf,
  });
  const howToRenew = [guidance.summary, guidance.programGuidance].filter(Boolean).join("\n\n");
  return renewalEvents(
    {
      certificationId: cert.id,
      programName: cert.program.name,
      expiresOn: cert.expiresOn,
      windowOpens: renewalWindowOpens(cert.expiresOn, cert.program),
      howToRenew,
    },
    host,
  );
}

export type CertificateCalendar = { kind: "calendar"; text: string; programName: string } | { kind: "never-expires" } | null;

/** The renewal deadline of one of the person's certificates; null when it is not theirs. */
export async function certificateCalendarForPerson(
  certificationId: string,
  personId: string,
  header: CalendarHeader,
  asOf = new Date(),
): Promise<CertificateCalendar> {
  const cert = await prisma.certification.findFirst({ where: { id: certificationId, personId, revokedAt: null }, select: certificateForCalendar });
  if (!cert) return null;
  if (!cert.expiresOn) return { kind: "never-expires" };
  return { kind: "calendar", text: calendarText(certificateEvents(cert, header.host, asOf), header), programName: cert.program.name };
}

/**
 * The personal feed behind a secret address: the member's session days from yesterday on
 * (so a day in progress in any time zone stays), the days of the sessions they teach (lead or
 * co-trainer, not cancelled), and the renewal dates of certificates that are still current and not
 * yet renewed. null when the token matches no one (revoked or wrong).
 */
export async function calendarFeedForToken(token: string, header: Omit<CalendarHeader, "calendarName">, asOf = new Date()): Promise<string | null> {
  if (!isCalendarFeedToken(token)) return null;
  const user = await prisma.user.findUnique({
    where: { calendarFeedToken: token },
    select: { id: true, active: true, personId: true },
  });
  if (!user || !user.active) return null;
  const full = { ...header, calendarName: "My trainings" };
  const personId = user.personId;
  const from = addDays(startOfDayUtc(asOf), -1);
  // From the member's enrollments (the personId index), as listMemberSessions: asked of TrainingSession
  // with `enrollments: { some }`, SQLite searched every session for the member's (0.2-0.7 s a poll at
  // district scale; calendar apps poll the feed). The sessions they teach likewise, from SessionTrainer's userId index.
  const [enrolled, taught, certs] = await Promise.all([
    personId
      ? prisma.enrollment
          .findMany({
            where: { personId, session: { days: { some: { endsAt: { gte: from } } } } },
            select: { session: { select: sessionForCalendar } },
            take: 200,
          })
          .then((rows) => rows.map((r) => r.session))
      : [],
    prisma.sessionTrainer
      .findMany({
        where: { userId: user.id, session: { status: { not: "CANCELLED" }, days: { some: { endsAt: { gte: from } } } } },
        select: { session: { select: sessionForCalendar } },
        take: 200,
      })
      .then((rows) => rows.map((r) => r.session)),
    personId
      ? prisma.certification.findMany({
          where: { personId, renewedById: null, revokedAt: null, expiresOn: { gte: startOfDayUtc(asOf) } },
          select: certificateForCalendar,
          orderBy: { expiresOn: "asc" },
          take: 100,
        })
      : [],
  ]);
  // A trainer enrolled in a session they also teach sees its days once.
  const sessions = [...new Map([...enrolled, ...taught].map((s) => [s.id, s])).values()];
  const events = [
    ...sessionDayEvents(sessions.flatMap((s) => dayEvents(s, (d) => d.endsAt >= from)), header.host),
    ...certs.flatMap((c) => certificateEvents(c, header.host, asOf)),
  ];
  return calendarText(events, full);
}
