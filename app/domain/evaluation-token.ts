import { endOfDayInZone } from "./time";
import {
  createSignedLinkToken, LINK_NONCE_BYTES, MAX_LINK_TOKEN_LENGTH, newLinkNonce, nonceMatches, verifySignedLinkToken,
} from "./signed-link-token";

/**
 * The session evaluation link's token, the check-in link's sibling (app/domain/signed-link-token.ts):
 * the session's id, a nonce and the expiry, signed. The nonce must still equal the session's current
 * evaluationNonce (checked against the database), so closing or reopening the evaluation kills old
 * links. The MAC covers a purpose label as well, so a check-in token (same shape, same secret) is never
 * accepted here, nor this one there. The token carries nothing about the roster.
 */
export type EvaluationClaims = { sessionId: string; nonce: string; expiresAt: Date };

export type EvaluationTokenCheck =
  | { ok: true; claims: EvaluationClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

export const EVALUATION_NONCE_BYTES = LINK_NONCE_BYTES;
export const MAX_EVALUATION_TOKEN_LENGTH = MAX_LINK_TOKEN_LENGTH;
/** Participants have two weeks after the last day (a program's own survey deadline is usually about that). */
export const EVALUATION_DAYS_AFTER_LAST_DAY = 14;

const EVALUATION = { purpose: "session-evaluation:", label: "evaluation" };

export const newEvaluationNonce = newLinkNonce;

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
  return createSignedLinkToken({ id: claims.sessionId, nonce: claims.nonce, expiresAt: claims.expiresAt }, secret, EVALUATION);
}

/** Checks the signature (every secret, so rotation keeps shared links working), then the expiry. Never throws on input. */
export function verifyEvaluationToken(token: string, secrets: string | readonly string[], now: Date): EvaluationTokenCheck {
  const check = verifySignedLinkToken(token, secrets, now, EVALUATION);
  if (!check.ok) return check;
  const { id, nonce, expiresAt } = check.claims;
  return { ok: true, claims: { sessionId: id, nonce, expiresAt } };
}

/** Timing-safe comparison of the token's nonce with the session's stored one. */
export const evaluationNonceMatches = nonceMatches;
