import { hash, verify } from "@node-rs/argon2";
import { prisma } from "~/db.server";
import { ignoringCase, lockForTransaction } from "~/db/dialect.server";
import { Prisma, type Role } from "~/generated/prisma/client";
import { recordAudit } from "~/models/audit.server";

// 2 is Argon2id in @node-rs/argon2 (its Algorithm enum is an ambient const enum, unusable under isolatedModules).
const ARGON2_OPTIONS = { algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// A hash of a random password, verified against when the account does not exist so that
// a wrong email and a wrong password take the same time.
let decoyHash: Promise<string> | undefined;

export async function verifySignIn(email: string, password: string) {
  const user = await prisma.user.findUnique({ where: { email: normalizeEmail(email) } });
  decoyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verify(user?.passwordHash ?? (await decoyHash), password).catch(() => false);
  if (!user || !ok || !user.active) return null;
  return user;
}

// Failures older than this no longer count, and are purged.
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_BACKOFF_SECONDS = 15 * 60;
// One address may fail this many times the per-account allowance, across all accounts: a school's staff
// share one address, a password sprayer tries many accounts from one.
const ADDRESS_FAILURE_FACTOR = 10;
// A burst queues for the connection: let it wait rather than fail with Prisma's 2 s default.
const TRANSACTION_OPTIONS = { maxWait: 15_000 };

function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export type SignInClaim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * May this address try a password for this account now? Failures are counted per (account, address):
 * after `maxFailures` of them in 15 minutes each further try waits 1 s, then 2, 4… up to 15 minutes,
 * and an address may fail `maxFailures` × 10 times across all accounts. Nothing here depends on
 * failures from other addresses, so an attacker elsewhere can neither lock nor slow the owner.
 *
 * The check and the record are one write transaction (BEGIN IMMEDIATE, docs/decisions/006-sqlite-connections.md),
 * so concurrent attempts are decided one after another and a burst cannot slip past the limit. An
 * allowed attempt is recorded as a failure before the password is checked; forgiveSignInFailures
 * removes it if the password was right. A refused attempt records nothing and is not checked.
 */
export async function claimSignInAttempt(email: string, ip: string, maxFailures: number, now = new Date()): Promise<SignInClaim> {
  const normalized = normalizeEmail(email);
  const inWindow = { createdAt: { gte: new Date(now.getTime() - FAILURE_WINDOW_MS) } };
  return prisma.$transaction(async (tx): Promise<SignInClaim> => {
    // Both counts are per address: one lock per address makes count-then-record atomic on every instance.
    await lockForTransaction(tx, `sign-in:${ip}`);
    const pair = { ...inWindow, email: normalized, ip };
    const pairFailures = await tx.signInFailure.count({ where: pair });
    const addressFailures = await tx.signInFailure.count({ where: { ...inWindow, ip } });

    let waitMs = 0;
    if (pairFailures >= maxFailures) {
      const latest = await tx.signInFailure.findFirst({ where: pair, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
      const backoffSeconds = Math.min(2 ** (pairFailures - maxFailures), MAX_BACKOFF_SECONDS);
      waitMs = (latest?.createdAt.getTime() ?? 0) + backoffSeconds * 1000 - now.getTime();
    }
    const addressCap = maxFailures * ADDRESS_FAILURE_FACTOR;
    if (addressFailures >= addressCap) {
      // The window slides: the address may try again once enough of its oldest failures have aged out.
      const ageingOut = await tx.signInFailure.findFirst({
        where: { ...inWindow, ip }, orderBy: { createdAt: "asc" }, skip: addressFailures - addressCap, select: { createdAt: true },
      });
      waitMs = Math.max(waitMs, (ageingOut?.createdAt.getTime() ?? 0) + FAILURE_WINDOW_MS - now.getTime());
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    await tx.signInFailure.create({ data: { email: normalized, ip, createdAt: now } });
    return { allowed: true };
  }, TRANSACTION_OPTIONS);
}

/**
 * The password was right: this account's failures from this address are forgiven, the claim with them.
 * Failures from other addresses stay, so the owner signing in never resets an attacker's backoff.
 */
export async function forgiveSignInFailures(email: string, ip: string) {
  await prisma.signInFailure.deleteMany({ where: { email: normalizeEmail(email), ip } });
}

/**
 * Deletes sign-in failures that no longer count and sign-in sessions past their expiry, at most `batch`
 * of each per call. Called on every checked sign-in, so the tables stay small without a cron job.
 */
export async function purgeStaleSignInRecords({ now = new Date(), batch = 200 }: { now?: Date; batch?: number } = {}) {
  const failures = await prisma.signInFailure.findMany({
    where: { createdAt: { lt: new Date(now.getTime() - FAILURE_WINDOW_MS) } }, select: { id: true }, take: batch,
  });
  const sessions = await prisma.authSession.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, take: batch });
  const [signInFailures, authSessions] = await Promise.all([
    prisma.signInFailure.deleteMany({ where: { id: { in: failures.map((f) => f.id) } } }),
    prisma.authSession.deleteMany({ where: { id: { in: sessions.map((s) => s.id) } } }),
  ]);
  return { signInFailures: signInFailures.count, authSessions: authSessions.count };
}

export async function getUserForSession(authSessionId: string, now = new Date()) {
  const session = await prisma.authSession.findUnique({
    where: { id: authSessionId },
    include: {
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          active: true,
          personId: true,
          schools: { select: { schoolId: true } },
        },
      },
    },
  });
  if (!session || session.expiresAt <= now || !session.user.active) return null;
  const { schools, ...user } = session.user;
  return { ...user, schoolIds: schools.map((s) => s.schoolId), authSessionId: session.id };
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getUserForSession>>>;

export async function startAuthSession(userId: string, maxAgeSeconds: number, userAgent: string | null) {
  const [session] = await prisma.$transaction([
    prisma.authSession.create({
      data: { userId, expiresAt: new Date(Date.now() + maxAgeSeconds * 1000), userAgent },
    }),
    prisma.user.update({ where: { id: userId }, data: { lastSignedInAt: new Date() } }),
  ]);
  return session;
}

export async function endAuthSession(authSessionId: string) {
  await prisma.authSession.deleteMany({ where: { id: authSessionId } });
}

const USER_LIST_PAGE = 50;

export async function listUsers({ q, role, page }: { q?: string; role?: Role; page: number }) {
  const where: Prisma.UserWhereInput = {
    ...(role ? { role } : {}),
    ...(q ? { OR: [{ email: { contains: q, ...ignoringCase() } }, { name: { contains: q, ...ignoringCase() } }] } : {}),
  };
  const [users, total] = await Promise.all([
    prisma.user.findMany({
      where,
      orderBy: [{ active: "desc" }, { name: "asc" }],
      skip: (page - 1) * USER_LIST_PAGE,
      take: USER_LIST_PAGE,
      select: {
        id: true, email: true, name: true, role: true, active: true, lastSignedInAt: true,
        schools: { select: { school: { select: { code: true, name: true } } } },
      },
    }),
    prisma.user.count({ where }),
  ]);
  return { users, total, pageSize: USER_LIST_PAGE };
}

/** Sign-in sessions that have not expired: browsers where the user is signed in now. */
export function countActiveSignIns(userId: string, now = new Date()) {
  return prisma.authSession.count({ where: { userId, expiresAt: { gt: now } } });
}

export function getUserForAdmin(id: string) {
  return prisma.user.findUnique({
    where: { id },
    select: {
      id: true, email: true, name: true, role: true, active: true, lastSignedInAt: true, createdAt: true,
      person: { select: { id: true, districtId: true, firstName: true, lastName: true } },
      schools: { select: { school: { select: { id: true, code: true, name: true } } } },
      _count: { select: { authSessions: true } },
    },
  });
}

export class UserInputError extends Error {
  constructor(public field: string, message: string) {
    super(message);
  }
}

async function schoolIdsForCodes(codes: string[]) {
  if (codes.length === 0) return [];
  const schools = await prisma.school.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
  const missing = codes.filter((c) => !schools.some((s) => s.code === c));
  if (missing.length) throw new UserInputError("schoolCodes", `Unknown school code: ${missing.join(", ")}`);
  return schools.map((s) => s.id);
}

async function personIdForDistrictId(districtId: string | undefined) {
  if (!districtId) return null;
  const person = await prisma.person.findUnique({ where: { districtId }, select: { id: true, user: { select: { id: true } } } });
  if (!person) throw new UserInputError("districtId", `No person has district ID ${districtId}`);
  return person;
}

export async function createUser(
  input: { email: string; name: string; role: Role; password: string; schoolCodes: string[]; districtId?: string },
  actorId: string,
) {
  const email = input.email.trim().toLowerCase();
  if (await prisma.user.findUnique({ where: { email } })) {
    throw new UserInputError("email", "A user with this email already exists");
  }
  const schoolIds = await schoolIdsForCodes(input.schoolCodes);
  const person = await personIdForDistrictId(input.districtId);
  if (person?.user) throw new UserInputError("districtId", "That person already has a user account");
  if (input.role === "COORDINATOR" && schoolIds.length === 0) {
    throw new UserInputError("schoolCodes", "A school coordinator needs at least one school");
  }
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        email, name: input.name.trim(), role: input.role, passwordHash, personId: person?.id ?? null,
        schools: { create: schoolIds.map((schoolId) => ({ schoolId })) },
      },
    });
    await recordAudit(tx, { actorId, action: "user.create", entityType: "User", entityId: user.id, details: { email, role: input.role } });
    return user;
  }).catch(async (error: unknown) => {
    // Another administrator created the same email between the check above and the insert.
    const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"
      && (await prisma.user.findUnique({ where: { email }, select: { id: true } }));
    if (taken) throw new UserInputError("email", "A user with this email already exists");
    throw error;
  });
}

export async function updateUserAccess(
  id: string,
  input: { name: string; role: Role; schoolCodes: string[]; active: boolean },
  actorId: string,
) {
  const schoolIds = await schoolIdsForCodes(input.schoolCodes);
  if (input.role === "COORDINATOR" && schoolIds.length === 0) {
    throw new UserInputError("schoolCodes", "A school coordinator needs at least one school");
  }
  // An administrator cannot lock themselves out; another administrator must do it.
  if (id === actorId && input.role !== "ADMIN") {
    throw new UserInputError("role", "You cannot remove your own administrator access");
  }
  if (id === actorId && !input.active) {
    throw new UserInputError("active", "You cannot deactivate your own account");
  }
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id }, select: { role: true, active: true } });
    await tx.coordinatorSchool.deleteMany({ where: { userId: id } });
    const user = await tx.user.update({
      where: { id },
      data: {
        name: input.name.trim(), role: input.role, active: input.active,
        schools: { create: schoolIds.map((schoolId) => ({ schoolId })) },
      },
    });
    // Deactivating, or changing what someone may see, signs them out everywhere.
    if (!input.active || before.role !== input.role) await tx.authSession.deleteMany({ where: { userId: id } });
    await recordAudit(tx, {
      actorId, action: "user.update", entityType: "User", entityId: id,
      details: { role: [before.role, input.role], active: [before.active, input.active], schools: input.schoolCodes },
    });
    return user;
  });
}

export async function resetPassword(id: string, password: string, actorId: string) {
  const passwordHash = await hashPassword(password);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id }, data: { passwordHash } });
    await tx.authSession.deleteMany({ where: { userId: id } });
    await recordAudit(tx, { actorId, action: "user.password-reset", entityType: "User", entityId: id, details: {} });
  });
}

/**
 * Changes one's own password: the current one must be right (argon2id, as at sign-in). Every other signed-in
 * session of the account ends; the one making the change stays.
 */
export async function changeOwnPassword(userId: string, keepSessionId: string, current: string, next: string): Promise<"changed" | "wrong-password" | "no-password"> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash) return "no-password";
  if (!(await verify(user.passwordHash, current).catch(() => false))) return "wrong-password";
  const passwordHash = await hashPassword(next);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.authSession.deleteMany({ where: { userId, id: { not: keepSessionId } } });
    await recordAudit(tx, { actorId: userId, action: "user.password-change", entityType: "User", entityId: userId, details: {} });
  });
  return "changed";
}

/** Whether the account signs in with a password (member accounts made by an email link or SSO have none). */
export async function hasPassword(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(user?.passwordHash);
}
