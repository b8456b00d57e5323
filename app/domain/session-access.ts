import type { RoleName } from "~/domain/roles";

/**
 * Who may see and change a training session. Program leads and admins see all; a trainer
 * sees the sessions they lead or co-train; a coordinator sees those at their schools.
 * Only the session's own trainers (and admins) change it.
 */
export type Viewer = { id: string; role: RoleName; schoolIds: string[] };
export type SessionAccessFacts = { trainerUserIds: string[]; schoolId: string | null };

export function canViewSession(viewer: Viewer, session: SessionAccessFacts): boolean {
  switch (viewer.role) {
    case "ADMIN":
    case "PROGRAM_LEAD":
      return true;
    case "TRAINER":
      return session.trainerUserIds.includes(viewer.id);
    case "COORDINATOR":
      return session.schoolId != null && viewer.schoolIds.includes(session.schoolId);
    default:
      return false;
  }
}

export function canManageSession(viewer: Viewer, session: SessionAccessFacts): boolean {
  if (viewer.role === "ADMIN") return true;
  return viewer.role === "TRAINER" && session.trainerUserIds.includes(viewer.id);
}

export const SESSION_ROLES: RoleName[] = ["ADMIN", "PROGRAM_LEAD", "TRAINER", "COORDINATOR"];
export const SESSION_MANAGER_ROLES: RoleName[] = ["ADMIN", "TRAINER"];
