import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { DIRECTORY_ROLES, listDirectorySchools, searchDirectory } from "~/models/people-directory.server";
import { MAX_SEARCH_LENGTH, parsePeopleSearch, PERSON_KINDS, PERSON_KIND_LABELS } from "~/forms/people-search";
import { formatSchoolYear, parseSchoolYear, schoolYearOf } from "~/domain/school-year";
import { FormErrorSummary, SelectField, TextField } from "~/components/form";
import { Pager } from "~/components/admin-pager";

export const meta: MetaFunction = () => [{ title: "People" }];

const KIND_WORDS = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" } as const;

/** The school years to choose from: next year and ten years of history. */
function yearChoices(current: number): number[] {
  return Array.from({ length: 11 }, (_, i) => current + 1 - i);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...DIRECTORY_ROLES);
  const url = new URL(request.url);
  const now = new Date();
  const current = schoolYearOf(now);
  const schools = await listDirectorySchools(user);
  const raw = Object.fromEntries(["q", "kind", "school", "year"].map((k) => [k, url.searchParams.get(k) ?? ""]));
  const common = { role: user.role, schools, years: yearChoices(current), currentYear: current };
  const parsed = parsePeopleSearch(url.searchParams);
  const result = parsed.ok ? await searchDirectory(user, parsed.search, now) : parsed;
  if (!result.ok) {
    // The form comes back with what was typed, and each problem names its field.
    return data({ ...common, ok: false as const, errors: result.errors, values: raw }, { status: 400 });
  }
  const search = parsed.ok ? parsed.search : null;
  const values = {
    q: search?.q ?? "",
    kind: search?.kind ?? "",
    school: search?.schoolCode ?? "",
    year: result.schoolYear !== null ? formatSchoolYear(result.schoolYear) : "",
  };
  const errors: Record<string, string> = {};
  return { ...common, ok: true as const, errors, values, result };
}

export default function People() {
  const d = useLoaderData<typeof loader>();
  const location = useLocation();
  const coordinator = d.role === "COORDINATOR";
  // A valid year outside the list is added to it; an invalid one falls back to the default (the error says what was wrong).
  const typedYear = parseSchoolYear(d.values.year);
  const years = typedYear !== null && !d.years.includes(typedYear) ? [typedYear, ...d.years] : d.years;
  const yearDefault = typedYear !== null ? formatSchoolYear(typedYear) : coordinator ? formatSchoolYear(d.currentYear) : "";
  const filtered = location.search !== "";
  return (
    <>
      <h1>People</h1>
      <p className="muted">
        {coordinator
          ? "Staff, students and partners with a membership at your schools in the school year you choose."
          : "Everyone the district knows: staff, students and community partners."}{" "}
        Students are shown only to those who work with their school.
      </p>
      {d.role === "ADMIN" ? <p><Link to="/people/duplicates">Likely duplicates: compare and merge</Link></p> : null}
      <FormErrorSummary errors={d.errors} />
      <section aria-labelledby="find-people">
        <h2 id="find-people">Find people</h2>
        <Form method="get" className="search" key={location.search} role="search" aria-labelledby="find-people">
          <TextField
            name="q" label="District ID, name or email" type="search" defaultValue={d.values.q} maxLength={MAX_SEARCH_LENGTH}
            error={d.errors.q}
          />
          <SelectField
            name="kind" label="Kind" defaultValue={d.values.kind} error={d.errors.kind}
            options={[{ value: "", label: "Everyone" }, ...PERSON_KINDS.map((k) => ({ value: k, label: PERSON_KIND_LABELS[k] }))]}
          />
          <SelectField
            name="school" label="School" defaultValue={d.values.school} error={d.errors.school}
            options={[
              { value: "", label: coordinator ? "All my schools" : "All schools" },
              ...d.schools.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` })),
              // A code typed into the URL that is not in the list stays selected, so the error shows next to it.
              ...(d.values.school && !d.schools.some((s) => s.code === d.values.school) ? [{ value: d.values.school, label: d.values.school }] : []),
            ]}
          />
          <SelectField
            name="year" label="School year" defaultValue={yearDefault} error={d.errors.year}
            options={[
              ...(coordinator ? [] : [{ value: "", label: "Any year" }]),
              ...years.map((y) => ({ value: formatSchoolYear(y), label: y === d.currentYear ? `${formatSchoolYear(y)} (this year)` : formatSchoolYear(y) })),
            ]}
          />
          <button type="submit">Search</button>
          {filtered ? <Link to=".">Clear filters</Link> : null}
        </Form>
      </section>
      {d.ok ? <Results /> : null}
    </>
  );
}

function Results() {
  const d = useLoaderData<typeof loader>();
  if (!d.ok) return null;
  const { people, total, page, pageCount, hiddenStudents, schoolYear } = d.result;
  const params = { q: d.values.q, kind: d.values.kind, school: d.values.school, year: d.values.year };
  return (
    <section aria-labelledby="people-results">
      <h2 id="people-results">
        {total === 1 ? "1 person" : `${total.toLocaleString("en-US")} people`}
        {schoolYear !== null ? ` with a membership in ${formatSchoolYear(schoolYear)}` : ""}
      </h2>
      {hiddenStudents ? (
        <p className="notice" role="status">
          {hiddenStudents === 1 ? "1 student matches" : `${hiddenStudents.toLocaleString("en-US")} students match`} and{" "}
          {hiddenStudents === 1 ? "is" : "are"} not listed: students are shown only to those who work with their school.
        </p>
      ) : null}
      {people.length === 0 ? (
        <p>Nobody matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>People, by last name{pageCount > 1 ? `: page ${page} of ${pageCount}` : ""}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">District ID</th>
                <th scope="col">Email</th>
                <th scope="col">Kind</th>
                <th scope="col">{schoolYear !== null ? `Schools in ${formatSchoolYear(schoolYear)}` : "Latest schools"}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/people/${p.id}`}>{p.lastName}, {p.firstName}</Link>
                    {p.merged ? <> <span className="tag tag-muted">Merged</span></> : null}
                  </th>
                  <td>{p.districtId ?? <span className="muted">None</span>}</td>
                  <td>{p.email ?? <span className="muted">None shown</span>}</td>
                  <td>{KIND_WORDS[p.kind]}</td>
                  <td>
                    {p.memberships.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      p.memberships.map((m) => `${m.schoolName}${m.title ? ` — ${m.title}` : ""}${schoolYear === null ? ` (${formatSchoolYear(m.schoolYear)})` : ""}`).join("; ")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} params={params} label="People pages" />
    </section>
  );
}
