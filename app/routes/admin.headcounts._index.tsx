import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listHeadcounts, listHeadcountYears } from "~/models/headcount.server";
import { formatSchoolYear, parseSchoolYear } from "~/domain/school-year";
import { pageParam } from "~/utils/forms";
import { SelectField } from "~/components/form";
import { Pager } from "~/components/admin-pager";

export const meta: MetaFunction = () => [{ title: "Headcounts · Administration" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const url = new URL(request.url);
  const notices: string[] = [];
  const years = await listHeadcountYears();

  const yearText = (url.searchParams.get("year") ?? "").trim();
  const asked = yearText ? parseSchoolYear(yearText) : null;
  if (yearText && asked === null) {
    notices.push(`"${yearText.slice(0, 20)}" is not a school year${years.length ? `, so ${formatSchoolYear(years[0])} is shown` : ""}.`);
  }
  // With no year asked for, the newest year with any headcount.
  const schoolYear = asked ?? years[0] ?? null;

  const pageText = url.searchParams.get("page");
  const page = pageParam(url);
  if (pageText !== null && String(page) !== pageText) notices.push(`"${pageText.slice(0, 20)}" is not a page number, so the first page is shown.`);

  const list = schoolYear === null ? null : await listHeadcounts({ schoolYear, page });
  return { years, schoolYear, list, notices };
}

export default function HeadcountsIndex() {
  const { years, schoolYear, list, notices } = useLoaderData<typeof loader>();
  const location = useLocation();
  const yearLabel = schoolYear === null ? null : formatSchoolYear(schoolYear);
  return (
    <>
      <h1>Headcounts</h1>
      <p>Each school's staff and students for a school year, imported from HR and enrollment files. Reach is measured against them.</p>
      <div className="actions">
        <Link className="button" to="import">
          Import headcounts from CSV
        </Link>
      </div>

      {notices.map((notice) => (
        <p key={notice} className="notice" role="status">
          {notice}
        </p>
      ))}

      {years.length === 0 || schoolYear === null || list === null ? (
        <p>There are no headcounts yet. Import a CSV file to add them.</p>
      ) : (
        <>
          <section aria-labelledby="choose-year">
            <h2 id="choose-year">School year</h2>
            <Form method="get" className="search" key={location.search} aria-labelledby="choose-year">
              <SelectField
                name="year"
                label="Show headcounts for"
                defaultValue={String(schoolYear)}
                options={[
                  // A year asked for that has no rows still shows as chosen.
                  ...(years.includes(schoolYear) ? [] : [{ value: String(schoolYear), label: formatSchoolYear(schoolYear) }]),
                  ...years.map((y) => ({ value: String(y), label: formatSchoolYear(y) })),
                ]}
              />
              <button type="submit">Show</button>
            </Form>
          </section>

          <section aria-labelledby="year-headcounts">
            <h2 id="year-headcounts">{yearLabel}</h2>
            <dl className="facts">
              <dt>Schools with a headcount</dt>
              <dd>{list.total.toLocaleString("en-US")}</dd>
              <dt>Staff</dt>
              <dd>{list.totals.staff.toLocaleString("en-US")}</dd>
              <dt>Students</dt>
              <dd>{list.totals.students.toLocaleString("en-US")}</dd>
            </dl>
            {list.headcounts.length === 0 ? (
              <p>No school has a headcount for {yearLabel}.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption>
                    Headcounts for {yearLabel}, by school{list.pageCount > 1 ? `: page ${list.page} of ${list.pageCount}` : ""}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Code</th>
                      <th scope="col">School</th>
                      <th scope="col" className="num">Staff</th>
                      <th scope="col" className="num">Students</th>
                      <th scope="col">Last updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.headcounts.map((h) => (
                      <tr key={h.id}>
                        <td>{h.school.code}</td>
                        <td>
                          <Link to={`/admin/schools/${h.school.id}`}>{h.school.name}</Link>
                        </td>
                        <td className="num">{h.staffCount.toLocaleString("en-US")}</td>
                        <td className="num">{h.studentCount.toLocaleString("en-US")}</td>
                        <td>{new Date(h.updatedAt).toISOString().slice(0, 10)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager page={list.page} pageCount={list.pageCount} params={{ year: String(schoolYear) }} label="Headcount pages" />
          </section>
        </>
      )}
    </>
  );
}
