/**
 * Single sign-on against a real OpenID provider (oidc-provider) started here: the app's routes start the flow, the
 * provider signs the test's account in, and its redirect back goes to the app's callback with the flow cookie.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from "jose";
import { call, makeRequest, prisma, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createUser } from "./session-helpers";
import { CLIENT_ID, CLIENT_SECRET, OTHER_CLIENT_ID, REDIRECT_URI, startTestProvider, type TestAccountClaims, type TestProvider } from "./oidc-test-provider";
import { createPerson } from "../../prisma/seed/factories";
import { overrideSsoConfig, type SsoConfig } from "~/models/sso.server";
import { parseEnv } from "~/env.server";
import * as startRoute from "~/routes/login_.sso";
import * as callbackRoute from "~/routes/login_.sso_.callback";
import * as loginPage from "~/routes/login";

let op: TestProvider;

function config(overrides: Partial<SsoConfig> = {}): SsoConfig {
  return {
    issuer: op.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, employeeIdClaim: "employee_id", emailClaim: "email",
    allowedDomains: [], providerName: "Test IdP", redirectUri: REDIRECT_URI, ...overrides,
  };
}

beforeAll(async () => {
  op = await startTestProvider();
});
afterEach(() => overrideSsoConfig(config()));
afterAll(async () => {
  overrideSsoConfig(undefined);
  await op.close();
});

/** The sign-in button's post, the provider's pages, and the provider's redirect back to the callback. */
async function signInAs(accountId: string, claims: TestAccountClaims, opts: { redirectTo?: string; settings?: Partial<SsoConfig> } = {}) {
  overrideSsoConfig(config(opts.settings));
  op.setAccount(accountId, claims);
  const start = await call(() => startRoute.action({ request: makeRequest("/login/sso", { method: "POST", form: { redirectTo: opts.redirectTo ?? "" } }), params: {}, context: {} }));
  expect(start.status).toBe(302);
  const flowCookie = (start.headers.get("Set-Cookie") ?? "").split(";")[0];
  expect(flowCookie).toMatch(/^__sso=/);
  const back = await op.authorize(start.headers.get("Location") ?? "", accountId);
  return { back, flowCookie };
}

function callback(back: URL, cookie?: string) {
  return renderPage("/login/sso/callback", callbackRoute, makeRequest(back.pathname + back.search, { cookie }));
}

async function completeAs(accountId: string, claims: TestAccountClaims, opts: { redirectTo?: string; settings?: Partial<SsoConfig> } = {}) {
  const { back, flowCookie } = await signInAs(accountId, claims, opts);
  return callback(back, flowCookie);
}

const subjectOf = (accountId: string) => `${op.issuer}|${accountId}`;
const counts = async () => ({ users: await prisma.user.count(), sessions: await prisma.authSession.count() });
const sessionCookieOf = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith("__session="));

describe("starting single sign-on", () => {
  it("sends the browser to the provider with PKCE, state and nonce, in a signed httpOnly SameSite=Lax cookie that lives ten minutes", async () => {
    overrideSsoConfig(config());
    const start = await call(() => startRoute.action({ request: makeRequest("/login/sso", { method: "POST", form: { redirectTo: "/me" } }), params: {}, context: {} }));
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("Location") ?? "");
    expect(location.origin).toBe(op.issuer);
    expect(location.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("state")).toBeTruthy();
    expect(location.searchParams.get("nonce")).toBeTruthy();
    const cookie = start.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/Path=\/login\/sso/);
  });

  it("is 404 when single sign-on is not configured, and the login page then offers no button", async () => {
    overrideSsoConfig(null);
    const start = await call(() => startRoute.action({ request: makeRequest("/login/sso", { method: "POST", form: {} }), params: {}, context: {} }));
    expect(start.status).toBe(404);
    const back = await call(() => callbackRoute.loader({ request: makeRequest("/login/sso/callback?code=x&state=y"), params: {}, context: {} }));
    expect(back.status).toBe(404);
    const page = await renderPage("/login", loginPage, makeRequest("/login"));
    expect(page.html).not.toContain("/login/sso");
  });

  it("the login page, when configured, has a 'Sign in with …' link to /login/sso that keeps redirectTo", async () => {
    overrideSsoConfig(config());
    const page = await renderPage("/login", loginPage, makeRequest("/login?redirectTo=%2Fme"));
    expect(page.html).toMatch(/<a class="button" href="\/login\/sso\?redirectTo=%2Fme">Sign in with Test IdP<\/a>/);
  });

  it("tells the person, without a crash, when the provider cannot be reached", async () => {
    overrideSsoConfig(config({ issuer: "http://127.0.0.1:9", providerName: "Nowhere" }));
    const page = await renderPage("/login/sso", startRoute, makeRequest("/login/sso", { method: "POST", form: {} }));
    expect(page.status).toBe(502);
    expect(page.html).toContain("Sign-in with Nowhere did not complete; try again.");
  });
});

describe("first sign-in links the account", () => {
  it("by the employee-ID claim: the person's member account, linked to the identity, signed in and sent to redirectTo", async () => {
    const u = unique("sso");
    const person = await createPerson(prisma, { districtId: `EMP-${u}`, email: `someone.else.${u}@district.example` });
    const page = await completeAs(`acct-${u}`, { employee_id: `EMP-${u}`, email: `new.${u}@district.example`, email_verified: true }, { redirectTo: "/me" });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/me");
    expect(sessionCookieOf(page.headers)).toBeTruthy();
    // The flow cookie is spent with the sign-in.
    expect(page.headers.getSetCookie().some((c) => /^__sso=;.*Max-Age=0/i.test(c))).toBe(true);
    const user = await prisma.user.findUniqueOrThrow({ where: { personId: person.id } });
    expect(user).toMatchObject({ role: "MEMBER", ssoSubject: subjectOf(`acct-${u}`), email: null, passwordHash: null });
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it("by a verified email when no employee ID matches", async () => {
    const u = unique("sso");
    const person = await createPerson(prisma, { districtId: `EMP-${u}`, email: `teacher.${u}@district.example` });
    const page = await completeAs(`acct-${u}`, { employee_id: `UNKNOWN-${u}`, email: `Teacher.${u}@District.example`, email_verified: true });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/me");
    const user = await prisma.user.findUniqueOrThrow({ where: { personId: person.id } });
    expect(user.ssoSubject).toBe(subjectOf(`acct-${u}`));
  });

  it("by an email with no email_verified claim (Entra) only when allowed domains are set", async () => {
    const u = unique("sso");
    const person = await createPerson(prisma, { email: `entra.${u}@district.example` });
    const before = await counts();
    const refused = await completeAs(`acct-a-${u}`, { email: `entra.${u}@district.example` });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("has not confirmed your email address");
    expect(await counts()).toEqual(before);
    const page = await completeAs(`acct-b-${u}`, { email: `entra.${u}@district.example` }, { settings: { allowedDomains: ["district.example"] } });
    expect(page.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { personId: person.id } })).ssoSubject).toBe(subjectOf(`acct-b-${u}`));
  });

  it("to an administrator's account whose sign-in address is the email, keeping its role", async () => {
    const u = unique("sso");
    const admin = await createUser("ADMIN", { email: `admin.${u}@district.example` });
    const page = await completeAs(`acct-${u}`, { email: `admin.${u}@district.example`, email_verified: true });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/admin");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).ssoSubject).toBe(subjectOf(`acct-${u}`));
  });

  it("never to a merged record: the record it was merged into is the one found by email", async () => {
    const u = unique("sso");
    const kept = await createPerson(prisma, { email: `merged.${u}@district.example` });
    await createPerson(prisma, { email: `merged.${u}@district.example`, mergedIntoId: kept.id });
    const page = await completeAs(`acct-${u}`, { email: `merged.${u}@district.example`, email_verified: true });
    expect(page.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { personId: kept.id } })).ssoSubject).toBe(subjectOf(`acct-${u}`));
  });

  it("a second sign-in uses the linked identity, whatever the claims say now", async () => {
    const u = unique("sso");
    const person = await createPerson(prisma, { districtId: `EMP-${u}` });
    expect((await completeAs(`acct-${u}`, { employee_id: `EMP-${u}` })).status).toBe(302);
    const user = await prisma.user.findUniqueOrThrow({ where: { personId: person.id } });
    const usersBefore = await prisma.user.count();
    const again = await completeAs(`acct-${u}`, { email: `changed.${u}@elsewhere.example`, email_verified: true });
    expect(again.status).toBe(302);
    expect(await prisma.user.count()).toBe(usersBefore);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(2);
  });

  it("ignores an unsafe redirectTo and lands on the role's home page", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}` });
    const page = await completeAs(`acct-${u}`, { employee_id: `EMP-${u}` }, { redirectTo: "//evil.example/x" });
    expect(page.headers.get("Location")).toBe("/me");
  });
});

describe("refusals: a plain message, nothing written", () => {
  it("no match: 'We could not find your record', no account made", async () => {
    const u = unique("sso");
    const before = await counts();
    const page = await completeAs(`acct-${u}`, { employee_id: `NOBODY-${u}`, email: `nobody.${u}@district.example`, email_verified: true });
    expect(page.status).toBe(403);
    expect(page.html).toContain("We could not find your record.");
    expect(sessionCookieOf(page.headers)).toBeUndefined();
    expect(await counts()).toEqual(before);
    expect(await prisma.user.findUnique({ where: { ssoSubject: subjectOf(`acct-${u}`) } })).toBeNull();
  });

  it("an email of more than one record", async () => {
    const u = unique("sso");
    await createPerson(prisma, { email: `shared.${u}@district.example` });
    await createPerson(prisma, { email: `shared.${u}@district.example` });
    const before = await counts();
    const page = await completeAs(`acct-${u}`, { email: `shared.${u}@district.example`, email_verified: true });
    expect(page.status).toBe(403);
    expect(page.html).toContain("More than one record has this email; sign in by email link or ask your administrator.");
    expect(await counts()).toEqual(before);
  });

  it("an email the provider says is not verified", async () => {
    const u = unique("sso");
    await createPerson(prisma, { email: `unverified.${u}@district.example` });
    const before = await counts();
    const page = await completeAs(`acct-${u}`, { email: `unverified.${u}@district.example`, email_verified: false }, { settings: { allowedDomains: ["district.example"] } });
    expect(page.status).toBe(403);
    expect(page.html).toContain("has not confirmed your email address");
    expect(await counts()).toEqual(before);
  });

  it("a domain that is not allowed, even with a matching record", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}`, email: `outsider.${u}@elsewhere.example` });
    const before = await counts();
    const page = await completeAs(`acct-${u}`, { employee_id: `EMP-${u}`, email: `outsider.${u}@elsewhere.example`, email_verified: true }, { settings: { allowedDomains: ["district.example"] } });
    expect(page.status).toBe(403);
    expect(page.html).toContain("is not one of the district");
    expect(await counts()).toEqual(before);
  });

  it("an account an administrator turned off", async () => {
    const u = unique("sso");
    const person = await createPerson(prisma, { districtId: `EMP-${u}` });
    await prisma.user.create({ data: { name: "Off", role: "MEMBER", personId: person.id, active: false } });
    const before = await counts();
    const page = await completeAs(`acct-${u}`, { employee_id: `EMP-${u}` });
    expect(page.status).toBe(403);
    expect(page.html).toContain("This account is turned off.");
    expect(await counts()).toEqual(before);
    expect((await prisma.user.findUniqueOrThrow({ where: { personId: person.id } })).ssoSubject).toBeNull();
  });

  it("a record already linked to another identity of the provider", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}` });
    expect((await completeAs(`first-${u}`, { employee_id: `EMP-${u}` })).status).toBe(302);
    const before = await counts();
    const page = await completeAs(`second-${u}`, { employee_id: `EMP-${u}` });
    expect(page.status).toBe(403);
    expect(page.html).toContain("already linked to another Test IdP account");
    expect(await counts()).toEqual(before);
  });
});

describe("tokens and callbacks the library rejects: one message, nothing written", () => {
  const failed = "Sign-in with Test IdP did not complete; try again.";

  async function withTamperedToken(rewrite: (payload: Record<string, unknown>) => Promise<string>) {
    const u = unique("sso");
    const person = await createPerson(prisma, { districtId: `EMP-${u}` });
    const { back, flowCookie } = await signInAs(`acct-${u}`, { employee_id: `EMP-${u}` });
    op.tamperNextIdToken(async (idToken) => rewrite({ ...decodeJwt(idToken) }));
    const before = await counts();
    const page = await callback(back, flowCookie);
    expect(page.status).toBe(400);
    expect(page.html).toContain(failed);
    expect(sessionCookieOf(page.headers)).toBeUndefined();
    expect(await counts()).toEqual(before);
    expect(await prisma.user.findUnique({ where: { personId: person.id } })).toBeNull();
  }

  async function signedByProvider(payload: Record<string, unknown>) {
    const key = await importJWK(op.signingKey, "RS256");
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: op.signingKey.kid }).sign(key);
  }

  it("a token for another client (wrong audience)", async () => {
    await withTamperedToken((claims) => signedByProvider({ ...claims, aud: OTHER_CLIENT_ID, azp: OTHER_CLIENT_ID }));
  });

  it("a token signed by another key under the provider's key id (bad signature)", async () => {
    await withTamperedToken(async (claims) => {
      const { privateKey } = await generateKeyPair("RS256", { extractable: true });
      const foreign = await importJWK({ ...(await exportJWK(privateKey)), alg: "RS256" }, "RS256");
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: op.signingKey.kid }).sign(foreign);
    });
  });

  it("a token from another issuer", async () => {
    await withTamperedToken((claims) => signedByProvider({ ...claims, iss: "https://impostor.example" }));
  });

  it("an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    await withTamperedToken((claims) => signedByProvider({ ...claims, iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }));
  });

  it("a token whose nonce is not this attempt's", async () => {
    await withTamperedToken((claims) => signedByProvider({ ...claims, nonce: "someone-elses-nonce" }));
  });

  it("a state that is not the one in the cookie", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}` });
    const { back, flowCookie } = await signInAs(`acct-${u}`, { employee_id: `EMP-${u}` });
    back.searchParams.set("state", "forged-state");
    const before = await counts();
    const page = await callback(back, flowCookie);
    expect(page.status).toBe(400);
    expect(page.html).toContain(failed);
    expect(await counts()).toEqual(before);
  });

  it("a callback another browser started (the cookie is not there), or whose cookie was tampered with", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}` });
    const { back, flowCookie } = await signInAs(`acct-${u}`, { employee_id: `EMP-${u}` });
    const before = await counts();
    const noCookie = await callback(back);
    expect(noCookie.status).toBe(400);
    expect(noCookie.html).toContain(failed);
    const forged = await callback(back, flowCookie.replace(/^__sso=./, (m) => (m.endsWith("A") ? "__sso=B" : "__sso=A")));
    expect(forged.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("a replayed callback: the same code and cookie a second time signs nobody in", async () => {
    const u = unique("sso");
    await createPerson(prisma, { districtId: `EMP-${u}` });
    const { back, flowCookie } = await signInAs(`acct-${u}`, { employee_id: `EMP-${u}` });
    expect((await callback(back, flowCookie)).status).toBe(302);
    const before = await counts();
    const replay = await callback(back, flowCookie);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain(failed);
    expect(await counts()).toEqual(before);
  });

  it("the person cancelled at the provider (an error response)", async () => {
    overrideSsoConfig(config());
    const start = await call(() => startRoute.action({ request: makeRequest("/login/sso", { method: "POST", form: {} }), params: {}, context: {} }));
    const state = new URL(start.headers.get("Location") ?? "").searchParams.get("state") ?? "";
    const flowCookie = (start.headers.get("Set-Cookie") ?? "").split(";")[0];
    const page = await callback(new URL(`${REDIRECT_URI}?error=access_denied&state=${state}&iss=${encodeURIComponent(op.issuer)}`), flowCookie);
    expect(page.status).toBe(400);
    expect(page.html).toContain(failed);
  });
});

describe("configuration", () => {
  const base = { NODE_ENV: "test", SESSION_SECRET: "a-test-secret-of-enough-length" };

  it("is off without OIDC_ISSUER, and needs the client id and secret with it (the start-up error names them)", () => {
    expect(parseEnv(base).OIDC_ISSUER).toBeUndefined();
    expect(() => parseEnv({ ...base, OIDC_ISSUER: "https://accounts.google.com" })).toThrow(/OIDC_CLIENT_ID: required when OIDC_ISSUER is set[\s\S]*OIDC_CLIENT_SECRET: required/);
    expect(() => parseEnv({ ...base, OIDC_ISSUER: "https://accounts.google.com", OIDC_CLIENT_ID: "id" })).toThrow(/OIDC_CLIENT_SECRET/);
    const env = parseEnv({ ...base, OIDC_ISSUER: "https://accounts.google.com", OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "s" });
    expect(env.OIDC_EMAIL_CLAIM).toBe("email");
  });

  it("refuses a plain-http issuer other than this machine", () => {
    expect(() => parseEnv({ ...base, OIDC_ISSUER: "http://idp.example", OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "s" })).toThrow(/OIDC_ISSUER/);
    expect(parseEnv({ ...base, OIDC_ISSUER: "http://127.0.0.1:4000", OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "s" }).OIDC_ISSUER).toBe("http://127.0.0.1:4000");
  });
});
