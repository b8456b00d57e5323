/**
 * Reach: the rollup arithmetic against a hand-built district, through the real loaders and models.
 * Every number below is counted by hand from the fixture's comments, never from the code under test.
 * Each scenario has its own program (and the figures are per program), so records other tests make
 * in this worker's database never count; where a figure sums every school (the district headcount)
 * the expectation is read from the Headcount table, not from the reach code.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { renderPage } from "./page-render";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { reachFigures } from "~/models/reach.server";
import { rebuildReachRollups } from "~/models/reach-rollup.server";
import type { PeopleListName } from "~/domain/reach-people";
import * as dashboardRoute from "~/routes/lead._index";
import * as regionRoute from "~/routes/lead.regions.$regionId";
import * as schoolRoute from "~/routes/lead.schools.$schoolId";
import * as goalList from "~/routes/lead.goals._index";
import * as newGoal from "~/routes/lead.goals.new";
import * as goalPage from "~/routes/lead.goals.$goalId._index";
import * as editGoal from "~/routes/lead.goals.$goalId.edit";
import * as growthPage from "~/routes/lead.growth";
import * as reportPage from "~/routes/lead.report";
import * as dashboardCsv from "~/routes/lead.export[.csv]";
import * as regionCsv from "~/routes/lead.regions.$regionId.export[.csv]";
import * as schoolCsv from "~/routes/lead.schools.$schoolId.export[.csv]";
import * as goalsCsv from "~/routes/lead.goals.export[.csv]";
import * as growthCsv from "~/routes/lead.growth.export[.csv]";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type SignedIn = Awaited<ReturnType<typeof signIn>>;

/** A loader's data when it answered 200 with { ok: true, … }; fails the test otherwise. */
function isOk<T>(value: T): value is Extract<T, { ok: true }> {
  return typeof value === "object" && value !== null && "ok" in value && value.ok === true;
}

async function okData<T>(promise: Promise<T>, what: string): Promise<Extract<T, { ok: true }>> {
  const value = await promise;
  if (!isOk(value)) throw new Error(`${what}: expected an ok page, got ${JSON.stringify(value).slice(0, 400)}`);
  return value;
}

const args = (path: string, cookie: string, params: Record<string, string> = {}): LoaderFunctionArgs => ({
  request: makeRequest(path, { cookie }),
  params,
  context: {},
});

function openDashboard(query: string, who: SignedIn) {
  return okData(dashboardRoute.loader(args(`/lead?${query}`, who.cookie)), `/lead?${query}`);
}
function openRegion(regionId: string, query: string, who: SignedIn) {
  return okData(regionRoute.loader(args(`/lead/regions/${regionId}?${query}`, who.cookie, { regionId })), `region ${query}`);
}
function openSchool(schoolId: string, query: string, who: SignedIn) {
  return okData(schoolRoute.loader(args(`/lead/schools/${schoolId}?${query}`, who.cookie, { schoolId })), `school ${query}`);
}
function status(fn: Loader, path: string, who: SignedIn | null, params: Record<string, string> = {}) {
  return call(() => fn({ request: makeRequest(path, { cookie: who?.cookie }), params, context: {} }));
}

/** A person with affiliations (school, school year) and a display name we can look for. */
async function person(first: string, last: string, kind: "STAFF" | "STUDENT" | "COMMUNITY", at: Array<[string, number]>) {
  return createPerson(prisma, { firstName: first, lastName: last, kind, affiliations: at.map(([schoolId, schoolYear]) => ({ schoolId, schoolYear })) });
}

async function certify(personId: string, programId: string, issued: string, expires: string | null, renews?: string) {
  return issueCertification(prisma, { personId, programId, issuedOn: day(issued), expiresOn: expires == null ? null : day(expires), renews });
}

/** The YMHFA program Teen MHFA readiness reads (by its code), shared by the tests of this file. */
async function ymhfaProgram() {
  const found = await prisma.program.findUnique({ where: { code: "YMHFA" } });
  return found ?? createProgram(prisma, { preset: "YMHFA", code: "YMHFA", name: "Youth Mental Health First Aid" });
}

/** The table row (<tr>…</tr>) of rendered HTML whose header cell names `name`. */
function rowOf(html: string, name: string): string {
  const rows = html.replaceAll("<!-- -->", "").match(/<tr[^>]*>.*?<\/tr>/gs) ?? [];
  const row = rows.find((r) => r.includes(`>${name}<`));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}


const CsvRecords = z.array(z.record(z.string()));

/** Calls an export route; the file's rows as objects keyed by the header, and its header row. */
async function download(fn: Loader, path: string, who: SignedIn | null, params: Record<string, string> = {}) {
  let res: unknown;
  try {
    res = await fn({ request: makeRequest(path, { cookie: who?.cookie }), params, context: {} });
  } catch (thrown) {
    res = thrown;
  }
  if (!(res instanceof Response)) throw new Error(`${path}: not a Response`);
  // Kept as sent: the byte-order mark Excel needs is part of the file.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  const ok = res.status === 200;
  return {
    status: res.status,
    headers: res.headers,
    text,
    header: ok ? (parse(text, { bom: true, to_line: 1 })[0] ?? []) : [],
    rows: ok ? CsvRecords.parse(parse(text, { bom: true, columns: true })) : [],
  };
}

/** The hrefs of the "Download CSV" links on a rendered page. */
function csvLinks(html: string): string[] {
  return [...html.replaceAll("<!-- -->", "").matchAll(/<a class="button secondary csv-link" href="([^"]+)" download="">/g)].map((m) => m[1].replaceAll("&amp;", "&"));
}

let lead: SignedIn;
let admin: SignedIn;
beforeAll(async () => {
  lead = await signIn("PROGRAM_LEAD");
  admin = await signIn("ADMIN");
  // Readiness reads the program coded YMHFA whatever program is shown; a district always has one.
  await ymhfaProgram();
});

/*
 * The hand-built district. Program P (and Q, for the program filter). School year 2025-26; as of
 * 1 March 2026 unless a test says otherwise, so "expiring in 90 days" means ending by 30 May 2026.
 *
 *   Region A: A1 (10 staff), A2 (4 staff), A3 (no headcount)      Region B: B1 (20 staff)
 *
 * Staff, affiliated 2025-26:
 *   Ames   A1      P 2026-03-01 → 2029-03-01 (issued on the as-of day: current); Q 2025-09-01, never expires
 *   Baker  A1      P 2026-03-02 → 2029-03-02 (issued the day after: not current, not trained yet)
 *   Cole   A1      P 2023-03-01 → 2026-03-01 (expires on the as-of day: not current)
 *   Diaz   A1      P 2023-03-02 → 2026-03-02 (expires the day after: current, and expiring)
 *   Evans  A1 + A2 P 2025-09-15 → 2028-09-15 (two schools: counts at both, once in the region)
 *   Fox    A1      P 2025-08-01 → 2028-08-01 and P 2025-10-01 → 2028-10-01 (trained twice: once)
 *   Gray   A2      P 2023-04-01 → 2026-04-01, renewed by P 2026-02-01 → 2029-02-01 (not expiring, once)
 *   Hill   B1      P 2023-05-30 → 2026-05-30 (ends on day 90: expiring)
 *   Irwin  B1      P 2023-05-31 → 2026-05-31 (ends on day 91: not expiring)
 *   Jones  A3      P 2024-01-10 → 2027-01-10
 *   King   A3      P 2024-02-10 → 2027-02-10
 *   Lopez  A1      no certificate
 * Students:
 *   Moss   A1 2025-26   P 2025-10-10, never expires (trained this year, and all time)
 *   Nash   A1 2024-25   P 2024-11-01 (trained at A1 in an earlier year: all time only)
 *   Owen   A1 2025-26   P 2025-06-15 (trained in 2024-25, before being at A1: never counted at A1)
 * Community partners:
 *   Price  A2   P 2025-01-10, never expires
 *   Quinn  A2   P 2026-04-01 (after the as-of day: not counted)
 *   Reyes  B1   P 2023-04-15 → 2026-04-15 (expiring)
 */
describe("the counting rules on a hand-built district", () => {
  const AS_OF = "2026-03-01";
  const SY = "2025-26";
  let P: { id: string; code: string };
  let Q: { id: string; code: string };
  let regionA: { id: string; name: string; code: string };
  let regionB: { id: string; name: string };
  type SchoolKey = "A1" | "A2" | "A3" | "B1";
  const school: Record<SchoolKey, { id: string; name: string; code: string }> = {
    A1: { id: "", name: "", code: "" }, A2: { id: "", name: "", code: "" }, A3: { id: "", name: "", code: "" }, B1: { id: "", name: "", code: "" },
  };
  const id: Record<string, string> = {};

  beforeAll(async () => {
    P = await createProgram(prisma);
    Q = await createProgram(prisma, { preset: "QPR" });
    regionA = await createRegion(prisma, { name: `Region A ${Date.now()}` });
    regionB = await createRegion(prisma, { name: `Region B ${Date.now()}` });
    const layout: Array<[SchoolKey, string, number | null]> = [["A1", regionA.id, 10], ["A2", regionA.id, 4], ["A3", regionA.id, null], ["B1", regionB.id, 20]];
    for (const [key, regionId, staffCount] of layout) {
      const s = await createSchool(prisma, { regionId, name: `School ${key} ${Date.now()}` });
      if (staffCount != null) await prisma.headcount.create({ data: { schoolId: s.id, schoolYear: 2025, staffCount, studentCount: 500 } });
      school[key] = s;
    }
    const { A1, A2, A3, B1 } = school;
    const staff = async (name: string, at: string[]) => (id[name] = (await person(name, "Staff", "STAFF", at.map((s) => [s, 2025]))).id);
    await staff("Ames", [A1.id]);
    await certify(id.Ames, P.id, "2026-03-01", "2029-03-01");
    await certify(id.Ames, Q.id, "2025-09-01", null);
    await staff("Baker", [A1.id]);
    await certify(id.Baker, P.id, "2026-03-02", "2029-03-02");
    await staff("Cole", [A1.id]);
    await certify(id.Cole, P.id, "2023-03-01", "2026-03-01");
    await staff("Diaz", [A1.id]);
    await certify(id.Diaz, P.id, "2023-03-02", "2026-03-02");
    await staff("Evans", [A1.id, A2.id]);
    await certify(id.Evans, P.id, "2025-09-15", "2028-09-15");
    await staff("Fox", [A1.id]);
    await certify(id.Fox, P.id, "2025-08-01", "2028-08-01");
    await certify(id.Fox, P.id, "2025-10-01", "2028-10-01");
    await staff("Gray", [A2.id]);
    const old = await certify(id.Gray, P.id, "2023-04-01", "2026-04-01");
    await certify(id.Gray, P.id, "2026-02-01", "2029-02-01", old.id);
    await staff("Hill", [B1.id]);
    await certify(id.Hill, P.id, "2023-05-30", "2026-05-30");
    await staff("Irwin", [B1.id]);
    await certify(id.Irwin, P.id, "2023-05-31", "2026-05-31");
    await staff("Jones", [A3.id]);
    await certify(id.Jones, P.id, "2024-01-10", "2027-01-10");
    await staff("King", [A3.id]);
    await certify(id.King, P.id, "2024-02-10", "2027-02-10");
    await staff("Lopez", [A1.id]);

    id.Moss = (await person("Moss", "Student", "STUDENT", [[A1.id, 2025]])).id;
    await certify(id.Moss, P.id, "2025-10-10", null);
    id.Nash = (await person("Nash", "Student", "STUDENT", [[A1.id, 2024]])).id;
    await certify(id.Nash, P.id, "2024-11-01", null);
    id.Owen = (await person("Owen", "Student", "STUDENT", [[A1.id, 2025]])).id;
    await certify(id.Owen, P.id, "2025-06-15", null);

    id.Price = (await person("Price", "Partner", "COMMUNITY", [[A2.id, 2025]])).id;
    await certify(id.Price, P.id, "2025-01-10", null);
    id.Quinn = (await person("Quinn", "Partner", "COMMUNITY", [[A2.id, 2025]])).id;
    await certify(id.Quinn, P.id, "2026-04-01", null);
    id.Reyes = (await person("Reyes", "Partner", "COMMUNITY", [[B1.id, 2025]])).id;
    await certify(id.Reyes, P.id, "2023-04-15", "2026-04-15");
  });

  const query = (over: Record<string, string> = {}) => new URLSearchParams({ year: SY, asOf: AS_OF, program: P.code, ...over }).toString();

  it("counts each school's row by hand: current on the as-of day, two schools, trained twice, renewals, no headcount", async () => {
    const d = await openDashboard(query(), lead);
    const row = (key: SchoolKey) => {
      const found = d.schools.find((s) => s.id === school[key].id);
      if (!found) throw new Error(`no row for ${key}`);
      const { staffHeadcount, staffCurrent, staffReach, staffTrainedYear, studentsTrainedYear, studentsTrainedAllTime, communityTrained, expiring } = found;
      return { staffHeadcount, staffCurrent, staffReach, staffTrainedYear, studentsTrainedYear, studentsTrainedAllTime, communityTrained, expiring };
    };
    // A1: Ames, Diaz, Evans, Fox current; Ames, Evans, Fox trained this year; Moss this year, Moss and Nash all time; Diaz expiring.
    expect(row("A1")).toEqual({ staffHeadcount: 10, staffCurrent: 4, staffReach: 0.4, staffTrainedYear: 3, studentsTrainedYear: 1, studentsTrainedAllTime: 2, communityTrained: 0, expiring: 1 });
    // A2: Evans (again) and Gray current and trained this year; Price trained; Gray's renewal leaves nothing expiring.
    expect(row("A2")).toEqual({ staffHeadcount: 4, staffCurrent: 2, staffReach: 0.5, staffTrainedYear: 2, studentsTrainedYear: 0, studentsTrainedAllTime: 0, communityTrained: 1, expiring: 0 });
    // A3: no headcount, so no reach (null, not 0).
    expect(row("A3")).toEqual({ staffHeadcount: null, staffCurrent: 2, staffReach: null, staffTrainedYear: 0, studentsTrainedYear: 0, studentsTrainedAllTime: 0, communityTrained: 0, expiring: 0 });
    // B1: Hill and Irwin current; Hill (day 90) and Reyes expiring, Irwin (day 91) not; Reyes trained.
    expect(row("B1")).toEqual({ staffHeadcount: 20, staffCurrent: 2, staffReach: 0.1, staffTrainedYear: 0, studentsTrainedYear: 0, studentsTrainedAllTime: 0, communityTrained: 1, expiring: 2 });
  });

  it("counts a person at two schools once in the region and the district; reach divides only by schools with a headcount", async () => {
    const d = await openDashboard(query(), lead);
    const area = (regionId: string) => {
      const r = d.regionRows.find((x) => x.id === regionId);
      if (!r) throw new Error("no region row");
      const { id: _id, code: _code, name: _name, ...figures } = r;
      return figures;
    };
    expect(area(regionA.id)).toEqual({
      schools: 3, schoolsWithoutHeadcount: 1, staffHeadcount: 14,
      // At schools: A1's 4 + A2's 2 (Evans at both); A3's 2 are left out of the share, not the people count.
      staffCurrentAtSchools: 6, staffReach: 6 / 14,
      // Distinct: Ames, Diaz, Evans, Fox, Gray, Jones, King.
      staffCurrentPeople: 7, staffTrainedYear: 4, studentsTrainedYear: 1, studentsTrainedAllTime: 2, communityTrained: 1, expiring: 1,
      teenReadySchools: 0,
    });
    expect(area(regionB.id)).toEqual({
      schools: 1, schoolsWithoutHeadcount: 0, staffHeadcount: 20, staffCurrentAtSchools: 2, staffReach: 0.1,
      staffCurrentPeople: 2, staffTrainedYear: 0, studentsTrainedYear: 0, studentsTrainedAllTime: 0, communityTrained: 1, expiring: 2,
      teenReadySchools: 0,
    });
    // The district: every person once. Its headcount is every active school's with one (other tests' too).
    const headcounts = await prisma.headcount.aggregate({ where: { schoolYear: 2025, staffCount: { gt: 0 }, school: { active: true } }, _sum: { staffCount: true } });
    const districtHeadcount = headcounts._sum.staffCount ?? 0;
    expect(d.district).toMatchObject({
      staffCurrentPeople: 9, staffCurrentAtSchools: 8, staffHeadcount: districtHeadcount, staffReach: 8 / districtHeadcount,
      staffTrainedYear: 4, studentsTrainedYear: 1, studentsTrainedAllTime: 2, communityTrained: 2, expiring: 3,
    });
    // The region page shows the same region row.
    const page = await openRegion(regionA.id, query(), lead);
    expect(page.totals).toMatchObject({ staffCurrentPeople: 7, staffCurrentAtSchools: 6, staffHeadcount: 14, staffReach: 6 / 14, schoolsWithoutHeadcount: 1 });
    expect(page.schools.map((s) => s.name).sort()).toEqual([school.A1.name, school.A2.name, school.A3.name].sort());
  });

  it("'current' holds from the issue day and ends on the expiry day; 'expiring' ends within 90 days, both boundaries", async () => {
    const currentAtA1 = async (asOf: string) => {
      const page = await openSchool(school.A1.id, query({ asOf, list: "staff-current" }), lead);
      return { count: page.selected?.staffCurrent, names: page.people?.people.map((p) => p.name.split(", ")[1]) };
    };
    // The day before: Cole still current (expires on 1 March), Ames not yet (issued on 1 March).
    expect(await currentAtA1("2026-02-28")).toEqual({ count: 4, names: ["Cole", "Diaz", "Evans", "Fox"] });
    expect(await currentAtA1("2026-03-01")).toEqual({ count: 4, names: ["Ames", "Diaz", "Evans", "Fox"] });
    // The day after: Baker is issued, Diaz has expired.
    expect(await currentAtA1("2026-03-02")).toEqual({ count: 4, names: ["Ames", "Baker", "Evans", "Fox"] });

    const expiringAtB1 = async (asOf: string) => {
      const page = await openSchool(school.B1.id, query({ asOf, list: "staff-expiring" }), lead);
      return { count: page.selected?.expiring, staff: page.people?.people.map((p) => p.name.split(", ")[1]) };
    };
    // Hill ends 30 May, Irwin 31 May; Reyes (a partner, 15 April) is in the "everyone" figure all along.
    expect(await expiringAtB1("2026-02-28")).toEqual({ count: 1, staff: [] }); // window ends 29 May
    expect(await expiringAtB1("2026-03-01")).toEqual({ count: 2, staff: ["Hill"] }); // ends 30 May: Hill on the last day
    expect(await expiringAtB1("2026-03-02")).toEqual({ count: 3, staff: ["Hill", "Irwin"] }); // ends 31 May
    // Once a certificate has expired it is no longer "expiring".
    expect(await expiringAtB1("2026-05-30")).toEqual({ count: 1, staff: ["Irwin"] });
  });

  it("filters: audience picks the figures, program the certificates, year the affiliations and headcount, region the rows", async () => {
    const b1 = async (over: Record<string, string>) => {
      const d = await openDashboard(query(over), lead);
      return d.schools.find((s) => s.id === school.B1.id);
    };
    expect(await b1({ audience: "staff" })).toMatchObject({ expiring: 1, studentsTrainedAllTime: null });
    expect(await b1({ audience: "community" })).toMatchObject({ expiring: 1, communityTrained: 1 });
    expect(await b1({ audience: "students" })).toMatchObject({ expiring: 0, studentsTrainedAllTime: 0 });

    // Program Q: only Ames holds it (never expires).
    const q = await openDashboard(query({ program: Q.code }), lead);
    expect(q.program.id).toBe(Q.id);
    expect(q.schools.find((s) => s.id === school.A1.id)).toMatchObject({ staffCurrent: 1, staffReach: 0.1, staffTrainedYear: 1, studentsTrainedYear: 0 });
    expect(q.district).toMatchObject({ staffCurrentPeople: 1, staffTrainedYear: 1, studentsTrainedYear: 0, communityTrained: 0 });

    // 2024-25 as of 30 June 2025: nobody was on A1's staff that year and it had no headcount; Nash was a student there.
    const earlier = await openDashboard(query({ year: "2024-25", asOf: "2025-06-30" }), lead);
    expect(earlier.schools.find((s) => s.id === school.A1.id)).toMatchObject({
      staffHeadcount: null, staffCurrent: 0, staffReach: null, studentsTrainedYear: 1, studentsTrainedAllTime: 1, teenReady: null,
    });

    // A region: its own regions row and schools; the district line stays whole.
    const inA = await openDashboard(query({ region: regionA.id }), lead);
    expect(inA.regionRows.map((r) => r.id)).toEqual([regionA.id]);
    expect(inA.schools.map((s) => s.id).sort()).toEqual([school.A1.id, school.A2.id, school.A3.id].sort());
    expect(inA.district.staffCurrentPeople).toBe(9);
    // The region's code works as well as its id; a school search narrows the table.
    const byCode = await openDashboard(query({ region: regionA.code, q: school.A2.name }), lead);
    expect(byCode.schools.map((s) => s.id)).toEqual([school.A2.id]);
    // Sorting by reach puts the school without a headcount last, in either direction.
    for (const dir of ["asc", "desc"]) {
      const sorted = await openDashboard(query({ region: regionA.id, sort: "reach", dir }), lead);
      expect(sorted.schools.map((s) => s.id)).toEqual(dir === "asc" ? [school.A1.id, school.A2.id, school.A3.id] : [school.A2.id, school.A1.id, school.A3.id]);
    }
  });

  it("refuses a bad query string value with 400 and a message naming the field", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["year=2025-27", "year", /^School year must look like 2025-26/],
      ["asOf=2026-02-30", "asOf", /^As-of date must be a real date/],
      ["audience=teachers", "audience", /^Audience must be one of/],
      ["sort=size", "sort", /^Sort must be one of/],
      ["dir=up", "dir", /^Direction must be asc or desc/],
      ["page=0", "page", /^Page must be/],
      ["program=NOPE", "program", /^Program "NOPE" is not an active program/],
      ["program=DROP%20TABLE", "program", /^Program is not a known value/],
      ["region=nowhere", "region", /^Region "nowhere" does not exist/],
    ];
    for (const [q, field, message] of cases) {
      const res = await status(dashboardRoute.loader, `/lead?${q}`, lead);
      expect(res.status, q).toBe(400);
      expect(res.data, q).toMatchObject({ ok: false, errors: { [field]: expect.stringMatching(message) } });
    }
    const region = await status(regionRoute.loader, `/lead/regions/${regionA.id}?list=everyone`, lead, { regionId: regionA.id });
    expect(region.status).toBe(400);
    expect(region.data).toMatchObject({ errors: { list: expect.stringMatching(/^List must be one of/) } });
    const schoolPage = await status(schoolRoute.loader, `/lead/schools/${school.A1.id}?listPage=0&asOf=yesterday`, lead, { schoolId: school.A1.id });
    expect(schoolPage.status).toBe(400);
    expect(schoolPage.data).toMatchObject({ errors: { listPage: expect.stringMatching(/^List page must be/), asOf: expect.stringMatching(/^As-of date/) } });

    // The page itself names the problem, beside the field.
    const page = await renderPage("/lead", dashboardRoute, makeRequest("/lead?asOf=2026-13-01", { cookie: lead.cookie }));
    expect(page.status).toBe(400);
    expect(page.html).toContain("There is a problem with the filters");
    expect(page.html).toContain('<a href="#filter-asOf">As-of date must be a real date');
  });

  it("renders 'no headcount' for a school without one, never 0% or NaN", async () => {
    const page = await renderPage("/lead", dashboardRoute, makeRequest(`/lead?${query({ region: regionA.id })}`, { cookie: lead.cookie }));
    expect(page.status).toBe(200);
    const a3 = rowOf(page.html, school.A3.name);
    // Headcount, reach and readiness cells all say so.
    expect(a3.match(/no headcount/g)).toHaveLength(3);
    expect(a3).not.toMatch(/NaN|Infinity|0\.0%/);
    expect(rowOf(page.html, school.A1.name)).toContain("40.0%");
    expect(page.html).not.toMatch(/NaN|Infinity/);
    // The region row: 6 of 14.
    expect(rowOf(page.html, regionA.name)).toContain("42.9%");

    const schoolPage = await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${school.A3.id}?${query()}`, { cookie: lead.cookie }));
    expect(schoolPage.status).toBe(200);
    expect(schoolPage.html).not.toMatch(/NaN|Infinity/);
    expect(schoolPage.html).toContain("no staff headcount for the school year, so readiness cannot be judged");
  });

  it("drill-down lists hold exactly the people each figure counts", async () => {
    const names = async (scope: "school" | "region", scopeId: string, list: PeopleListName, over: Record<string, string> = {}) => {
      const page = scope === "school" ? await openSchool(scopeId, query({ list, ...over }), admin) : await openRegion(scopeId, query({ list, ...over }), admin);
      const people = page.people;
      if (!people) throw new Error(`no list ${list}`);
      expect(people.total, `${scope} ${list} total`).toBe(people.people.length);
      return people.people.map((p) => p.name.split(", ")[1]);
    };
    const figures = await openDashboard(query(), admin);
    const a1 = figures.schools.find((s) => s.id === school.A1.id);
    const a2 = figures.schools.find((s) => s.id === school.A2.id);
    const ra = figures.regionRows.find((r) => r.id === regionA.id);

    expect(await names("school", school.A1.id, "staff-current")).toEqual(["Ames", "Diaz", "Evans", "Fox"]);
    expect(a1?.staffCurrent).toBe(4);
    expect(await names("school", school.A1.id, "staff-not-current")).toEqual(["Baker", "Cole", "Lopez"]);
    expect(await names("school", school.A1.id, "staff-year")).toEqual(["Ames", "Evans", "Fox"]);
    expect(a1?.staffTrainedYear).toBe(3);
    expect(await names("school", school.A1.id, "staff-expiring")).toEqual(["Diaz"]);
    expect(await names("school", school.A1.id, "students-year")).toEqual(["Moss"]);
    expect(await names("school", school.A1.id, "students-all")).toEqual(["Moss", "Nash"]);
    expect(a1?.studentsTrainedAllTime).toBe(2);
    expect(await names("school", school.A2.id, "staff-current")).toEqual(["Evans", "Gray"]);
    expect(await names("school", school.A2.id, "community-trained")).toEqual(["Price"]);
    expect(a2?.communityTrained).toBe(1);
    expect(await names("school", school.B1.id, "community-expiring")).toEqual(["Reyes"]);

    // The region lists each person once: Evans is at two of its schools.
    expect(await names("region", regionA.id, "staff-current")).toEqual(["Ames", "Diaz", "Evans", "Fox", "Gray", "Jones", "King"]);
    expect(ra?.staffCurrentPeople).toBe(7);
    expect(await names("region", regionA.id, "staff-year")).toEqual(["Ames", "Evans", "Fox", "Gray"]);
    expect(ra?.staffTrainedYear).toBe(4);
    expect(await names("region", regionA.id, "students-all")).toEqual(["Moss", "Nash"]);
    expect(await names("region", regionA.id, "community-trained")).toEqual(["Price"]);
  });

  it("shows the region's people once each, with the first of their schools", async () => {
    const p1 = await openRegion(regionA.id, query({ list: "staff-current" }), lead);
    expect(p1.people).toMatchObject({ total: 7, page: 1, pageCount: 1 });
    expect(p1.people?.people.find((p) => p.id === id.Evans)?.school).toBe([school.A1.name, school.A2.name].sort()[0]);
  });

  it("exports the dashboard's tables as CSV with the page's filters, order and figures; 'no headcount', never NaN", async () => {
    const q = query({ region: regionA.id, sort: "reach", dir: "desc" });
    const schools = await download(dashboardCsv.loader, `/lead/export.csv?${q}&table=schools`, lead);
    expect(schools.status).toBe(200);
    expect(schools.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(schools.headers.get("Content-Disposition")).toBe(`attachment; filename="reach-schools-${regionA.code.toLowerCase()}-${P.code.toLowerCase()}-2025-26-as-of-2026-03-01.csv"`);
    expect(schools.headers.get("Cache-Control")).toBe("private, no-store");
    expect(schools.text.startsWith("\uFEFF")).toBe(true);
    expect(schools.text).not.toMatch(/NaN|Infinity|undefined|null/);
    expect(schools.header).toEqual([
      "School", "Code", "Region", "Staff headcount", "Staff current", "Staff reach (%)", "Students trained this year", "Students trained, all time",
      "Community partners trained", "Expiring in 90 days", "Staff with a current YMHFA certificate", "Staff with YMHFA (%)", "Teen MHFA readiness",
    ]);
    // Sorted by reach, largest first, the school without a headcount last; nobody holds YMHFA here.
    const cells = (r: Record<string, string>) => [r.School, r["Staff headcount"], r["Staff current"], r["Staff reach (%)"], r["Students trained this year"], r["Students trained, all time"], r["Community partners trained"], r["Expiring in 90 days"], r["Staff with YMHFA (%)"], r["Teen MHFA readiness"]];
    expect(schools.rows.map(cells)).toEqual([
      [school.A2.name, "4", "2", "50.0", "0", "0", "1", "0", "0.0", "Not yet"],
      [school.A1.name, "10", "4", "40.0", "1", "2", "0", "1", "0.0", "Not yet"],
      [school.A3.name, "no headcount", "2", "no headcount", "0", "0", "0", "0", "no headcount", "no headcount"],
    ]);
    expect(schools.rows.map((r) => [r.Code, r.Region])).toEqual([[school.A2.code, regionA.name], [school.A1.code, regionA.name], [school.A3.code, regionA.name]]);

    const regions = await download(dashboardCsv.loader, `/lead/export.csv?${query()}&table=regions`, lead);
    const ra = regions.rows.find((r) => r.Area === regionA.name);
    expect(ra).toEqual({
      Area: regionA.name, Code: regionA.code, Schools: "3", "Schools without a staff headcount": "1", "Staff headcount": "14", "Staff current (at schools)": "6",
      "Staff reach (%)": "42.9", "Staff current (distinct people)": "7", "Students trained this year": "1", "Students trained, all time": "2",
      "Community partners trained": "1", "Expiring in 90 days": "1", "Schools ready for Teen MHFA": "0",
    });
    expect(regions.rows.find((r) => r.Area === regionB.name)).toMatchObject({ "Staff reach (%)": "10.0", "Expiring in 90 days": "2" });

    const district = await download(dashboardCsv.loader, `/lead/export.csv?${query({ audience: "staff" })}&table=district`, lead);
    // Staff only: the student and partner columns are left out, as on the page.
    expect(district.header).toEqual(["Area", "Code", "Schools", "Schools without a staff headcount", "Staff headcount", "Staff current (at schools)", "Staff reach (%)", "Staff current (distinct people)", "Expiring in 90 days", "Schools ready for Teen MHFA"]);
    expect(district.rows).toHaveLength(1);
    expect(district.rows[0]).toMatchObject({ Area: "District", "Staff current (distinct people)": "9", "Staff current (at schools)": "8", "Expiring in 90 days": "2" });
    expect(district.headers.get("Content-Disposition")).toMatch(/filename="reach-district-.*-2025-26-as-of-2026-03-01\.csv"$/);

    // A bad table or filter is refused with the field named, as the page does.
    const bad = await download(dashboardCsv.loader, `/lead/export.csv?${query({ year: "2025-27" })}&table=everything`, lead);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("table: Table must be one of: schools, regions, district");
    expect(bad.text).toContain("year: School year must look like 2025-26");
    expect((await download(dashboardCsv.loader, `/lead/export.csv?${query({ program: "NOPE" })}`, lead)).text).toContain('program: Program "NOPE" is not an active program');
  });

  it("exports a region's totals, schools and the people behind a figure; a school's programs and people", async () => {
    const regionPath = `/lead/regions/${regionA.id}/export.csv`;
    const totals = await download(regionCsv.loader, `${regionPath}?${query()}&table=totals`, lead, { regionId: regionA.id });
    expect(totals.rows).toEqual([expect.objectContaining({ Area: regionA.name, "Staff reach (%)": "42.9", "Staff current (distinct people)": "7" })]);
    const schools = await download(regionCsv.loader, `${regionPath}?${query()}&table=schools`, lead, { regionId: regionA.id });
    expect(schools.rows.map((r) => [r.School, r["Staff reach (%)"]])).toEqual([[school.A1.name, "40.0"], [school.A2.name, "50.0"], [school.A3.name, "no headcount"]].sort((a, b) => a[0].localeCompare(b[0])));
    const people = await download(regionCsv.loader, `${regionPath}?${query()}&table=people&list=staff-current`, lead, { regionId: regionA.id });
    expect(people.status).toBe(200);
    expect(people.headers.get("Content-Disposition")).toMatch(/filename="reach-r-.*-staff-current-.*\.csv"$/);
    expect(people.header).toEqual(["Name", "District ID", "Kind", "School", "Latest certificate issued", "Current until"]);
    // The region's 7 people, once each (Evans is at two of its schools), as many as the figure.
    expect(people.rows.map((r) => r.Name)).toEqual(["Ames", "Diaz", "Evans", "Fox", "Gray", "Jones", "King"].map((n) => `Staff, ${n}`));
    expect(people.rows.find((r) => r.Name === "Staff, Gray")).toMatchObject({ Kind: "Staff", "Latest certificate issued": "2026-02-01", "Current until": "2029-02-01" });
    expect((await download(regionCsv.loader, `${regionPath}?${query()}&table=people`, lead, { regionId: regionA.id })).text).toContain("list: List is required");
    expect((await download(regionCsv.loader, "/lead/regions/nope/export.csv", lead, { regionId: "nope" })).status).toBe(404);

    const schoolPath = `/lead/schools/${school.A1.id}/export.csv`;
    const programs = await download(schoolCsv.loader, `${schoolPath}?${query()}&table=programs`, lead, { schoolId: school.A1.id });
    expect(programs.headers.get("Content-Disposition")).toBe(`attachment; filename="reach-${school.A1.code.toLowerCase()}-programs-2025-26-as-of-2026-03-01.csv"`);
    expect(programs.rows.find((r) => r["Program code"] === P.code)).toEqual({
      Program: expect.any(String), "Program code": P.code, "Staff headcount": "10", "Staff current": "4", "Staff reach (%)": "40.0",
      "Students trained this year": "1", "Students trained, all time": "2", "Community partners trained": "0", "Expiring in 90 days": "1",
    });
    expect(programs.rows.find((r) => r["Program code"] === Q.code)).toMatchObject({ "Staff current": "1", "Staff reach (%)": "10.0" });
    const noHeadcount = await download(schoolCsv.loader, `/lead/schools/${school.A3.id}/export.csv?${query()}`, lead, { schoolId: school.A3.id });
    expect(noHeadcount.rows.find((r) => r["Program code"] === P.code)).toMatchObject({ "Staff headcount": "no headcount", "Staff current": "2", "Staff reach (%)": "no headcount" });
    expect(noHeadcount.text).not.toMatch(/NaN|Infinity/);
    const staff = await download(schoolCsv.loader, `${schoolPath}?${query()}&table=people&list=staff-expiring`, lead, { schoolId: school.A1.id });
    expect(staff.rows).toEqual([{ Name: "Staff, Diaz", "District ID": expect.stringMatching(/^TE-/), Kind: "Staff", School: school.A1.name, "Latest certificate issued": "2023-03-02", "Current until": "2026-03-02" }]);
  });

  it("exports follow the page's rules: students' names, coordinators' schools, the lead's pages", async () => {
    const coordinatorA1 = await signIn("COORDINATOR", { schoolIds: [school.A1.id] });
    const coordinatorA2 = await signIn("COORDINATOR", { schoolIds: [school.A2.id] });
    const trainer = await signIn("TRAINER");
    const member = await signIn("MEMBER");
    const students = `/lead/schools/${school.A1.id}/export.csv?${query()}&table=people&list=students-all`;
    const at = { schoolId: school.A1.id };

    // Students' names: the school's coordinator and administrators; a program lead is refused, with why.
    const asLead = await download(schoolCsv.loader, students, lead, at);
    expect(asLead.status).toBe(403);
    expect(asLead.text).toMatch(/^list: Students' names are for this school's coordinator and administrators/);
    expect(asLead.text).not.toMatch(/Moss|Nash/);
    for (const who of [coordinatorA1, admin]) {
      const file = await download(schoolCsv.loader, students, who, at);
      expect(file.status, who.user.role).toBe(200);
      expect(file.rows.map((r) => [r.Name, r.Kind])).toEqual([["Student, Moss", "Student"], ["Student, Nash", "Student"]]);
    }
    const regionStudents = `/lead/regions/${regionA.id}/export.csv?${query()}&table=people&list=students-year`;
    expect((await download(regionCsv.loader, regionStudents, lead, { regionId: regionA.id })).status).toBe(403);
    expect((await download(regionCsv.loader, regionStudents, admin, { regionId: regionA.id })).rows.map((r) => r.Name)).toEqual(["Student, Moss"]);

    // A coordinator exports their own school only; another school is "not found"; the district and regions are not theirs.
    expect((await download(schoolCsv.loader, `/lead/schools/${school.A1.id}/export.csv?${query()}`, coordinatorA1, at)).status).toBe(200);
    expect((await download(schoolCsv.loader, `/lead/schools/${school.A1.id}/export.csv?${query()}`, coordinatorA2, at)).status).toBe(404);
    expect((await download(schoolCsv.loader, students, coordinatorA2, at)).status).toBe(404);
    for (const who of [coordinatorA1, trainer, member]) {
      expect((await download(dashboardCsv.loader, `/lead/export.csv?${query()}`, who)).status, who.user.role).toBe(403);
      expect((await download(regionCsv.loader, `/lead/regions/${regionA.id}/export.csv?${query()}`, who, { regionId: regionA.id })).status, who.user.role).toBe(403);
    }
    for (const who of [trainer, member]) expect((await download(schoolCsv.loader, `/lead/schools/${school.A1.id}/export.csv`, who, at)).status).toBe(403);
    const signedOut = await download(dashboardCsv.loader, `/lead/export.csv?${query()}`, null);
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("puts a Download CSV link beside every table, keeping the filters, and each link downloads that table", async () => {
    const routes: Record<string, { fn: Loader; params: Record<string, string> }> = {
      "/lead/export.csv": { fn: dashboardCsv.loader, params: {} },
      [`/lead/regions/${regionA.id}/export.csv`]: { fn: regionCsv.loader, params: { regionId: regionA.id } },
      [`/lead/schools/${school.A1.id}/export.csv`]: { fn: schoolCsv.loader, params: { schoolId: school.A1.id } },
    };
    const follow = async (href: string, who: SignedIn) => {
      const path = href.split("?")[0];
      const route = routes[path];
      if (!route) throw new Error(`unexpected export link ${href}`);
      return download(route.fn, href, who, route.params);
    };

    const dashboardQuery = query({ region: regionA.id, audience: "staff", sort: "reach", dir: "asc" });
    const dashboard = await renderPage("/lead", dashboardRoute, makeRequest(`/lead?${dashboardQuery}`, { cookie: lead.cookie }));
    const links = csvLinks(dashboard.html);
    expect(links.map((h) => new URL(h, "http://x").searchParams.get("table"))).toEqual(["district", "regions", "schools"]);
    for (const href of links) {
      const params = new URL(href, "http://x").searchParams;
      expect(Object.fromEntries([...params].filter(([k]) => k !== "table"))).toEqual({ year: SY, asOf: AS_OF, program: P.code, audience: "staff", region: regionA.id, sort: "reach", dir: "asc" });
      expect((await follow(href, lead)).status, href).toBe(200);
    }
    expect(dashboard.html.replaceAll("<!-- -->", "")).toContain("Download CSV<span class=\"visually-hidden\"> of reach by school (every page)</span>");
    const schoolsFile = await follow(links[2], lead);
    expect(schoolsFile.rows.map((r) => r.School)).toEqual([school.A1.name, school.A2.name, school.A3.name]);
    expect(schoolsFile.header).not.toContain("Students trained this year");

    const region = await renderPage("/lead/regions/:regionId", regionRoute, makeRequest(`/lead/regions/${regionA.id}?${query({ list: "staff-year", q: "School A" })}`, { cookie: lead.cookie }));
    const regionLinks = csvLinks(region.html);
    expect(regionLinks.map((h) => new URL(h, "http://x").searchParams.get("table"))).toEqual(["totals", "schools", "people"]);
    const peopleFile = await follow(regionLinks[2], lead);
    expect(peopleFile.rows.map((r) => r.Name)).toEqual(["Ames", "Evans", "Fox", "Gray"].map((n) => `Staff, ${n}`));
    expect(new URL(regionLinks[1], "http://x").searchParams.get("q")).toBe("School A");

    const schoolPage = await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${school.A1.id}?${query({ list: "staff-current", asOf: "2026-03-02" })}`, { cookie: lead.cookie }));
    const schoolLinks = csvLinks(schoolPage.html);
    expect(schoolLinks.map((h) => new URL(h, "http://x").searchParams.get("table"))).toEqual(["programs", "people"]);
    // The as-of day carries over: on 2 March Baker is current and Diaz is not.
    expect((await follow(schoolLinks[1], lead)).rows.map((r) => r.Name)).toEqual(["Ames", "Baker", "Evans", "Fox"].map((n) => `Staff, ${n}`));
    // No list chosen, or students hidden: no people link.
    const hidden = await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${school.A1.id}?${query({ list: "students-year" })}`, { cookie: lead.cookie }));
    expect(csvLinks(hidden.html).map((h) => new URL(h, "http://x").searchParams.get("table"))).toEqual(["programs"]);
  });

  it("students' names: only to administrators and the coordinator of that school; others see counts", async () => {
    const coordinatorA1 = await signIn("COORDINATOR", { schoolIds: [school.A1.id] });
    const coordinatorA2 = await signIn("COORDINATOR", { schoolIds: [school.A2.id] });
    const studentList = (who: SignedIn) => openSchool(school.A1.id, query({ list: "students-year" }), who);

    // A program lead: the count, not the names.
    const asLead = await studentList(lead);
    expect(asLead.people).toBeNull();
    expect(asLead.studentsHidden).toBe(true);
    expect(asLead.selected?.studentsTrainedYear).toBe(1);
    const leadPage = await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${school.A1.id}?${query({ list: "students-all" })}`, { cookie: lead.cookie }));
    expect(leadPage.status).toBe(200);
    expect(leadPage.html).toContain("Students are shown as counts only for your role");
    expect(leadPage.html).not.toMatch(/Moss|Nash/);
    // Staff names are the lead's to see.
    expect((await openSchool(school.A1.id, query({ list: "staff-current" }), lead)).people?.total).toBe(4);

    for (const who of [admin, coordinatorA1]) {
      const page = await studentList(who);
      expect(page.studentsHidden).toBe(false);
      expect(page.people?.people.map((p) => p.id)).toEqual([id.Moss]);
    }
    const coordinatorPage = await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${school.A1.id}?${query({ list: "students-all" })}`, { cookie: coordinatorA1.cookie }));
    expect(coordinatorPage.html).toContain("Student, Moss");
    expect(coordinatorPage.html).toContain("Student, Nash");

    // Across a region only administrators see students' names.
    const regionAsLead = await openRegion(regionA.id, query({ list: "students-all" }), lead);
    expect(regionAsLead).toMatchObject({ people: null, studentsHidden: true });
    const regionAsAdmin = await openRegion(regionA.id, query({ list: "students-all" }), admin);
    expect(regionAsAdmin.people?.people.map((p) => p.id).sort()).toEqual([id.Moss, id.Nash].sort());

    // A coordinator's school page is theirs only: another school is "not found", as is one that does not exist;
    // the district and region pages are not theirs at all.
    expect((await status(schoolRoute.loader, `/lead/schools/${school.A1.id}`, coordinatorA2, { schoolId: school.A1.id })).status).toBe(404);
    expect((await status(schoolRoute.loader, "/lead/schools/nope", coordinatorA2, { schoolId: "nope" })).status).toBe(404);
    expect((await status(schoolRoute.loader, `/lead/schools/${school.A2.id}?list=students-year`, coordinatorA2, { schoolId: school.A2.id })).status).toBe(200);
    expect((await status(dashboardRoute.loader, "/lead", coordinatorA1)).status).toBe(403);
    expect((await status(regionRoute.loader, `/lead/regions/${regionA.id}`, coordinatorA1, { regionId: regionA.id })).status).toBe(403);
  });
});

describe("Teen MHFA readiness: at least 10% of a school's staff hold a current YMHFA certificate, and a safety protocol", () => {
  it("is judged on YMHFA whatever program the page shows, staff only, and not at all without a headcount", async () => {
    const ymhfa = await ymhfaProgram();
    const shown = await createProgram(prisma, { preset: "QPR" });
    const region = await createRegion(prisma);
    const make = async (staffCount: number | null) => {
      const s = await createSchool(prisma, { regionId: region.id, safetyProtocolSince: new Date(Date.UTC(2025, 7, 15)) });
      if (staffCount != null) await prisma.headcount.create({ data: { schoolId: s.id, schoolYear: 2025, staffCount, studentCount: 100 } });
      return s;
    };
    const [t1, t2, t3] = [await make(20), await make(21), await make(null)];
    const holder = async (schoolId: string, kind: "STAFF" | "COMMUNITY", issued: string, expires: string) => {
      const p = await person("Holder", kind, kind, [[schoolId, 2025]]);
      await certify(p.id, ymhfa.id, issued, expires);
    };
    // T1: 2 of 20 current (exactly 10%: ready); an expired one does not count.
    await holder(t1.id, "STAFF", "2025-01-01", "2028-01-01");
    await holder(t1.id, "STAFF", "2025-02-01", "2028-02-01");
    await holder(t1.id, "STAFF", "2022-01-01", "2025-01-01");
    // T2: 2 of 21 staff (9.5%: not yet); a community partner with YMHFA is not staff.
    await holder(t2.id, "STAFF", "2025-01-01", "2028-01-01");
    await holder(t2.id, "STAFF", "2025-01-01", "2028-01-01");
    await holder(t2.id, "COMMUNITY", "2025-01-01", "2028-01-01");
    // T3: no headcount.
    await holder(t3.id, "STAFF", "2025-01-01", "2028-01-01");

    const q = new URLSearchParams({ year: "2025-26", asOf: "2026-03-01", program: shown.code, region: region.id }).toString();
    const d = await openDashboard(q, lead);
    const byId = new Map(d.schools.map((s) => [s.id, s]));
    expect(byId.get(t1.id)).toMatchObject({ ymhfaStaffCurrent: 2, ymhfaReach: 0.1, teenReady: true, staffCurrent: 0 });
    expect(byId.get(t2.id)).toMatchObject({ ymhfaStaffCurrent: 2, ymhfaReach: 2 / 21, teenReady: false });
    expect(byId.get(t3.id)).toMatchObject({ ymhfaStaffCurrent: 1, ymhfaReach: null, teenReady: null });
    expect(d.regionRows[0]).toMatchObject({ id: region.id, teenReadySchools: 1 });

    // The school page says the same, in words.
    const page = (s: { id: string }) => renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${s.id}?${q}`, { cookie: lead.cookie }));
    const t1Html = (await page(t1)).html.replaceAll("<!-- -->", "");
    expect(t1Html).toContain("Ready: a school may run Teen MHFA");
    expect(t1Html).toContain("Staff: 10.0% hold a current YMHFA certificate (enough).");
    expect(t1Html).toContain("Safety protocol: in place since Aug 15, 2025.");
    const t2Html = (await page(t2)).html.replaceAll("<!-- -->", "");
    expect(t2Html).toContain("Not yet: a school may run Teen MHFA");
    expect(t2Html).toContain("Staff: 9.5% hold a current YMHFA certificate (10% needed).");
    expect((await page(t3)).html).toContain("readiness cannot be judged");
    const t1Page = await openSchool(t1.id, q, lead);
    expect(t1Page.selected).toMatchObject({ teenReady: true, ymhfaStaffCurrent: 2 });

    // Once the first two expire (1 January and 1 February 2028), T1 is no longer ready.
    const later = await openDashboard(new URLSearchParams({ year: "2025-26", asOf: "2028-01-01", program: shown.code, region: region.id }).toString(), lead);
    expect(later.schools.find((s) => s.id === t1.id)).toMatchObject({ ymhfaStaffCurrent: 1, teenReady: false });
  });

  it("is not ready without a safety protocol in place on the as-of day, whatever the staff share; the dashboard's count agrees", async () => {
    const ymhfa = await ymhfaProgram();
    const region = await createRegion(prisma);
    const make = async (safetyProtocolSince: Date | null) => {
      const s = await createSchool(prisma, { regionId: region.id, safetyProtocolSince });
      await prisma.headcount.create({ data: { schoolId: s.id, schoolYear: 2025, staffCount: 10, studentCount: 100 } });
      const p = await person("Ready", "Staff", "STAFF", [[s.id, 2025]]);
      await certify(p.id, ymhfa.id, "2025-01-01", "2028-01-01");
      return s;
    };
    // 1 of 10 staff each (10%): with a protocol since 2025, none, and one adopted after the as-of day.
    const [withProtocol, without, later] = [await make(new Date(Date.UTC(2025, 0, 10))), await make(null), await make(new Date(Date.UTC(2026, 5, 1)))];
    const q = new URLSearchParams({ year: "2025-26", asOf: "2026-03-01", program: ymhfa.code, region: region.id }).toString();
    const d = await openDashboard(q, lead);
    const byId = new Map(d.schools.map((s) => [s.id, s]));
    expect(byId.get(withProtocol.id)).toMatchObject({ teenReady: true, safetyProtocol: true });
    expect(byId.get(without.id)).toMatchObject({ ymhfaReach: 0.1, teenReady: false, safetyProtocol: false });
    expect(byId.get(later.id)).toMatchObject({ teenReady: false, safetyProtocol: false });
    expect(d.regionRows[0]).toMatchObject({ id: region.id, teenReadySchools: 1 });
    const html = (await renderPage("/lead/schools/:schoolId", schoolRoute, makeRequest(`/lead/schools/${later.id}?${q}`, { cookie: lead.cookie }))).html.replaceAll("<!-- -->", "");
    expect(html).toContain("Safety protocol: in place since Jun 1, 2026 (after the as-of day).");
    // As of a day after it was adopted, the third is ready too.
    const afterwards = await openDashboard(new URLSearchParams({ year: "2025-26", asOf: "2026-06-01", program: ymhfa.code, region: region.id }).toString(), lead);
    expect(afterwards.regionRows[0]).toMatchObject({ teenReadySchools: 2 });
  });
});

describe("Teen MHFA readiness without a YMHFA program", () => {
  // KNOWN BUG (app/models/reach-sql.server.ts, rollupFigures: `ymhfaProgramId ?? programId`): when no program
  // is coded YMHFA, the dashboard judges readiness on the program shown, while the school page
  // (schoolFiguresByProgram) counts nobody, so the two pages disagree. Remove `.fails` once fixed.
  it("the dashboard and the school page agree", async () => {
    const ymhfa = await ymhfaProgram();
    await prisma.program.update({ where: { id: ymhfa.id }, data: { code: `OFF-${ymhfa.id}` } });
    try {
      const shown = await createProgram(prisma, { preset: "QPR" });
      const s = await createSchool(prisma);
      await prisma.headcount.create({ data: { schoolId: s.id, schoolYear: 2025, staffCount: 10, studentCount: 100 } });
      const p = await person("Only", "Holder", "STAFF", [[s.id, 2025]]);
      await certify(p.id, shown.id, "2025-10-01", null);
      const q = new URLSearchParams({ year: "2025-26", asOf: "2026-03-01", program: shown.code }).toString();
      const onDashboard = (await openDashboard(q, lead)).schools.find((x) => x.id === s.id);
      const onSchoolPage = (await openSchool(s.id, q, lead)).selected;
      expect(onDashboard?.teenReady).toBe(onSchoolPage?.teenReady);
    } finally {
      await prisma.program.update({ where: { id: ymhfa.id }, data: { code: "YMHFA" } });
    }
  });
});

/*
 * Incremental exactness. Program W, school year 2025-26, as of 1 March 2026.
 *   Regions X, Y, Z.  W1 in X (10 staff), W2 in Y (5 staff).
 *   a  staff W1        W 2025-09-01 → 2028-09-01
 *   b  staff W1 + W2   no certificate yet
 *   c  staff W2        W 2023-03-15 → 2026-03-15 (expiring)
 *   d  staff W2        W 2025-11-01 → 2028-11-01 (a duplicate record of b, merged later)
 *   e  student W1      W 2025-10-01, never expires
 * Each step's figures are counted by hand: [current, trained this year, expiring] per school and
 * region (people, for a region), and the district's.
 */
type Triple = [number, number, number];
type Hand = { W1: Triple; W2: Triple; X: Triple | null; Y: Triple | null; Z: Triple | null; district: Triple; w2Region: "X" | "Y" | "Z" };

async function incrementalScenario() {
  const W = await createProgram(prisma);
  const [X, Y, Z] = [await createRegion(prisma), await createRegion(prisma), await createRegion(prisma)];
  const W1 = await createSchool(prisma, { regionId: X.id });
  const W2 = await createSchool(prisma, { regionId: Y.id });
  await prisma.headcount.createMany({ data: [{ schoolId: W1.id, schoolYear: 2025, staffCount: 10, studentCount: 100 }, { schoolId: W2.id, schoolYear: 2025, staffCount: 5, studentCount: 100 }] });
  const a = await person("a", "Inc", "STAFF", [[W1.id, 2025]]);
  const b = await person("b", "Inc", "STAFF", [[W1.id, 2025], [W2.id, 2025]]);
  const c = await person("c", "Inc", "STAFF", [[W2.id, 2025]]);
  const d = await person("d", "Inc", "STAFF", [[W2.id, 2025]]);
  const e = await person("e", "Inc", "STUDENT", [[W1.id, 2025]]);
  const aCert = await certify(a.id, W.id, "2025-09-01", "2028-09-01");
  const cOld = await certify(c.id, W.id, "2023-03-15", "2026-03-15");
  const dCert = await certify(d.id, W.id, "2025-11-01", "2028-11-01");
  await certify(e.id, W.id, "2025-10-01", null);
  const regionName = { [X.id]: "X", [Y.id]: "Y", [Z.id]: "Z" } as const;

  const filters = (asOf: string) => ({
    schoolYear: 2025, asOf: day(asOf), programCode: W.code, regionId: null, audience: "all" as const, q: "", sort: "name" as const, dir: "asc" as const, page: 1,
  });
  /** The figures as the pages read them (the model behind every loader), on an as-of day. */
  const figuresOn = (asOf: string) => reachFigures({ filters: filters(asOf), programId: W.id, ymhfaProgramId: null, scope: {} });
  const hand = async (): Promise<Hand> => {
    const f = await figuresOn("2026-03-01");
    const school = (sid: string): Triple => {
      const r = f.schools.find((s) => s.id === sid);
      if (!r) throw new Error("school missing");
      return [r.staffCurrent, r.staffTrainedYear, r.expiring];
    };
    const region = (rid: string): Triple | null => {
      const r = f.regions.find((x) => x.id === rid);
      return r ? [r.staffCurrentPeople, r.staffTrainedYear, r.expiring] : null;
    };
    const w2 = f.schools.find((s) => s.id === W2.id);
    return {
      W1: school(W1.id), W2: school(W2.id), X: region(X.id), Y: region(Y.id), Z: region(Z.id),
      district: [f.total.staffCurrentPeople, f.total.staffTrainedYear, f.total.expiring],
      w2Region: regionName[w2?.regionId ?? ""] ?? "X",
    };
  };
  /** Every figure of every school, region and the district, on days around every date in the scenario. */
  const everything = async () => {
    const out = [];
    for (const asOf of ["2025-08-31", "2025-10-15", "2025-12-01", "2026-02-20", "2026-03-01", "2026-03-15", "2026-03-16", "2026-06-30"]) out.push(await figuresOn(asOf));
    return out;
  };
  return { W, X, Y, Z, W1, W2, a, b, c, d, e, aCert, cOld, dCert, hand, everything };
}
type Scenario = Awaited<ReturnType<typeof incrementalScenario>>;

const STEPS: Array<{ name: string; write: (s: Scenario) => Promise<unknown>; expected: Hand }> = [
  {
    name: "nothing written yet",
    write: async () => undefined,
    expected: { W1: [1, 1, 0], W2: [2, 1, 1], X: [1, 1, 0], Y: [2, 1, 1], Z: null, district: [3, 2, 1], w2Region: "Y" },
  },
  {
    name: "issue b a certificate",
    write: (s) => certify(s.b.id, s.W.id, "2025-10-01", "2028-10-01"),
    expected: { W1: [2, 2, 0], W2: [3, 2, 1], X: [2, 2, 0], Y: [3, 2, 1], Z: null, district: [4, 3, 1], w2Region: "Y" },
  },
  {
    name: "renew c's expiring certificate",
    write: (s) => certify(s.c.id, s.W.id, "2026-02-20", "2029-02-20", s.cOld.id),
    expected: { W1: [2, 2, 0], W2: [3, 3, 0], X: [2, 2, 0], Y: [3, 3, 0], Z: null, district: [4, 4, 0], w2Region: "Y" },
  },
  {
    name: "delete a's certificate",
    write: (s) => prisma.certification.delete({ where: { id: s.aCert.id } }),
    expected: { W1: [1, 1, 0], W2: [3, 3, 0], X: [1, 1, 0], Y: [3, 3, 0], Z: null, district: [3, 3, 0], w2Region: "Y" },
  },
  {
    name: "move c's affiliation from W2 to W1",
    write: (s) => prisma.affiliation.updateMany({ where: { personId: s.c.id, schoolId: s.W2.id }, data: { schoolId: s.W1.id } }),
    expected: { W1: [2, 2, 0], W2: [2, 2, 0], X: [2, 2, 0], Y: [2, 2, 0], Z: null, district: [3, 3, 0], w2Region: "Y" },
  },
  {
    name: "delete b's affiliation with W2",
    write: (s) => prisma.affiliation.deleteMany({ where: { personId: s.b.id, schoolId: s.W2.id } }),
    expected: { W1: [2, 2, 0], W2: [1, 1, 0], X: [2, 2, 0], Y: [1, 1, 0], Z: null, district: [3, 3, 0], w2Region: "Y" },
  },
  {
    // b now counts at W2 through d's affiliation, once; d is no longer a person of its own.
    name: "merge d into b",
    write: (s) => prisma.person.update({ where: { id: s.d.id }, data: { mergedIntoId: s.b.id } }),
    expected: { W1: [2, 2, 0], W2: [1, 1, 0], X: [2, 2, 0], Y: [1, 1, 0], Z: null, district: [2, 2, 0], w2Region: "Y" },
  },
  {
    name: "move W2 from region Y to region Z",
    write: (s) => prisma.school.update({ where: { id: s.W2.id }, data: { regionId: s.Z.id } }),
    expected: { W1: [2, 2, 0], W2: [1, 1, 0], X: [2, 2, 0], Y: null, Z: [1, 1, 0], district: [2, 2, 0], w2Region: "Z" },
  },
  {
    name: "undo the merge",
    write: (s) => prisma.person.update({ where: { id: s.d.id }, data: { mergedIntoId: null } }),
    expected: { W1: [2, 2, 0], W2: [1, 1, 0], X: [2, 2, 0], Y: null, Z: [1, 1, 0], district: [3, 3, 0], w2Region: "Z" },
  },
  {
    name: "change d into a community partner",
    write: (s) => prisma.person.update({ where: { id: s.d.id }, data: { kind: "COMMUNITY" } }),
    expected: { W1: [2, 2, 0], W2: [0, 0, 0], X: [2, 2, 0], Y: null, Z: [0, 0, 0], district: [2, 2, 0], w2Region: "Z" },
  },
];

describe("the rollup stays exact on every write", () => {
  it("after each write the figures read (applying the queue) equal the hand count and a full rebuild", async () => {
    const s = await incrementalScenario();
    for (const step of STEPS) {
      await step.write(s);
      if (step.name !== "nothing written yet") expect(await prisma.reachDirty.count(), `${step.name}: queued`).toBeGreaterThan(0);
      const incremental = await s.everything();
      expect(await prisma.reachDirty.count(), `${step.name}: queue applied`).toBe(0);
      expect(await s.hand(), step.name).toEqual(step.expected);
      await rebuildReachRollups();
      expect(await s.everything(), `${step.name}: same as a rebuild`).toEqual(incremental);
    }
  });

  it("many writes with no read between them are applied together, exactly", async () => {
    const s = await incrementalScenario();
    for (const step of STEPS) await step.write(s);
    const last = STEPS[STEPS.length - 1].expected;
    expect(await s.hand()).toEqual(last);
    const incremental = await s.everything();
    await rebuildReachRollups();
    expect(await s.everything()).toEqual(incremental);
    expect(await s.hand()).toEqual(last);
  });

  // KNOWN BUG (app/models/reach-sql.server.ts, listPeopleBehind): the lists count person records, not the
  // person a duplicate was merged into, so after a merge they disagree with the figures. Remove `.fails`
  // once fixed.
  it("the drill-down lists agree with the figures after a merge", async () => {
    const M = await createProgram(prisma);
    const m1 = await createSchool(prisma);
    const q = new URLSearchParams({ year: "2025-26", asOf: "2026-03-01", program: M.code, list: "staff-current" }).toString();
    // Kept at m1 without a certificate; the duplicate, at no school, holds one.
    const kept = await person("Kept", "Merge", "STAFF", [[m1.id, 2025]]);
    const dup = await person("Dup", "Merge", "STAFF", []);
    await certify(dup.id, M.id, "2025-10-01", "2028-10-01");
    // Both at m1, both certified: one person.
    const kept2 = await person("Kept2", "Merge", "STAFF", [[m1.id, 2025]]);
    const dup2 = await person("Dup2", "Merge", "STAFF", [[m1.id, 2025]]);
    await certify(kept2.id, M.id, "2025-10-01", "2028-10-01");
    await certify(dup2.id, M.id, "2025-11-01", "2028-11-01");
    await prisma.person.update({ where: { id: dup.id }, data: { mergedIntoId: kept.id } });
    await prisma.person.update({ where: { id: dup2.id }, data: { mergedIntoId: kept2.id } });
    const page = await openSchool(m1.id, q, admin);
    expect(page.selected?.staffCurrent).toBe(2);
    expect(page.people?.people.map((p) => p.id).sort()).toEqual([kept.id, kept2.id].sort());
  });

  // KNOWN BUG (prisma/migrations/20261124000000_reach_rollups, trigger ReachDirty_Person_delete): deleting a
  // record merged into another queues only the deleted record, so the kept person's state keeps its
  // certificates and schools until a rebuild. Fix: also queue OLD."mergedIntoId". Remove `.fails` once fixed.
  it("deleting a merged duplicate takes its certificates and schools out of the person it was merged into", async () => {
    const s = await incrementalScenario();
    for (const step of STEPS.slice(0, 8)) await step.write(s); // merged, and W2 moved to Z
    expect(await s.hand()).toEqual(STEPS[7].expected);
    // The duplicate goes, with its certificate (and, by cascade, its affiliation with W2).
    await prisma.certification.deleteMany({ where: { personId: s.d.id } });
    await prisma.person.delete({ where: { id: s.d.id } });
    const expected: Hand = { W1: [2, 2, 0], W2: [0, 0, 0], X: [2, 2, 0], Y: null, Z: [0, 0, 0], district: [2, 2, 0], w2Region: "Z" };
    const incremental = await s.hand();
    await rebuildReachRollups();
    expect(await s.hand(), "after a rebuild").toEqual(expected);
    expect(incremental, "read incrementally").toEqual(expected);
  });
});

describe("who may open each program-lead page", () => {
  it("leads and administrators everything; coordinators their own school's page only; trainers and members nothing", async () => {
    const program = await createProgram(prisma);
    const region = await createRegion(prisma);
    const own = await createSchool(prisma, { regionId: region.id });
    const other = await createSchool(prisma, { regionId: region.id });
    const goal = await prisma.goal.create({
      data: { programId: program.id, scope: "SCHOOL", schoolId: own.id, measure: "PEOPLE_TRAINED", target: 10, startsOn: day("2025-09-01"), deadline: day("2026-06-30") },
    });
    const goalForm = { scope: "DISTRICT", regionId: "", schoolCode: "", programId: program.id, measure: "PEOPLE_TRAINED", target: "5", startsOn: "2025-07-01", deadline: "2026-06-30" };
    type Page = { name: string; path: string; fn: Loader; params?: Record<string, string>; form?: Record<string, string>; coordinator: number };
    const pages: Page[] = [
      { name: "district dashboard", path: `/lead?program=${program.code}`, fn: dashboardRoute.loader, coordinator: 403 },
      { name: "region page", path: `/lead/regions/${region.id}?program=${program.code}`, fn: regionRoute.loader, params: { regionId: region.id }, coordinator: 403 },
      { name: "own school page", path: `/lead/schools/${own.id}?program=${program.code}`, fn: schoolRoute.loader, params: { schoolId: own.id }, coordinator: 200 },
      { name: "another school's page", path: `/lead/schools/${other.id}?program=${program.code}`, fn: schoolRoute.loader, params: { schoolId: other.id }, coordinator: 404 },
      { name: "goal list", path: "/lead/goals", fn: goalList.loader, coordinator: 403 },
      { name: "new goal page", path: "/lead/goals/new", fn: newGoal.loader, coordinator: 403 },
      { name: "goal page", path: `/lead/goals/${goal.id}`, fn: goalPage.loader, params: { goalId: goal.id }, coordinator: 403 },
      { name: "edit goal page", path: `/lead/goals/${goal.id}/edit`, fn: editGoal.loader, params: { goalId: goal.id }, coordinator: 403 },
      { name: "growth", path: `/lead/growth?program=${program.code}`, fn: growthPage.loader, coordinator: 403 },
      { name: "report", path: `/lead/report?program=${program.code}`, fn: reportPage.loader, coordinator: 403 },
    ];
    const posts: Page[] = [
      { name: "create goal", path: "/lead/goals/new", fn: newGoal.action, form: goalForm, coordinator: 403 },
      { name: "archive goal", path: `/lead/goals/${goal.id}`, fn: goalPage.action, params: { goalId: goal.id }, form: { intent: "archive" }, coordinator: 403 },
      { name: "save goal", path: `/lead/goals/${goal.id}/edit`, fn: editGoal.action, params: { goalId: goal.id }, form: { ...goalForm, target: "999" }, coordinator: 403 },
    ];
    const visit = (p: Page, cookie?: string) =>
      call(() => p.fn({ request: makeRequest(p.path, { cookie, method: p.form ? "POST" : "GET", form: p.form }), params: p.params ?? {}, context: {} }));

    const coordinator = await signIn("COORDINATOR", { schoolIds: [own.id] });
    const trainer = await signIn("TRAINER");
    const member = await signIn("MEMBER");
    const goalsBefore = await prisma.goal.count();
    const goalBefore = await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } });
    for (const p of [...pages, ...posts]) {
      expect((await visit(p, coordinator.cookie)).status, `COORDINATOR ${p.name}`).toBe(p.coordinator);
      expect((await visit(p, trainer.cookie)).status, `TRAINER ${p.name}`).toBe(403);
      expect((await visit(p, member.cookie)).status, `MEMBER ${p.name}`).toBe(403);
      const out = await visit(p);
      expect(out.status, `signed out ${p.name}`).toBe(302);
      expect(out.headers.get("Location"), p.name).toMatch(/^\/login\?redirectTo=/);
    }
    // Nothing refused was written.
    expect(await prisma.goal.count()).toBe(goalsBefore);
    expect(await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).toEqual(goalBefore);

    for (const who of [lead, admin]) {
      for (const p of pages) expect((await visit(p, who.cookie)).status, `${who.user.role} ${p.name}`).toBe(200);
      // A region or school that does not exist is "not found".
      expect((await status(regionRoute.loader, "/lead/regions/nope", who, { regionId: "nope" })).status).toBe(404);
      expect((await status(schoolRoute.loader, "/lead/schools/nope", who, { schoolId: "nope" })).status).toBe(404);
    }
  });
});

describe("goal list and growth exports", () => {
  it("export the goal list (active and archived) and the growth table with the page's figures", async () => {
    const G = await createProgram(prisma);
    const S = await createSchool(prisma);
    const noHeadcount = await createSchool(prisma);
    await prisma.headcount.create({ data: { schoolId: S.id, schoolYear: 2025, staffCount: 4, studentCount: 50 } });
    for (const on of ["2025-10-01", "2025-12-15", "2026-02-01"]) {
      const p = await person("Grower", on, "STAFF", [[S.id, 2025]]);
      await issueCertification(prisma, { personId: p.id, programId: G.id, issuedOn: day(on) });
    }
    const goal = (over: { measure?: "PEOPLE_TRAINED" | "STAFF_REACH"; target?: number; scope?: "DISTRICT" | "SCHOOL"; schoolId?: string; archivedAt?: Date } = {}) =>
      prisma.goal.create({
        data: {
          programId: G.id, scope: over.scope ?? "DISTRICT", schoolId: over.schoolId, measure: over.measure ?? "PEOPLE_TRAINED", target: over.target ?? 10,
          startsOn: day("2025-09-01"), deadline: day("2026-06-01"), archivedAt: over.archivedAt,
        },
      });
    await goal();
    await goal({ scope: "SCHOOL", schoolId: noHeadcount.id, measure: "STAFF_REACH", target: 25 });
    await goal({ target: 2, archivedAt: new Date() });

    const active = await download(goalsCsv.loader, "/lead/goals/export.csv?table=active&asOf=2026-03-01", lead);
    expect(active.status).toBe(200);
    expect(active.headers.get("Content-Disposition")).toBe('attachment; filename="goals-active-as-of-2026-03-01.csv"');
    const mine = active.rows.filter((r) => r.Program === G.name);
    // 3 trained by 1 March, 1 by 1 December: 2 in 90 days; 7 to go in 92 days; 3 + 2/90 × 92 = 5.0 at the deadline.
    expect(mine).toEqual([
      {
        Measure: "People trained", Target: "10", Scope: "District", Program: G.name, "Starts on": "2025-09-01", Deadline: "2026-06-01",
        Progress: "3", "Progress (% of target)": "30", "Pace needed (per 30 days)": (7 / 92 * 30).toFixed(1),
        "Current pace, last 90 days (per 30 days)": (2 / 90 * 30).toFixed(1), "Projected at deadline": "5", Status: "At risk",
      },
      {
        Measure: "Staff reach (%)", Target: "25.0", Scope: `School: ${noHeadcount.name} (${noHeadcount.code})`, Program: G.name, "Starts on": "2025-09-01", Deadline: "2026-06-01",
        Progress: "", "Progress (% of target)": "", "Pace needed (per 30 days)": "", "Current pace, last 90 days (per 30 days)": "", "Projected at deadline": "", Status: "No headcount",
      },
    ]);
    expect(active.text).not.toMatch(/NaN|Infinity/);
    const archived = await download(goalsCsv.loader, "/lead/goals/export.csv?table=archived&asOf=2026-03-01", lead);
    expect(archived.rows.filter((r) => r.Program === G.name)).toEqual([expect.objectContaining({ Target: "2", Progress: "3", Status: "Reached" })]);
    const bad = await download(goalsCsv.loader, "/lead/goals/export.csv?table=all&asOf=2026-02-30", lead);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("asOf: As-of date must be a real date");
    expect(bad.text).toContain("table: Table must be one of: active, archived");

    const growth = await download(growthCsv.loader, `/lead/growth/export.csv?program=${G.code}&from=2025-09-01&to=2026-02-28`, lead);
    expect(growth.status).toBe(200);
    expect(growth.headers.get("Content-Disposition")).toBe(`attachment; filename="growth-district-${G.code.toLowerCase()}-2025-09-01-to-2026-02-28.csv"`);
    expect(growth.header).toEqual(["Month", "People trained", "Trained for the first time", "Running total (distinct people)"]);
    expect(growth.rows.map((r) => Object.values(r))).toEqual([
      ["2025-09", "0", "0", "0"], ["2025-10", "1", "1", "1"], ["2025-11", "0", "0", "1"], ["2025-12", "1", "1", "2"], ["2026-01", "0", "0", "2"], ["2026-02", "1", "1", "3"],
    ]);
    // Staff reach at the school (4 staff): one more in four each time someone is trained.
    const reach = await download(growthCsv.loader, `/lead/growth/export.csv?scope=school&school=${S.code}&program=${G.code}&from=2025-09-01&to=2026-02-28&line=reach`, lead);
    expect(reach.rows.map((r) => r["Staff reach at month end (%)"])).toEqual(["0.0", "25.0", "25.0", "50.0", "50.0", "75.0"]);
    const none = await download(growthCsv.loader, `/lead/growth/export.csv?scope=school&school=${noHeadcount.code}&program=${G.code}&from=2025-09-01&to=2025-10-31&line=reach`, lead);
    expect(none.rows.map((r) => r["Staff reach at month end (%)"])).toEqual(["no headcount", "no headcount"]);
    const badGrowth = await download(growthCsv.loader, "/lead/growth/export.csv?scope=school&school=NOPE-1", lead);
    expect(badGrowth.status).toBe(400);
    expect(badGrowth.text).toContain('school: School code must be a school\'s code; no school has the code "NOPE-1"');

    // The links beside the tables keep the page's as-of day and scope.
    const list = await renderPage("/lead/goals", goalList, makeRequest("/lead/goals?asOf=2026-03-01", { cookie: lead.cookie }));
    expect(csvLinks(list.html)).toEqual(["/lead/goals/export.csv?table=active&asOf=2026-03-01", "/lead/goals/export.csv?table=archived&asOf=2026-03-01"]);
    const growthPageHtml = await renderPage("/lead/growth", growthPage, makeRequest(`/lead/growth?scope=school&school=${S.code}&program=${G.code}&from=2025-09-01&to=2026-02-28&line=reach`, { cookie: lead.cookie }));
    const [growthLink] = csvLinks(growthPageHtml.html);
    expect(Object.fromEntries(new URL(growthLink, "http://x").searchParams)).toEqual({ scope: "school", school: S.code, program: G.code, from: "2025-09-01", to: "2026-02-28", line: "reach" });
    expect((await download(growthCsv.loader, growthLink, lead)).rows).toEqual(reach.rows);

    // Only program leads and administrators.
    for (const role of ["COORDINATOR", "TRAINER", "MEMBER"] as const) {
      const who = await signIn(role);
      expect((await download(goalsCsv.loader, "/lead/goals/export.csv", who)).status, role).toBe(403);
      expect((await download(growthCsv.loader, "/lead/growth/export.csv", who)).status, role).toBe(403);
    }
    expect((await download(goalsCsv.loader, "/lead/goals/export.csv", admin)).status).toBe(200);
  });
});
