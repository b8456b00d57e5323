import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The token in a reminder email's unsubscribe link: "<personId>.<base64url HMAC-SHA256>".
 * It names the person and proves the link came from us, so nobody can unsubscribe someone
 * else by guessing ids. It never expires: a link in an old email keeps working. The HMAC
 * covers a purpose prefix, so the same secret's other signatures can't be replayed here.
 */
const PURPOSE = "reminders-unsubscribe:v1:";
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/; // 32 bytes in base64url, unpadded
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 120;

function sign(personId: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(PURPOSE + personId).digest();
}

export function createUnsubscribeToken(personId: string, secret: string): string {
  if (!ID.test(personId)) throw new Error("Invalid person id for an unsubscribe token");
  if (!secret) throw new Error("A secret is required to sign an unsubscribe token");
  return `${personId}.${sign(personId, secret).toString("base64url")}`;
}

/**
 * The person id the token names, or null when it is malformed or not signed by any of the
 * secrets (all are tried, so rotating the secret keeps old emails' links working). Never throws.
 */
export function verifyUnsubscribeToken(token: string, secrets: readonly string[]): string | null {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [personId, signaturePart] = parts;
  if (!ID.test(personId) || !SIGNATURE.test(signaturePart)) return null;
  const signature = Buffer.from(signaturePart, "base64url");
  let valid = false;
  // No early exit: timing does not tell which secret matched.
  for (const secret of secrets.filter(Boolean)) {
    const expected = sign(personId, secret);
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) valid = true;
  }
  return valid ? personId : null;
}
