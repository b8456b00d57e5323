import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { canSeeStudentNamesAcrossSchools, REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseReachFilters } from "~/domain/reach-filters";
import { formatSchoolYear } from "~/domain/school-year";
import { loadRegionReachPage } from "~/models/reach.server";
import { parsePeopleQuery, PEOPLE_LISTS } from "~/domain/reach-people";
import { AreaTable, SchoolTable } from "~/components/reach-tables";
import { ErrorList, ReachFilterForm } from "~/components/reach";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";
import { PeopleSection } from "~/components/reach-people";
import { formatCount, formatDate } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d && "region" in d && d.region ? d.region.name : "Region"} · Reach` }];

const NOT_FOUND = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const url = new URL(request.url);
  const parsed = parseReachFilters(url.searchParams, new Date());
  const people = parsePeopleQuery(url.searchParams);
  const errors = { ...(parsed.ok ? {} : parsed.errors), ...(people.ok ? {} : people.errors) };
  const f = parsed.filters;
  const showStudentNames = canSeeStudentNamesAcrossSchools(user);
  const page = await loadRegionReachPage({
    viewer: user,
    regionId: params.regionId ?? "",
    filters: { ...f, regionId: null },
    list: people.ok ? people.list : null,
    listPage: people.ok ? people.page : 1,
    listAfter: people.ok ? people.after : null,
    listBefore: people.ok ? people.before : null,
    showStudentNames,
  });
  if (!page) throw NOT_FOUND();
  const values = { year: formatSchoolYear(f.schoolYear), asOf: f.asOf.toISOString().slice(0, 10), program: f.programCode ?? "", region: "", audience: f.audience, q: f.q };
  if (Object.keys(errors).length > 0 || !page.ok) {
    const all = { ...errors, ...(page.ok ? {} : page.errors) };
    return data({ ok: false as const, region: page.region, errors: all, programs: page.programs, regions: page.regions, values }, { status: 400 });
  }
  const list = people.ok ? people.list : null;
  return {
    ok: true as const,
    region: page.region,
    program: page.program,
    programs: page.programs,
    regions: page.regions,
    values: { ...values, program: page.program.code },
    audience: f.audience,
    schoolYear: f.schoolYear,
    asOf: values.asOf,
    totals: page.totals,
    schools: page.schools,
    list: list ? { name: list, label: PEOPLE_LISTS[list].label, kind: PEOPLE_LISTS[list].kind } : null,
    people: page.people,
    studentsHidden: list != null && PEOPLE_LISTS[list].kind === "STUDENT" && !showStudentNames,
  };
}

export default function RegionReach() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  if (!d.ok) {
    return (
      <>
        <h1>{d.region.name}</h1>
        <ErrorList errors={d.errors} />
        <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} errors={d.errors} showRegion={false} />
      </>
    );
  }
  const show = { staff: d.audience === "all" || d.audience === "staff", students: d.audience === "all" || d.audience === "students", community: d.audience === "all" || d.audience === "community" };
  const base = new URLSearchParams({ year: d.values.year, asOf: d.values.asOf, program: d.values.program, audience: d.values.audience });
  // The exports keep the filters, the school search and the order the table is sorted in.
  const exportParams = { ...Object.fromEntries(base), q: d.values.q, sort: search.get("sort") ?? "", dir: search.get("dir") ?? "" };
  const csvPath = `/lead/regions/${d.region.id}/export.csv`;
  const scopeQuery = new URLSearchParams({ scope: "region", region: d.region.id, program: d.program.code }).toString();
  return (
    <>
      <p><Link to={`/lead?${base.toString()}`}>Reach dashboard</Link></p>
      <h1>{d.region.name}</h1>
      <p className="muted">{d.program.name}, school year {formatSchoolYear(d.schoolYear)}, as of {formatDate(d.asOf)}.</p>
      <nav aria-label="This region's growth, report and goals" className="actions">
        <Link to={`/lead/growth?${scopeQuery}`}>Growth over time in {d.region.name}</Link>
        <Link to={`/lead/report?${scopeQuery}`}>Printable report for {d.region.name}</Link>
        <Link to={`/lead/goals/new?${new URLSearchParams({ scope: "REGION", region: d.region.id, program: d.program.code }).toString()}`}>Set a goal for {d.region.name}</Link>
      </nav>
      <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} showRegion={false} />
      <section className="panel" aria-labelledby="region-totals">
        <h2 id="region-totals">Region totals</h2>
        <AreaTable caption={`${d.region.name} totals, ${d.program.name}`} rows={[d.totals]} show={show} linkRegions={false} />
        <p className="actions"><DownloadCsvLink href={csvHref(csvPath, { ...exportParams, table: "totals" })} label="region totals" /></p>
      </section>
      <section className="panel" aria-labelledby="region-schools">
        <h2 id="region-schools">Schools in {d.region.name}</h2>
        <SchoolTable rows={d.schools} show={show} caption={`Reach by school in ${d.region.name}`} query={base.toString()} showRegion={false} />
        <p className="actions"><DownloadCsvLink href={csvHref(csvPath, { ...exportParams, table: "schools" })} label={`schools in ${d.region.name}`} /></p>
      </section>
      <PeopleSection
        scopeLabel={d.region.name}
        list={d.list}
        people={d.people}
        studentsHidden={d.studentsHidden}
        counts={{
          "staff-current": d.totals.staffCurrentPeople,
          "staff-year": d.totals.staffTrainedYear,
          "students-year": d.totals.studentsTrainedYear,
          "students-all": d.totals.studentsTrainedAllTime,
          "community-trained": d.totals.communityTrained,
        }}
        exportParams={exportParams}
        csvPath={csvPath}
        studentsAsCountsNote="Students are shown as counts only for your role: names are visible to administrators and to each school's coordinator."
      />
      <p className="muted">People at two schools of the region are listed once. Figures: {formatCount(d.totals.schools)} schools.</p>
    </>
  );
}

