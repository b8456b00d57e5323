/**
 * Headers for the public certificate check. Not indexed by search engines (with the robots
 * meta tag), never cached (a status changes with time), and the address, which holds the
 * code, is not sent on as a referrer.
 */
export const PUBLIC_CHECK_HEADERS = {
  "X-Robots-Tag": "noindex, nofollow",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
} as const;

export const PUBLIC_CHECK_ROBOTS_META = { name: "robots", content: "noindex, nofollow" } as const;
