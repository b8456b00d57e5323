import type { HeadersFunction } from "@remix-run/node";

/**
 * Headers for a page whose address is a capability (the QR check-in link, the evaluation link): kept out
 * of caches, search engines and Referer headers to other sites ("no-referrer" would make browsers send
 * `Origin: null` on the page's own form post, which Remix refuses). A rate-limited post's Retry-After
 * ("try again in a minute") is passed on for clients that read it.
 */
export const capabilityLinkHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex" });
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
