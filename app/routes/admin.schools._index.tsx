import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { searchSchools } from "~/models/school.server";
import { listRegionOptions } from "~/models/region.server";
import { SCHOOL_LEVELS, SCHOOL_LEVEL_LABELS, parseSchoolLevel, schoolLevelWord } from "~/domain/school";
import { pageParam } from "~/utils/forms";
import { SelectField, TextField } from "~/components/form";
import { Pager } from "~/components/admin-pager";

export const meta: MetaFunction = () => [{ title: "Schools · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const url = new URL(request.url);
  const notices: string[] = [];
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);

  const regions = await listRegionOptions();
  const regionParam = (url.searchParams.get("region") ?? "").trim();
  // A region can be named by id (the select) or by code (a hand-made link).
  const region = regionParam ? regions.find((r) => r.id === regionParam || r.code === regionParam) : undefined;
  if (regionParam && !region) notices.push(`There is no region "${regionParam.slice(0, 40)}", so schools in every region are shown.`);

  const levelParam = (url.searchParams.get("level") ?? "").trim();
  const level = levelParam ? parseSchoolLevel(levelParam) : null;
  if (levelParam && !level) notices.push(`"${levelParam.slice(0, 40)}" is not a school level, so schools at every level are shown.`);

  const pageText = url.searchParams.get("page");
  const page = pageParam(url);
  if (pageText !== null && String(page) !== pageText) notices.push(`"${pageText.slice(0, 20)}" is not a page number, so the first page is shown.`);

  const result = await searchSchools({ q, regionId: region?.id ?? null, level, page });
  return {
    ...result,
    regions,
    notices,
    filters: { q, region: region?.id ?? "", level: level ? schoolLevelWord(level) : "" },
  };
}

export default function SchoolsIndex() {
  const { schools, total, page, pageCount, regions, notices, filters } = useLoaderData<typeof loader>();
  const location = useLocation();
  const filtered = filters.q !== "" || filters.region !== "" || filters.level !== "";
  return (
    <>
      <h1>Schools</h1>
      <div className="actions">
        <Link className="button" to="new">
          Add a school
        </Link>
        <Link className="button secondary" to="import">
          Import schools from CSV
        </Link>
      </div>

      {notices.map((notice) => (
        <p key={notice} className="notice" role="status">
          {notice}
        </p>
      ))}

      <section aria-labelledby="find-schools">
        <h2 id="find-schools">Find schools</h2>
        {/* Keyed by the query so the fields show the current filters after back/forward. */}
        <Form method="get" className="search" key={location.search} role="search" aria-labelledby="find-schools">
          <TextField name="q" label="Code or name" type="search" defaultValue={filters.q} />
          <SelectField
            name="region"
            label="Region"
            defaultValue={filters.region}
            options={[{ value: "", label: "All regions" }, ...regions.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))]}
          />
          <SelectField
            name="level"
            label="Level"
            defaultValue={filters.level}
            options={[{ value: "", label: "All levels" }, ...SCHOOL_LEVELS.map((l) => ({ value: schoolLevelWord(l), label: SCHOOL_LEVEL_LABELS[l] }))]}
          />
          <button type="submit">Search</button>
          {filtered ? <Link to=".">Clear filters</Link> : null}
        </Form>
      </section>

      <section aria-labelledby="school-results">
        <h2 id="school-results">
          {total === 1 ? "1 school" : `${total.toLocaleString("en-US")} schools`}
          {filtered ? " found" : ""}
        </h2>
        {schools.length === 0 ? (
          <p>{filtered ? "No school matches these filters." : "There are no schools yet. Add one or import a CSV file."}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>
                Schools, by name{pageCount > 1 ? `: page ${page} of ${pageCount}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col">Region</th>
                  <th scope="col">Level</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {schools.map((school) => (
                  <tr key={school.id}>
                    <td>{school.code}</td>
                    <td>
                      <Link to={school.id}>{school.name}</Link>
                    </td>
                    <td>{school.region.name}</td>
                    <td>{SCHOOL_LEVEL_LABELS[school.level]}</td>
                    <td>{school.active ? <span className="tag tag-ok">Open</span> : <span className="tag tag-muted">Closed</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={page} pageCount={pageCount} params={filters} label="Schools pages" />
      </section>
    </>
  );
}
