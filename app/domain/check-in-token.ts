/**
 * The QR check-in link's token (app/domain/signed-link-token.ts): the session day's id, a nonce and
 * the expiry, signed. The nonce must still equal the day's current one (checked against the database),
 * so closing or reopening check-in kills old links. The token carries nothing about the roster.
 */
import {
  createSignedLinkToken, LINK_NONCE_BYTES, MAX_LINK_TOKEN_LENGTH, newLinkNonce, verifySignedLinkToken, type SignedLinkCheck,
} from "./signed-link-token";

export { nonceMatches } from "./signed-link-token";

export type CheckInClaims = { sessionDayId: string; nonce: string; expiresAt: Date };

export type TokenCheck =
  | { ok: true; claims: CheckInClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

export const CHECK_IN_NONCE_BYTES = LINK_NONCE_BYTES;
export const MAX_TOKEN_LENGTH = MAX_LINK_TOKEN_LENGTH;

// No purpose: check-in links were signed before there were other kinds, and printed ones must keep working.
const CHECK_IN = { purpose: "", label: "check-in" };

export const newCheckInNonce = newLinkNonce;

export function createCheckInToken(claims: CheckInClaims, secret: string): string {
  return createSignedLinkToken({ id: claims.sessionDayId, nonce: claims.nonce, expiresAt: claims.expiresAt }, secret, CHECK_IN);
}

export function verifyCheckInToken(token: string, secrets: string | readonly string[], now: Date): TokenCheck {
  return asDay(verifySignedLinkToken(token, secrets, now, CHECK_IN));
}

function asDay(check: SignedLinkCheck): TokenCheck {
  if (!check.ok) return check;
  const { id, nonce, expiresAt } = check.claims;
  return { ok: true, claims: { sessionDayId: id, nonce, expiresAt } };
}
