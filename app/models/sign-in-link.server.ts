/**
 * One-time links by email (docs/decisions/014-email-links-and-certificate-mail.md): sign in as a person of the directory without
 * a password, or set a new password. A link is 32 random bytes; only its SHA-256 is stored. It works once, for 15
 * minutes. Asking for one answers the same whether or not the address is known, and is rate-limited per client address
 * and per email (counted in the database, so the limits hold across processes).
 */
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { LINK_MINUTES, SIGN_IN_WORDS, type Language } from "~/domain/sign-in-messages";
import { accountForPerson, type AccountUser } from "~/models/account.server";
import { hitRateLimit } from "~/models/rate-limit.server";
import { sendMail, transportFromEnv, type MailTransport } from "~/models/mail.server";
import { hashPassword } from "~/models/user.server";
import { recordAudit } from "~/models/audit.server";

export { LINK_MINUTES };
const LINK_MS = LINK_MINUTES * 60_000;
/** Per client address: a school's staff share one address, so generous; per email: a few tries. */
export const LINK_LIMITS = { perAddress: { limit: 30, windowMs: 15 * 60_000 }, perEmail: { limit: 3, windowMs: 15 * 60_000 } } as const;

type Purpose = "sign-in" | "password-reset";

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Who may sign in with a link to this address: the directory's people with it (not merged), and accounts with it. */
async function candidatesFor(email: string) {
  const [people, users] = await Promise.all([
    prisma.person.findMany({
      where: { email, mergedIntoId: null },
      select: { id: true, firstName: true, lastName: true, language: true, user: { select: { active: true } } },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      take: 20,
    }),
    prisma.user.findMany({ where: { email, personId: null, active: true }, select: { id: true, name: true } }),
  ]);
  return [
    // A person whose account an administrator switched off is not offered.
    ...people.filter((p) => p.user?.active !== false).map((p) => ({ key: `person:${p.id}`, name: `${p.firstName} ${p.lastName}`, language: p.language })),
    ...users.map((u) => ({ key: `user:${u.id}`, name: u.name, language: "en" })),
  ];
}

export type LinkRequest = { ok: true } | { ok: false; retryAfterSeconds: number };

async function limited(kind: Purpose, email: string, clientAddress: string, now: Date): Promise<LinkRequest | null> {
  const byAddress = await hitRateLimit(`${kind}-link:ip:${clientAddress}`, LINK_LIMITS.perAddress, now);
  const byEmail = await hitRateLimit(`${kind}-link:email:${email}`, LINK_LIMITS.perEmail, now);
  if (byAddress.ok && byEmail.ok) return null;
  return { ok: false, retryAfterSeconds: Math.max(byAddress.ok ? 0 : byAddress.retryAfterSeconds, byEmail.ok ? 0 : byEmail.retryAfterSeconds, 1) };
}

async function createLink(purpose: Purpose, email: string, extra: { userId?: string; redirectTo?: string | null }, now: Date) {
  const token = randomBytes(32).toString("base64url");
  await prisma.signInLink.create({
    data: { tokenHash: tokenHash(token), purpose, email, userId: extra.userId ?? null, redirectTo: extra.redirectTo ?? null, expiresAt: new Date(now.getTime() + LINK_MS) },
  });
  return token;
}

function linkMail(lang: Language, url: string, kind: "sign-in" | "reset", shared: boolean) {
  const w = SIGN_IN_WORDS[lang];
  const district = getEnv().DISTRICT_NAME;
  const words = kind === "sign-in"
    ? { subject: w.email.subject, body: w.email.body(district, LINK_MINUTES), extra: shared ? w.email.shared : "", ignore: w.email.ignore, button: w.email.button }
    : { subject: w.resetEmail.subject, body: w.resetEmail.body(district, LINK_MINUTES), extra: "", ignore: w.resetEmail.ignore, button: w.resetEmail.button };
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const text = [w.email.greeting, "", words.body, words.extra, "", url, "", words.ignore].filter((line, i, all) => line !== "" || all[i - 1] !== "").join("\n");
  const html = `<p>${esc(w.email.greeting)}</p><p>${esc(words.body)}${words.extra ? ` ${esc(words.extra)}` : ""}</p><p><a href="${esc(url)}">${esc(words.button)}</a></p><p>${esc(url)}</p><p>${esc(words.ignore)}</p>`;
  return { subject: words.subject, text, html };
}

/**
 * "Email me a sign-in link". Sends one only when the address belongs to someone who may sign in; answers the same
 * either way (the caller shows one page). Students are people too: one with a school email may sign in to see their
 * own certificates; one without an email is never offered a link, having none.
 */
export async function requestSignInLink(input: { email: string; redirectTo: string | null; lang: Language; clientAddress: string; now?: Date; transport?: MailTransport }): Promise<LinkRequest> {
  const now = input.now ?? new Date();
  const refused = await limited("sign-in", input.email, input.clientAddress, now);
  if (refused) return refused;
  const candidates = await candidatesFor(input.email);
  if (candidates.length === 0) return { ok: true };
  const token = await createLink("sign-in", input.email, { redirectTo: input.redirectTo }, now);
  const lang: Language = candidates.every((c) => c.language === "es") ? "es" : input.lang;
  const url = `${getEnv().PUBLIC_BASE_URL}/login/link/${token}`;
  const mail = linkMail(lang, url, "sign-in", candidates.length > 1);
  await sendMail(input.transport ?? transportFromEnv(), { to: { name: candidates.length === 1 ? candidates[0].name : "", address: input.email }, ...mail });
  return { ok: true };
}

export type OpenedLink =
  | { state: "valid"; purpose: Purpose; candidates: Array<{ key: string; name: string }> }
  | { state: "gone" };

async function liveLink(token: string, purpose: Purpose, now: Date) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const link = await prisma.signInLink.findUnique({ where: { tokenHash: tokenHash(token) } });
  if (!link || link.purpose !== purpose || link.usedAt || link.expiresAt <= now) return null;
  return link;
}

/** The link's page: who it may sign in as (names only: a shared mailbox's people choose themselves). Opening it uses nothing. */
export async function openSignInLink(token: string, now = new Date()): Promise<OpenedLink> {
  const link = await liveLink(token, "sign-in", now);
  if (!link) return { state: "gone" };
  const candidates = await candidatesFor(link.email);
  if (candidates.length === 0) return { state: "gone" };
  return { state: "valid", purpose: "sign-in", candidates: candidates.map(({ key, name }) => ({ key, name })) };
}

export type LinkSignIn =
  | { ok: true; user: AccountUser; redirectTo: string | null }
  | { ok: false; reason: "gone" | "choose" | "inactive" };

/**
 * Uses a sign-in link as one of its people. The link is claimed by one conditional update, so it signs in once
 * however many times it is posted at once; the person's member account is made on first use.
 */
export async function signInWithLink(token: string, who: string | null, now = new Date()): Promise<LinkSignIn> {
  const link = await liveLink(token, "sign-in", now);
  if (!link) return { ok: false, reason: "gone" };
  const candidates = await candidatesFor(link.email);
  const chosen = candidates.length === 1 && !who ? candidates[0] : candidates.find((c) => c.key === who);
  if (!chosen) return { ok: false, reason: candidates.length ? "choose" : "gone" };
  const claimed = await prisma.signInLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (claimed.count !== 1) return { ok: false, reason: "gone" };
  const [kind, id] = chosen.key.split(":");
  const user = kind === "person" ? await accountForPerson(id) : await prisma.user.findUnique({ where: { id }, select: { id: true, role: true, active: true } });
  if (!user) return { ok: false, reason: "gone" };
  if (!user.active) return { ok: false, reason: "inactive" };
  return { ok: true, user, redirectTo: link.redirectTo };
}

// --- Passwords ------------------------------------------------------------------------------------------------

/** "Email me a reset link": only accounts that have a password get one; the answer is the same either way. */
export async function requestPasswordReset(input: { email: string; lang: Language; clientAddress: string; now?: Date; transport?: MailTransport }): Promise<LinkRequest> {
  const now = input.now ?? new Date();
  const refused = await limited("password-reset", input.email, input.clientAddress, now);
  if (refused) return refused;
  const user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true, name: true, active: true, passwordHash: true } });
  if (!user || !user.active || !user.passwordHash) return { ok: true };
  const token = await createLink("password-reset", input.email, { userId: user.id }, now);
  const mail = linkMail(input.lang, `${getEnv().PUBLIC_BASE_URL}/login/reset/${token}`, "reset", false);
  await sendMail(input.transport ?? transportFromEnv(), { to: { name: user.name, address: input.email }, ...mail });
  return { ok: true };
}

/** The reset page: whose password it sets, or null when the link is used, expired or unknown. */
export async function openPasswordReset(token: string, now = new Date()) {
  const link = await liveLink(token, "password-reset", now);
  if (!link?.userId) return null;
  return prisma.user.findUnique({ where: { id: link.userId, active: true }, select: { id: true, name: true } });
}

/** Sets the new password once per link; every other signed-in session of the account ends. */
export async function resetPasswordWithLink(token: string, password: string, now = new Date()): Promise<AccountUser | null> {
  const link = await liveLink(token, "password-reset", now);
  if (!link?.userId) return null;
  const passwordHash = await hashPassword(password);
  const userId = link.userId;
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.signInLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return null;
    const user = await tx.user.update({ where: { id: userId }, data: { passwordHash }, select: { id: true, role: true, active: true } });
    await tx.authSession.deleteMany({ where: { userId } });
    await recordAudit(tx, { actorId: userId, action: "user.password-reset", entityType: "User", entityId: userId, details: { via: "email link" } });
    return user.active ? user : null;
  });
}

/** Deletes links that can no longer be used (expired a day ago); called now and then by the request routes. */
export async function purgeOldLinks(now = new Date()) {
  await prisma.signInLink.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600_000) } } });
}
