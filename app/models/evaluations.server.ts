import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";
import { calendarDateToUtc } from "~/domain/calendar-date";
import { dateInZone } from "~/domain/time";
import { dayHasStarted } from "~/domain/session-day";
import {
  createEvaluationToken, evaluationExpiry, evaluationNonceMatches, newEvaluationNonce, verifyEvaluationToken,
} from "~/domain/evaluation-token";
import { canManageEvaluation, canReadEvaluationComments, canSeeTrainerEvaluations } from "~/domain/evaluation-access";
import { summariseEvaluations, type EvaluationSummary } from "~/domain/evaluation-summary";
import type { Viewer } from "~/domain/session-access";
import type { EvaluationLanguage } from "~/domain/evaluation-messages";
import type { EvaluationInput } from "~/forms/evaluation";
import type { CheckInInput } from "~/forms/check-in";
import { recordAudit } from "~/models/audit.server";
import { withConflictRetry } from "~/models/check-in.server";
import { hitRateLimit, type RateLimit } from "~/models/rate-limit.server";

type Db = Prisma.TransactionClient;

/** Test seams: the clock, the signing secrets and the district zone; the environment otherwise. */
export type EvaluationOptions = { now?: Date; secrets?: readonly string[]; timeZone?: string };

function settings(opts: EvaluationOptions) {
  const env = getEnv();
  const secrets = opts.secrets ?? env.sessionSecrets;
  if (secrets.length === 0) throw new Error("No secret to sign evaluation links");
  return { now: opts.now ?? new Date(), secrets, timeZone: opts.timeZone ?? env.DISTRICT_TIME_ZONE };
}

export class EvaluationError extends Error {
  constructor(public code: "not-found" | "cancelled" | "not-yet" | "ended", message: string) {
    super(message);
  }
}

const NOT_FOUND = () => new Response("Not found", { status: 404, statusText: "Not Found" });

async function accessFacts(sessionId: string) {
  const session = await prisma.trainingSession.findUnique({ where: { id: sessionId }, select: { schoolId: true, trainers: { select: { userId: true } } } });
  if (!session) throw NOT_FOUND();
  return { schoolId: session.schoolId, trainerUserIds: session.trainers.map((t) => t.userId) };
}

/**
 * Guard for opening or closing a session's evaluation link, after requireSessionAccess(…, "view"):
 * the session's trainers, program leads and administrators; anyone else who sees the session gets a 403.
 */
export async function requireEvaluationManager(viewer: Viewer, sessionId: string) {
  if (!canManageEvaluation(viewer, await accessFacts(sessionId))) {
    throw new Response("Only this session's trainers, program leads and administrators can open or close its evaluation.", { status: 403, statusText: "Forbidden" });
  }
}

/** Guard for a trainer's evaluation summary: that trainer, program leads and administrators; others a 404. */
export async function requireTrainerEvaluationsAccess(viewer: Viewer, trainerUserId: string | undefined) {
  if (!trainerUserId || !canSeeTrainerEvaluations(viewer, trainerUserId)) throw NOT_FOUND();
  const trainer = await prisma.user.findUnique({ where: { id: trainerUserId }, select: { id: true, name: true, role: true } });
  if (!trainer) throw NOT_FOUND();
  return trainer;
}

const lastDayOf = (days: ReadonlyArray<{ startsAt: Date }>) => (days.length ? days.reduce((a, b) => (b.startsAt > a.startsAt ? b : a)) : null);

/**
 * Why the evaluation link cannot be opened now, or null when it can: participants evaluate the
 * whole course, so from the day its last day begins until two weeks after (evaluationExpiry).
 * A closed session still takes evaluations: trainers often close right after the last class.
 */
export function evaluationOpenRefusal(
  session: { status: string; days: ReadonlyArray<{ startsAt: Date }> },
  now: Date,
  timeZone: string,
): { code: "cancelled" | "not-yet" | "ended"; message: string } | null {
  if (session.status === "CANCELLED") return { code: "cancelled", message: "This session was cancelled, so it has no evaluation." };
  const last = lastDayOf(session.days);
  if (!last || !dayHasStarted(last, now, timeZone)) return { code: "not-yet", message: "The evaluation opens on the session's last day." };
  const expiresAt = evaluationExpiry(session.days, timeZone);
  if (!expiresAt || now >= expiresAt) return { code: "ended", message: "The two weeks after the last day are over, so the evaluation cannot be opened again. Record evaluations done elsewhere on the attendance page." };
  return null;
}

const sessionForLinkSelect = {
  id: true, status: true, evaluationNonce: true, program: { select: { name: true } }, days: { select: { startsAt: true } },
} satisfies Prisma.TrainingSessionSelect;

/** Opens (or restarts) the evaluation link: a new random nonce, so any older link stops working. */
export async function openEvaluation(sessionId: string, actorId: string, opts: EvaluationOptions = {}) {
  const { now, secrets, timeZone } = settings(opts);
  return prisma.$transaction(async (tx) => {
    const session = await tx.trainingSession.findUnique({ where: { id: sessionId }, select: sessionForLinkSelect });
    if (!session) throw new EvaluationError("not-found", "This session does not exist");
    const refusal = evaluationOpenRefusal(session, now, timeZone);
    if (refusal) throw new EvaluationError(refusal.code, refusal.message);
    const expiresAt = evaluationExpiry(session.days, timeZone);
    if (!expiresAt) throw new EvaluationError("not-yet", "This session has no days.");
    const nonce = newEvaluationNonce();
    await tx.trainingSession.update({ where: { id: session.id }, data: { evaluationNonce: nonce } });
    await recordAudit(tx, {
      actorId, action: "evaluation.open", entityType: "TrainingSession", entityId: session.id,
      details: { expiresAt: expiresAt.toISOString(), replaced: session.evaluationNonce !== null },
    });
    return { token: createEvaluationToken({ sessionId: session.id, nonce, expiresAt }, secrets[0]), expiresAt };
  });
}

/** Closes the evaluation link: the nonce is cleared, so every link for it stops working. */
export async function closeEvaluation(sessionId: string, actorId: string) {
  return prisma.$transaction(async (tx) => {
    const closed = await tx.trainingSession.updateMany({ where: { id: sessionId, evaluationNonce: { not: null } }, data: { evaluationNonce: null } });
    if (closed.count === 0) return { wasOpen: false };
    await recordAudit(tx, { actorId, action: "evaluation.close", entityType: "TrainingSession", entityId: sessionId, details: {} });
    return { wasOpen: true };
  });
}

/** The link of a session whose evaluation is open and not yet over; null otherwise. */
export function currentEvaluationToken(
  session: { id: string; status: string; evaluationNonce: string | null; days: ReadonlyArray<{ startsAt: Date }> },
  opts: EvaluationOptions = {},
): string | null {
  const { now, secrets, timeZone } = settings(opts);
  if (!session.evaluationNonce || session.status === "CANCELLED") return null;
  const expiresAt = evaluationExpiry(session.days, timeZone);
  if (!expiresAt || now >= expiresAt) return null;
  return createEvaluationToken({ sessionId: session.id, nonce: session.evaluationNonce, expiresAt }, secrets[0]);
}

export type VerifiedEvaluationLink = { ok: true; session: { id: string; programName: string; lastDayStartsAt: Date } };
/** invalid: not a link we made (404). expired / closed: a real link that no longer works (410). */
export type RefusedEvaluationLink = { ok: false; reason: "invalid" | "expired" | "closed" };

async function verifyWith(db: Db | typeof prisma, token: string, s: ReturnType<typeof settings>): Promise<VerifiedEvaluationLink | RefusedEvaluationLink> {
  const check = verifyEvaluationToken(token, s.secrets, s.now);
  if (!check.ok) return { ok: false, reason: check.reason === "expired" ? "expired" : "invalid" };
  const session = await db.trainingSession.findUnique({ where: { id: check.claims.sessionId }, select: sessionForLinkSelect });
  if (!session) return { ok: false, reason: "invalid" };
  if (!evaluationNonceMatches(session.evaluationNonce, check.claims.nonce)) return { ok: false, reason: "closed" };
  // The days may have changed since the link was made: the rule is applied to them as they are now.
  const refusal = evaluationOpenRefusal(session, s.now, s.timeZone);
  if (refusal) return { ok: false, reason: refusal.code === "ended" ? "expired" : "closed" };
  const last = lastDayOf(session.days);
  if (!last) return { ok: false, reason: "closed" };
  return { ok: true, session: { id: session.id, programName: session.program.name, lastDayStartsAt: last.startsAt } };
}

/** Whether an evaluation link works now, and for which session. Reveals nothing about the roster. */
export function verifyEvaluationLink(token: string, opts: EvaluationOptions = {}) {
  return verifyWith(prisma, token, settings(opts));
}

/**
 * Public evaluation posts per address and per link, per minute: a room of 30 on one school
 * address, some retyping a mistake, fits; guessing who is on the roster from many addresses does not.
 */
export const EVALUATION_POSTS_PER_ADDRESS: RateLimit = { limit: 40, windowMs: 60_000 };
export const EVALUATION_POSTS_PER_LINK: RateLimit = { limit: 200, windowMs: 60_000 };

export function throttleEvaluationAddress(address: string, now?: Date) {
  return hitRateLimit(`evaluation-addr:${address}`, EVALUATION_POSTS_PER_ADDRESS, now);
}
export function throttleEvaluationLink(sessionId: string, now?: Date) {
  return hitRateLimit(`evaluation-link:${sessionId}`, EVALUATION_POSTS_PER_LINK, now);
}

const normalised = (text: string) => text.trim().normalize("NFC").toLocaleLowerCase();

/** The enrolment on this session of the person the participant says they are, or null. As check-in matches people. */
async function enrollmentOf(tx: Db, sessionId: string, identity: CheckInInput) {
  const enrollments = await tx.enrollment.findMany({
    where: {
      sessionId,
      person: "districtId" in identity
        // A merged record's ID stands for its survivor, which is the one on the roster.
        ? { OR: [{ districtId: identity.districtId.trim() }, { mergedFrom: { some: { districtId: identity.districtId.trim() } } }] }
        : { email: { in: [...new Set([identity.email.trim().toLowerCase(), identity.email.trim()])] } },
    },
    select: { id: true, evaluationCompletedOn: true, person: { select: { firstName: true, lastName: true } } },
    take: 50,
  });
  if ("districtId" in identity) return enrollments[0] ?? null;
  return enrollments.find((e) => normalised(e.person.firstName) === normalised(identity.firstName) && normalised(e.person.lastName) === normalised(identity.lastName)) ?? null;
}

export type EvaluationResult =
  | { ok: true; outcome: "received" | "already-received"; programName: string; lastDayStartsAt: Date }
  | { ok: false; reason: "not-on-roster" }
  | RefusedEvaluationLink;

// Submissions of one session queue on SQLite's single writer; PostgreSQL row locks settle the rest.
const TX_OPTIONS = { maxWait: 60_000, timeout: 20_000 };

/**
 * A participant's evaluation from the public link. Their enrolment's evaluationCompletedOn is set
 * by a conditional update (only while it is empty) and the anonymous answers written in the same
 * transaction, so a repeat, or two posts at once, write one evaluation. Someone not on the roster
 * writes nothing. The answers name no one; the audit says "a participant" (anonymity:
 * docs/decisions/021-session-evaluations.md).
 */
export async function submitEvaluation(token: string, input: EvaluationInput, lang: EvaluationLanguage, opts: EvaluationOptions = {}): Promise<EvaluationResult> {
  const s = settings(opts);
  return withConflictRetry(() =>
    prisma.$transaction(async (tx): Promise<EvaluationResult> => {
      const verified = await verifyWith(tx, token, s);
      if (!verified.ok) return verified;
      const { session } = verified;
      const enrollment = await enrollmentOf(tx, session.id, input.identity);
      if (!enrollment) return { ok: false, reason: "not-on-roster" };
      const done = { ok: true as const, programName: session.programName, lastDayStartsAt: session.lastDayStartsAt };
      // Stored as the district's calendar date, as the attendance sheet records it.
      const today = calendarDateToUtc(dateInZone(s.now, s.timeZone));
      const claimed = await tx.enrollment.updateMany({ where: { id: enrollment.id, evaluationCompletedOn: null }, data: { evaluationCompletedOn: today } });
      if (claimed.count === 0) return { ...done, outcome: "already-received" };
      await tx.sessionEvaluation.create({
        data: {
          sessionId: session.id, language: lang, ...input.ratings, recommend: input.recommend, comment: input.comment,
          // Only the date: a time would line the answers up with the roster's order of arrival.
          submittedAt: today,
        },
      });
      await recordAudit(tx, { actorId: null, action: "evaluation.submit", entityType: "TrainingSession", entityId: session.id, details: {} });
      return { ...done, outcome: "received" };
    }, TX_OPTIONS),
  );
}

// ---- summaries ----

const answersSelect = { overall: true, content: true, trainers: true, confidence: true, recommend: true } satisfies Prisma.SessionEvaluationSelect;

export type EvaluationComment = { id: string; text: string; language: string };

/** A session's evaluation page: the link's state, counts and averages, and the comments for those who may read them. */
export async function getSessionEvaluation(sessionId: string, viewer: Viewer, opts: EvaluationOptions = {}) {
  const session = await prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true, title: true, status: true, schoolId: true, evaluationNonce: true,
      program: { select: { name: true, requiresEvaluation: true } },
      days: { orderBy: { startsAt: "asc" }, select: { startsAt: true } },
      trainers: { select: { userId: true } },
    },
  });
  const facts = { schoolId: session.schoolId, trainerUserIds: session.trainers.map((t) => t.userId) };
  const readsComments = canReadEvaluationComments(viewer, facts);
  const [enrolled, completed, answers, comments] = await Promise.all([
    prisma.enrollment.count({ where: { sessionId } }),
    prisma.enrollment.count({ where: { sessionId, evaluationCompletedOn: { not: null } } }),
    prisma.sessionEvaluation.findMany({ where: { sessionId }, select: answersSelect }),
    readsComments
      ? prisma.sessionEvaluation.findMany({ where: { sessionId, comment: { not: null } }, select: { id: true, comment: true, language: true }, orderBy: { id: "asc" }, take: 500 })
      : Promise.resolve([]),
  ]);
  const { now, timeZone } = settings(opts);
  return {
    session: { id: session.id, title: session.title, status: session.status, programName: session.program.name, requiresEvaluation: session.program.requiresEvaluation },
    open: session.evaluationNonce !== null,
    token: currentEvaluationToken(session, opts),
    expiresAt: evaluationExpiry(session.days, timeZone),
    openRefusal: evaluationOpenRefusal(session, now, timeZone),
    canManage: canManageEvaluation(viewer, facts),
    enrolled,
    completed,
    summary: summariseEvaluations(answers),
    comments: readsComments ? comments.map((c) => ({ id: c.id, text: c.comment ?? "", language: c.language })) : null,
  };
}

export type TrainerSessionEvaluation = {
  id: string; title: string | null; programName: string; role: "LEAD" | "CO"; lastDayStartsAt: Date | null;
  enrolled: number; summary: EvaluationSummary; comments: EvaluationComment[];
};

/**
 * Every session the trainer led or co-led that has evaluations, newest first, with the totals over
 * all of them. Access was checked by requireTrainerEvaluationsAccess.
 */
export async function getTrainerEvaluations(trainerUserId: string) {
  const sessions = await prisma.trainingSession.findMany({
    where: { trainers: { some: { userId: trainerUserId } }, evaluations: { some: {} } },
    select: {
      id: true, title: true,
      program: { select: { name: true } },
      trainers: { where: { userId: trainerUserId }, select: { role: true } },
      days: { orderBy: { startsAt: "desc" }, take: 1, select: { startsAt: true } },
      _count: { select: { enrollments: true } },
      evaluations: { select: { ...answersSelect, id: true, comment: true, language: true }, orderBy: { id: "asc" } },
    },
    take: 500,
  });
  const rows: TrainerSessionEvaluation[] = sessions
    .map((s) => ({
      id: s.id, title: s.title, programName: s.program.name, role: s.trainers[0]?.role ?? "CO",
      lastDayStartsAt: s.days[0]?.startsAt ?? null, enrolled: s._count.enrollments,
      summary: summariseEvaluations(s.evaluations),
      comments: s.evaluations.flatMap((e) => (e.comment ? [{ id: e.id, text: e.comment, language: e.language }] : [])),
    }))
    .sort((a, b) => (b.lastDayStartsAt?.getTime() ?? 0) - (a.lastDayStartsAt?.getTime() ?? 0));
  return {
    sessions: rows,
    total: summariseEvaluations(sessions.flatMap((s) => s.evaluations)),
    enrolled: rows.reduce((sum, r) => sum + r.enrolled, 0),
  };
}
