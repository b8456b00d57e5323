import { prisma } from "~/db.server";
import { lockForTransaction } from "~/db/dialect.server";
import { evaluateCompletion, expiresOn, renewsPrevious } from "~/domain/program-rules";
import { closingRefusal } from "~/domain/session-day";
import { getEnv } from "~/env.server";
import { dateInZone } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import { newVerificationCode } from "~/models/certification.server";

export type CloseOutcome = {
  issued: Array<{ personId: string; name: string; renewed: boolean }>;
  alreadyHeld: Array<{ personId: string; name: string }>;
  notCompleted: Array<{ personId: string; name: string; reasons: string[] }>;
};

/**
 * Preview of what closing will do, without writing; `notYet` says why it cannot be closed now
 * (its last day has not started in the district), else null.
 */
export async function previewClose(sessionId: string, opts: { now?: Date; timeZone?: string } = {}): Promise<CloseOutcome & { notYet: string | null }> {
  const session = await loadForClose(sessionId);
  const notYet = closingRefusal(session.days, opts.now ?? new Date(), opts.timeZone ?? getEnv().DISTRICT_TIME_ZONE);
  return { ...decide(session), notYet };
}

async function loadForClose(sessionId: string) {
  return prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    include: {
      program: true,
      days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } },
      enrollments: {
        include: {
          person: { select: { id: true, firstName: true, lastName: true } },
          attendance: { select: { sessionDayId: true, status: true } },
        },
      },
      certifications: { select: { personId: true } },
    },
  });
}

type Loaded = Awaited<ReturnType<typeof loadForClose>>;

function decide(session: Loaded): CloseOutcome {
  const outcome: CloseOutcome = { issued: [], alreadyHeld: [], notCompleted: [] };
  const certified = new Set(session.certifications.map((c) => c.personId));
  for (const e of session.enrollments) {
    const name = `${e.person.firstName} ${e.person.lastName}`;
    const attendance = session.days.map((d) => e.attendance.find((a) => a.sessionDayId === d.id)?.status ?? null);
    const result = evaluateCompletion(session.program, {
      attendance, postWorkDone: e.postWorkCompletedOn != null, evaluationDone: e.evaluationCompletedOn != null,
    });
    if (certified.has(e.personId)) outcome.alreadyHeld.push({ personId: e.personId, name });
    else if (result.completed) outcome.issued.push({ personId: e.personId, name, renewed: false });
    else outcome.notCompleted.push({ personId: e.personId, name, reasons: result.reasons });
  }
  return outcome;
}

export class CloseError extends Error {}

/**
 * Closes a session: applies the program's completion rule and issues a certificate to each
 * person who completed, renewing a current one they hold. Safe to repeat: a person never
 * gets two certificates from one session (also enforced by a unique index).
 */
export async function closeSession(sessionId: string, actorId: string, timeZone: string, now = new Date()): Promise<CloseOutcome> {
  return prisma.$transaction(async (tx) => {
    // Claim the session first: a second concurrent close finds it already closed.
    const claimed = await tx.trainingSession.updateMany({
      where: { id: sessionId, status: "SCHEDULED" },
      data: { status: "CLOSED", closedAt: now },
    });
    if (claimed.count === 0) throw new CloseError("This session is not open: it is already closed or was cancelled.");
    // Closes of one program run one at a time on every instance: each must see the certificates the other
    // issued, so that a person who completed both sessions is renewed in a chain, not twice over one certificate.
    const { programId } = await tx.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: { programId: true } });
    await lockForTransaction(tx, `certifications:${programId}`);
    const session = await tx.trainingSession.findUniqueOrThrow({
      where: { id: sessionId },
      include: {
        program: true,
        days: { orderBy: { startsAt: "asc" }, select: { id: true, startsAt: true } },
        enrollments: {
          include: { person: { select: { id: true, firstName: true, lastName: true } }, attendance: { select: { sessionDayId: true, status: true } } },
        },
        certifications: { select: { personId: true } },
      },
    });
    // Checked inside the claiming transaction: the throw rolls the claim back, and no edit of the
    // days can slip between the check and the certificates.
    const refusal = closingRefusal(session.days, now, timeZone);
    if (refusal) throw new CloseError(refusal);
    const lastDay = session.days.at(-1);
    if (!lastDay) throw new CloseError("This session has no days.");
    const outcome = decide(session);
    // Issued on the session's last day, as a calendar date in the district.
    const issuedOn = new Date(`${dateInZone(lastDay.startsAt, timeZone)}T00:00:00Z`);
    const expiry = expiresOn(issuedOn, session.program);
    for (const learner of outcome.issued) {
      const cert = await tx.certification.create({
        data: {
          personId: learner.personId, programId: session.programId, sessionId, issuedOn, expiresOn: expiry,
          verificationCode: newVerificationCode(),
        },
      });
      const previous = await tx.certification.findFirst({
        where: { personId: learner.personId, programId: session.programId, renewedById: null, revokedAt: null, id: { not: cert.id }, issuedOn: { lte: issuedOn } },
        orderBy: { issuedOn: "desc" },
      });
      if (previous && renewsPrevious(previous, issuedOn)) {
        await tx.certification.update({ where: { id: previous.id }, data: { renewedById: cert.id } });
        learner.renewed = true;
        await recordAudit(tx, { actorId, action: "certification.renew", entityType: "Certification", entityId: previous.id, details: { renewedById: cert.id } });
      }
      await recordAudit(tx, {
        actorId, action: "certification.issue", entityType: "Certification", entityId: cert.id,
        details: { personId: learner.personId, sessionId, issuedOn: issuedOn.toISOString().slice(0, 10), expiresOn: expiry?.toISOString().slice(0, 10) ?? null },
      });
    }
    await recordAudit(tx, {
      actorId, action: "session.close", entityType: "TrainingSession", entityId: sessionId,
      details: { issued: outcome.issued.length, alreadyHeld: outcome.alreadyHeld.length, notCompleted: outcome.notCompleted.map((n) => ({ personId: n.personId, reasons: n.reasons })) },
    });
    return outcome;
  });
}

/** Reopens a closed session so attendance can be corrected; certificates already issued stay. */
export async function reopenSession(sessionId: string, actorId: string, reason: string | undefined) {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.trainingSession.updateMany({ where: { id: sessionId, status: "CLOSED" }, data: { status: "SCHEDULED", closedAt: null } });
    if (updated.count === 0) throw new CloseError("Only a closed session can be reopened.");
    await recordAudit(tx, { actorId, action: "session.reopen", entityType: "TrainingSession", entityId: sessionId, details: { reason: reason ?? null } });
  });
}

export function sessionHeader(sessionId: string) {
  return prisma.trainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { id: true, status: true, title: true, closedAt: true, program: { select: { name: true } } },
  });
}
