/**
 * The counts behind goals, growth and the printable report, as rewritten for district scale (issue 13):
 * people trained in a period and per month are found from a scope's affiliations or by index, merged
 * records through a list of the merged, staff reach on several days in one query, and the report's
 * "people trained in the period" read from its growth table. Every number is counted by hand from the
 * fixture below, under a program of its own so that other tests' records never count.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { growthSeries, peopleTrainedInScope, staffReachPercents, type ReachScope } from "~/models/reach-growth.server";
import { goalProgress, listGoalsWithProgress } from "~/models/goal.server";
import * as reportPage from "~/routes/lead.report";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

// The period spans two school years (2024-25 and 2025-26); a certificate counts in a region or school
// when its record was affiliated there in the school year the certificate was issued in.
const FROM = "2025-03-01";
const TO = "2026-02-28";
const AS_OF = "2026-03-01";

let program: { id: string; code: string };
let region: { id: string; code: string };
let schoolA: { id: string; code: string };
let schoolB: { id: string; code: string };
const scopeOfRegion = (): ReachScope => ({ scope: "REGION", regionId: region.id });

beforeAll(async () => {
  program = await createProgram(prisma);
  region = await createRegion(prisma);
  schoolA = await createSchool(prisma, { regionId: region.id });
  schoolB = await createSchool(prisma, { regionId: region.id });
  const elsewhere = await createSchool(prisma);
  // Staff reach: 10 staff at A in 2025-26; B's headcount of 0 and a school without one are left out.
  await prisma.headcount.create({ data: { schoolId: schoolA.id, schoolYear: 2025, staffCount: 10, studentCount: 100 } });
  await prisma.headcount.create({ data: { schoolId: schoolB.id, schoolYear: 2025, staffCount: 0, studentCount: 50 } });
  const at = (schoolId: string, schoolYear = 2025) => ({ schoolId, schoolYear });
  const certify = (personId: string, on: string) => issueCertification(prisma, { personId, programId: program.id, issuedOn: day(on) });

  // p1: staff at both schools of the region: one person in the region. September.
  const p1 = await createPerson(prisma, { kind: "STAFF", affiliations: [at(schoolA.id), at(schoolB.id)] });
  await certify(p1.id, "2025-09-10");
  // p2: a student trained twice (October, November): counted once, new in October.
  const p2 = await createPerson(prisma, { kind: "STUDENT", affiliations: [at(schoolA.id)] });
  await certify(p2.id, "2025-10-01");
  await certify(p2.id, "2025-11-15");
  // p3: at A in 2024-25 only, trained in 2025-26: not the region's; the district's (September).
  const p3 = await createPerson(prisma, { kind: "STUDENT", affiliations: [at(schoolA.id, 2024)] });
  await certify(p3.id, "2025-09-20");
  // p4: another region's school: the district's only (September).
  const p4 = await createPerson(prisma, { kind: "STAFF", affiliations: [at(elsewhere.id)] });
  await certify(p4.id, "2025-09-15");
  // p5: a community member with no school: the district's only (December).
  const p5 = await createPerson(prisma, { kind: "COMMUNITY" });
  await certify(p5.id, "2025-12-01");
  // A duplicate (at A) merged into a survivor (at B): one person, first trained in September through the
  // duplicate's certificate; the survivor's own training in January is not a new person.
  const survivor = await createPerson(prisma, { kind: "STAFF", affiliations: [at(schoolB.id)] });
  const duplicate = await createPerson(prisma, { kind: "STAFF", affiliations: [at(schoolA.id)], mergedIntoId: survivor.id });
  await certify(duplicate.id, "2025-09-05");
  await certify(survivor.id, "2026-01-10");
  // p6: at A in 2025-26 only, trained in June 2025 (school year 2024-25): the district's only.
  const p6 = await createPerson(prisma, { kind: "STUDENT", affiliations: [at(schoolA.id)] });
  await certify(p6.id, "2025-06-20");
  // p7: at A in 2024-25, trained in March 2025: the region's (and A's) in the period's first month.
  const p7 = await createPerson(prisma, { kind: "STUDENT", affiliations: [at(schoolA.id, 2024)] });
  await certify(p7.id, "2025-03-01");
  // Outside the period on both sides.
  const early = await createPerson(prisma, { kind: "STAFF", affiliations: [at(schoolA.id, 2024)] });
  await certify(early.id, "2025-02-28");
  const late = await createPerson(prisma, { kind: "STAFF", affiliations: [at(schoolA.id)] });
  await certify(late.id, "2026-03-02");
});

describe("people trained in a period, by scope", () => {
  it("counts each person once, by the school year of each certificate, merged records as one", async () => {
    const midpoint = day("2025-09-30");
    // Region: p7 (March), the merged pair (September), p1 (September), p2 (October): 4; 3 by the end of September.
    expect(await peopleTrainedInScope(scopeOfRegion(), program.id, day(FROM), day(TO), midpoint)).toEqual({ total: 4, byMidpoint: 3 });
    // School A: the same four (the merged pair through the duplicate, who was at A).
    expect(await peopleTrainedInScope({ scope: "SCHOOL", schoolId: schoolA.id }, program.id, day(FROM), day(TO), midpoint)).toEqual({ total: 4, byMidpoint: 3 });
    // District: everyone trained in the period, with or without a school: p1-p7 and the merged pair: 8;
    // by the end of September all but p2 and p5: 6.
    expect(await peopleTrainedInScope({ scope: "DISTRICT" }, program.id, day(FROM), day(TO), midpoint)).toEqual({ total: 8, byMidpoint: 6 });
  });

  it("per month: distinct people trained, new people, and a running total that ends at the period's count", async () => {
    const series = (scope: ReachScope, kinds: Array<"STAFF" | "STUDENT" | "COMMUNITY"> = ["STAFF", "STUDENT", "COMMUNITY"]) =>
      growthSeries({ scope, programId: program.id, from: day(FROM), to: day(TO), asOf: day(AS_OF), kinds, withReach: false });
    const byMonth = (rows: Awaited<ReturnType<typeof series>>) =>
      Object.fromEntries(rows.filter((r) => r.trained || r.newPeople).map((r) => [r.month, [r.trained, r.newPeople]]));

    const regionRows = await series(scopeOfRegion());
    expect(byMonth(regionRows)).toEqual({ "2025-03": [1, 1], "2025-09": [2, 2], "2025-10": [1, 1], "2025-11": [1, 0], "2026-01": [1, 0] });
    expect(regionRows.at(-1)?.cumulativePeople).toBe(4);

    const districtRows = await series({ scope: "DISTRICT" });
    expect(byMonth(districtRows)).toEqual({
      "2025-03": [1, 1], "2025-06": [1, 1], "2025-09": [4, 4], "2025-10": [1, 1], "2025-11": [1, 0], "2025-12": [1, 1], "2026-01": [1, 0],
    });
    expect(districtRows.at(-1)?.cumulativePeople).toBe(8);

    // Students only (the record's kind): in the region p7 and p2.
    const students = await series(scopeOfRegion(), ["STUDENT"]);
    expect(byMonth(students)).toEqual({ "2025-03": [1, 1], "2025-10": [1, 1], "2025-11": [1, 0] });
    expect(students.at(-1)?.cumulativePeople).toBe(2);
  });

  it("the printable report's people trained in the period is the same count", async () => {
    const lead = await signIn("PROGRAM_LEAD");
    const url = `/lead/report?scope=region&region=${region.code}&program=${program.code}&from=${FROM}&to=${TO}`;
    const res = await call(() => reportPage.loader({ request: makeRequest(url, { cookie: lead.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(200);
    const report = z.object({ peopleTrainedInPeriod: z.number(), growth: z.array(z.object({ cumulativePeople: z.number().nullable() })) }).parse(res.data);
    expect(report.peopleTrainedInPeriod).toBe(4);
    expect(report.growth.at(-1)?.cumulativePeople).toBe(4);
  });
});

describe("staff reach on several days at once", () => {
  it("sums the schools with a staff headcount on each day, in that day's school year", async () => {
    // 2025-05-01 is in 2024-25, when no school of the region has a headcount: no reach. In 2025-26 only A
    // counts (10 staff): nobody on 1 August, the merged pair from 5 September (10%), and p1 too from
    // 10 September (20%). Students and the staff member trained after the day do not count.
    const days = ["2025-05-01", "2025-08-01", "2025-09-09", "2025-10-01", AS_OF];
    const reach = await staffReachPercents(days.map((on) => ({ scope: scopeOfRegion(), programId: program.id, day: day(on) })));
    expect(reach).toEqual([
      { percent: null, staffCurrent: 0, staffHeadcount: null },
      { percent: 0, staffCurrent: 0, staffHeadcount: 10 },
      { percent: 10, staffCurrent: 1, staffHeadcount: 10 },
      { percent: 20, staffCurrent: 2, staffHeadcount: 10 },
      { percent: 20, staffCurrent: 2, staffHeadcount: 10 },
    ]);
  });

  it("answers each ask for its own scope and program in one query, and the goals list reads them so", async () => {
    const on = day("2025-10-01");
    const other = await createProgram(prisma);
    const reach = await staffReachPercents([
      { scope: scopeOfRegion(), programId: program.id, day: on },
      { scope: { scope: "SCHOOL", schoolId: schoolA.id }, programId: program.id, day: on },
      { scope: { scope: "SCHOOL", schoolId: schoolB.id }, programId: program.id, day: on },
      { scope: scopeOfRegion(), programId: other.id, day: on },
    ]);
    // A: 2 of 10 staff; B's headcount is 0, so it has no reach; nobody holds the other program.
    expect(reach.map((r) => r.percent)).toEqual([20, 20, null, 0]);

    const made = await Promise.all([
      prisma.goal.create({ data: { scope: "REGION", regionId: region.id, programId: program.id, measure: "STAFF_REACH", target: 30, startsOn: day(FROM), deadline: day("2026-06-30") } }),
      prisma.goal.create({ data: { scope: "SCHOOL", schoolId: schoolB.id, programId: program.id, measure: "STAFF_REACH", target: 30, startsOn: day(FROM), deadline: day("2026-06-30") } }),
      prisma.goal.create({ data: { scope: "REGION", regionId: region.id, programId: program.id, measure: "PEOPLE_TRAINED", target: 10, startsOn: day(FROM), deadline: day("2026-06-30") } }),
    ]);
    const listed = await listGoalsWithProgress({ archived: false, asOf: day(AS_OF), programId: program.id, scope: scopeOfRegion() });
    // As of 1 March 2026 (90 days before: 1 December 2025): the region's reach 20% then and now; B none;
    // 4 people trained in the region, all by 1 December.
    expect(listed.map((g) => [g.id, g.progress.value, g.progress.valueWindowAgo])).toEqual(
      expect.arrayContaining([[made[0].id, 20, 20], [made[1].id, null, null], [made[2].id, 4, 4]]),
    );
    expect(listed).toHaveLength(3);
    for (const goal of listed) expect(goal.progress).toEqual(await goalProgress(goal, day(AS_OF)));
  });
});
