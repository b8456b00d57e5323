import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCheckInToken, verifyCheckInToken } from "./check-in-token";
import {
  createEvaluationToken, EVALUATION_NONCE_BYTES, evaluationExpiry, evaluationNonceMatches, MAX_EVALUATION_TOKEN_LENGTH, newEvaluationNonce,
  verifyEvaluationToken,
} from "./evaluation-token";

const SECRET = "test-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T18:00:00Z");
const EXPIRES = new Date("2026-12-07T08:00:00Z");
const claims = { sessionId: "cmsession0000000000000001", nonce: "A".repeat(32), expiresAt: EXPIRES };

function decode(token: string) {
  const [payload, signature] = token.split(".");
  return { fields: Buffer.from(payload, "base64url").toString("utf8").split("."), signature };
}
function reencode(fields: string[], signature: string) {
  return `${Buffer.from(fields.join("."), "utf8").toString("base64url")}.${signature}`;
}

describe("evaluation tokens", () => {
  it("round-trips the session, nonce and expiry (to the second)", () => {
    expect(verifyEvaluationToken(createEvaluationToken(claims, SECRET), SECRET, NOW)).toEqual({ ok: true, claims });
  });

  it("is URL-safe and short enough for a QR code", () => {
    const token = createEvaluationToken({ ...claims, nonce: newEvaluationNonce() }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(200);
  });

  it("contains only the session id, the nonce and the expiry", () => {
    const { fields } = decode(createEvaluationToken(claims, SECRET));
    expect(fields).toEqual([claims.sessionId, claims.nonce, String(EXPIRES.getTime() / 1000)]);
  });

  it("refuses a changed session id or expiry", () => {
    const { fields, signature } = decode(createEvaluationToken(claims, SECRET));
    expect(verifyEvaluationToken(reencode(["cmsession0000000000000002", fields[1], fields[2]], signature), SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyEvaluationToken(reencode([fields[0], fields[1], String(Number(fields[2]) + 86400)], signature), SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses another secret's signature and accepts an older secret during rotation", () => {
    const old = createEvaluationToken(claims, "old-secret-0123456789abcdef");
    expect(verifyEvaluationToken(old, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyEvaluationToken(old, [SECRET, "old-secret-0123456789abcdef"], NOW).ok).toBe(true);
  });

  it("is never taken for a check-in token, nor a check-in token for it", () => {
    const checkIn = createCheckInToken({ sessionDayId: claims.sessionId, nonce: claims.nonce, expiresAt: EXPIRES }, SECRET);
    expect(verifyEvaluationToken(checkIn, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyCheckInToken(createEvaluationToken(claims, SECRET), SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("expires at the given instant", () => {
    const token = createEvaluationToken(claims, SECRET);
    expect(verifyEvaluationToken(token, SECRET, new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
    expect(verifyEvaluationToken(token, SECRET, EXPIRES)).toEqual({ ok: false, reason: "expired" });
  });

  it.each([
    ["empty", ""],
    ["no signature", "abc"],
    ["three parts", "a.b.c"],
    ["not base64url", "a+b.c/d"],
    ["over-long", `${"A".repeat(MAX_EVALUATION_TOKEN_LENGTH)}.A`],
  ])("refuses a malformed token (%s)", (_label, token) => {
    expect(verifyEvaluationToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a correctly signed payload of the wrong shape", () => {
    const payload = Buffer.from("only.two", "utf8").toString("base64url");
    const good = createHmac("sha256", SECRET).update(`session-evaluation:${payload}`).digest("base64url");
    expect(verifyEvaluationToken(`${payload}.${good}`, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("makes nonces of at least 128 random bits, different each time, and compares them exactly", () => {
    expect(EVALUATION_NONCE_BYTES * 8).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 500 }, () => newEvaluationNonce())).size).toBe(500);
    expect(evaluationNonceMatches(claims.nonce, claims.nonce)).toBe(true);
    expect(evaluationNonceMatches(claims.nonce, "B".repeat(32))).toBe(false);
    expect(evaluationNonceMatches(claims.nonce, "A".repeat(31))).toBe(false);
    expect(evaluationNonceMatches(null, claims.nonce)).toBe(false);
  });

  it("will not sign a bad session id or a short nonce", () => {
    expect(() => createEvaluationToken({ ...claims, sessionId: "a.b" }, SECRET)).toThrow();
    expect(() => createEvaluationToken({ ...claims, nonce: "short" }, SECRET)).toThrow();
  });

  it("lasts until the end of the 14th day after the last session day, in the district's zone", () => {
    const days = [{ startsAt: new Date("2026-03-03T17:00:00Z") }, { startsAt: new Date("2026-03-10T16:00:00Z") }];
    // March 24, 2026 ends at 07:00 UTC in Los Angeles (daylight time from March 8).
    expect(evaluationExpiry(days, "America/Los_Angeles")).toEqual(new Date("2026-03-25T07:00:00Z"));
    expect(evaluationExpiry([...days].reverse(), "America/Los_Angeles")).toEqual(new Date("2026-03-25T07:00:00Z"));
    expect(evaluationExpiry([], "America/Los_Angeles")).toBeNull();
  });
});
