import type { SessionAccessFacts, Viewer } from "./session-access";

/**
 * Who does what with session evaluations. Anyone who may see the session (app/domain/session-access.ts)
 * sees its counts and averages; the free-text comments, and opening or closing the link, belong to the
 * session's own trainers, program leads and administrators. A trainer's summary across their sessions
 * is for that trainer, program leads and administrators.
 */
function leadOrAdmin(viewer: Pick<Viewer, "role">): boolean {
  return viewer.role === "ADMIN" || viewer.role === "PROGRAM_LEAD";
}

export function canManageEvaluation(viewer: Viewer, session: SessionAccessFacts): boolean {
  return leadOrAdmin(viewer) || (viewer.role === "TRAINER" && session.trainerUserIds.includes(viewer.id));
}

export function canReadEvaluationComments(viewer: Viewer, session: SessionAccessFacts): boolean {
  return canManageEvaluation(viewer, session);
}

export function canSeeTrainerEvaluations(viewer: Pick<Viewer, "id" | "role">, trainerUserId: string): boolean {
  return leadOrAdmin(viewer) || (viewer.role === "TRAINER" && viewer.id === trainerUserId);
}
