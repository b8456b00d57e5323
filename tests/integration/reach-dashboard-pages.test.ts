/**
 * The dashboard reads its schools a page at a time (issue 13, state scale): the regions' and the district's sums
 * come from SQL, and the schools are sorted and paged before their figures are read. Whatever the program,
 * audience, region, search, sort and direction, its pages put together must be exactly the whole list as the
 * region page and report compute it (every school's figures, sorted in JavaScript), and its district and region
 * rows the same as theirs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "./helpers";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { parseReachFilters, SCHOOL_SORTS } from "~/domain/reach-filters";
import { filterSchools, reachDashboard, reachFigures, resolveFilters, sortSchools } from "~/models/reach.server";

const NOW = new Date("2026-03-02T15:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

let regionIds: string[] = [];

beforeAll(async () => {
  // YMHFA (the readiness program) and QPR, under the codes the pages look for.
  const ymhfa = await createProgram(prisma, { code: "YMHFA", name: "Youth Mental Health First Aid" });
  const qpr = await createProgram(prisma, { code: "QPR", name: "QPR", validityMonths: null, renewalWindowDays: null, requiresPostWork: false });
  const north = await createRegion(prisma, { code: "N", name: "North" });
  const south = await createRegion(prisma, { code: "S", name: "south" });
  await createRegion(prisma, { code: "E", name: "Empty" }); // no schools: no row
  regionIds = [north.id, south.id];
  // Names whose order differs between byte order and the pages' collation (numbers, case, accents).
  const names = ["School 9", "School 10", "school 2", "École Alpha", "Beta Academy", "beta academy", "Zeta", "Gamma 1", "Gamma 01", "Delta", "Omega", "Alpha"];
  const schools: Array<{ id: string }> = [];
  for (const [i, name] of names.entries()) {
    // A safety protocol at all but every fourth school (Teen MHFA readiness needs one), one adopted after the as-of days.
    const safetyProtocolSince = i % 4 === 3 ? null : i === 6 ? new Date(Date.UTC(2031, 0, 1)) : new Date(Date.UTC(2024, 8, 1));
    const school = await createSchool(prisma, { name, code: `C${(i * 7) % 12}`, regionId: i % 3 === 0 ? south.id : north.id, safetyProtocolSince });
    schools.push(school);
    // Headcounts: none for two schools, 0 for one, small ones so readiness and shares vary.
    if (i === 4 || i === 7) continue;
    await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2025, staffCount: i === 5 ? 0 : 3 + (i % 5) * 4, studentCount: 50 } });
  }
  await createSchool(prisma, { name: "Closed school", regionId: north.id, active: false });
  const at = (i: number) => ({ schoolId: schools[i].id, schoolYear: 2025 });
  for (const [i] of schools.entries()) {
    // Staff: (i % 4) YMHFA-current staff, one expired, and an itinerant at two schools.
    for (let k = 0; k < i % 4; k += 1) {
      const p = await createPerson(prisma, { kind: "STAFF", affiliations: [at(i)] });
      await issueCertification(prisma, { personId: p.id, programId: ymhfa.id, issuedOn: day("2025-01-10") });
    }
    const lapsed = await createPerson(prisma, { kind: "STAFF", affiliations: [at(i)] });
    await issueCertification(prisma, { personId: lapsed.id, programId: ymhfa.id, issuedOn: day("2022-01-10") });
    if (i % 5 === 0) {
      const both = await createPerson(prisma, { kind: "STAFF", affiliations: [at(i), at((i + 1) % schools.length)] });
      await issueCertification(prisma, { personId: both.id, programId: ymhfa.id, issuedOn: day("2025-09-10") });
      await issueCertification(prisma, { personId: both.id, programId: qpr.id, issuedOn: day("2025-10-10") });
    }
    // Students trained in QPR this year, and a community partner.
    for (let k = 0; k < (i * 3) % 5; k += 1) {
      const s = await createPerson(prisma, { kind: "STUDENT", affiliations: [at(i)] });
      await issueCertification(prisma, { personId: s.id, programId: qpr.id, issuedOn: day("2025-11-0" + (1 + k)) });
    }
    if (i % 4 === 1) {
      const c = await createPerson(prisma, { kind: "COMMUNITY", affiliations: [at(i)] });
      await issueCertification(prisma, { personId: c.id, programId: qpr.id, issuedOn: day("2025-12-01") });
    }
  }
});

const narrowings = (): Array<Record<string, string>> => [{ region: regionIds[0] }, { q: "school" }, { audience: "students" }];

async function both(query: Record<string, string>, pageSize: number) {
  const parsed = parseReachFilters(new URLSearchParams(query), NOW);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const f = parsed.filters;
  const resolved = await resolveFilters(f);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  // The whole list as the region page and report compute it.
  const whole = await reachFigures({ filters: f, programId: resolved.program.id, ymhfaProgramId: resolved.ymhfa?.id ?? null, scope: {} });
  const regionId = resolved.region?.id;
  const expected = {
    district: whole.total,
    regions: regionId ? whole.regions.filter((r) => r.id === regionId) : whole.regions,
    schools: sortSchools(filterSchools(regionId ? whole.schools.filter((s) => s.regionId === regionId) : whole.schools, f.q), f.sort, f.dir),
  };
  const first = await reachDashboard(f, resolved, { page: 1, pageSize });
  const pages = [first];
  for (let page = 2; page <= first.pageCount; page += 1) pages.push(await reachDashboard(f, resolved, { page, pageSize }));
  const all = await reachDashboard(f, resolved, { page: "all", pageSize });
  // The page the query string asks for.
  const asked = await reachDashboard(f, resolved, { pageSize });
  return { expected, first, pages, all, asked };
}

describe("the dashboard's pages of schools", () => {
  it("put together, are the whole list in every order, with the same district and region rows", async () => {
    let compared = 0;
    // Every order on the whole district; a region, a search and an audience with a text order, a figure order
    // and the headcount order (read without figures).
    const cases = [
      ...SCHOOL_SORTS.map((sort) => ({ sort, extra: {} as Record<string, string> })),
      ...["name", "reach", "headcount"].flatMap((sort) => narrowings().map((extra) => ({ sort, extra }))),
    ];
    for (const program of ["YMHFA", "QPR"]) {
      for (const { sort, extra } of cases) {
        for (const dir of ["asc", "desc"]) {
          {
            const { expected, first, pages, all } = await both({ program, sort, dir, year: "2025-26", asOf: "2026-03-02", ...extra }, 3);
            const label = JSON.stringify({ program, sort, dir, extra });
            expect(first.district, label).toEqual(expected.district);
            expect(first.regions, label).toEqual(expected.regions);
            expect(first.schoolCount, label).toBe(expected.schools.length);
            expect(first.pageCount, label).toBe(Math.max(1, Math.ceil(expected.schools.length / 3)));
            expect(pages.flatMap((p) => p.schools), label).toEqual(expected.schools);
            expect(all.schools, label).toEqual(expected.schools);
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(2 * cases.length * 2);
  }, 180_000);

  it("keeps a page past the end on the last page, and the figures vary (the data set is not trivial)", async () => {
    const { expected, asked } = await both({ program: "YMHFA", page: "99" }, 5);
    expect(asked.pageCount).toBe(3);
    expect(asked.page).toBe(3);
    expect(asked.schools).toEqual(expected.schools.slice(10));
    // Readiness, shares and missing headcounts all occur.
    const whole = expected.schools;
    expect(new Set(whole.map((s) => s.teenReady))).toEqual(new Set([true, false, null]));
    expect(expected.district.schoolsWithoutHeadcount).toBe(3);
    expect(expected.district.teenReadySchools).toBeGreaterThan(0);
    expect(expected.regions.map((r) => r.name)).toEqual(["North", "south"]);
  });
});
