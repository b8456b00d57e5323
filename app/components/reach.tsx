/**
 * Pieces shared by the reach pages: the filter form, sortable column headers, pagers, CSV links,
 * goal status tags (the growth table and chart: app/components/growth.tsx). Plain links and GET
 * forms: everything works without JavaScript.
 */
import { Form, Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { AUDIENCE_LABELS, AUDIENCES, defaultDirFor, type SchoolSort } from "~/domain/reach-filters";
import { GOAL_STATUS_LABELS, type GoalStatus } from "~/domain/reach";

export type FilterValues = {
  year: string;
  asOf: string;
  program: string;
  region: string;
  audience: string;
  q: string;
};

export function ErrorList({ errors, title = "There is a problem with the filters" }: { errors?: Record<string, string>; title?: string }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>{title}</h2>
      <ul>
        {Object.entries(errors).map(([field, message]) => (
          <li key={field}>{field === "form" ? message : <a href={`#filter-${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

/** The GET form for school year, program, audience, region, as-of date and a school name search. */
export function ReachFilterForm({
  values, programs, regions, errors = {}, showRegion = true, showSearch = true, keep = {},
}: {
  values: FilterValues;
  programs: Array<{ code: string; name: string }>;
  regions: Array<{ id: string; name: string }>;
  errors?: Record<string, string>;
  showRegion?: boolean;
  showSearch?: boolean;
  keep?: Record<string, string>;
}) {
  const field = (name: keyof FilterValues, label: string, control: ReactNode, hint?: string) => (
    <div className={`field${errors[name] ? " field-invalid" : ""}`}>
      <label htmlFor={`filter-${name}`}>{label}</label>
      {hint ? <p className="hint" id={`filter-${name}-hint`}>{hint}</p> : null}
      {errors[name] ? <p className="field-error" id={`filter-${name}-error`}>{errors[name]}</p> : null}
      {control}
    </div>
  );
  const described = (name: keyof FilterValues, hint?: boolean) =>
    [hint ? `filter-${name}-hint` : null, errors[name] ? `filter-${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <Form method="get" className="search reach-filters" aria-label="Filters">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {field("year", "School year", <input id="filter-year" name="year" defaultValue={values.year} size={9} aria-describedby={described("year", true)} aria-invalid={errors.year ? true : undefined} />, "e.g. 2025-26")}
      {field("asOf", "As of", <input id="filter-asOf" name="asOf" type="date" defaultValue={values.asOf} aria-describedby={described("asOf")} aria-invalid={errors.asOf ? true : undefined} />)}
      {field(
        "program",
        "Program",
        <select id="filter-program" name="program" defaultValue={values.program} aria-describedby={described("program")} aria-invalid={errors.program ? true : undefined}>
          {programs.map((p) => (
            <option key={p.code} value={p.code}>{p.name}</option>
          ))}
        </select>,
      )}
      {field(
        "audience",
        "Audience",
        <select id="filter-audience" name="audience" defaultValue={values.audience} aria-describedby={described("audience")}>
          {AUDIENCES.map((a) => (
            <option key={a} value={a}>{AUDIENCE_LABELS[a]}</option>
          ))}
        </select>,
      )}
      {showRegion
        ? field(
            "region",
            "Region",
            <select id="filter-region" name="region" defaultValue={values.region} aria-describedby={described("region")} aria-invalid={errors.region ? true : undefined}>
              <option value="">All regions</option>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>{r.name}</option>
              ))}
            </select>,
          )
        : null}
      {showSearch ? field("q", "School name or code", <input id="filter-q" name="q" type="search" defaultValue={values.q} aria-describedby={described("q")} />) : null}
      <button type="submit">Apply filters</button>
    </Form>
  );
}

/** A column header that sorts by linking to the same page with ?sort=&dir=; aria-sort says the current order. */
export function SortHeader({ column, label, className }: { column: SchoolSort; label: string; className?: string }) {
  const [params] = useSearchParams();
  const current = params.get("sort") || "name";
  const active = current === column;
  const activeDir = active ? (params.get("dir") || defaultDirFor(column)) : null;
  const next = new URLSearchParams(params);
  next.set("sort", column);
  next.set("dir", active ? (activeDir === "asc" ? "desc" : "asc") : defaultDirFor(column));
  next.delete("page");
  return (
    <th scope="col" className={className} aria-sort={active ? (activeDir === "asc" ? "ascending" : "descending") : "none"}>
      <Link to={`?${next.toString()}`} preventScrollReset>
        {label}
        <span className="visually-hidden">
          {active ? `, sorted ${activeDir === "asc" ? "ascending" : "descending"}; select to reverse` : ", select to sort"}
        </span>
        {active ? <span aria-hidden="true">{activeDir === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}

/** Previous/next links that keep the query string; `param` names the page parameter. */
export function PageLinks({ page, pageCount, param = "page", label }: { page: number; pageCount: number; param?: string; label: string }) {
  const [params] = useSearchParams();
  if (pageCount <= 1) return null;
  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    if (target > 1) next.set(param, String(target));
    else next.delete(param);
    return `?${next.toString()}`;
  };
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? <Link to={hrefFor(page - 1)} preventScrollReset>Previous page</Link> : null}
      <span>Page {page} of {pageCount}</span>
      {page < pageCount ? <Link to={hrefFor(page + 1)} preventScrollReset>Next page</Link> : null}
    </nav>
  );
}

/**
 * First, previous, next and last links of a people list. Next and Previous start from the page's last
 * and first person (listAfter, listBefore), so every page of a long list costs the same to read; First
 * and Last go by number. The page number rides along for the caption.
 */
export function PeoplePageLinks({ page, pageCount, nextAfter, previousBefore, label }: {
  page: number;
  pageCount: number;
  nextAfter: string | null;
  previousBefore: string | null;
  label: string;
}) {
  const [params] = useSearchParams();
  if (pageCount <= 1) return null;
  const hrefFor = (target: number, cursor: { listAfter: string } | { listBefore: string } | null) => {
    const next = new URLSearchParams(params);
    next.delete("listAfter");
    next.delete("listBefore");
    if (target > 1) next.set("listPage", String(target));
    else next.delete("listPage");
    if (cursor && target > 1) for (const [k, v] of Object.entries(cursor)) next.set(k, v);
    return `?${next.toString()}#people`;
  };
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? <Link to={hrefFor(1, null)} preventScrollReset>First page</Link> : null}
      {page > 1 ? <Link to={hrefFor(page - 1, previousBefore ? { listBefore: previousBefore } : null)} preventScrollReset>Previous page</Link> : null}
      <span>Page {page} of {pageCount}</span>
      {page < pageCount ? <Link to={hrefFor(page + 1, nextAfter ? { listAfter: nextAfter } : null)} preventScrollReset>Next page</Link> : null}
      {page < pageCount ? <Link to={hrefFor(pageCount, null)} preventScrollReset>Last page</Link> : null}
    </nav>
  );
}

export function GoalStatusTag({ status }: { status: GoalStatus }) {
  const tone = status === "reached" || status === "on-track" ? "tag-ok" : status === "at-risk" ? "tag-warn" : status === "missed" ? "tag-danger" : "tag-muted";
  return <span className={`tag ${tone}`}>{GOAL_STATUS_LABELS[status]}</span>;
}
