/**
 * "Download CSV" beside a table: a plain link to the page's export route (…/export.csv) with the page's
 * filters, so the file holds what the table shows. A plain <a download>: no JavaScript needed.
 */
export function csvHref(path: string, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export function DownloadCsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="button secondary csv-link" href={href} download>
      Download CSV<span className="visually-hidden"> of {label}</span>
    </a>
  );
}
