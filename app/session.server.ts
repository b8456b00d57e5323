import { createCookie, redirect } from "@remix-run/node";
import { getEnv } from "~/env.server";
import { getUserForSession, startAuthSession, endAuthSession, type SessionUser } from "~/models/user.server";
import { homePathFor, type RoleName } from "~/domain/roles";

const MAX_AGE_SECONDS = 60 * 60 * 12; // a working day

// The cookie carries only the id of a database session, so it can be revoked.
function sessionCookie() {
  const env = getEnv();
  return createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.secureCookies,
    secrets: env.sessionSecrets,
    maxAge: MAX_AGE_SECONDS,
  });
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  return id ? getUserForSession(id) : null;
}

/** Guard: a signed-in user, or a redirect to sign in that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** Guard: a signed-in user holding one of the roles; anyone else gets 403. */
export async function requireRole(request: Request, ...roles: RoleName[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function createUserSession(request: Request, user: { id: string; role: RoleName }, redirectTo?: string) {
  const session = await startAuthSession(user.id, MAX_AGE_SECONDS, request.headers.get("User-Agent"));
  return redirect(redirectTo ?? homePathFor(user.role), {
    headers: { "Set-Cookie": await sessionCookie().serialize(session.id) },
  });
}

export async function logout(request: Request) {
  const id = await readSessionId(request);
  if (id) await endAuthSession(id);
  return redirect("/login", {
    headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) },
  });
}

/** The client address, for rate limiting; behind a proxy the first X-Forwarded-For entry. */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("X-Forwarded-For");
  return forwarded?.split(",")[0]?.trim() || request.headers.get("X-Real-IP") || "local";
}
