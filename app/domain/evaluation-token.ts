import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { endOfDayInZone } from "./time";

/**
 * The session evaluation link's token, the check-in link's sibling (app/domain/check-in-token.ts):
 * base64url("<sessionId>.<nonce>.<expiresAtEpochSeconds>") "." base64url(HMAC-SHA256). The session
 * id and expiry are signed, so a token cannot be moved to another session or extended; the nonce
 * must still equal the session's current evaluationNonce (checked against the database), so
 * closing or reopening the evaluation kills old links. The MAC covers a purpose label as well, so
 * a check-in token (same shape, same secret) is never accepted here, nor this one there.
 * The token carries nothing about the roster.
 */
export type EvaluationClaims = { sessionId: string; nonce: string; expiresAt: Date };

export type EvaluationTokenCheck =
  | { ok: true; claims: EvaluationClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** 192 random bits: far beyond guessing. */
export const EVALUATION_NONCE_BYTES = 24;
/** Real tokens are about 140 characters; anything much longer is refused before decoding. */
export const MAX_EVALUATION_TOKEN_LENGTH = 400;
/** Participants have two weeks after the last day (a program's own survey deadline is usually about that). */
export const EVALUATION_DAYS_AFTER_LAST_DAY = 14;

const PURPOSE = "session-evaluation:";
const ID = /^[A-Za-z0-9_-]{1,64}$/;
// At least 22 base64url characters = at least 128 bits.
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const EPOCH = /^\d{1,12}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export function newEvaluationNonce(bytes: (size: number) => Buffer = randomBytes): string {
  return bytes(EVALUATION_NONCE_BYTES).toString("base64url");
}

function sign(payloadPart: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(PURPOSE + payloadPart).digest();
}

/**
 * When a session's evaluation link stops working: the end (in the district's zone) of the day
 * EVALUATION_DAYS_AFTER_LAST_DAY days after the session's last day begins. Null for a session with no days.
 */
export function evaluationExpiry(days: ReadonlyArray<{ startsAt: Date }>, timeZone: string): Date | null {
  if (days.length === 0) return null;
  const last = days.reduce((a, b) => (b.startsAt > a.startsAt ? b : a));
  // A daylight-saving hour in between moves the instant by an hour, never the date of a daytime class.
  const later = new Date(last.startsAt.getTime() + EVALUATION_DAYS_AFTER_LAST_DAY * 24 * 3600_000);
  return endOfDayInZone(later, timeZone);
}

export function createEvaluationToken(claims: EvaluationClaims, secret: string): string {
  if (!ID.test(claims.sessionId)) throw new Error("Invalid session id for an evaluation token");
  if (!NONCE.test(claims.nonce)) throw new Error("Invalid nonce for an evaluation token");
  if (!secret) throw new Error("A secret is required to sign an evaluation token");
  const expires = Math.floor(claims.expiresAt.getTime() / 1000);
  const payloadPart = Buffer.from(`${claims.sessionId}.${claims.nonce}.${expires}`, "utf8").toString("base64url");
  return `${payloadPart}.${sign(payloadPart, secret).toString("base64url")}`;
}

/**
 * Checks the signature (against every secret, so rotation keeps shared links working) and then
 * the expiry. Never throws on input: anything odd is "malformed".
 */
export function verifyEvaluationToken(token: string, secrets: string | readonly string[], now: Date): EvaluationTokenCheck {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_EVALUATION_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payloadPart, signaturePart] = parts;
  if (!B64URL.test(payloadPart) || !B64URL.test(signaturePart)) return { ok: false, reason: "malformed" };
  const signature = Buffer.from(signaturePart, "base64url");
  const keys = (typeof secrets === "string" ? [secrets] : secrets).filter(Boolean);
  if (keys.length === 0) throw new Error("A secret is required to verify an evaluation token");
  // Every key is tried (no early exit) so timing does not tell which one matched.
  let signed = false;
  for (const key of keys) {
    const expected = sign(payloadPart, key);
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) signed = true;
  }
  if (!signed) return { ok: false, reason: "bad-signature" };
  const fields = Buffer.from(payloadPart, "base64url").toString("utf8").split(".");
  if (fields.length !== 3) return { ok: false, reason: "malformed" };
  const [sessionId, nonce, expires] = fields;
  if (!ID.test(sessionId) || !NONCE.test(nonce) || !EPOCH.test(expires)) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: { sessionId, nonce, expiresAt } };
}

/** Timing-safe comparison of the token's nonce with the session's stored one. */
export function evaluationNonceMatches(stored: string | null | undefined, presented: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored, "utf8");
  const b = Buffer.from(presented, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
