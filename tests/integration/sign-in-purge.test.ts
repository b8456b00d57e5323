import { describe, expect, it } from "vitest";
import { call, makeRequest, prisma, unique } from "./helpers";
import { createUser, TEST_PASSWORD } from "./session-helpers";
import * as login from "~/routes/login";
import { purgeStaleSignInRecords } from "~/models/user.server";

const MINUTE = 60_000;

function postSignIn(form: Record<string, string>) {
  const request = makeRequest("/login", { method: "POST", form });
  return call(() => login.action({ request, params: {}, context: { remoteAddress: `192.0.2.${process.pid % 250}` } }));
}

/** Old failures and sessions, and fresh ones that must survive. */
async function seedStaleAndFresh() {
  const email = `${unique("purge")}@school.test`;
  const user = await createUser("MEMBER", { email: `${unique("owner")}@school.test` });
  const ago = (ms: number) => new Date(Date.now() - ms);
  const oldFailure = await prisma.signInFailure.create({ data: { email, ip: "192.0.2.1", createdAt: ago(16 * MINUTE) } });
  const freshFailure = await prisma.signInFailure.create({ data: { email, ip: "192.0.2.1", createdAt: ago(14 * MINUTE) } });
  const expired = await prisma.authSession.create({ data: { userId: user.id, expiresAt: ago(1000) } });
  const live = await prisma.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 60 * MINUTE) } });
  return { user, oldFailure, freshFailure, expired, live };
}

async function exists(ids: { failure?: string; session?: string }) {
  if (ids.failure) return (await prisma.signInFailure.count({ where: { id: ids.failure } })) === 1;
  return (await prisma.authSession.count({ where: { id: ids.session } })) === 1;
}

describe("purging old sign-in records", () => {
  it("a successful sign-in deletes failures past the 15-minute window and expired sessions, and keeps the rest", async () => {
    const { user, oldFailure, freshFailure, expired, live } = await seedStaleAndFresh();
    expect((await postSignIn({ email: user.email, password: TEST_PASSWORD })).status).toBe(302);
    expect(await exists({ failure: oldFailure.id })).toBe(false);
    expect(await exists({ session: expired.id })).toBe(false);
    expect(await exists({ failure: freshFailure.id })).toBe(true);
    expect(await exists({ session: live.id })).toBe(true);
  });

  it("a wrong password purges too, so an app nobody signs in to successfully still stays small", async () => {
    const { user, oldFailure, expired, live } = await seedStaleAndFresh();
    expect((await postSignIn({ email: user.email, password: "wrong" })).status).toBe(400);
    expect(await exists({ failure: oldFailure.id })).toBe(false);
    expect(await exists({ session: expired.id })).toBe(false);
    expect(await exists({ session: live.id })).toBe(true);
  });

  it("deletes at most one batch per call, so a sign-in never waits on a large delete", async () => {
    // Start from nothing stale (other tests in this worker may have left some).
    while (Object.values(await purgeStaleSignInRecords()).some((n) => n > 0));
    const email = `${unique("batch")}@school.test`;
    await prisma.signInFailure.createMany({
      data: Array.from({ length: 5 }, () => ({ email, ip: "192.0.2.2", createdAt: new Date(Date.now() - 20 * MINUTE) })),
    });
    expect(await purgeStaleSignInRecords({ batch: 2 })).toEqual({ signInFailures: 2, authSessions: 0 });
    expect(await purgeStaleSignInRecords({ batch: 2 })).toEqual({ signInFailures: 2, authSessions: 0 });
    expect(await purgeStaleSignInRecords({ batch: 2 })).toEqual({ signInFailures: 1, authSessions: 0 });
    expect(await prisma.signInFailure.count({ where: { email } })).toBe(0);
  });
});
