/**
 * Signing in without an administrator (issue 11): a one-time link by email for anyone of the directory with an email,
 * a shared mailbox's people choosing themselves by name, password reset by email link and changing one's own password.
 * Real route actions and loaders, a real SQLite file, a real SMTP server for the mail, real concurrency.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { createPerson } from "../../prisma/seed/factories";
import * as requestRoute from "~/routes/login_.email";
import * as linkRoute from "~/routes/login_.link.$token";
import * as resetRequestRoute from "~/routes/login_.reset";
import * as resetRoute from "~/routes/login_.reset_.$token";
import * as passwordRoute from "~/routes/account.password";
import * as loginRoute from "~/routes/login";
import { renderPage } from "./page-render";
import { requestPasswordReset, requestSignInLink, LINK_LIMITS } from "~/models/sign-in-link.server";
import { verifySignIn } from "~/models/user.server";
import { TEST_PASSWORD } from "./session-helpers";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

let ipCounter = 0;
/** Each test asks from its own client address, so the per-address limit is the one under test only where meant. */
const newIp = () => `203.0.113.${(ipCounter += 1)}`;

async function ask(email: string, opts: { ip?: string; redirectTo?: string; lang?: string } = {}) {
  const form: Record<string, string> = { email, ...(opts.redirectTo ? { redirectTo: opts.redirectTo } : {}), ...(opts.lang ? { lang: opts.lang } : {}) };
  return call(() => requestRoute.action({ request: makeRequest("/login/email", { method: "POST", form }), params: {}, context: { remoteAddress: opts.ip ?? newIp() } }));
}

/** The link of the newest outbox message to the address (the route sends through the outbox: no SMTP_URL in tests). */
async function linkFromOutbox(email: string) {
  const message = await prisma.outboxMessage.findFirst({ where: { toAddress: email }, orderBy: { createdAt: "desc" } });
  const token = /\/login\/link\/([A-Za-z0-9_-]+)/.exec(message?.textBody ?? "")?.[1];
  if (!token) throw new Error(`no sign-in link was sent to ${email}`);
  return { token, message };
}

const open = (token: string, lang = "") => call(() => linkRoute.loader({ request: makeRequest(`/login/link/${token}${lang}`), params: { token }, context: {} }));
const use = (token: string, who?: string) =>
  call(() => linkRoute.action({ request: makeRequest(`/login/link/${token}`, { method: "POST", form: who ? { who } : {} }), params: { token }, context: {} }));

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}

describe("a sign-in link by email", () => {
  it("answers the same for an unknown address, and sends nothing", async () => {
    const email = `nobody-${unique()}@district.example`;
    const res = await ask(email);
    expect(res.status).toBe(200);
    expect(record(res.data).sent).toBe(true);
    expect(await prisma.signInLink.count({ where: { email } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { toAddress: email } })).toBe(0);
  });

  it("signs a staff member with no account in once, as a new member, and lands where they were going", async () => {
    const email = `teacher-${unique()}@district.example`;
    const person = await createPerson(prisma, { firstName: "Nguyễn", lastName: "Thị Ánh", email });
    const known = await ask(email.toUpperCase(), { redirectTo: "/me?from=email" });
    expect(record(known.data).sent).toBe(true);
    const { token, message } = await linkFromOutbox(email);
    expect(message?.textBody).toContain("15 minutes");
    // Opening the link (a mail scanner does) uses nothing.
    const page = await open(token);
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).toContain("Nguyễn Thị Ánh");
    expect(await prisma.user.count({ where: { personId: person.id } })).toBe(0);
    const signedIn = await use(token, `person:${person.id}`);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/me?from=email");
    expect(signedIn.headers.get("Set-Cookie")).toMatch(/__session=/);
    const account = await prisma.user.findUniqueOrThrow({ where: { personId: person.id } });
    expect(account).toMatchObject({ role: "MEMBER", email: null, passwordHash: null });
    // Once only.
    expect((await open(token)).status).toBe(410);
    expect((await use(token, `person:${person.id}`)).headers.get("Set-Cookie")).toBeNull();
  });

  it("sends someone already signed in straight to where an email's link points", async () => {
    const { cookie } = await signIn("MEMBER");
    const res = await call(() => requestRoute.loader({ request: makeRequest("/login/email?redirectTo=%2Fme%23certificate-abc", { cookie }), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/me#certificate-abc");
  });

  it("asks a shared mailbox's people who is signing in, by name only", async () => {
    const email = `front-office-${unique()}@district.example`;
    const a = await createPerson(prisma, { firstName: "Ana", lastName: "Alpha", email, districtId: `SA-${unique()}` });
    const b = await createPerson(prisma, { firstName: "Bea", lastName: "Beta", email, districtId: `SB-${unique()}` });
    await ask(email);
    const { token, message } = await linkFromOutbox(email);
    expect(message?.textBody).toMatch(/Several people use this address/);
    const page = JSON.stringify((await open(token)).data);
    expect(page).toContain("Ana Alpha");
    expect(page).toContain("Bea Beta");
    expect(page).not.toContain(a.districtId ?? "?");
    expect((await use(token)).status).toBe(400);
    expect((await use(token, "person:someone-else")).status).toBe(400);
    const signedIn = await use(token, `person:${b.id}`);
    expect(signedIn.status).toBe(302);
    expect(await prisma.user.count({ where: { personId: b.id } })).toBe(1);
    expect(await prisma.user.count({ where: { personId: a.id } })).toBe(0);
  });

  it("signs in once when the same link is posted five times at once", async () => {
    const email = `race-${unique()}@district.example`;
    const person = await createPerson(prisma, { email });
    await ask(email);
    const { token } = await linkFromOutbox(email);
    const results = await Promise.all(Array.from({ length: 5 }, () => use(token, `person:${person.id}`)));
    expect(results.filter((r) => r.headers.get("Set-Cookie")?.includes("__session=")).length).toBe(1);
    expect(await prisma.user.count({ where: { personId: person.id } })).toBe(1);
  });

  it("does not work after 15 minutes", async () => {
    const email = `late-${unique()}@district.example`;
    await createPerson(prisma, { email });
    const past = new Date(Date.now() - 16 * 60_000);
    await requestSignInLink({ email, redirectTo: null, lang: "en", clientAddress: newIp(), now: past, transport: smtp.transport });
    const mail = await parseMail(smtp.to(email)[0].raw);
    const token = /\/login\/link\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1] ?? "";
    expect((await open(token)).status).toBe(410);
    expect((await use(token)).headers.get("Set-Cookie")).toBeNull();
  });

  it("is limited per email and per client address, whether or not the address is known", async () => {
    const email = `limited-${unique()}@district.example`;
    const statuses = [];
    for (let i = 0; i < LINK_LIMITS.perEmail.limit + 1; i += 1) statuses.push((await ask(email)).status);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    const refused = await ask(email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    const ip = newIp();
    let last = 0;
    for (let i = 0; i < LINK_LIMITS.perAddress.limit + 1; i += 1) last = (await ask(`many-${i}-${unique()}@district.example`, { ip })).status;
    expect(last).toBe(429);
  });

  it("never offers a merged record, nor a person whose account is switched off; a bad address is named", async () => {
    const email = `merged-${unique()}@district.example`;
    const survivor = await createPerson(prisma, { email: `survivor-${unique()}@district.example` });
    await createPerson(prisma, { email, mergedIntoId: survivor.id });
    await ask(email);
    expect(await prisma.signInLink.count({ where: { email } })).toBe(0);
    const offEmail = `off-${unique()}@district.example`;
    const off = await createPerson(prisma, { email: offEmail });
    await prisma.user.create({ data: { name: "Off", role: "MEMBER", personId: off.id, active: false } });
    await ask(offEmail);
    expect(await prisma.signInLink.count({ where: { email: offEmail } })).toBe(0);
    const bad = await ask("not an email");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.data)).toContain("Enter an email address");
  });

  it("speaks Spanish when asked, and writes to a Spanish speaker in Spanish", async () => {
    const page = await call(() => requestRoute.loader({ request: makeRequest("/login/email?lang=es"), params: {}, context: {} }));
    expect(record(page.data).lang).toBe("es");
    const email = `es-${unique()}@district.example`;
    const person = await createPerson(prisma, { email });
    await prisma.person.update({ where: { id: person.id }, data: { language: "es" } });
    await requestSignInLink({ email, redirectTo: null, lang: "en", clientAddress: newIp(), transport: smtp.transport });
    const mail = await parseMail(smtp.to(email)[0].raw);
    expect(mail.subject).toBe("Su enlace para iniciar sesión");
    expect(mail.text).toContain("Funciona una vez");
  });
});

describe("the sign-in page in Spanish", () => {
  it("speaks Spanish when asked, and answers a wrong password in Spanish", async () => {
    const { html } = await renderPage("/login", loginRoute, makeRequest("/login?lang=es"));
    expect(html).toContain("Iniciar sesión");
    expect(html).toContain("Correo electrónico");
    expect(html).toContain("¿No tiene contraseña? Reciba un enlace por correo");
    const { user } = await signIn("TRAINER");
    const wrong = await call(() => loginRoute.action({ request: makeRequest("/login", { method: "POST", form: { email: user.email, password: "not the password", lang: "es" } }), params: {}, context: { remoteAddress: newIp() } }));
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("El correo o la contraseña no son correctos.");
    const blank = await call(() => loginRoute.action({ request: makeRequest("/login", { method: "POST", form: { email: "", password: "", lang: "es" } }), params: {}, context: { remoteAddress: newIp() } }));
    expect(JSON.stringify(blank.data)).toContain("El correo electrónico es obligatorio");
  });
});

describe("passwords", () => {
  it("resets a password by email link once, ending the account's other sessions", async () => {
    const { user } = await signIn("TRAINER");
    const email = user.email;
    const before = await prisma.authSession.findMany({ where: { userId: user.id }, select: { id: true } });
    await requestPasswordReset({ email, lang: "en", clientAddress: newIp(), transport: smtp.transport });
    const mail = await parseMail(smtp.to(email)[0].raw);
    const token = /\/login\/reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1] ?? "";
    const page = await call(() => resetRoute.loader({ request: makeRequest(`/login/reset/${token}`), params: { token }, context: {} }));
    expect(JSON.stringify(page.data)).toContain(user.name);
    const post = (form: Record<string, string>) => call(() => resetRoute.action({ request: makeRequest(`/login/reset/${token}`, { method: "POST", form }), params: { token }, context: {} }));
    expect((await post({ password: "short", confirm: "short" })).status).toBe(400);
    expect(JSON.stringify((await post({ password: "a brand new passphrase", confirm: "another one entirely" })).data)).toContain("not the same");
    const done = await post({ password: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(done.status).toBe(302);
    expect(await verifySignIn(email, "a brand new passphrase")).not.toBeNull();
    // The sessions from before are gone; the one the reset just started is the only one.
    const after = await prisma.authSession.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(after).toHaveLength(1);
    expect(before.map((s) => s.id)).not.toContain(after[0].id);
    expect((await post({ password: "yet another passphrase", confirm: "yet another passphrase" })).status).toBe(410);
  });

  it("sends no reset link to an account without a password, and answers the same", async () => {
    const email = `member-${unique()}@district.example`;
    await prisma.user.create({ data: { name: "Link member", role: "MEMBER", email } });
    const res = await call(() => resetRequestRoute.action({ request: makeRequest("/login/reset", { method: "POST", form: { email } }), params: {}, context: { remoteAddress: newIp() } }));
    expect(record(res.data).sent).toBe(true);
    expect(await prisma.signInLink.count({ where: { email } })).toBe(0);
  });

  it("changes one's own password with the current one; other devices are signed out", async () => {
    const { user, cookie } = await signIn("COORDINATOR");
    const other = await prisma.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    const post = (form: Record<string, string>) => call(() => passwordRoute.action({ request: makeRequest("/account/password", { method: "POST", cookie, form }), params: {}, context: {} }));
    const wrong = await post({ current: "not it at all", password: "a fresh long passphrase", confirm: "a fresh long passphrase" });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("current password is not right");
    const ok = await post({ current: TEST_PASSWORD, password: "a fresh long passphrase", confirm: "a fresh long passphrase" });
    expect(ok.status).toBe(200);
    expect(await prisma.authSession.findUnique({ where: { id: other.id } })).toBeNull();
    expect(await verifySignIn(user.email, "a fresh long passphrase")).not.toBeNull();
  });
});
