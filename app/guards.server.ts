import { requireRole } from "~/session.server";
import { prisma } from "~/db.server";
import { canManageSession, canViewSession, SESSION_MANAGER_ROLES, SESSION_ROLES } from "~/domain/session-access";
import type { SessionUser } from "~/models/user.server";

const NOT_FOUND = () => new Response("Not found", { status: 404, statusText: "Not Found" });

/**
 * Guard for a training session's pages. A session the user may not see is a 404 (its
 * existence is not revealed); one they may see but not change is a 403 for "manage".
 */
export async function requireSessionAccess(
  request: Request,
  sessionId: string | undefined,
  mode: "view" | "manage",
): Promise<{ user: SessionUser; sessionId: string }> {
  const user = await requireRole(request, ...(mode === "manage" ? SESSION_MANAGER_ROLES : SESSION_ROLES));
  if (!sessionId) throw NOT_FOUND();
  const session = await prisma.trainingSession.findUnique({
    where: { id: sessionId },
    select: { id: true, schoolId: true, trainers: { select: { userId: true } } },
  });
  if (!session) throw NOT_FOUND();
  const facts = { schoolId: session.schoolId, trainerUserIds: session.trainers.map((t) => t.userId) };
  if (!canViewSession(user, facts)) throw NOT_FOUND();
  if (mode === "manage" && !canManageSession(user, facts)) {
    throw new Response("Only this session's trainers can change it.", { status: 403, statusText: "Forbidden" });
  }
  return { user, sessionId: session.id };
}
