import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CHECK_IN_NONCE_BYTES, createCheckInToken, MAX_TOKEN_LENGTH, newCheckInNonce, nonceMatches, verifyCheckInToken,
} from "./check-in-token";

const SECRET = "test-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T18:00:00Z");
const EXPIRES = new Date("2026-11-23T08:00:00Z");
const claims = { sessionDayId: "cmday0000000000000000001", nonce: "A".repeat(32), expiresAt: EXPIRES };

function decode(token: string) {
  const [payload, signature] = token.split(".");
  return { fields: Buffer.from(payload, "base64url").toString("utf8").split("."), signature };
}
function reencode(fields: string[], signature: string) {
  return `${Buffer.from(fields.join("."), "utf8").toString("base64url")}.${signature}`;
}

describe("check-in tokens", () => {
  it("round-trips the day, nonce and expiry (to the second)", () => {
    const token = createCheckInToken(claims, SECRET);
    const check = verifyCheckInToken(token, SECRET, NOW);
    expect(check).toEqual({ ok: true, claims });
  });

  it("is URL-safe and short enough for a QR code", () => {
    const token = createCheckInToken({ ...claims, nonce: newCheckInNonce() }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(200);
  });

  it("contains only the day id, the nonce and the expiry", () => {
    const { fields } = decode(createCheckInToken(claims, SECRET));
    expect(fields).toEqual([claims.sessionDayId, claims.nonce, String(EXPIRES.getTime() / 1000)]);
  });

  it("refuses a changed day id", () => {
    const token = createCheckInToken(claims, SECRET);
    const { fields, signature } = decode(token);
    const forged = reencode(["cmday0000000000000000002", fields[1], fields[2]], signature);
    expect(verifyCheckInToken(forged, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a changed expiry", () => {
    const { fields, signature } = decode(createCheckInToken(claims, SECRET));
    const forged = reencode([fields[0], fields[1], String(Number(fields[2]) + 86400)], signature);
    expect(verifyCheckInToken(forged, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a token signed with another secret, or a bad signature", () => {
    const other = createCheckInToken(claims, "another-secret-0123456789abcdef");
    expect(verifyCheckInToken(other, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    const [payload] = createCheckInToken(claims, SECRET).split(".");
    expect(verifyCheckInToken(`${payload}.${Buffer.alloc(32).toString("base64url")}`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyCheckInToken(`${payload}.AAAA`, SECRET, NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("accepts a token signed with an older secret during rotation", () => {
    const token = createCheckInToken(claims, "old-secret-0123456789abcdef");
    expect(verifyCheckInToken(token, [SECRET, "old-secret-0123456789abcdef"], NOW).ok).toBe(true);
  });

  it("expires at the given instant", () => {
    const token = createCheckInToken(claims, SECRET);
    expect(verifyCheckInToken(token, SECRET, new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
    expect(verifyCheckInToken(token, SECRET, EXPIRES)).toEqual({ ok: false, reason: "expired" });
  });

  it.each([
    ["empty", ""],
    ["no signature", "abc"],
    ["three parts", "a.b.c"],
    ["not base64url", "a+b.c/d"],
    ["over-long", `${"A".repeat(MAX_TOKEN_LENGTH)}.A`],
  ])("refuses a malformed token (%s)", (_label, token) => {
    expect(verifyCheckInToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a correctly signed payload of the wrong shape", () => {
    const payload = Buffer.from("only.two", "utf8").toString("base64url");
    // Signed properly, so only the shape check can refuse it.
    const good = createHmac("sha256", SECRET).update(payload).digest("base64url");
    expect(verifyCheckInToken(`${payload}.${good}`, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("makes nonces of at least 128 random bits, different each time", () => {
    expect(CHECK_IN_NONCE_BYTES * 8).toBeGreaterThanOrEqual(128);
    const nonces = new Set(Array.from({ length: 1000 }, () => newCheckInNonce()));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, "base64url").length).toBe(CHECK_IN_NONCE_BYTES);
  });

  it("compares nonces exactly", () => {
    expect(nonceMatches(claims.nonce, claims.nonce)).toBe(true);
    expect(nonceMatches(claims.nonce, "B".repeat(32))).toBe(false);
    expect(nonceMatches(claims.nonce, "A".repeat(31))).toBe(false);
    expect(nonceMatches(null, claims.nonce)).toBe(false);
  });

  it("will not sign a bad day id or a short nonce", () => {
    expect(() => createCheckInToken({ ...claims, sessionDayId: "a.b" }, SECRET)).toThrow();
    expect(() => createCheckInToken({ ...claims, nonce: "short" }, SECRET)).toThrow();
  });
});
