/** An iCalendar response: a file to download, or a feed that calendar apps poll. */
export function calendarResponse(text: string, options: { download: string } | { feed: true }): Response {
  const headers = new Headers({
    "Content-Type": "text/calendar; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
  });
  if ("download" in options) {
    const safeName = options.download.replace(/[^A-Za-z0-9._-]/g, "-");
    headers.set("Content-Disposition", `attachment; filename="${safeName}"`);
    headers.set("Cache-Control", "private, no-store");
  } else {
    headers.set("Content-Disposition", 'inline; filename="trainings.ics"');
    // The address is the secret: keep it out of shared caches and referrers.
    headers.set("Cache-Control", "private, max-age=900");
    headers.set("Referrer-Policy", "no-referrer");
  }
  return new Response(text, { headers });
}
