/** Roles, what they are called, and where each one lands after signing in. */
export const ROLES = ["ADMIN", "PROGRAM_LEAD", "TRAINER", "COORDINATOR", "MEMBER"] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
  ADMIN: "Administrator",
  PROGRAM_LEAD: "Program lead",
  TRAINER: "Trainer",
  COORDINATOR: "School coordinator",
  MEMBER: "Member (staff, teacher or partner)",
};

export const HOME_PATHS: Record<RoleName, string> = {
  ADMIN: "/admin",
  PROGRAM_LEAD: "/lead",
  TRAINER: "/trainer",
  COORDINATOR: "/coordinator",
  MEMBER: "/me",
};

export function homePathFor(role: RoleName): string {
  return HOME_PATHS[role];
}

export function isRole(value: unknown): value is RoleName {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

// A made-up origin (.invalid never resolves) to resolve a path against the way a browser would.
const PROBE_ORIGIN = "http://app.invalid";
// C0 controls, DEL and C1 controls: browsers drop tab and newline from URLs ("/\t/evil" becomes "//evil").
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A path the user asked for before signing in is only followed when it stays on this app's origin.
 * Decided by the WHATWG URL parser (the one browsers use), not by string patterns, and returned in
 * its parsed, percent-encoded form so the Location header is plain ASCII.
 */
export function safeRedirectPath(to: unknown, fallback: string): string {
  if (typeof to !== "string" || !to.startsWith("/") || CONTROL_CHARACTER.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  // "/.//evil" parses to the path "//evil": harmless here, but a client that normalises before
  // resolving would read it as another host, and no page of the app starts with "//".
  if (url.origin !== PROBE_ORIGIN || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
