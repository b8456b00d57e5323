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

/** A path the user asked for before signing in is only followed when it is local. */
export function safeRedirectPath(to: unknown, fallback: string): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.includes("\\")) {
    return fallback;
  }
  return to;
}
