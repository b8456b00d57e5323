import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { canSeeStudentNamesAt, canViewSchoolReach, SCHOOL_REACH_ROLES } from "~/domain/reach-access";
import { parseReachFilters } from "~/domain/reach-filters";
import { parsePeopleQuery, PEOPLE_LISTS } from "~/domain/reach-people";
import { formatSchoolYear } from "~/domain/school-year";
import { loadSchoolReachPage } from "~/models/reach.server";
import { getSafetyProtocol, recordSafetyProtocol } from "~/models/school.server";
import { teenMhfaStaffReady } from "~/domain/reach";
import { dateInZone } from "~/domain/time";
import { safetyProtocolSchema } from "~/forms/school";
import { getEnv } from "~/env.server";
import { parseForm } from "~/utils/forms";
import { ErrorList, ReachFilterForm } from "~/components/reach";
import { csvHref, DownloadCsvLink } from "~/components/csv-link";
import { PeopleSection } from "~/components/reach-people";
import { formatCount, formatDate, formatPercent } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d && "school" in d && d.school ? d.school.name : "School"} · Reach` }];

const NOT_FOUND = () => new Response("Not found", { status: 404, statusText: "Not Found" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ...SCHOOL_REACH_ROLES);
  const schoolId = params.schoolId ?? "";
  // A coordinator of another school gets the same 404 as a school that does not exist.
  if (!canViewSchoolReach(user, schoolId)) throw NOT_FOUND();
  const url = new URL(request.url);
  const parsed = parseReachFilters(url.searchParams, new Date());
  const people = parsePeopleQuery(url.searchParams);
  const f = parsed.filters;
  const showStudentNames = canSeeStudentNamesAt(user, schoolId);
  const page = await loadSchoolReachPage({
    viewer: user,
    schoolId,
    filters: f,
    list: people.ok ? people.list : null,
    listPage: people.ok ? people.page : 1,
    listAfter: people.ok ? people.after : null,
    listBefore: people.ok ? people.before : null,
    showStudentNames,
  });
  if (!page) throw NOT_FOUND();
  const values = { year: formatSchoolYear(f.schoolYear), asOf: f.asOf.toISOString().slice(0, 10), program: f.programCode ?? "", region: "", audience: f.audience, q: "" };
  const errors = { ...(parsed.ok ? {} : parsed.errors), ...(people.ok ? {} : people.errors), ...(page.ok ? {} : page.errors) };
  if (Object.keys(errors).length > 0 || !page.ok) {
    return data({ ok: false as const, school: page.school, errors, programs: page.programs, regions: page.regions, values }, { status: 400 });
  }
  const list = people.ok ? people.list : null;
  const selected = page.byProgram.find((r) => r.program.id === page.program.id) ?? null;
  return {
    ok: true as const,
    safetyProtocolSince: await getSafetyProtocol(schoolId),
    today: dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE),
    isLead: user.role !== "COORDINATOR",
    school: page.school,
    program: page.program,
    programs: page.programs,
    regions: page.regions,
    values: { ...values, program: page.program.code },
    schoolYear: f.schoolYear,
    asOf: values.asOf,
    byProgram: page.byProgram,
    selected,
    list: list ? { name: list, label: PEOPLE_LISTS[list].label, kind: PEOPLE_LISTS[list].kind } : null,
    people: page.people,
    studentsHidden: list != null && PEOPLE_LISTS[list].kind === "STUDENT" && !showStudentNames,
  };
}

/**
 * Records or clears the school's safety protocol (the other half of Teen MHFA readiness): its
 * coordinators, program leads and administrators, as may see the page. Then back to the page as it was.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ...SCHOOL_REACH_ROLES);
  const schoolId = params.schoolId ?? "";
  if (!canViewSchoolReach(user, schoolId)) throw NOT_FOUND();
  const form = await request.formData();
  const intent = form.get("intent");
  let since: Date | null = null;
  if (intent === "safety-protocol") {
    const parsed = parseForm(form, safetyProtocolSchema(dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE)));
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    since = parsed.data.since;
  } else if (intent !== "clear-safety-protocol") {
    return data({ errors: { form: "Choose Save or Clear" }, values: {} as Record<string, string> }, { status: 400 });
  }
  if (!(await recordSafetyProtocol({ schoolId, since, actorId: user.id }))) throw NOT_FOUND();
  const url = new URL(request.url);
  return redirect(`${url.pathname}${url.search}#readiness`);
}

function SafetyProtocolForm({ since, today, errors, typed }: { since: string | Date | null; today: string; errors?: Record<string, string>; typed?: string }) {
  const error = errors?.since ?? errors?.form;
  return (
    <>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="safety-protocol" />
        <div className={`field${error ? " field-invalid" : ""}`}>
          <label htmlFor="safety-protocol-since">Safety protocol in place since</label>
          <p id="safety-protocol-hint" className="hint">The day the school&apos;s suicide-safety (crisis response) protocol was adopted, YYYY-MM-DD, not after today.</p>
          {error ? <p id="safety-protocol-error" className="field-error">{error}</p> : null}
          <input id="safety-protocol-since" name="since" type="date" max={today} defaultValue={typed ?? (since ? new Date(since).toISOString().slice(0, 10) : "")}
            aria-invalid={error ? true : undefined} aria-describedby={`safety-protocol-hint${error ? " safety-protocol-error" : ""}`} />
        </div>
        <div className="actions">
          <button type="submit">Save the safety protocol</button>
        </div>
      </Form>
      {since ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="clear-safety-protocol" />
          <button type="submit" className="secondary">Clear: no protocol in place</button>
        </Form>
      ) : null}
    </>
  );
}

export default function SchoolReach() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!d.ok) {
    return (
      <>
        <h1>{d.school.name}</h1>
        <ErrorList errors={d.errors} />
        <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} errors={d.errors} showRegion={false} showSearch={false} />
      </>
    );
  }
  const base = new URLSearchParams({ year: d.values.year, asOf: d.values.asOf, program: d.values.program });
  const exportParams = { ...Object.fromEntries(base), audience: d.values.audience };
  const csvPath = `/lead/schools/${d.school.id}/export.csv`;
  const scopeQuery = new URLSearchParams({ scope: "school", school: d.school.code, program: d.program.code }).toString();
  const s = d.selected;
  return (
    <>
      {d.isLead ? (
        <p>
          <Link to={`/lead?${base.toString()}`}>Reach dashboard</Link> ›{" "}
          <Link to={`/lead/regions/${d.school.region.id}?${base.toString()}`}>{d.school.region.name}</Link>
        </p>
      ) : (
        <p><Link to="/coordinator">My schools</Link></p>
      )}
      <h1>{d.school.name} <span className="muted">({d.school.code})</span></h1>
      <p className="muted">School year {formatSchoolYear(d.schoolYear)}, as of {formatDate(d.asOf)}. Region: {d.school.region.name}.</p>
      {d.isLead ? (
        <nav aria-label="This school's growth, report and goals" className="actions">
          <Link to={`/lead/growth?${scopeQuery}`}>Growth over time at {d.school.name}</Link>
          <Link to={`/lead/report?${scopeQuery}`}>Printable report for {d.school.name}</Link>
          <Link to={`/lead/goals/new?${new URLSearchParams({ scope: "SCHOOL", school: d.school.code, program: d.program.code }).toString()}`}>Set a goal for {d.school.name}</Link>
        </nav>
      ) : null}
      <ReachFilterForm values={d.values} programs={d.programs} regions={d.regions} showRegion={false} showSearch={false} />

      <section className="panel" aria-labelledby="by-program">
        <h2 id="by-program">Every program at this school</h2>
        <div className="table-wrap">
          <table>
            <caption>Reach by program, {d.school.name}</caption>
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col" className="num">Staff headcount</th>
                <th scope="col" className="num">Staff current</th>
                <th scope="col" className="num">Staff reach</th>
                <th scope="col" className="num">Students trained this year</th>
                <th scope="col" className="num">Students trained, all time</th>
                <th scope="col" className="num">Community partners trained</th>
                <th scope="col" className="num">Expiring in 90 days</th>
              </tr>
            </thead>
            <tbody>
              {d.byProgram.map((r) => (
                <tr key={r.program.id}>
                  <th scope="row">{r.program.name}</th>
                  <td className="num">{r.staffHeadcount == null ? "no headcount" : formatCount(r.staffHeadcount)}</td>
                  <td className="num">{formatCount(r.staffCurrent)}</td>
                  <td className="num">{formatPercent(r.staffReach)}</td>
                  <td className="num">{formatCount(r.studentsTrainedYear)}</td>
                  <td className="num">{formatCount(r.studentsTrainedAllTime)}</td>
                  <td className="num">{formatCount(r.communityTrained)}</td>
                  <td className="num">{formatCount(r.expiring)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="actions"><DownloadCsvLink href={csvHref(csvPath, { ...exportParams, table: "programs" })} label={`reach by program at ${d.school.name}`} /></p>
      </section>

      {s ? (
        <section className="panel" aria-labelledby="readiness">
          <h2 id="readiness">Teen MHFA readiness</h2>
          <p>
            {s.teenReady == null
              ? "This school has no staff headcount for the school year, so readiness cannot be judged."
              : s.teenReady ? "Ready: a school may run Teen MHFA when about 10% of its staff hold YMHFA and a safety protocol is in place." : "Not yet: a school may run Teen MHFA when about 10% of its staff hold YMHFA and a safety protocol is in place."}
          </p>
          <ul>
            <li>
              Staff: {teenMhfaStaffReady(s.ymhfaStaffCurrent, s.staffHeadcount) == null ? "no headcount" : `${formatPercent(s.ymhfaReach)} hold a current YMHFA certificate (${teenMhfaStaffReady(s.ymhfaStaffCurrent, s.staffHeadcount) ? "enough" : "10% needed"})`}.
            </li>
            <li>
              Safety protocol: {d.safetyProtocolSince ? `in place since ${formatDate(d.safetyProtocolSince)}${s.safetyProtocol ? "" : " (after the as-of day)"}` : "not recorded"}.
            </li>
          </ul>
          <SafetyProtocolForm since={d.safetyProtocolSince} today={d.today} errors={actionData?.errors} typed={typeof actionData?.values?.since === "string" ? actionData.values.since : undefined} />
        </section>
      ) : null}

      <PeopleSection
        scopeLabel={d.school.name}
        list={d.list}
        people={d.people}
        studentsHidden={d.studentsHidden}
        counts={
          s
            ? {
                "staff-current": s.staffCurrent,
                "staff-year": s.staffTrainedYear,
                "students-year": s.studentsTrainedYear,
                "students-all": s.studentsTrainedAllTime,
                "community-trained": s.communityTrained,
              }
            : {}
        }
        exportParams={exportParams}
        csvPath={csvPath}
        studentsAsCountsNote="Students are shown as counts only for your role: their names are visible to this school's coordinator and to administrators."
      />
    </>
  );
}
