import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The token inside a link that works without signing in (QR check-in, session evaluation):
 * base64url("<id>.<nonce>.<expiresAtEpochSeconds>") "." base64url(HMAC-SHA256 of purpose + that first
 * part). The id and expiry are signed, so a token cannot be moved to another record or extended; the
 * nonce must still equal the record's current one (checked against the database), so closing or
 * reopening the link kills old ones. The purpose keeps one kind of link from being accepted as another
 * (check-in's is empty: its links were signed before there were two kinds, and printed ones still work).
 */
export type SignedLinkClaims = { id: string; nonce: string; expiresAt: Date };

export type SignedLinkCheck =
  | { ok: true; claims: SignedLinkClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** 192 random bits: far beyond guessing. */
export const LINK_NONCE_BYTES = 24;
/** Real tokens are about 140 characters; anything much longer is refused before decoding. */
export const MAX_LINK_TOKEN_LENGTH = 400;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// At least 22 base64url characters = at least 128 bits.
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const EPOCH = /^\d{1,12}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export function newLinkNonce(bytes: (size: number) => Buffer = randomBytes): string {
  return bytes(LINK_NONCE_BYTES).toString("base64url");
}

function sign(purpose: string, payloadPart: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(purpose + payloadPart).digest();
}

/** `label` names the link in errors ("check-in", "evaluation"): a bad id or nonce here is a bug, not input. */
export function createSignedLinkToken(claims: SignedLinkClaims, secret: string, link: { purpose: string; label: string }): string {
  if (!ID.test(claims.id)) throw new Error(`Invalid id for a ${link.label} token`);
  if (!NONCE.test(claims.nonce)) throw new Error(`Invalid nonce for a ${link.label} token`);
  if (!secret) throw new Error(`A secret is required to sign a ${link.label} token`);
  const expires = Math.floor(claims.expiresAt.getTime() / 1000);
  const payloadPart = Buffer.from(`${claims.id}.${claims.nonce}.${expires}`, "utf8").toString("base64url");
  return `${payloadPart}.${sign(link.purpose, payloadPart, secret).toString("base64url")}`;
}

/**
 * Checks the signature (against every secret, so rotation keeps printed and shared links working) and
 * then the expiry. Never throws on input: anything odd is "malformed".
 */
export function verifySignedLinkToken(
  token: string, secrets: string | readonly string[], now: Date, link: { purpose: string; label: string },
): SignedLinkCheck {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_LINK_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payloadPart, signaturePart] = parts;
  if (!B64URL.test(payloadPart) || !B64URL.test(signaturePart)) return { ok: false, reason: "malformed" };
  const signature = Buffer.from(signaturePart, "base64url");
  const keys = (typeof secrets === "string" ? [secrets] : secrets).filter(Boolean);
  if (keys.length === 0) throw new Error(`A secret is required to verify a ${link.label} token`);
  // Every key is tried (no early exit) so timing does not tell which one matched.
  let signed = false;
  for (const key of keys) {
    const expected = sign(link.purpose, payloadPart, key);
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) signed = true;
  }
  if (!signed) return { ok: false, reason: "bad-signature" };
  const fields = Buffer.from(payloadPart, "base64url").toString("utf8").split(".");
  if (fields.length !== 3) return { ok: false, reason: "malformed" };
  const [id, nonce, expires] = fields;
  if (!ID.test(id) || !NONCE.test(nonce) || !EPOCH.test(expires)) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: { id, nonce, expiresAt } };
}

/** Timing-safe comparison of the token's nonce with the record's stored one. */
export function nonceMatches(stored: string | null | undefined, presented: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored, "utf8");
  const b = Buffer.from(presented, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
