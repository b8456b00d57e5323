/**
 * Instructor certifications and each trainer's standing (issue 14): recording one, the courses that
 * count, the standings table and its CSV, linking a trainer account to its person, and who may see what.
 * Through the real routes and models, against dates relative to today (the routes read the clock).
 *
 * Program P (the YMHFA rule: 3 courses a year), program Q (no rule). Terry, a trainer person whose
 * account is linked, holds a P instructor certification issued 100 days ago (expires in 3 years):
 *   counts      P closed, Terry leads, last day 10 days ago
 *   counts      P closed, Terry co-trains, two days: 40 and 20 days ago (dated by the last)
 *   not counted P closed, Terry leads, last day begins 02:00 UTC on the issue date: the evening before in the district
 *   not counted P scheduled (not closed), Terry leads, 5 days ago
 *   not counted P cancelled, Terry leads, 15 days ago
 *   not counted Q closed, Terry leads, 12 days ago (another program)
 *   not counted P closed, another trainer alone, 8 days ago
 *   → 2 of 3 taught this certification year: short, needs 1 more by the day before the year's anniversary.
 * Eve holds a P instructor certification that expired yesterday.
 * P, like YMHFA, asks its instructors to hold a current P certificate themselves: Terry holds one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSession, issueCertification } from "../../prisma/seed/factories";
import { addDays } from "~/domain/program-rules";
import {
  coursesTaughtDays, districtToday, getInstructorStanding, instructorCertificationsOf, listInstructorStandings, recordInstructorCertification,
} from "~/models/instructors.server";
import * as recordRoute from "~/routes/people.$personId_.instructor-certifications.new";
import * as indexRoute from "~/routes/instructors._index";
import * as exportRoute from "~/routes/instructors.export[.csv]";
import * as standingRoute from "~/routes/instructors.$personId";
import * as personRoute from "~/routes/people.$personId";
import * as adminUserRoute from "~/routes/admin.users.$userId";

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const TODAY = new Date(`${districtToday()}T00:00:00Z`);
const dayOf = (offset: number) => addDays(TODAY, offset);
/** 9:00 in Los Angeles on the day `offset` days from today. */
const at9 = (offset: number) => new Date(dayOf(offset).getTime() + 17 * 3600_000);
const oneDay = (offset: number) => ({ startsAt: at9(offset), endsAt: new Date(at9(offset).getTime() + 6.5 * 3600_000) });

let admin: SignedIn;
let lead: SignedIn;
beforeAll(async () => {
  admin = await signIn("ADMIN");
  lead = await signIn("PROGRAM_LEAD");
});

async function district() {
  const P = await createProgram(prisma, { instructorCoursesPerYear: 3 });
  const Q = await createProgram(prisma, { preset: "QPR", instructorCoursesPerYear: null });
  const terry = await createPerson(prisma, { firstName: "Terry", lastName: unique("Trainer"), kind: "STAFF", districtId: unique("E") });
  const eve = await createPerson(prisma, { firstName: "Eve", lastName: unique("Expired"), kind: "COMMUNITY" });
  const other = await createPerson(prisma, { firstName: "Olga", lastName: unique("Other"), kind: "STAFF" });
  const terryAccount = await signIn("TRAINER", { personId: terry.id });
  const otherAccount = await signIn("TRAINER", { personId: other.id });
  const issuedOn = dayOf(-100);
  await prisma.instructorCertification.create({ data: { personId: terry.id, programId: P.id, issuedOn, expiresOn: addDays(issuedOn, 3 * 365) } });
  await prisma.instructorCertification.create({ data: { personId: eve.id, programId: P.id, issuedOn: dayOf(-1200), expiresOn: dayOf(0) } });
  await issueCertification(prisma, { personId: terry.id, programId: P.id, issuedOn: dayOf(-400) });
  const t = terryAccount.user.id;
  const closed = { status: "CLOSED" as const, closedAt: new Date() };
  const counted = [
    await createSession(prisma, { programId: P.id, leadTrainerId: t, days: [oneDay(-10)], ...closed }),
    await createSession(prisma, { programId: P.id, leadTrainerId: otherAccount.user.id, coTrainerIds: [t], days: [oneDay(-40), oneDay(-20)], ...closed }),
  ];
  const eveningBefore = new Date(issuedOn.getTime() + 2 * 3600_000);
  await createSession(prisma, { programId: P.id, leadTrainerId: t, days: [oneDay(-103), { startsAt: eveningBefore, endsAt: new Date(eveningBefore.getTime() + 3600_000) }], ...closed });
  await createSession(prisma, { programId: P.id, leadTrainerId: t, days: [oneDay(-5)] });
  await createSession(prisma, { programId: P.id, leadTrainerId: t, days: [oneDay(-15)], status: "CANCELLED", cancelledAt: new Date() });
  await createSession(prisma, { programId: Q.id, leadTrainerId: t, days: [oneDay(-12)], ...closed });
  await createSession(prisma, { programId: P.id, leadTrainerId: otherAccount.user.id, days: [oneDay(-8)], ...closed });
  return { P, Q, terry, eve, other, terryAccount, otherAccount, issuedOn, counted };
}

function recordPost(who: SignedIn, personId: string, form: Record<string, string>) {
  return call(() => recordRoute.action({ request: makeRequest(`/people/${personId}/instructor-certifications/new`, { method: "POST", cookie: who.cookie, form }), params: { personId }, context: {} }));
}
function recordPage(who: SignedIn, personId: string) {
  return call(() => recordRoute.loader({ request: makeRequest(`/people/${personId}/instructor-certifications/new`, { cookie: who.cookie }), params: { personId }, context: {} }));
}
function indexPage(who: SignedIn, query = "") {
  return call(() => indexRoute.loader({ request: makeRequest(`/instructors${query}`, { cookie: who.cookie }), params: {}, context: {} }));
}
function standingPage(who: SignedIn, personId: string) {
  return call(() => standingRoute.loader({ request: makeRequest(`/instructors/${personId}`, { cookie: who.cookie }), params: { personId }, context: {} }));
}
async function exportCsv(who: SignedIn, query = "") {
  try {
    const res = await exportRoute.loader({ request: makeRequest(`/instructors/export.csv${query}`, { cookie: who.cookie }), params: {}, context: {} });
    return { status: res.status, text: await res.text(), headers: res.headers };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: "", headers: thrown.headers };
    throw thrown;
  }
}

const VALID = (programId: string) => ({ programId, issuedOn: "2025-07-01", expiresOn: "2028-07-01", source: "MHFA USA instructor training", evidenceNote: "Instructor certificate PDF" });

describe("recording an instructor certification", () => {
  it("an administrator records one: stored with its dates, source and evidence, audited in plain words", async () => {
    const s = await district();
    const res = await recordPost(admin, s.other.id, VALID(s.P.id));
    expect(res.status).toBe(302);
    const certs = await instructorCertificationsOf(s.other.id);
    expect(certs).toHaveLength(1);
    expect(res.headers.get("Location")).toBe(`/people/${s.other.id}#instructor-certification-${certs[0].id}`);
    expect(certs[0]).toMatchObject({
      programId: s.P.id, issuedOn: new Date("2025-07-01T00:00:00Z"), expiresOn: new Date("2028-07-01T00:00:00Z"),
      source: "MHFA USA instructor training", evidenceNote: "Instructor certificate PDF",
      program: { id: s.P.id, code: s.P.code, name: s.P.name, instructorCoursesPerYear: 3 },
    });
    const stored = await prisma.instructorCertification.findUniqueOrThrow({ where: { id: certs[0].id } });
    expect(stored.recordedById).toBe(admin.user.id);
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "InstructorCertification", entityId: certs[0].id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["instructor-certification.record", admin.user.id]]);
    expect(JSON.parse(audit[0].details)).toEqual({
      personId: s.other.id, programId: s.P.id, issuedOn: "2025-07-01", expiresOn: "2028-07-01", source: "MHFA USA instructor training", evidenceNote: "Instructor certificate PDF",
    });
    // The person page lists it, with its status and the link to record another; its history says it in words.
    const page = await renderPage("/people/:personId", personRoute, makeRequest(`/people/${s.other.id}`, { cookie: lead.cookie }));
    const html = page.html.replaceAll("<!-- -->", "");
    expect(html).toContain(`${s.P.name} instructor`);
    expect(html).toContain(`/people/${s.other.id}/instructor-certifications/new`);
    expect(html).toContain(`recorded Olga ${s.other.lastName}&#x27;s ${s.P.code} instructor certification (issued Jul 1, 2025, expires Jul 1, 2028)`);
  });

  it("a blank expiry never expires; a blank evidence note is kept blank", async () => {
    const s = await district();
    const res = await recordPost(lead, s.other.id, { ...VALID(s.Q.id), expiresOn: "", evidenceNote: "" });
    expect(res.status).toBe(302);
    const [cert] = await instructorCertificationsOf(s.other.id);
    expect(cert).toMatchObject({ programId: s.Q.id, expiresOn: null, evidenceNote: null });
  });

  it("refuses bad input with a message naming the field, and writes nothing", async () => {
    const s = await district();
    const retired = await createProgram(prisma, { active: false });
    const tomorrow = iso(dayOf(1));
    const cases: Array<[string, Record<string, string>, Record<string, unknown>]> = [
      ["no program", { programId: "" }, { programId: "Program: choose the program it licenses them to teach" }],
      ["an unknown program", { programId: "nosuchprogram" }, { programId: "Program: choose a program from the list" }],
      ["a retired program", { programId: retired.id }, { programId: "Program: this program is retired; choose an active one" }],
      ["no issue date", { issuedOn: "" }, { issuedOn: "Issued on is required" }],
      ["a date that does not exist", { issuedOn: "2025-02-30" }, { issuedOn: expect.stringMatching(/^Issued on: /) }],
      ["an issue date in the future", { issuedOn: tomorrow }, { issuedOn: expect.stringMatching(/^Issued on: .* is in the future/) }],
      ["an expiry on the issue date", { expiresOn: "2025-07-01" }, { expiresOn: "Expires on: must be after the issue date (2025-07-01)" }],
      ["an expiry that does not exist", { expiresOn: "2028-13-01" }, { expiresOn: expect.stringMatching(/^Expires on: /) }],
      ["no source", { source: "  " }, { source: "Source is required" }],
      ["evidence too long", { evidenceNote: "e".repeat(501) }, { evidenceNote: "Evidence must be at most 500 characters" }],
    ];
    const before = await prisma.auditEvent.count({ where: { action: "instructor-certification.record" } });
    for (const [name, change, errors] of cases) {
      const res = await recordPost(admin, s.other.id, { ...VALID(s.P.id), ...change });
      expect(res.status, name).toBe(400);
      expect((res.data as { errors: Record<string, string> }).errors, name).toEqual(errors);
    }
    expect(await prisma.instructorCertification.count({ where: { personId: s.other.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "instructor-certification.record" } })).toBe(before);
  });

  it("the same certification twice, or twice at once, is recorded once; the second is told which field", async () => {
    const s = await district();
    const [a, b] = await Promise.all([recordPost(admin, s.other.id, VALID(s.P.id)), recordPost(lead, s.other.id, VALID(s.P.id))]);
    expect([a.status, b.status].sort()).toEqual([302, 400]);
    const refused = [a, b].find((r) => r.status === 400);
    expect((refused?.data as { errors: Record<string, string> }).errors).toEqual({ issuedOn: expect.stringMatching(/^Issued on: .*already recorded/) });
    expect(await prisma.instructorCertification.count({ where: { personId: s.other.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "instructor-certification.record", details: { contains: s.other.id } } })).toBe(1);
  });

  it("reusable from parsed values (an import): a merged record is refused", async () => {
    const s = await district();
    const merged = await createPerson(prisma, { firstName: "Mo", lastName: unique("Merged"), kind: "STAFF" });
    await prisma.person.update({ where: { id: merged.id }, data: { mergedIntoId: s.other.id } });
    await expect(recordInstructorCertification({
      personId: merged.id, programId: s.P.id, issuedOn: dayOf(-30), expiresOn: null, source: "Imported", evidenceNote: null, actorId: admin.user.id,
    })).rejects.toMatchObject({ field: "form" });
    const ok = await recordInstructorCertification({
      personId: s.other.id, programId: s.P.id, issuedOn: dayOf(-30), expiresOn: null, source: "Imported", evidenceNote: null, actorId: null,
    });
    expect(ok.id).toBeTruthy();
  });

  it("trainers, coordinators and members get 403 on the page and the post; an unknown person is a 404", async () => {
    const s = await district();
    const coordinator = await signIn("COORDINATOR");
    const member = await signIn("MEMBER", { personId: (await createPerson(prisma, { firstName: "Mem", lastName: unique("Ber"), kind: "STAFF" })).id });
    for (const who of [s.terryAccount, coordinator, member]) {
      expect((await recordPage(who, s.other.id)).status, who.user.role).toBe(403);
      expect((await recordPost(who, s.other.id, VALID(s.P.id))).status, who.user.role).toBe(403);
    }
    expect(await prisma.instructorCertification.count({ where: { personId: s.other.id } })).toBe(0);
    for (const who of [lead, admin]) expect((await recordPage(who, s.other.id)).status, who.user.role).toBe(200);
    expect((await recordPage(admin, "nosuchperson")).status).toBe(404);
    expect((await recordPost(admin, "nosuchperson", VALID(s.P.id))).status).toBe(404);
  });
});

describe("courses taught and standing", () => {
  it("counts closed sessions of the program that the trainer led or co-led, dated by their last day in the district", async () => {
    const s = await district();
    const days = await coursesTaughtDays(s.terry.id, s.P.id);
    // Newest first; the evening-before session dates to the day before the issue date.
    expect(days.map(iso)).toEqual([iso(dayOf(-10)), iso(dayOf(-20)), iso(dayOf(-101))]);
    expect((await coursesTaughtDays(s.terry.id, s.Q.id)).map(iso)).toEqual([iso(dayOf(-12))]);
    expect(await coursesTaughtDays(s.eve.id, s.P.id)).toEqual([]);

    const standing = await getInstructorStanding({ ...lead.user, schoolIds: [] }, s.terry.id);
    const p = standing?.standings.find((x) => x.program.id === s.P.id);
    expect(p?.standing).toMatchObject({ status: "short", coursesTaught: 2, coursesRequired: 3, coursesNeeded: 1 });
    expect(iso(p?.standing.year.startsOn ?? new Date(0))).toBe(iso(s.issuedOn));
    expect(p?.coursesThisYear.map((c) => [c.id, c.role])).toEqual([[s.counted[0].id, "LEAD"], [s.counted[1].id, "CO"]]);
  });

  it("the standings table: one row per instructor and program, filtered by program and status, expired first", async () => {
    const s = await district();
    const viewer = { ...lead.user, schoolIds: [] };
    const { rows } = await listInstructorStandings(viewer, { programId: s.P.id });
    expect(rows.map((r) => [r.person.id, r.standing.status, r.standing.coursesTaught])).toEqual([[s.eve.id, "expired", 0], [s.terry.id, "short", 2]]);
    expect((await listInstructorStandings(viewer, { programId: s.P.id, status: "short" })).rows.map((r) => r.person.id)).toEqual([s.terry.id]);
    expect((await listInstructorStandings(viewer, { programId: s.Q.id })).rows).toEqual([]);

    const page = await indexPage(lead, `?program=${s.P.id}`);
    expect(page.status).toBe(200);
    const data = page.data as { rows: Array<{ personId: string; statusWords: string }> };
    const terry = data.rows.find((r) => r.personId === s.terry.id);
    expect(terry?.statusWords).toMatch(/^Short: needs 1 more by [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    expect(data.rows.find((r) => r.personId === s.eve.id)?.statusWords).toBe(`Expired on ${new Date(`${districtToday()}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })}`);
    // Bad filters: 400 naming the field.
    const bad = await indexPage(lead, "?program=nosuch&status=great");
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { errors: Record<string, string> }).errors).sort()).toEqual(["program", "status"]);
  });

  it("the CSV holds what the table shows, with the filters; bad filters are a 400", async () => {
    const s = await district();
    const res = await exportCsv(admin, `?program=${s.P.id}&status=short`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="instructors-short-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Last name,First name,District ID,Program,Status,Certification issued,Certification expires,Certification year starts,Certification year ends,Courses taught this year,Courses required,Courses still needed,Needed by");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${s.terry.lastName},Terry,${s.terry.districtId},${s.P.name},"Short: needs 1 more by`);
    expect(lines[1]).toContain(`,${iso(s.issuedOn)},`);
    expect(lines[1]).toMatch(/,2,3,1,\d{4}-\d{2}-\d{2}$/);
    expect((await exportCsv(lead, "?status=nope")).status).toBe(400);
  });

  it("an instructor without a current certificate of the program themselves, where the program asks it, is told so: listed after the expired, filtered, in the CSV", async () => {
    const s = await district();
    expect(s.P.instructorNeedsCertificate).toBe(true);
    const nia = await createPerson(prisma, { firstName: "Nia", lastName: unique("Needs"), kind: "STAFF", districtId: unique("E") });
    await prisma.instructorCertification.create({ data: { personId: nia.id, programId: s.P.id, issuedOn: dayOf(-30), expiresOn: dayOf(1000) } });
    // An expired one and a revoked one do not count.
    await issueCertification(prisma, { personId: nia.id, programId: s.P.id, issuedOn: dayOf(-1200), expiresOn: dayOf(-5) });
    const revoked = await issueCertification(prisma, { personId: nia.id, programId: s.P.id, issuedOn: dayOf(-50) });
    await prisma.certification.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokedReason: "Issued in error" } });
    const viewer = { ...lead.user, schoolIds: [] };
    const { rows } = await listInstructorStandings(viewer, { programId: s.P.id });
    expect(rows.map((r) => [r.person.id, r.standing.status])).toEqual([[s.eve.id, "expired"], [nia.id, "needs-certificate"], [s.terry.id, "short"]]);
    expect((await listInstructorStandings(viewer, { programId: s.P.id, status: "needs-certificate" })).rows.map((r) => r.person.id)).toEqual([nia.id]);
    const csv = await exportCsv(lead, `?program=${s.P.id}&status=needs-certificate`);
    expect(csv.text).toContain(`${nia.lastName},Nia,${nia.districtId},${s.P.name},No current ${s.P.code} certificate of their own,`);
    const page = await standingPage(lead, nia.id);
    expect((page.data as { standings: Array<{ status: string; needsCertificate: boolean }> }).standings).toEqual([expect.objectContaining({ status: "needs-certificate", needsCertificate: true })]);
    const html = (await renderPage("/instructors/:personId", standingRoute, makeRequest(`/instructors/${nia.id}`, { cookie: lead.cookie }))).html.replaceAll("<!-- -->", "");
    expect(html).toContain(`None current. A ${s.P.code} instructor also holds a current ${s.P.code} certificate`);

    // A certificate on a record merged into hers counts.
    const old = await createPerson(prisma, { firstName: "Nia", lastName: nia.lastName, kind: "STAFF" });
    await issueCertification(prisma, { personId: old.id, programId: s.P.id, issuedOn: dayOf(-10) });
    await prisma.person.update({ where: { id: old.id }, data: { mergedIntoId: nia.id } });
    expect((await listInstructorStandings(viewer, { programId: s.P.id })).rows.find((r) => r.person.id === nia.id)?.standing.status).toBe("short");
    // A program that does not ask it never says so.
    await prisma.program.update({ where: { id: s.P.id }, data: { instructorNeedsCertificate: false } });
    await prisma.person.update({ where: { id: old.id }, data: { mergedIntoId: null } });
    expect((await listInstructorStandings(viewer, { programId: s.P.id })).rows.find((r) => r.person.id === nia.id)?.standing).toMatchObject({ status: "short", needsCertificate: false });
  });

  it("names go through person visibility: a program lead never sees a student instructor's name", async () => {
    const s = await district();
    const student = await createPerson(prisma, { firstName: "Stu", lastName: unique("Dent"), kind: "STUDENT" });
    await prisma.instructorCertification.create({ data: { personId: student.id, programId: s.Q.id, issuedOn: dayOf(-10), expiresOn: null } });
    const asLead = await listInstructorStandings({ ...lead.user, schoolIds: [] }, { programId: s.Q.id });
    expect(asLead).toEqual({ rows: [], hiddenCount: 1 });
    const asAdmin = await listInstructorStandings({ ...admin.user, schoolIds: [] }, { programId: s.Q.id });
    expect(asAdmin.rows.map((r) => r.person.id)).toEqual([student.id]);
    const csv = await exportCsv(lead, `?program=${s.Q.id}`);
    expect(csv.text).not.toContain(student.lastName);
    expect((await standingPage(lead, student.id)).status).toBe(404);
  });
});

describe("who may see standings", () => {
  it("the table and CSV: leads and administrators; trainers, coordinators and members 403", async () => {
    const s = await district();
    const coordinator = await signIn("COORDINATOR");
    const member = await signIn("MEMBER", { personId: (await createPerson(prisma, { firstName: "Mem", lastName: unique("Ber"), kind: "STAFF" })).id });
    for (const who of [s.terryAccount, coordinator, member]) {
      expect((await indexPage(who)).status, who.user.role).toBe(403);
      expect((await exportCsv(who)).status, who.user.role).toBe(403);
    }
    for (const who of [lead, admin]) expect((await indexPage(who)).status, who.user.role).toBe(200);
  });

  it("one trainer's page: their own, and leads and administrators anyone's; another trainer 404; coordinators and members 403", async () => {
    const s = await district();
    const own = await standingPage(s.terryAccount, s.terry.id);
    expect(own.status).toBe(200);
    expect(own.data).toMatchObject({ own: true, standings: [{ program: { id: s.P.id }, status: "short", coursesNeeded: 1 }, { program: { id: s.Q.id } }].slice(0, 1) });
    expect((await standingPage(s.otherAccount, s.terry.id)).status).toBe(404);
    expect((await standingPage(s.terryAccount, "nosuchperson")).status).toBe(404);
    const coordinator = await signIn("COORDINATOR");
    const member = await signIn("MEMBER", { personId: (await createPerson(prisma, { firstName: "Mem", lastName: unique("Ber"), kind: "STAFF" })).id });
    for (const who of [coordinator, member]) expect((await standingPage(who, s.terry.id)).status, who.user.role).toBe(403);
    for (const who of [lead, admin]) expect((await standingPage(who, s.terry.id)).status, who.user.role).toBe(200);
    const html = (await renderPage("/instructors/:personId", standingRoute, makeRequest(`/instructors/${s.terry.id}`, { cookie: s.terryAccount.cookie }))).html.replaceAll("<!-- -->", "");
    expect(html).toContain("Your instructor standing");
    expect(html).toContain("You need 1 more course by");
    expect(html).toContain(`/sessions/${s.counted[0].id}`);
  });
});

describe("linking a trainer account to its person", () => {
  function linkPost(userId: string, personKey: string) {
    return call(() => adminUserRoute.action({ request: makeRequest(`/admin/users/${userId}`, { method: "POST", cookie: admin.cookie, form: { intent: "link-person", personKey } }), params: { userId }, context: {} }));
  }

  it("an administrator links by district ID; a person linked to another account is refused; audited", async () => {
    const s = await district();
    const fresh = await signIn("TRAINER");
    const person = await createPerson(prisma, { firstName: "Lin", lastName: unique("Ked"), kind: "STAFF", districtId: unique("D") });
    const res = await linkPost(fresh.user.id, person.districtId ?? "");
    expect(res.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: fresh.user.id } })).personId).toBe(person.id);
    expect(await prisma.auditEvent.count({ where: { action: "user.link-person", entityId: fresh.user.id } })).toBe(1);

    const taken = await linkPost(fresh.user.id, s.terry.districtId ?? "");
    expect(taken.status).toBe(400);
    expect((taken.data as { errors: Record<string, string> }).errors.personKey).toMatch(/already linked to the account of/);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: fresh.user.id } })).personId).toBe(person.id);

    const unknown = await linkPost(fresh.user.id, "no-such-id");
    expect((unknown.data as { errors: Record<string, string> }).errors.personKey).toMatch(/^Person: no one has/);
    const trainerTries = await call(() => adminUserRoute.action({
      request: makeRequest(`/admin/users/${fresh.user.id}`, { method: "POST", cookie: s.terryAccount.cookie, form: { intent: "link-person", personKey: "" } }), params: { userId: fresh.user.id }, context: {},
    }));
    expect(trainerTries.status).toBe(403);
  });
});
