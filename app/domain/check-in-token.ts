import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The QR check-in link's token: base64url("<sessionDayId>.<nonce>.<expiresAtEpochSeconds>")
 * "." base64url(HMAC-SHA256 of that first part). The day id and expiry are signed, so a token
 * cannot be moved to another day or extended; the nonce must still equal the day's current
 * nonce (checked against the database), so closing or reopening check-in kills old links.
 * The token carries nothing about the roster.
 */
export type CheckInClaims = { sessionDayId: string; nonce: string; expiresAt: Date };

export type TokenCheck =
  | { ok: true; claims: CheckInClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** 192 random bits: far beyond guessing. */
export const CHECK_IN_NONCE_BYTES = 24;
/** Real tokens are about 140 characters; anything much longer is refused before decoding. */
export const MAX_TOKEN_LENGTH = 400;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// At least 22 base64url characters = at least 128 bits.
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const EPOCH = /^\d{1,12}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export function newCheckInNonce(bytes: (size: number) => Buffer = randomBytes): string {
  return bytes(CHECK_IN_NONCE_BYTES).toString("base64url");
}

function sign(payloadPart: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(payloadPart).digest();
}

export function createCheckInToken(claims: CheckInClaims, secret: string): string {
  if (!ID.test(claims.sessionDayId)) throw new Error("Invalid session day id for a check-in token");
  if (!NONCE.test(claims.nonce)) throw new Error("Invalid nonce for a check-in token");
  if (!secret) throw new Error("A secret is required to sign a check-in token");
  const expires = Math.floor(claims.expiresAt.getTime() / 1000);
  const payloadPart = Buffer.from(`${claims.sessionDayId}.${claims.nonce}.${expires}`, "utf8").toString("base64url");
  return `${payloadPart}.${sign(payloadPart, secret).toString("base64url")}`;
}

/**
 * Checks the signature (against every secret, so rotation keeps printed links working) and
 * then the expiry. Never throws: anything odd is "malformed".
 */
export function verifyCheckInToken(token: string, secrets: string | readonly string[], now: Date): TokenCheck {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payloadPart, signaturePart] = parts;
  if (!B64URL.test(payloadPart) || !B64URL.test(signaturePart)) return { ok: false, reason: "malformed" };
  const signature = Buffer.from(signaturePart, "base64url");
  const keys = (typeof secrets === "string" ? [secrets] : secrets).filter(Boolean);
  if (keys.length === 0) throw new Error("A secret is required to verify a check-in token");
  // Every key is tried (no early exit) so timing does not tell which one matched.
  let signed = false;
  for (const key of keys) {
    const expected = sign(payloadPart, key);
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) signed = true;
  }
  if (!signed) return { ok: false, reason: "bad-signature" };
  const fields = Buffer.from(payloadPart, "base64url").toString("utf8").split(".");
  if (fields.length !== 3) return { ok: false, reason: "malformed" };
  const [sessionDayId, nonce, expires] = fields;
  if (!ID.test(sessionDayId) || !NONCE.test(nonce) || !EPOCH.test(expires)) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: { sessionDayId, nonce, expiresAt } };
}

/** Timing-safe comparison of the token's nonce with the day's stored one. */
export function nonceMatches(stored: string | null | undefined, presented: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored, "utf8");
  const b = Buffer.from(presented, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
