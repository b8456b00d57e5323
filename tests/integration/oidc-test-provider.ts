/**
 * A real OpenID provider (oidc-provider) on a random local port, for the single sign-on tests. Accounts are set by
 * the test; the login and consent prompts are answered programmatically (`authorize` follows the browser's redirects
 * with a cookie jar and says who signs in). `tamperNextIdToken` rewrites the next ID token the token endpoint returns,
 * for a wrong audience, a foreign signature or an expired token.
 */
import http from "node:http";
import Provider, { type Configuration } from "oidc-provider";
import { exportJWK, generateKeyPair, type JWK } from "jose";

export type TestAccountClaims = { email?: string; email_verified?: boolean; employee_id?: string; name?: string };

export const CLIENT_ID = "training-tracker";
export const CLIENT_SECRET = "training-tracker-test-secret-0123456789";
export const OTHER_CLIENT_ID = "another-app";
export const REDIRECT_URI = "http://localhost/login/sso/callback";

export type TestProvider = {
  issuer: string;
  /** The provider's signing key (private), for tests that sign a token as the provider would. */
  signingKey: JWK;
  setAccount(accountId: string, claims: TestAccountClaims): void;
  /** Follows the authorization request as a browser would, signing in as the account; returns the redirect back to us. */
  authorize(authorizationUrl: string, accountId: string): Promise<URL>;
  tamperNextIdToken(rewrite: (idToken: string) => Promise<string>): void;
  close(): Promise<void>;
};

class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key, v] = a.trim().split("=");
        if (key.toLowerCase() === "max-age") return Number(v) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || !value) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * `redirectUri`: where the provider may send people back (the app's /login/sso/callback); `port`: 0 for any free one.
 * A browser test, whose server must know the issuer when it starts, passes both.
 */
export async function startTestProvider({ redirectUri = REDIRECT_URI, port: listenPort = 0, loginForm = false, anyAccount }: {
  redirectUri?: string; port?: number;
  /** Show a sign-in form when the login prompt names no account (a real browser), instead of failing. */
  loginForm?: boolean;
  /** Claims for any account id not set with setAccount (the e2e server: an employee ID signs in as that employee). */
  anyAccount?: (accountId: string) => TestAccountClaims;
} = {}): Promise<TestProvider> {
  const accounts = new Map<string, TestAccountClaims>();
  let tamper: ((idToken: string) => Promise<string>) | null = null;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the test provider has no port");
  const { port } = address;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: [CLIENT_ID, OTHER_CLIENT_ID].map((client_id) => ({
      client_id,
      client_secret: client_id === CLIENT_ID ? CLIENT_SECRET : `${client_id}-secret-0123456789`,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ["test-provider-cookie-key"] },
    ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    // Scope claims go in the ID token, as Google and Entra put email there (the app does not call userinfo).
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "employee_id"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const claims = accounts.get(sub) ?? anyAccount?.(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  // oidc-provider is a Koa app: this wraps its token endpoint's answer.
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (tamper && ctx.path === "/token" && typeof body === "object" && body !== null && "id_token" in body && typeof body.id_token === "string") {
      const rewrite = tamper;
      tamper = null;
      ctx.body = { ...body, id_token: await rewrite(body.id_token) };
    }
  });
  const handleProvider = provider.callback();

  // The login and consent prompts: whoever the test names (?as=) signs in, and consents to what the client asked.
  async function interaction(req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      const accountId = new URL(req.url ?? "/", issuer).searchParams.get("as") ?? "";
      if (!accountId && loginForm) {
        // A person in a browser (the e2e tests): a plain form that names the account, sent back here as ?as=.
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.end(`<!doctype html><html lang="en"><head><title>Test district sign-in</title></head><body><main><h1>Test district sign-in</h1>
<form method="get" action="/interaction/${details.uid}"><label for="as">Employee ID</label> <input id="as" name="as" required> <button type="submit">Sign in</button></form></main></body></html>`);
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    const accountId = details.session?.accountId ?? "";
    const clientId = String(details.params.client_id);
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error("grant not found");
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.map(String));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims.map(String));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    } else {
      void handleProvider(req, res);
    }
  });

  return {
    issuer,
    signingKey,
    setAccount: (accountId, claims) => accounts.set(accountId, claims),
    tamperNextIdToken: (rewrite) => {
      tamper = rewrite;
    },
    async authorize(authorizationUrl, accountId) {
      const jar = new CookieJar();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 12; hop += 1) {
        if (url.href.startsWith(redirectUri)) return url;
        if (url.pathname.startsWith("/interaction/")) url.searchParams.set("as", accountId);
        const response = await fetch(url, { redirect: "manual", headers: { Cookie: jar.header() } });
        jar.take(response);
        const location = response.headers.get("Location");
        if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${await response.text()}`);
        url = new URL(location, url);
      }
      throw new Error("too many redirects at the provider");
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
