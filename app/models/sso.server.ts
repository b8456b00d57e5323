/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE) through openid-client, which validates the ID
 * token: issuer, audience, signature, expiry and nonce. The state, nonce and PKCE verifier wait in a short-lived signed
 * cookie between the two requests. Which account a sign-in opens is app/domain/sso.ts's decision; see
 * docs/decisions/013-single-sign-on.md.
 */
import { createCookie } from "@remix-run/node";
import * as oidc from "openid-client";
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/env.server";
import { accountForPerson, type AccountUser } from "~/models/account.server";
import { safeRedirectPath } from "~/domain/roles";
import {
  decideSsoLink, identityFrom, parseAllowedDomains, ssoRefusalMessage,
  type SsoAccount, type SsoCandidates, type SsoIdentity, type SsoSettings,
} from "~/domain/sso";

export type SsoConfig = SsoSettings & {
  issuer: string;
  clientId: string;
  clientSecret: string;
  providerName: string;
  /** Where the provider sends people back: PUBLIC_BASE_URL + /login/sso/callback, registered with the provider. */
  redirectUri: string;
};

const SCOPE = "openid email profile";
const FLOW_MAX_AGE_SECONDS = 10 * 60;

let override: SsoConfig | null | undefined;
/** Tests point the app at the provider they start (a random port); undefined goes back to the environment. */
export function overrideSsoConfig(config: SsoConfig | null | undefined) {
  override = config;
}

/** The configuration, or null when single sign-on is off (OIDC_ISSUER unset). */
export function ssoConfig(): SsoConfig | null {
  if (override !== undefined) return override;
  const env = getEnv();
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    employeeIdClaim: env.OIDC_EMPLOYEE_ID_CLAIM ?? null,
    emailClaim: env.OIDC_EMAIL_CLAIM,
    allowedDomains: parseAllowedDomains(env.OIDC_ALLOWED_DOMAINS),
    providerName: env.OIDC_PROVIDER_NAME,
    redirectUri: `${env.PUBLIC_BASE_URL}/login/sso/callback`,
  };
}

// One discovery per provider and client for the life of the process (its keys are refetched by the library).
const discovered = new Map<string, Promise<oidc.Configuration>>();
function clientConfiguration(config: SsoConfig): Promise<oidc.Configuration> {
  const key = `${config.issuer}\n${config.clientId}\n${config.clientSecret}`;
  let found = discovered.get(key);
  if (!found) {
    // The library checks an ID token's signature only with non-repudiation checks on: by default it relies on TLS to
    // the token endpoint (OpenID Connect Core 3.1.3.7), and we want a forged token refused whatever the transport.
    // http is accepted by the environment check only for localhost (tests and local providers).
    const execute = [oidc.enableNonRepudiationChecks, ...(new URL(config.issuer).protocol === "http:" ? [oidc.allowInsecureRequests] : [])];
    found = oidc.discovery(new URL(config.issuer), config.clientId, undefined, oidc.ClientSecretPost(config.clientSecret), { execute, timeout: 10 });
    // A failed discovery (provider down) is tried again by the next sign-in.
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

type Flow = { state: string; nonce: string; codeVerifier: string; redirectTo: string | null };

// Path /login/sso covers the callback; Lax is sent on the provider's top-level redirect back to us.
function flowCookie() {
  const env = getEnv();
  return createCookie("__sso", {
    httpOnly: true,
    sameSite: "lax",
    path: "/login/sso",
    secure: env.secureCookies,
    secrets: env.sessionSecrets,
    maxAge: FLOW_MAX_AGE_SECONDS,
  });
}

function isFlow(value: unknown): value is Flow {
  if (typeof value !== "object" || value === null) return false;
  const v: Record<string, unknown> = { ...value };
  return typeof v.state === "string" && typeof v.nonce === "string" && typeof v.codeVerifier === "string" &&
    (v.redirectTo === null || typeof v.redirectTo === "string");
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
    // The provider's own OAuth error (invalid_grant for a code used twice, access_denied...).
    const oauthError = "error" in error && typeof error.error === "string" ? ` [${error.error}${"error_description" in error && typeof error.error_description === "string" ? `: ${error.error_description}` : ""}]` : "";
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${code}${error.message}${oauthError}${cause}`;
  }
  return String(error);
}

export type SsoFailure = { ok: false; status: number; message: string; headers: Headers };

function failure(config: SsoConfig, reason: Parameters<typeof ssoRefusalMessage>[0], headers = new Headers()): SsoFailure {
  return { ok: false, ...ssoRefusalMessage(reason, config.providerName), headers };
}

/** The provider's sign-in address to send the browser to, and the cookie that remembers this attempt. */
export async function beginSsoSignIn(config: SsoConfig, redirectTo: unknown): Promise<{ ok: true; url: string; headers: Headers } | SsoFailure> {
  let client: oidc.Configuration;
  try {
    client = await clientConfiguration(config);
  } catch (error) {
    console.error(`Single sign-on: discovery of ${config.issuer} failed: ${describe(error)}`);
    return { ...failure(config, "failed"), status: 502 };
  }
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
    redirectTo: safeRedirectPath(redirectTo, "") || null,
  };
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: config.redirectUri,
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: "S256",
  });
  return { ok: true, url: url.href, headers: new Headers({ "Set-Cookie": await flowCookie().serialize(flow) }) };
}

const accountSelect = { id: true, active: true, ssoSubject: true } as const;
const asAccount = (u: { id: string; active: boolean; ssoSubject: string | null } | null): SsoAccount | null =>
  u ? { userId: u.id, active: u.active, ssoSubject: u.ssoSubject } : null;

async function findCandidates(identity: SsoIdentity): Promise<SsoCandidates> {
  const personSelect = { id: true, user: { select: accountSelect } } as const;
  const [bySubject, byEmployeeId, userByEmail, peopleByEmail] = await Promise.all([
    prisma.user.findUnique({ where: { ssoSubject: identity.subject }, select: accountSelect }),
    identity.employeeId
      ? prisma.person.findFirst({ where: { districtId: identity.employeeId, mergedIntoId: null }, select: personSelect })
      : null,
    identity.email ? prisma.user.findUnique({ where: { email: identity.email }, select: accountSelect }) : null,
    identity.email
      ? prisma.person.findMany({ where: { email: identity.email, mergedIntoId: null }, select: personSelect, take: 2 })
      : [],
  ]);
  const person = (p: { id: string; user: { id: string; active: boolean; ssoSubject: string | null } | null }) => ({ personId: p.id, account: asAccount(p.user) });
  return {
    bySubject: asAccount(bySubject),
    byEmployeeId: byEmployeeId ? person(byEmployeeId) : null,
    userByEmail: asAccount(userByEmail),
    peopleByEmail: peopleByEmail.map(person),
  };
}

/** Links the identity to the account; false when another sign-in linked either of them first. */
async function linkSubject(userId: string, subject: string): Promise<boolean> {
  try {
    const { count } = await prisma.user.updateMany({ where: { id: userId, OR: [{ ssoSubject: null }, { ssoSubject: subject }] }, data: { ssoSubject: subject } });
    return count === 1;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

export type SsoSuccess = { ok: true; user: AccountUser; redirectTo: string | null; headers: Headers };

/**
 * The provider's redirect back: checks it against the cookie, exchanges the code, and finds (linking on first sign-in)
 * the account. Every refusal is a message; what the library rejected is logged, the person sees one sentence.
 */
export async function completeSsoSignIn(config: SsoConfig, request: Request): Promise<SsoSuccess | SsoFailure> {
  const cookie = flowCookie();
  // The attempt is over whatever happens: a reload of the callback must not reuse it.
  const headers = new Headers({ "Set-Cookie": await cookie.serialize("", { maxAge: 0 }) });
  const flow: unknown = await cookie.parse(request.headers.get("Cookie"));
  if (!isFlow(flow)) {
    console.warn("Single sign-on: callback without a valid sign-in cookie (expired, or not started in this browser)");
    return failure(config, "failed", headers);
  }
  // The provider answers at the address registered with it; the request may reach us under another host (a proxy).
  const callbackUrl = new URL(config.redirectUri);
  callbackUrl.search = new URL(request.url).search;
  let claims: Record<string, unknown>;
  try {
    const client = await clientConfiguration(config);
    const tokens = await oidc.authorizationCodeGrant(client, callbackUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error("no ID token in the token response");
    claims = { ...idToken };
  } catch (error) {
    console.warn(`Single sign-on with ${config.issuer} did not complete: ${describe(error)}`);
    return failure(config, "failed", headers);
  }

  const identity = identityFrom(claims, config);
  if ("refused" in identity) {
    console.warn(`Single sign-on refused (${identity.refused}) for ${String(claims.iss)}|${String(claims.sub)}`);
    return failure(config, identity.refused, headers);
  }
  const decision = decideSsoLink(identity, await findCandidates(identity));
  let user: AccountUser | null = null;
  switch (decision.outcome) {
    case "refuse":
      console.warn(`Single sign-on refused (${decision.reason}) for ${identity.subject}`);
      return failure(config, decision.reason, headers);
    case "sign-in":
      user = await prisma.user.findUnique({ where: { id: decision.userId }, select: { id: true, role: true, active: true } });
      break;
    case "link-user":
    case "link-person": {
      const account = decision.outcome === "link-user"
        ? await prisma.user.findUnique({ where: { id: decision.userId }, select: { id: true, role: true, active: true } })
        : await accountForPerson(decision.personId);
      if (!account || !account.active) return failure(config, "inactive", headers);
      if (!(await linkSubject(account.id, identity.subject))) return failure(config, "linked-elsewhere", headers);
      user = account;
      break;
    }
  }
  if (!user || !user.active) return failure(config, "inactive", headers);
  return { ok: true, user, redirectTo: flow.redirectTo ? safeRedirectPath(flow.redirectTo, "") || null : null, headers };
}
