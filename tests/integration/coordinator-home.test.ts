/**
 * The coordinator's home (/coordinator): YMHFA staff reach per school (certified, expiring within 90
 * days, share of the headcount) and the list of staff and partners whose certificate expires soon,
 * with the cases that decide who counts: renewals, expired and future certificates, other programs,
 * last year's staff, students, partners, someone at two of the schools, a school that is not theirs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { createPerson, createProgram, createSchool, issueCertification } from "../../prisma/seed/factories";
import { addDays, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import * as coordinatorHome from "~/routes/coordinator._index";

const today = startOfDayUtc(new Date());
const year = schoolYearOf(today);

const HomeData = z.object({
  schools: z.array(z.object({
    id: z.string(), code: z.string(), name: z.string(), staffHeadcount: z.number().nullable(), certifiedStaff: z.number(), expiringSoon: z.number(), staffReach: z.number().nullable(),
  })),
  expiring: z.array(z.object({
    id: z.string(), expiresOn: z.coerce.date(), program: z.object({ name: z.string() }),
    person: z.object({ id: z.string() }), schools: z.array(z.string()),
  })),
});

let mine: { id: string; name: string };
let alsoMine: { id: string; name: string };
let elsewhere: { id: string; name: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  const ymhfa = (await prisma.program.findUnique({ where: { code: "YMHFA" } })) ?? (await createProgram(prisma, { preset: "YMHFA", code: "YMHFA", name: "Youth Mental Health First Aid" }));
  const other = await createProgram(prisma, { preset: "QPR" });
  const u = unique("ch");
  // Names sort M before N: the table lists schools by name.
  mine = await createSchool(prisma, { name: `Coordinator M ${u}` });
  alsoMine = await createSchool(prisma, { name: `Coordinator N ${u}` });
  elsewhere = await createSchool(prisma, { name: `Coordinator E ${u}` });
  await prisma.headcount.create({ data: { schoolId: mine.id, schoolYear: year, staffCount: 10, studentCount: 100 } });

  const person = async (key: string, kind: "STAFF" | "STUDENT" | "COMMUNITY", at: Array<[string, number]>) => {
    const p = await createPerson(prisma, { kind, firstName: key, lastName: `${key}-${u}`, affiliations: at.map(([schoolId, schoolYear]) => ({ schoolId, schoolYear })) });
    ids[key] = p.id;
    return p.id;
  };
  /** A certificate issued `issuedDaysAgo` days ago that expires in `expiresIn` days (null: never). */
  const certify = (personId: string, programId: string, issuedDaysAgo: number, expiresIn: number | null, renews?: string) =>
    issueCertification(prisma, { personId, programId, issuedOn: addDays(today, -issuedDaysAgo), expiresOn: expiresIn === null ? null : addDays(today, expiresIn), renews });

  await certify(await person("Current", "STAFF", [[mine.id, year]]), ymhfa.id, 300, 400);
  ids.soonCert = (await certify(await person("Soon", "STAFF", [[mine.id, year]]), ymhfa.id, 1000, 30)).id;
  const renewed = await person("Renewed", "STAFF", [[mine.id, year]]);
  const old = await certify(renewed, ymhfa.id, 1000, 20);
  await certify(renewed, ymhfa.id, 5, 1090, old.id);
  await certify(await person("Expired", "STAFF", [[mine.id, year]]), ymhfa.id, 1100, -10);
  await certify(await person("Future", "STAFF", [[mine.id, year]]), ymhfa.id, -3, 1000);
  const both = await person("Both", "STAFF", [[mine.id, year], [alsoMine.id, year]]);
  await certify(both, ymhfa.id, 100, null);
  ids.bothOtherCert = (await certify(both, other.id, 700, 10)).id;
  await certify(await person("LastYear", "STAFF", [[mine.id, year - 1]]), ymhfa.id, 100, 30);
  await certify(await person("Student", "STUDENT", [[mine.id, year]]), ymhfa.id, 100, 30);
  ids.partnerCert = (await certify(await person("Partner", "COMMUNITY", [[mine.id, year]]), ymhfa.id, 1000, 30)).id;
  await certify(await person("Away", "STAFF", [[elsewhere.id, year]]), ymhfa.id, 1000, 30);
  const twice = await person("Twice", "STAFF", [[mine.id, year]]);
  ids.twiceSoonCert = (await certify(twice, ymhfa.id, 1000, 60)).id;
  await certify(twice, ymhfa.id, 10, 700);
}, 60_000);

async function openHome(schoolIds: string[]) {
  const { cookie } = await signIn("COORDINATOR", { schoolIds });
  const res = await call(() => coordinatorHome.loader({ request: makeRequest("/coordinator", { cookie }), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return HomeData.parse(res.data);
}

describe("coordinator home", () => {
  it("counts staff holding a current YMHFA certificate and those whose cover (not renewed) ends within 90 days, at each of their schools", async () => {
    const home = await openHome([mine.id, alsoMine.id]);
    // Current, Soon, Renewed (its renewal holds), Both, Twice; expiring: Soon and Twice (a certificate not renewed ends within 90 days).
    expect(home.schools).toEqual([
      { id: mine.id, code: expect.any(String), name: mine.name, staffHeadcount: 10, certifiedStaff: 5, expiringSoon: 2, staffReach: 0.5 },
      // Someone at two schools counts at both; no headcount, no share.
      { id: alsoMine.id, code: expect.any(String), name: alsoMine.name, staffHeadcount: null, certifiedStaff: 1, expiringSoon: 0, staffReach: null },
    ]);
  });

  it("lists staff and partners whose certificate of any program expires within 90 days, soonest first, once each with their schools", async () => {
    const home = await openHome([mine.id, alsoMine.id]);
    // Partner and Soon both expire in 30 days: by last name.
    expect(home.expiring.map((c) => c.id)).toEqual([ids.bothOtherCert, ids.partnerCert, ids.soonCert, ids.twiceSoonCert]);
    expect(home.expiring[0].person.id).toBe(ids.Both);
    expect([...home.expiring[0].schools].sort()).toEqual([mine.name, alsoMine.name].sort());
    expect(home.expiring.some((c) => c.person.id === ids.Student || c.person.id === ids.LastYear || c.person.id === ids.Away || c.person.id === ids.Renewed)).toBe(false);
  });

  it("a coordinator of another school sees none of them", async () => {
    const home = await openHome([elsewhere.id]);
    expect(home.schools).toEqual([expect.objectContaining({ id: elsewhere.id, certifiedStaff: 1, expiringSoon: 1 })]);
    expect(home.expiring.map((c) => c.person.id)).toEqual([ids.Away]);
  });
});
