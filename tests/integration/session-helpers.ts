import { createCookie } from "@remix-run/node";
import { prisma } from "~/db.server";
import type { Role } from "~/generated/prisma/client";
import { hashPassword } from "~/models/user.server";

let n = 0;
let sharedHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct horse battery staple";

export async function createUser(role: Role, opts: { schoolIds?: string[]; personId?: string; email?: string } = {}) {
  n += 1;
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const email = opts.email ?? `${role.toLowerCase()}-${process.pid}-${Date.now()}-${n}@test.example`;
  const user = await prisma.user.create({
    data: {
      email,
      name: `Test ${role} ${n}`,
      role,
      passwordHash: await sharedHash,
      personId: opts.personId,
      schools: opts.schoolIds ? { create: opts.schoolIds.map((schoolId) => ({ schoolId })) } : undefined,
    },
  });
  // A password account always has its sign-in address (only email-link and SSO member accounts have none).
  return { ...user, email };
}

export async function startAuthSessionCookie(userId: string): Promise<string> {
  const session = await prisma.authSession.create({
    data: { userId, expiresAt: new Date(Date.now() + 3600_000) },
  });
  const cookie = createCookie("__session", { secrets: [process.env.SESSION_SECRET ?? ""], path: "/", httpOnly: true, sameSite: "lax" });
  const header = await cookie.serialize(session.id);
  return header.split(";")[0];
}
