/**
 * Headers every response carries, and the refusal of cross-origin form posts.
 * See docs/decisions/007-http-limits-and-headers.md.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendProblem } from "./problem-page.server";

/** A fresh value per response: only scripts that carry it run. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // Remix's inline scripts carry the nonce; its module files and preloads are same-origin files.
    `script-src 'self' 'nonce-${nonce}'`,
    // React style attributes (charts, progress bars) are inline styles; no user-written CSS is ever rendered.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The headers for one response. A route that sets one of these itself (e.g. a stricter Referrer-Policy)
 * wins: they are defaults.
 */
export function securityHeaders(options: { nonce: string; https: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options.nonce),
    "X-Content-Type-Options": "nosniff",
    // Addresses can hold secrets (check-in and calendar tokens): other sites never see them. Not
    // "no-referrer": with it browsers send `Origin: null` on our own form posts.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** The default for signed-in pages that do not choose their own caching. */
export const SIGNED_IN_CACHE_CONTROL = "private, no-store";

/** Whether the request carries the session cookie (app/session.server.ts names it __session). */
export function carriesSession(req: IncomingMessage): boolean {
  return /(?:^|;\s*)__session=[^;]/.test(req.headers.cookie ?? "");
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * True for a state-changing request a browser sent from another origin. The rule is Remix's own
 * (its action check compares Origin's host with X-Forwarded-Host or Host, and throws, a 500): deciding
 * it here first turns that into a 403 with a message. A request without Origin (not a browser) passes.
 */
export function isCrossOriginWrite(req: IncomingMessage): boolean {
  if (!UNSAFE_METHODS.has(req.method ?? "")) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const forwardedHost = firstHeader(req.headers["x-forwarded-host"])?.split(",")[0]?.trim();
  const host = forwardedHost || req.headers.host;
  if (!host) return true;
  return originHost(origin) !== host;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function originHost(origin: string): string | null {
  if (origin === "null") return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function refuseCrossOriginWrites() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!isCrossOriginWrite(req)) return next();
    res.setHeader("Connection", "close");
    sendProblem(req, res, 403, "Sent from another site", "This form was sent from another website, so it was refused and nothing was changed. Open the page on this site and send it again.");
  };
}
