import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, unique } from "./helpers";
import { createUser, TEST_PASSWORD } from "./session-helpers";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import type { Role } from "~/generated/prisma/client";

const HOMES: Array<[Role, string]> = [
  ["ADMIN", "/admin"],
  ["PROGRAM_LEAD", "/lead"],
  ["TRAINER", "/trainer"],
  ["COORDINATOR", "/coordinator"],
  ["MEMBER", "/me"],
];

const GENERIC_FAILURE = "Email or password is incorrect.";

// Each test signs in from its own address, so the per-address limit of one test never locks another.
let octet = 0;
function freshAddress() {
  octet += 1;
  return `10.${process.pid % 250}.${Math.floor(octet / 250)}.${octet % 250}`;
}

// The address is the connection's, as the server passes it in the load context.
function postSignIn(form: Record<string, string>, { ip = freshAddress(), search = "" } = {}) {
  const request = makeRequest(`/login${search}`, { method: "POST", form });
  return call(() => login.action({ request, params: {}, context: { remoteAddress: ip } }));
}

const FormError = z.object({ errors: z.object({ form: z.string() }) });

/** The Cookie header a browser would send back after this Set-Cookie. */
function cookieFrom(headers: Headers): string {
  const setCookie = headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0];
}

async function makeUser(role: Role = "MEMBER") {
  return createUser(role, { email: `${unique("signin")}@school.test` });
}

describe("signing in", () => {
  it.each(HOMES)("a %s with the right password lands on %s with a session cookie", async (role, home) => {
    const user = await makeUser(role);
    const res = await postSignIn({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(home);
    expect(res.headers.get("Set-Cookie")).toMatch(/^__session=[^;]+;.*HttpOnly/i);
    expect(res.headers.get("Set-Cookie")).toMatch(/SameSite=Lax/i);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);
    // The cookie works: the sign-in page sends a signed-in user home.
    const again = await call(() => login.loader({ request: makeRequest("/login", { cookie: cookieFrom(res.headers) }), params: {}, context: {} }));
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe(home);
  });

  it("accepts the email in any case and with spaces around it", async () => {
    const user = await makeUser();
    const res = await postSignIn({ email: `  ${user.email.toUpperCase()} `, password: TEST_PASSWORD });
    expect(res.status).toBe(302);
  });

  it("answers a wrong password and an unknown email with the same generic 400", async () => {
    const user = await makeUser();
    const wrong = await postSignIn({ email: user.email, password: "not the password" });
    expect(wrong.status).toBe(400);
    expect(FormError.parse(wrong.data).errors.form).toBe(GENERIC_FAILURE);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
    const unknown = await postSignIn({ email: `${unique("nobody")}@school.test`, password: TEST_PASSWORD });
    expect(unknown.status).toBe(400);
    expect(FormError.parse(unknown.data).errors.form).toBe(GENERIC_FAILURE);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a malformed form with field errors", async () => {
    const res = await postSignIn({ email: "not-an-email", password: "" });
    expect(res.status).toBe(400);
    expect(z.object({ errors: z.object({ email: z.string(), password: z.string() }) }).parse(res.data).errors).toEqual({
      email: "Enter an email address like name@school.org",
      password: "Password is required",
    });
  });

  it("slows an account after 5 failures from one address: the 6th try from there gets 429 even with the right password", async () => {
    const user = await makeUser();
    const ip = freshAddress();
    for (let i = 0; i < 5; i++) {
      expect((await postSignIn({ email: user.email, password: `wrong ${i}` }, { ip })).status).toBe(400);
    }
    const sixth = await postSignIn({ email: user.email, password: TEST_PASSWORD }, { ip });
    expect(sixth.status).toBe(429);
    expect(FormError.parse(sixth.data).errors.form).toBe("Too many failed sign-in attempts. Try again in 1 second.");
    expect(sixth.headers.get("Retry-After")).toBe("1");
    expect(sixth.headers.get("Set-Cookie")).toBeNull();
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("does not slow after 4 failures, and a success forgives them", async () => {
    const user = await makeUser();
    const ip = freshAddress();
    for (let i = 0; i < 4; i++) await postSignIn({ email: user.email, password: `wrong ${i}` }, { ip });
    expect(await prisma.signInFailure.count({ where: { email: user.email } })).toBe(4);
    expect((await postSignIn({ email: user.email, password: TEST_PASSWORD }, { ip })).status).toBe(302);
    expect(await prisma.signInFailure.count({ where: { email: user.email } })).toBe(0);
  });

  it("refuses an overlong email or password with field errors, without counting a failure", async () => {
    const email = `${"a".repeat(250)}@school.test`;
    const res = await postSignIn({ email, password: "x".repeat(201) });
    expect(res.status).toBe(400);
    expect(z.object({ errors: z.object({ email: z.string(), password: z.string() }) }).parse(res.data).errors).toEqual({
      email: "Email must be at most 254 characters",
      password: "Password must be at most 200 characters",
    });
    expect(await prisma.signInFailure.count({ where: { email } })).toBe(0);
  });

  it("refuses an inactive user with the same generic message, even with the right password", async () => {
    const user = await makeUser();
    await prisma.user.update({ where: { id: user.id }, data: { active: false } });
    const res = await postSignIn({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect(FormError.parse(res.data).errors.form).toBe(GENERIC_FAILURE);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it.each([
    ["/sessions?status=CLOSED", "/sessions?status=CLOSED"],
    ["//evil.com", "/trainer"],
    ["//evil.com/sessions", "/trainer"],
    ["https://evil.com", "/trainer"],
    ["/\\evil.com", "/trainer"],
    ["/\t/evil.example", "/trainer"],
    ["/\n/evil.example", "/trainer"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["javascript:alert(1)", "/trainer"],
    ["", "/trainer"],
  ])("redirectTo %j sends a trainer to %s", async (redirectTo, expected) => {
    const user = await makeUser("TRAINER");
    const res = await postSignIn({ email: user.email, password: TEST_PASSWORD, redirectTo });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(expected);
  });
});

describe("signing out", () => {
  it("deletes the sign-in session, clears the cookie and the old cookie no longer works", async () => {
    const user = await makeUser("ADMIN");
    const signedIn = await postSignIn({ email: user.email, password: TEST_PASSWORD });
    const cookie = cookieFrom(signedIn.headers);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);

    const res = await call(() => logout.action({ request: makeRequest("/logout", { method: "POST", cookie }), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login");
    expect(res.headers.get("Set-Cookie")).toMatch(/^__session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);

    // Replaying the old cookie shows the sign-in page rather than sending the user home.
    const replay = await call(() => login.loader({ request: makeRequest("/login", { cookie }), params: {}, context: {} }));
    expect(replay.status).toBe(200);
  });

  it("signs out only the browser that asked: other sessions of the same user stay", async () => {
    const user = await makeUser();
    const first = cookieFrom((await postSignIn({ email: user.email, password: TEST_PASSWORD })).headers);
    await postSignIn({ email: user.email, password: TEST_PASSWORD });
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(2);
    await call(() => logout.action({ request: makeRequest("/logout", { method: "POST", cookie: first }), params: {}, context: {} }));
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);
  });
});
