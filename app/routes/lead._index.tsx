import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { REACH_DASHBOARD_ROLES } from "~/domain/reach-access";
import { parseReachFilters, type ReachFilters } from "~/domain/reach-filters";
import { formatSchoolYear } from "~/domain/school-year";
import { listProgramOptions, listRegionOptions, loadReachDashboard } from "~/models/reach.server";
import { AreaTable, SchoolTable } from "~/components/reach-tables";
import { ErrorList, PageLinks, ReachFilterForm, type FilterValues } from "~/components/reach";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";
import { formatCount, formatDate, formatPercent } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Reach dashboard · Program lead" }];

function filterValues(f: ReachFilters, programCode: string, regionId: string): FilterValues {
  return { year: formatSchoolYear(f.schoolYear), asOf: f.asOf.toISOString().slice(0, 10), program: programCode, region: regionId, audience: f.audience, q: f.q };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ...REACH_DASHBOARD_ROLES);
  const url = new URL(request.url);
  const parsed = parseReachFilters(url.searchParams, new Date());
  if (!parsed.ok) {
    const [programs, regions] = await Promise.all([listProgramOptions(), listRegionOptions()]);
    const raw = Object.fromEntries(url.searchParams);
    return data(
      { ok: false as const, errors: parsed.errors, programs, regions, values: { year: raw.year ?? "", asOf: raw.asOf ?? "", program: raw.program ?? "", region: raw.region ?? "", audience: raw.audience ?? "all", q: raw.q ?? "" } },
      { status: 400 },
    );
  }
  const f = parsed.filters;
  const result = await loadReachDashboard(f);
  if (!result.ok) {
    return data({ ok: false as const, errors: result.errors, programs: result.programs, regions: result.regions, values: filterValues(f, f.programCode ?? "", f.regionId ?? "") }, { status: 400 });
  }
  return {
    ok: true as const,
    values: filterValues(f, result.program.code, result.region?.id ?? ""),
    audience: f.audience,
    schoolYear: f.schoolYear,
    asOf: f.asOf.toISOString().slice(0, 10),
    program: result.program,
    region: result.region,
    programs: result.programs,
    regions: result.regions,
    district: result.district,
    regionRows: result.regions,
    schoolCount: result.schoolCount,
    page: result.page,
    pageCount: result.pageCount,
    schools: result.schools,
  };
}

/** The query string the CSV links repeat, so the export has the page's filters. */
function exportParams(v: FilterValues, sort?: string | null, dir?: string | null): Record<string, string> {
  const p: Record<string, string> = { year: v.year, asOf: v.asOf, program: v.program, audience: v.audience };
  if (v.region) p.region = v.region;
  if (v.q) p.q = v.q;
  if (sort) p.sort = sort;
  if (dir) p.dir = dir;
  return p;
}

export default function LeadDashboard() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  if (!d.ok) {
    return (
      <>
        <h1>Reach dashboard</h1>
        <ErrorList errors={d.errors} />
        <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} errors={d.errors} />
      </>
    );
  }
  const show = { staff: d.audience === "all" || d.audience === "staff", students: d.audience === "all" || d.audience === "students", community: d.audience === "all" || d.audience === "community" };
  const params = exportParams(d.values);
  // The exports keep the filters and the order the table is sorted in.
  const csv = (table: string) => csvHref("/lead/export.csv", { ...exportParams(d.values, search.get("sort"), search.get("dir")), table });
  // The growth page and report for what the filters show: the district, or the region chosen.
  const scopeQuery = new URLSearchParams({ program: d.program.code, ...(d.region ? { scope: "region", region: d.region.id } : {}) }).toString();
  return (
    <>
      <h1>Reach dashboard</h1>
      <p className="muted">
        {d.program.name}, school year {formatSchoolYear(d.schoolYear)}, as of {formatDate(d.asOf)}. Staff reach is the share of a school's staff
        headcount holding a current certificate; a person at two schools counts at both; a person trained twice counts once.
      </p>
      <nav aria-label="Program lead pages" className="actions">
        <Link to="/lead/goals">Goals</Link>
        <Link to="/instructors">Instructors' standing</Link>
        <Link to={`/lead/growth?${scopeQuery}`}>Growth over time{d.region ? ` in ${d.region.name}` : ""}</Link>
        <Link to={`/lead/report?${scopeQuery}`}>Printable report{d.region ? ` for ${d.region.name}` : ""}</Link>
        <Link to={`/lead/goals/new?${new URLSearchParams({ program: d.program.code, ...(d.region ? { scope: "REGION", region: d.region.id } : {}) }).toString()}`}>New goal</Link>
      </nav>
      <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} />

      <section aria-labelledby="district-heading" className="panel">
        <h2 id="district-heading">District totals</h2>
        <ul className="cards" aria-label="District figures">
          {show.staff ? (
            <>
              <li className="card"><span className="figure">{formatPercent(d.district.staffReach)}</span> staff reach</li>
              <li className="card"><span className="figure">{formatCount(d.district.staffCurrentPeople)}</span> staff holding a current certificate</li>
            </>
          ) : null}
          {show.students ? <li className="card"><span className="figure">{formatCount(d.district.studentsTrainedYear)}</span> students trained this school year</li> : null}
          {show.community ? <li className="card"><span className="figure">{formatCount(d.district.communityTrained)}</span> community partners trained</li> : null}
          <li className="card"><span className="figure">{formatCount(d.district.teenReadySchools)}</span> schools ready for Teen MHFA</li>
        </ul>
        <AreaTable caption={`District totals, ${d.program.name}`} rows={[d.district]} show={show} linkRegions={false} />
        <p className="actions"><DownloadCsvLink href={csv("district")} label="district totals" /></p>
        {d.district.schoolsWithoutHeadcount > 0 ? (
          <p className="muted">{formatCount(d.district.schoolsWithoutHeadcount)} schools have no staff headcount for this school year and are left out of the reach share.</p>
        ) : null}
      </section>

      <section aria-labelledby="regions-heading" className="panel">
        <h2 id="regions-heading">Regions</h2>
        <AreaTable caption={`Reach by region, ${d.program.name}`} rows={d.regionRows} show={show} linkRegions query={new URLSearchParams(params).toString()} />
        <p className="actions"><DownloadCsvLink href={csv("regions")} label="reach by region" /></p>
      </section>

      <section aria-labelledby="schools-heading" className="panel">
        <h2 id="schools-heading">Schools</h2>
        <p className="muted">{formatCount(d.schoolCount)} schools{d.region ? ` in ${d.region.name}` : ""}{d.values.q ? ` matching "${d.values.q}"` : ""}. Select a column heading to sort.</p>
        <SchoolTable rows={d.schools} show={show} caption={`Reach by school, ${d.program.name}, page ${d.page} of ${d.pageCount}`} query={new URLSearchParams(params).toString()} />
        <PageLinks page={d.page} pageCount={d.pageCount} label="School pages" />
        <p className="actions"><DownloadCsvLink href={csv("schools")} label="reach by school (every page)" /></p>
      </section>
    </>
  );
}
