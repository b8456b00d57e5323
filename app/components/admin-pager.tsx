import { Link } from "@remix-run/react";

/** Previous/next links that keep the current filters in the query string. */
export function Pager({ page, pageCount, params, label }: { page: number; pageCount: number; params: Record<string, string>; label: string }) {
  if (pageCount <= 1) return null;
  const hrefFor = (target: number) => {
    const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ""));
    if (target > 1) search.set("page", String(target));
    const query = search.toString();
    return query ? `?${query}` : ".";
  };
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>Previous page</Link> : null}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link to={hrefFor(page + 1)}>Next page</Link> : null}
    </nav>
  );
}
