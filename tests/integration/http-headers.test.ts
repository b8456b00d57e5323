/**
 * The production server's headers and its refusal of cross-origin writes (app/http/security-headers.server.ts),
 * over real HTTP through the real Remix runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./http-test-server";

const limits = { formBytes: 64 * 1024, uploadBytes: 1024 * 1024 };
let server: TestServer;
let httpsServer: TestServer;

beforeAll(async () => {
  server = await startTestServer({ limits });
  httpsServer = await startTestServer({ limits, publicBaseUrl: "https://training.district.example" });
});
afterAll(async () => {
  await server.close();
  await httpsServer.close();
});

const nonceOf = (csp: string | null) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];

function expectSecurityHeaders(res: Response, what: string) {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'none'");
  expect(res.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
  expect(res.headers.get("X-Frame-Options"), what).toBe("DENY");
}

describe("security headers", () => {
  it("are on every response: app routes, static files, not-found answers and the server's own refusals", async () => {
    const answers: Array<[string, Response]> = [
      ["route", await fetch(`${server.url}/plain`)],
      ["static file", await fetch(`${server.url}/robots.txt`)],
      ["asset", await fetch(`${server.url}/assets/app-3f2a1b.js`)],
      ["not found", await fetch(`${server.url}/no-such-page`)],
      ["413", await fetch(`${server.url}/echo`, { method: "POST", body: "a".repeat(70 * 1024), headers: { "Content-Type": "application/x-www-form-urlencoded" } })],
    ];
    for (const [what, res] of answers) {
      expectSecurityHeaders(res, what);
      expect(res.headers.get("Referrer-Policy"), what).toBe("same-origin");
      expect(res.headers.get("Strict-Transport-Security"), what).toBeNull();
    }
    expect(answers[3][1].status).toBe(404);
    expect(answers[4][1].status).toBe(413);
  });

  it("give each response its own nonce, the one the app gets in its load context", async () => {
    const first = await fetch(`${server.url}/echo`);
    const second = await fetch(`${server.url}/echo`);
    const [a, b] = [nonceOf(first.headers.get("Content-Security-Policy")), nonceOf(second.headers.get("Content-Security-Policy"))];
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
    const context = await first.json();
    expect(context).toEqual({ cspNonce: a, remoteAddress: "127.0.0.1" });
  });

  it("include HSTS when the public address is https", async () => {
    const res = await fetch(`${httpsServer.url}/plain`);
    expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("mark signed-in pages private, no-store, unless the route chose its caching; the route's own header replaces the default", async () => {
    const signedIn = { Cookie: "theme=dark; __session=abc.def" };
    expect((await fetch(`${server.url}/plain`, { headers: signedIn })).headers.get("Cache-Control")).toBe("private, no-store");
    expect((await fetch(`${server.url}/plain`)).headers.get("Cache-Control")).toBeNull();
    const own = await fetch(`${server.url}/own-headers`, { headers: signedIn });
    // One value each: a default appended to the route's would read "same-origin, no-referrer".
    expect(own.headers.get("Cache-Control")).toBe("public, max-age=60");
    expect(own.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("cache the fingerprinted assets for a year, other static files for an hour", async () => {
    expect((await fetch(`${server.url}/assets/app-3f2a1b.js`)).headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${server.url}/robots.txt`)).headers.get("Cache-Control")).toBe("public, max-age=3600");
  });
});

describe("a state-changing request from another origin", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/echo`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: "email=a" });

  it("gets a 403 with a message (Remix alone answers 500), and the action does not run", async () => {
    const before = server.actionsCompleted();
    for (const origin of ["https://evil.example", "null", `http://localhost:${server.port}`, "not a url"]) {
      const res = await post({ Origin: origin, Accept: "text/html" });
      expect(res.status, origin).toBe(403);
      expect(await res.text(), origin).toContain("This form was sent from another website, so it was refused and nothing was changed.");
      expectSecurityHeaders(res, origin);
    }
    expect(server.actionsCompleted()).toBe(before);
  });

  it("passes when it comes from this origin, or carries no Origin (not a browser)", async () => {
    expect((await post({ Origin: server.url })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    // Behind a proxy the host the browser used arrives as X-Forwarded-Host, as Remix compares it.
    expect((await post({ Origin: "https://training.district.example", "X-Forwarded-Host": "training.district.example" })).status).toBe(200);
  });
});
