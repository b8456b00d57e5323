import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, unique } from "./helpers";
import { createUser, TEST_PASSWORD } from "./session-helpers";
import * as login from "~/routes/login";
import { claimSignInAttempt } from "~/models/user.server";

// Addresses from the documentation ranges, unique per test so one test's failures never slow another.
let n = 0;
function freshAddress() {
  n += 1;
  return `198.51.${process.pid % 250}.${n}`;
}

function postSignIn(form: Record<string, string>, ip: string, headers: Record<string, string> = {}) {
  const request = makeRequest("/login", { method: "POST", form, headers });
  return call(() => login.action({ request, params: {}, context: { remoteAddress: ip } }));
}

const FormError = z.object({ errors: z.object({ form: z.string() }) });
const WRONG = "Email or password is incorrect.";

async function makeUser() {
  return createUser("TRAINER", { email: `${unique("throttle")}@school.test` });
}

describe("a wrong-password burst against one account", () => {
  it("50 parallel wrong attempts from one address: at most 5 are checked, and the owner signs in from elsewhere right after", async () => {
    const user = await makeUser();
    const attacker = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postSignIn({ email: user.email, password: `guess ${i}` }, attacker)),
    );
    const checked = results.filter((r) => r.status === 400);
    const refused = results.filter((r) => r.status === 429);
    expect(checked.length + refused.length).toBe(50);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length).toBeGreaterThan(0);
    for (const r of checked) expect(FormError.parse(r.data).errors.form).toBe(WRONG);
    for (const r of refused) expect(FormError.parse(r.data).errors.form).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/);
    // Only checked attempts are kept as failures; refused ones leave nothing behind.
    expect(await prisma.signInFailure.count({ where: { email: user.email, ip: attacker } })).toBe(checked.length);

    const owner = await postSignIn({ email: user.email, password: TEST_PASSWORD }, freshAddress());
    expect(owner.status).toBe(302);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it("the owner signing in elsewhere does not reset the attacker's backoff", async () => {
    const user = await makeUser();
    const attacker = freshAddress();
    for (let i = 0; i < 5; i++) expect((await postSignIn({ email: user.email, password: `guess ${i}` }, attacker)).status).toBe(400);
    expect((await postSignIn({ email: user.email, password: TEST_PASSWORD }, freshAddress())).status).toBe(302);
    const next = await postSignIn({ email: user.email, password: "guess 5" }, attacker);
    expect(next.status).toBe(429);
    expect(await prisma.signInFailure.count({ where: { email: user.email, ip: attacker } })).toBe(5);
  });

  it("each further try waits 1 s, then 2, 4, 8…, and refused tries do not lengthen the wait", async () => {
    const email = `${unique("backoff")}@school.test`;
    const ip = freshAddress();
    const t0 = Date.parse("2026-03-02T08:00:00Z");
    const at = (ms: number) => new Date(t0 + ms);
    for (let i = 0; i < 5; i++) expect(await claimSignInAttempt(email, ip, 5, at(i))).toEqual({ allowed: true });
    let latest = 4;
    for (const waitSeconds of [1, 2, 4, 8, 16, 32, 64]) {
      // Just before the wait is over: refused, told how long is left; asking again changes nothing.
      expect(await claimSignInAttempt(email, ip, 5, at(latest + 1))).toEqual({ allowed: false, retryAfterSeconds: waitSeconds });
      expect(await claimSignInAttempt(email, ip, 5, at(latest + waitSeconds * 1000 - 1))).toEqual({ allowed: false, retryAfterSeconds: 1 });
      latest += waitSeconds * 1000;
      expect(await claimSignInAttempt(email, ip, 5, at(latest))).toEqual({ allowed: true });
    }
    expect(await prisma.signInFailure.count({ where: { email, ip } })).toBe(12);
  });

  it("the wait is capped at 15 minutes, and failures older than 15 minutes no longer count", async () => {
    const email = `${unique("cap")}@school.test`;
    const ip = freshAddress();
    const t0 = Date.parse("2026-03-02T08:00:00Z");
    // 30 failures a second apart: the uncapped wait would be 2^25 seconds.
    await prisma.signInFailure.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({ email, ip, createdAt: new Date(t0 + i * 1000) })),
    });
    const soon = await claimSignInAttempt(email, ip, 5, new Date(t0 + 30_000));
    expect(soon).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 - 1 });
    // 15 minutes after the last one, all of them have aged out.
    expect(await claimSignInAttempt(email, ip, 5, new Date(t0 + 29_000 + 15 * 60_000 + 1))).toEqual({ allowed: true });
  });
});

describe("one address trying many accounts", () => {
  it("is stopped after 50 failures in 15 minutes, whatever X-Forwarded-For it sends; other addresses are not", async () => {
    const sprayer = freshAddress();
    for (let i = 0; i < 50; i++) {
      // A client's own X-Forwarded-For is not believed: no proxy is configured.
      const res = await postSignIn({ email: `${unique("spray")}@school.test`, password: "Summer2026!" }, sprayer, {
        "X-Forwarded-For": `203.0.113.${i}`,
      });
      expect(res.status).toBe(400);
    }
    const user = await makeUser();
    const stopped = await postSignIn({ email: user.email, password: TEST_PASSWORD }, sprayer, { "X-Forwarded-For": "203.0.113.200" });
    expect(stopped.status).toBe(429);
    expect(FormError.parse(stopped.data).errors.form).toBe("Too many failed sign-in attempts. Try again in 15 minutes.");
    expect(Number(stopped.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect((await postSignIn({ email: user.email, password: TEST_PASSWORD }, freshAddress())).status).toBe(302);
  });
});
