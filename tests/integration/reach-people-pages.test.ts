/**
 * The people behind a figure, page by page (app/models/reach-sql.server.ts, listPeopleBehind): every way
 * of reaching a page (its number, Next from the page before, Previous from the page after, a page in
 * the list's second half read from the end) gives the same people, in name order, as one long page;
 * and the total is the figure's. Both ways a list is read are covered: a region's "students trained
 * while here, all time" (walked in name order, total from the rollup) and the lists read from the
 * scope's members (a region's staff, a school's students).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "./helpers";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { startOfDayUtc } from "~/domain/program-rules";
import type { ReachFilters } from "~/domain/reach-filters";
import { parsePeopleQuery, type PeopleListName } from "~/domain/reach-people";
import { peopleBehind } from "~/models/reach.server";
import type { ScopeFilter } from "~/models/reach-sql.server";
import type { VisibilityViewer } from "~/models/people-visibility.server";

const day = (iso: string) => startOfDayUtc(new Date(`${iso}T00:00:00Z`));
const filters: ReachFilters = {
  schoolYear: 2025, asOf: day("2026-03-01"), programCode: null, regionId: null, audience: "all", q: "", sort: "name", dir: "asc", page: 1,
};
const admin: VisibilityViewer = { id: "reach-pages-admin", role: "ADMIN", schoolIds: [], personId: null };

let programId = "";
let regionId = "";
let s1 = "";
let s2 = "";
const expected: { regionStudents: string[]; regionStaff: string[]; schoolStudents: string[] } = { regionStudents: [], regionStaff: [], schoolStudents: [] };

beforeAll(async () => {
  programId = (await createProgram(prisma, { preset: "QPR" })).id;
  const region = await createRegion(prisma);
  regionId = region.id;
  s1 = (await createSchool(prisma, { regionId })).id;
  s2 = (await createSchool(prisma, { regionId })).id;
  const elsewhere = (await createSchool(prisma, { regionId: (await createRegion(prisma)).id })).id;
  const certify = (personId: string, issued: string, expires: string | null = null) =>
    issueCertification(prisma, { personId, programId, issuedOn: day(issued), expiresOn: expires == null ? null : day(expires) });
  const student = (first: string, last: string, at: Array<[string, number]>) =>
    createPerson(prisma, { firstName: first, lastName: last, kind: "STUDENT", affiliations: at.map(([schoolId, schoolYear]) => ({ schoolId, schoolYear })) });

  // Students trained while at the region's schools, over several years; same last names (and one same
  // full name) so that first names and ids break the ties.
  const names: Array<[string, string, string, number, string]> = [
    ["Ana", "Lopez", s1, 2021, "2021-10-01"], ["Ben", "Lopez", s2, 2022, "2022-11-01"], ["Ana", "Lopez", s2, 2023, "2023-09-15"],
    ["Cy", "Adams", s1, 2024, "2025-01-10"], ["Di", "Young", s1, 2025, "2025-09-01"], ["Ed", "Baker", s2, 2019, "2020-02-02"],
    ["Flo", "Zhang", s1, 2020, "2020-10-10"], ["Gus", "Moss", s1, 2025, "2026-02-27"], ["Hal", "Nash", s2, 2022, "2023-03-03"],
  ];
  for (const [first, last, school, year, issued] of names) {
    const p = await student(first, last, [[school, year]]);
    await certify(p.id, issued);
    expected.regionStudents.push(p.id);
    if (school === s1) expected.schoolStudents.push(p.id);
  }
  // Trained in a year when at another region's school: not counted here.
  const away = await student("Ivy", "Away", [[s1, 2021], [elsewhere, 2022]]);
  await certify(away.id, "2022-10-01");
  // Trained after the as-of day: not yet.
  const later = await student("Jo", "Later", [[s1, 2025]]);
  await certify(later.id, "2026-03-05");
  // A duplicate merged into its kept record: the duplicate was at s2 and trained there; the kept record
  // (at no school of the region) is listed, once.
  const kept = await student("Kim", "Kept", [[elsewhere, 2025]]);
  const dup = await student("Kim", "Kept", [[s2, 2023]]);
  await certify(dup.id, "2023-10-10");
  await prisma.person.update({ where: { id: dup.id }, data: { mergedIntoId: kept.id } });
  expected.regionStudents.push(kept.id);

  // Staff holding a current certificate at the region's schools this school year; one at both schools.
  for (const [first, last, at] of [["Al", "Ames", [s1]], ["Bo", "Cole", [s2]], ["Cal", "Diaz", [s1, s2]], ["Dee", "Evans", [s2]], ["Em", "Fox", [s1]]] as const) {
    const p = await createPerson(prisma, { firstName: first, lastName: last, kind: "STAFF", affiliations: at.map((schoolId) => ({ schoolId, schoolYear: 2025 })) });
    await certify(p.id, "2025-08-20", "2028-08-20");
    expected.regionStaff.push(p.id);
  }
  const byName = async (ids: string[]) => {
    const people = await prisma.person.findMany({ where: { id: { in: ids } }, select: { id: true, lastName: true, firstName: true } });
    const key = (p: { lastName: string; firstName: string; id: string }) => [p.lastName, p.firstName, p.id] as const;
    return people.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    }).map((p) => p.id);
  };
  expected.regionStudents = await byName(expected.regionStudents);
  expected.regionStaff = await byName(expected.regionStaff);
  expected.schoolStudents = await byName(expected.schoolStudents);
});

function open(list: PeopleListName, scope: ScopeFilter, page: number, more: { after?: string | null; before?: string | null; pageSize?: number } = {}) {
  return peopleBehind({ viewer: admin, list, filters, programId, scope, page, pageSize: more.pageSize ?? 2, after: more.after, before: more.before });
}

describe.each([
  { name: "a region's students trained while there, all time (walked in name order)", list: "students-all" as const, scope: () => ({ regionId }), ids: () => expected.regionStudents },
  { name: "a region's staff holding a current certificate (read from its members)", list: "staff-current" as const, scope: () => ({ regionId }), ids: () => expected.regionStaff },
  { name: "a school's students trained while there, all time (read from its members)", list: "students-all" as const, scope: () => ({ schoolIds: [s1] }), ids: () => expected.schoolStudents },
])("pages of $name", ({ list, scope, ids }) => {
  it("hold the figure's people once each, in name order, with the figure's total", async () => {
    const whole = await open(list, scope(), 1, { pageSize: 100 });
    expect(whole.people.map((p) => p.id)).toEqual(ids());
    expect(whole.total).toBe(ids().length);
  });

  it("give the same people by number, by Next, by Previous, and from the end", async () => {
    const all = ids();
    const pageCount = Math.ceil(all.length / 2);
    const slice = (page: number) => all.slice((page - 1) * 2, page * 2);
    // By number: the first half read forwards, the second half from the end.
    for (let page = 1; page <= pageCount; page += 1) {
      const got = await open(list, scope(), page);
      expect(got.people.map((p) => p.id), `page ${page} by number`).toEqual(slice(page));
      expect(got.pageCount).toBe(pageCount);
      expect(got.total).toBe(all.length);
    }
    // Next, from page 1 to the last.
    let current = await open(list, scope(), 1);
    for (let page = 2; page <= pageCount; page += 1) {
      expect(current.nextAfter, `Next link on page ${page - 1}`).toBe(slice(page - 1).at(-1));
      current = await open(list, scope(), page, { after: current.nextAfter });
      expect(current.people.map((p) => p.id), `page ${page} by Next`).toEqual(slice(page));
    }
    // Previous, from the last page back to the first.
    for (let page = pageCount - 1; page >= 1; page -= 1) {
      expect(current.previousBefore, `Previous link on page ${page + 1}`).toBe(slice(page + 1)[0]);
      current = await open(list, scope(), page, { before: current.previousBefore });
      expect(current.people.map((p) => p.id), `page ${page} by Previous`).toEqual(slice(page));
    }
  });

  it("a page past the end is empty and still says how many there are", async () => {
    const got = await open(list, scope(), 99);
    expect(got.people).toEqual([]);
    expect(got.total).toBe(ids().length);
  });
});

describe("the people list's page parameters", () => {
  it("take a person's id after or before, and name the parameter when it is wrong", () => {
    const ok = parsePeopleQuery(new URLSearchParams("list=students-all&listPage=3&listAfter=pe_01-x"));
    expect(ok).toEqual({ ok: true, list: "students-all", page: 3, after: "pe_01-x", before: null });
    expect(parsePeopleQuery(new URLSearchParams("list=students-all&listAfter=a%20b"))).toEqual({
      ok: false, errors: { listAfter: expect.stringMatching(/^List after must be/) },
    });
    expect(parsePeopleQuery(new URLSearchParams("list=students-all&listBefore=x&listAfter=y"))).toEqual({
      ok: false, errors: { listBefore: expect.stringMatching(/cannot both/) },
    });
  });

  it("a Next link from a person who has since left the list still lands after them in name order", async () => {
    const all = expected.regionStaff;
    // Evans's page 1 link, then Evans's certificate is withdrawn: page 2 still starts after Evans's name.
    const evans = await prisma.person.findFirstOrThrow({ where: { id: { in: all }, lastName: "Evans" } });
    const cert = await prisma.certification.findFirstOrThrow({ where: { personId: evans.id, programId } });
    await prisma.certification.update({ where: { id: cert.id }, data: { expiresOn: day("2026-01-01") } });
    try {
      const got = await open("staff-current", { regionId }, 2, { after: evans.id });
      expect(got.people.map((p) => p.id)).toEqual(all.slice(all.indexOf(evans.id) + 1, all.indexOf(evans.id) + 3));
    } finally {
      await prisma.certification.update({ where: { id: cert.id }, data: { expiresOn: day("2028-08-20") } });
    }
  });
});
