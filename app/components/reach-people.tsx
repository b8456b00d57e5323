/** The people behind the figures on a school or region page: links to each list, and the list chosen. */
import { Link, useSearchParams } from "@remix-run/react";
import { PEOPLE_LIST_NAMES, PEOPLE_LISTS, type PeopleListName } from "~/domain/reach-people";
import { PeoplePageLinks } from "~/components/reach";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";
import { formatCount, formatDate } from "~/utils/format";

type PeoplePage = {
  total: number;
  page: number;
  pageCount: number;
  /** People on this page the viewer may not see by name (students of another school): counted only. */
  hiddenCount: number;
  nextAfter: string | null;
  previousBefore: string | null;
  people: Array<{ id: string; name: string; districtId: string | null; kind: string; school: string; latestIssuedOn: Date | string | null; coverageEnds: Date | string | null }>;
};

const KIND_LABELS: Record<string, string> = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" };

export function PeopleSection({
  scopeLabel, list, people, studentsHidden, counts, exportParams, csvPath, studentsAsCountsNote,
}: {
  scopeLabel: string;
  list: { name: PeopleListName; label: string; kind: string } | null;
  people: PeoplePage | null;
  studentsHidden: boolean;
  counts: Partial<Record<PeopleListName, number | null>>;
  exportParams: Record<string, string>;
  /** The page's export route (…/export.csv): the list downloads as table=people. */
  csvPath: string;
  studentsAsCountsNote: string;
}) {
  const [params] = useSearchParams();
  const hrefFor = (name: PeopleListName) => {
    const next = new URLSearchParams(params);
    next.set("list", name);
    next.delete("listPage");
    next.delete("listAfter");
    next.delete("listBefore");
    return `?${next.toString()}#people`;
  };
  return (
    <section className="panel" aria-labelledby="people">
      <h2 id="people">People behind the figures</h2>
      <ul className="people-lists">
        {PEOPLE_LIST_NAMES.map((name) => (
          <li key={name}>
            <Link to={hrefFor(name)} aria-current={list?.name === name ? "true" : undefined} preventScrollReset>
              {PEOPLE_LISTS[name].label}
            </Link>
            {counts[name] != null ? <span className="muted"> ({formatCount(counts[name])})</span> : null}
          </li>
        ))}
      </ul>
      {list && studentsHidden ? (
        <p className="notice" role="status">{studentsAsCountsNote}</p>
      ) : null}
      {list && people ? (
        <>
          <div className="table-wrap">
            <table>
              <caption>
                {list.label}, {scopeLabel}: {formatCount(people.total)} {people.total === 1 ? "person" : "people"}
                {people.pageCount > 1 ? `, page ${people.page} of ${people.pageCount}` : ""}
                {people.hiddenCount > 0 ? `; ${formatCount(people.hiddenCount)} on this page are students now at another school, counted and not named` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">District ID</th>
                  <th scope="col">Kind</th>
                  <th scope="col">School</th>
                  <th scope="col">Latest certificate issued</th>
                  <th scope="col">Current until</th>
                </tr>
              </thead>
              <tbody>
                {people.people.length === 0 ? (
                  <tr><td colSpan={6}>Nobody is counted in this figure.</td></tr>
                ) : (
                  people.people.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{p.name}</th>
                      <td>{p.districtId ?? "—"}</td>
                      <td>{KIND_LABELS[p.kind] ?? p.kind}</td>
                      <td>{p.school}</td>
                      <td>{formatDate(p.latestIssuedOn)}</td>
                      <td>{p.coverageEnds ? formatDate(p.coverageEnds) : "—"}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <PeoplePageLinks page={people.page} pageCount={people.pageCount} nextAfter={people.nextAfter} previousBefore={people.previousBefore} label={`Pages of ${list.label}`} />
          <p className="actions"><DownloadCsvLink href={csvHref(csvPath, { ...exportParams, table: "people", list: list.name })} label={`${list.label} (every page)`} /></p>
        </>
      ) : null}
    </section>
  );
}
