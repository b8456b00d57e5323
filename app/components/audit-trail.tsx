import { Link } from "@remix-run/react";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

export type AuditTrailEntry = { id: string; at: Date | string; words: string };

/**
 * The audit trail in plain words, newest first: when (in the district's time zone) and what
 * happened, one sentence each. `olderHref` links to the next page of older events.
 */
export function AuditTrail({
  entries, olderHref, newestHref, empty = "No changes recorded.", label,
}: { entries: AuditTrailEntry[]; olderHref?: string | null; newestHref?: string | null; empty?: string; label: string }) {
  const timeZone = useTimeZone();
  return (
    <>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ol className="audit-trail" aria-label={label}>
          {entries.map((e) => {
            const at = typeof e.at === "string" ? e.at : e.at.toISOString();
            return (
              <li key={e.id}>
                <time dateTime={at}>{formatDateTime(at, timeZone)}</time>: {e.words}
              </li>
            );
          })}
        </ol>
      )}
      {olderHref || newestHref ? (
        <nav className="pager" aria-label={`${label}: more events`}>
          {newestHref ? <Link to={newestHref}>Newest events</Link> : null}
          {olderHref ? <Link to={olderHref}>Older events</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

/** The query string for another page of the trail: the same filters, another cursor. */
export function trailHref(path: string, params: Record<string, string>, before: string | null): string {
  const search = new URLSearchParams(Object.entries(params).filter(([key, value]) => value !== "" && key !== "before"));
  if (before) search.set("before", before);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
