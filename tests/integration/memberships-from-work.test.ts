/**
 * Memberships from the work itself (issue 10): people a trainer adds to a session at a school —
 * from a roster CSV with a school column, created on the spot on the roster page, or approved as
 * a walk-in — get a membership for the session's school year when they have none, and the reach
 * dashboard then counts them. Each scenario runs the real route actions against a real SQLite
 * file: add the people, mark them present on a past day, close the session (certificates
 * issued), and read the program lead's dashboard, whose per-school staff "certified" figure must
 * rise by exactly the people added. Each test file has its own schools and program, so records
 * other tests make never count here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createRegion, createSchool, createSession } from "../../prisma/seed/factories";
import * as importRoute from "~/routes/sessions.$sessionId.roster.import";
import * as rosterRoute from "~/routes/sessions.$sessionId.roster";
import * as checkInRoute from "~/routes/sessions.$sessionId.check-in";
import * as closeRoute from "~/routes/sessions.$sessionId.close";
import * as dashboardRoute from "~/routes/lead._index";
import { recordAttendance } from "~/models/enrollment.server";
import { addWalkIn } from "~/models/attendance.server";
import { columnField, SCHOOL_NONE } from "~/forms/roster";
import { formatSchoolYear, schoolYearOf } from "~/domain/school-year";
import { dateInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import type { RosterField } from "~/domain/roster-import";
import { z } from "zod";

const PreviewRows = z.array(z.object({ line: z.number(), membership: z.string().nullable() }));

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const HOUR = 3600_000;

let lead: SignedIn;
let lakeside: { id: string; code: string; name: string };
let hill: { id: string; code: string; name: string };
let programCode: string;
let programId: string;
/** A past day (attendance is never recorded for a day still to come, nor a session closed before it). */
let dayStart: Date;
let year: number;

beforeAll(async () => {
  lead = await signIn("PROGRAM_LEAD");
  const region = await createRegion(prisma);
  const u = unique("mw");
  lakeside = await createSchool(prisma, { regionId: region.id, code: `LHS-${u}`, name: `Lakeside High ${u}` });
  hill = await createSchool(prisma, { regionId: region.id, code: `HMS-${u}`, name: `Hill Middle ${u}` });
  // Attendance alone completes it, and it never expires: certified means current on any later day.
  const program = await createProgram(prisma, { preset: "QPR", maxParticipants: null });
  programCode = program.code;
  programId = program.id;
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  dayStart = new Date(today - 3 * 24 * HOUR + 17 * HOUR);
  year = schoolYearOf(new Date(`${dateInZone(dayStart, getEnv().DISTRICT_TIME_ZONE)}T00:00:00Z`));
});

async function newSession(opts: { audience?: "STAFF" | "STUDENTS" | "COMMUNITY" } = {}) {
  const trainer = await signIn("TRAINER");
  const session = await createSession(prisma, {
    programId, schoolId: lakeside.id, leadTrainerId: trainer.user.id, audience: opts.audience ?? "STAFF",
    days: [{ startsAt: dayStart, endsAt: new Date(dayStart.getTime() + 2 * HOUR) }],
  });
  return { trainer, session, sessionId: session.id, params: { sessionId: session.id } };
}
type Ctx = Awaited<ReturnType<typeof newSession>>;

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}

/** The dashboard's per-school figures (staff certified and community trained), as the program lead sees them. */
async function schoolFigures(schoolId: string) {
  const path = `/lead?program=${encodeURIComponent(programCode)}&year=${formatSchoolYear(year)}`;
  const res = await call(() => dashboardRoute.loader({ request: makeRequest(path, { cookie: lead.cookie }), params: {}, context: {} }));
  expect(res.status, JSON.stringify(res.data).slice(0, 300)).toBe(200);
  const schools = record(res.data).schools;
  if (!Array.isArray(schools)) throw new Error("no schools on the dashboard");
  const row = schools.map(record).find((s) => s.id === schoolId);
  if (!row) throw new Error(`school ${schoolId} is not on the dashboard`);
  return { staffCurrent: Number(row.staffCurrent), communityTrained: Number(row.communityTrained) };
}

/** Everyone on the roster present on the (past) day, then the session closed as its trainer closes it. */
async function attendAndClose(ctx: Ctx) {
  const enrollments = await prisma.enrollment.findMany({ where: { sessionId: ctx.sessionId }, select: { id: true } });
  await recordAttendance(ctx.sessionId, enrollments.map((e) => ({ enrollmentId: e.id, sessionDayId: ctx.session.days[0].id, status: "PRESENT" as const })), { actorId: ctx.trainer.user.id, method: "MANUAL" });
  const res = await call(() => closeRoute.action({
    request: makeRequest(`/sessions/${ctx.sessionId}/close`, { method: "POST", cookie: ctx.trainer.cookie, form: { intent: "close" } }), params: ctx.params, context: {},
  }));
  expect(res.status, JSON.stringify(res.data).slice(0, 300)).toBe(200);
  return prisma.certification.count({ where: { sessionId: ctx.sessionId } });
}

function importForm(intent: "preview" | "commit", csvText: string, mapping: RosterField[]) {
  const form = new FormData();
  form.append("intent", intent);
  form.append("csvText", csvText);
  form.append("fileName", "roster.csv");
  mapping.forEach((f, i) => form.append(columnField(i), f));
  return form;
}

async function importStep(ctx: Ctx, who: SignedIn, intent: "preview" | "commit", csvText: string, mapping: RosterField[]) {
  const form = importForm(intent, csvText, mapping);
  const res = await call(() => importRoute.action({
    request: makeRequest(`/sessions/${ctx.sessionId}/roster/import`, { method: "POST", cookie: who.cookie, form }), params: ctx.params, context: {},
  }));
  return { status: res.status, data: record(res.data) };
}

const MAPPING: RosterField[] = ["first_name", "last_name", "district_id", "kind", "school"];

describe("a roster CSV with a school column", () => {
  it("previews each row's membership, commits them with the roster, and the dashboard counts exactly the people imported", async () => {
    const ctx = await newSession();
    const u = unique("r");
    // Known before: a teacher of Lakeside this year already (no second membership), and one with none.
    const member = await createPerson(prisma, { kind: "STAFF", districtId: `M-${u}`, firstName: "Mona", lastName: "Member", affiliations: [{ schoolId: lakeside.id, schoolYear: year }] });
    const known = await createPerson(prisma, { kind: "STAFF", districtId: `K-${u}`, firstName: "Kay", lastName: "Known" });
    const text = [
      "First Name,Last Name,Employee ID,Kind,School",
      `Ana,Blank,A-${u}-1,staff,`,
      `Ben,Code,A-${u}-2,staff,${lakeside.code.toLowerCase()}`,
      `Cat,Name,A-${u}-3,staff,${lakeside.name.toUpperCase()}`,
      `Dan,Hill,A-${u}-4,staff,${hill.code}`,
      `Pat,Partner,,community,`,
      `Mona,Member,M-${u},staff,`,
      `Kay,Known,K-${u},staff,${lakeside.code}`,
    ].join("\r\n");
    const [lakesideBefore, hillBefore] = [await schoolFigures(lakeside.id), await schoolFigures(hill.id)];
    const affiliationsBefore = await prisma.affiliation.count();

    const preview = await importStep(ctx, ctx.trainer, "preview", text, MAPPING);
    expect(preview.status, JSON.stringify(preview.data.errorMessages)).toBe(200);
    const rows = new Map(PreviewRows.parse(preview.data.rows).map((r) => [r.line, r.membership]));
    const y = formatSchoolYear(year);
    expect(Object.fromEntries(rows)).toEqual({
      2: `+ ${lakeside.name}, ${y}`, 3: `+ ${lakeside.name}, ${y}`, 4: `+ ${lakeside.name}, ${y}`, 5: `+ ${hill.name}, ${y}`,
      6: null, 7: null, 8: `+ ${lakeside.name}, ${y}`,
    });
    expect(preview.data.membershipCount).toBe(5);
    expect(await prisma.affiliation.count(), "a preview writes nothing").toBe(affiliationsBefore);

    const commit = await importStep(ctx, ctx.trainer, "commit", text, MAPPING);
    expect(commit.status, JSON.stringify(commit.data).slice(0, 400)).toBe(200);
    expect(commit.data).toMatchObject({ stage: "done", summary: { added: 7, newPeople: 5, memberships: 5 } });
    const people = await prisma.person.findMany({ where: { enrollments: { some: { sessionId: ctx.sessionId } } }, include: { affiliations: true } });
    const of = (lastName: string) => people.find((p) => p.lastName === lastName)?.affiliations.map((a) => [a.schoolId, a.schoolYear]);
    expect(of("Blank")).toEqual([[lakeside.id, year]]);
    expect(of("Code")).toEqual([[lakeside.id, year]]);
    expect(of("Name")).toEqual([[lakeside.id, year]]);
    expect(of("Hill")).toEqual([[hill.id, year]]);
    expect(of("Partner")).toEqual([]);
    expect(of("Member")).toEqual([[lakeside.id, year]]);
    expect(of("Known")).toEqual([[lakeside.id, year]]);
    expect(await prisma.auditEvent.count({ where: { action: "affiliation.create", entityId: { in: people.map((p) => p.id) }, actorId: ctx.trainer.user.id } })).toBe(5);
    expect(people.map((p) => p.id)).toEqual(expect.arrayContaining([member.id, known.id]));

    expect(await attendAndClose(ctx)).toBe(7);
    const [lakesideAfter, hillAfter] = [await schoolFigures(lakeside.id), await schoolFigures(hill.id)];
    // Lakeside: Ana, Ben, Cat, Kay (new memberships) and Mona (already a member); Hill: Dan.
    expect(lakesideAfter.staffCurrent - lakesideBefore.staffCurrent).toBe(5);
    expect(hillAfter.staffCurrent - hillBefore.staffCurrent).toBe(1);
    // The partner belongs to no school: no school counts them.
    expect(lakesideAfter.communityTrained).toBe(lakesideBefore.communityTrained);
  });

  it("an unknown school is a row error naming the line and the value, and nothing is written", async () => {
    const ctx = await newSession();
    const u = unique("x");
    const text = ["First Name,Last Name,Employee ID,Kind,School", `Ana,Ok,X-${u}-1,staff,${lakeside.code}`, `Bo,Bad,X-${u}-2,staff,Nowhere Elementary`].join("\r\n");
    const [people, affiliations] = [await prisma.person.count(), await prisma.affiliation.count()];
    for (const intent of ["preview", "commit"] as const) {
      const res = await importStep(ctx, ctx.trainer, intent, text, MAPPING);
      expect(res.status).toBe(400);
      expect(res.data.errorMessages).toEqual(['Line 3: school (column school) "Nowhere Elementary" is not the code or name of a school we know']);
    }
    expect(await prisma.person.count()).toBe(people);
    expect(await prisma.affiliation.count()).toBe(affiliations);
    expect(await prisma.enrollment.count({ where: { sessionId: ctx.sessionId } })).toBe(0);
  });

  it("a trainer may give a student only the session's school; an administrator may name another", async () => {
    const ctx = await newSession({ audience: "STUDENTS" });
    const u = unique("s");
    const text = ["First Name,Last Name,Student ID,Kind,School", `Sam,Here,S-${u}-1,student,`, `Sue,There,S-${u}-2,student,${hill.code}`].join("\r\n");
    const refused = await importStep(ctx, ctx.trainer, "commit", text, MAPPING);
    expect(refused.status).toBe(400);
    expect(refused.data.errorMessages).toEqual([expect.stringMatching(/^Line 3: school \(column school\): a student can be given only the school of this session/)]);
    expect(await prisma.person.count({ where: { districtId: { startsWith: `S-${u}-` } } })).toBe(0);

    const admin = await signIn("ADMIN");
    const done = await importStep(ctx, admin, "commit", text, MAPPING);
    expect(done.status, JSON.stringify(done.data).slice(0, 400)).toBe(200);
    const students = await prisma.person.findMany({ where: { districtId: { startsWith: `S-${u}-` } }, include: { affiliations: true }, orderBy: { districtId: "asc" } });
    expect(students.map((s) => s.affiliations.map((a) => a.schoolId))).toEqual([[lakeside.id], [hill.id]]);
  });
});

describe("the pages", () => {
  it("the import preview shows each row's membership; the roster page offers the school, defaulting to the session's", async () => {
    const ctx = await newSession();
    const u = unique("p");
    const text = ["First Name,Last Name,Employee ID,Kind,School", `Ana,Page,P-${u}-1,staff,`, `Bo,Page,P-${u}-2,staff,${hill.code}`].join("\r\n");
    const preview = await renderPage("/sessions/:sessionId/roster/import", importRoute,
      makeRequest(`/sessions/${ctx.sessionId}/roster/import`, { method: "POST", cookie: ctx.trainer.cookie, form: importForm("preview", text, MAPPING) }));
    expect(preview.status).toBe(200);
    const html = preview.html.replaceAll("<!-- -->", "");
    expect(html).toContain(`Membership: + ${lakeside.name}, ${formatSchoolYear(year)}`);
    expect(html).toContain(`Membership: + ${hill.name}, ${formatSchoolYear(year)}`);
    expect(html).toContain("2 people get a school membership");

    const roster = await renderPage("/sessions/:sessionId/roster", rosterRoute, makeRequest(`/sessions/${ctx.sessionId}/roster`, { cookie: ctx.trainer.cookie }));
    expect(roster.status).toBe(200);
    const page = roster.html.replaceAll("<!-- -->", "");
    expect(page).toMatch(new RegExp(`<select[^>]*name="school"`));
    expect(page).toContain(`This session&#x27;s school (${lakeside.name}); none for a community partner`);
    expect(page).toContain(`<option value="${hill.id}">${hill.name} (${hill.code})</option>`);
  });
});

describe("a person created on the spot on the roster page", () => {
  const create = (ctx: Ctx, form: Record<string, string>) => call(() => rosterRoute.action({
    request: makeRequest(`/sessions/${ctx.sessionId}/roster`, { method: "POST", cookie: ctx.trainer.cookie, form: { intent: "create", ...form } }), params: ctx.params, context: {},
  }));

  it("gets the session school's membership by default, none when the trainer says so, and the dashboard counts them", async () => {
    const ctx = await newSession();
    const before = await schoolFigures(lakeside.id);
    const lastName = unique("Spot");
    expect((await create(ctx, { firstName: "Sol", lastName, kind: "STAFF" })).status).toBe(200);
    expect((await create(ctx, { firstName: "Nia", lastName, kind: "STAFF", school: SCHOOL_NONE })).status).toBe(200);
    expect((await create(ctx, { firstName: "Cy", lastName, kind: "COMMUNITY" })).status).toBe(200);
    expect((await create(ctx, { firstName: "Hal", lastName, kind: "STAFF", school: hill.id })).status).toBe(200);
    const people = await prisma.person.findMany({ where: { lastName }, include: { affiliations: true } });
    const of = (firstName: string) => people.find((p) => p.firstName === firstName)?.affiliations.map((a) => [a.schoolId, a.schoolYear]);
    expect(of("Sol")).toEqual([[lakeside.id, year]]);
    expect(of("Nia")).toEqual([]);
    expect(of("Cy")).toEqual([]);
    expect(of("Hal")).toEqual([[hill.id, year]]);
    const sol = people.find((p) => p.firstName === "Sol");
    expect(await prisma.auditEvent.findFirst({ where: { action: "affiliation.create", entityId: sol?.id } })).toMatchObject({ actorId: ctx.trainer.user.id });

    expect(await attendAndClose(ctx)).toBe(4);
    expect((await schoolFigures(lakeside.id)).staffCurrent - before.staffCurrent).toBe(1);
  });

  it("a student at another school is refused for a trainer, naming the school field, and nobody is created", async () => {
    const ctx = await newSession({ audience: "STUDENTS" });
    const lastName = unique("Stu");
    const res = await create(ctx, { firstName: "Sky", lastName, kind: "STUDENT", school: hill.id });
    expect(res.status).toBe(400);
    expect(record(res.data).errors).toEqual({ school: expect.stringMatching(/a student can be given only the school of this session/) });
    const unknown = await create(ctx, { firstName: "Sky", lastName, kind: "STAFF", school: "no-such-school" });
    expect(unknown.status).toBe(400);
    expect(record(unknown.data).errors).toEqual({ school: "Choose a school from the list" });
    expect(await prisma.person.count({ where: { lastName } })).toBe(0);
    // At the session's school, the same student is fine.
    expect((await create(ctx, { firstName: "Sky", lastName, kind: "STUDENT" })).status).toBe(200);
    expect(await prisma.affiliation.findMany({ where: { person: { lastName } }, select: { schoolId: true } })).toEqual([{ schoolId: lakeside.id }]);
  });
});

describe("a walk-in approved on the trainer's check-in screen", () => {
  it("gets the session's school when they have no membership that year; the dashboard counts them", async () => {
    const ctx = await newSession();
    const u = unique("w");
    const noSchool = await createPerson(prisma, { kind: "STAFF", districtId: `W-${u}-1`, firstName: "Wes", lastName: "Walker" });
    const atHill = await createPerson(prisma, { kind: "STAFF", districtId: `W-${u}-2`, firstName: "Hana", lastName: "Hill", affiliations: [{ schoolId: hill.id, schoolYear: year }] });
    const dayId = ctx.session.days[0].id;
    // As the public QR link records them (check-in.test.ts covers that page).
    const walkIns = await Promise.all([noSchool, atHill].map((p) =>
      prisma.checkInWalkIn.create({ data: { sessionDayId: dayId, identityKey: `id:${p.districtId}`, districtId: p.districtId } })));
    const [lakesideBefore, hillBefore] = [await schoolFigures(lakeside.id), await schoolFigures(hill.id)];
    for (const w of walkIns) {
      const res = await call(() => checkInRoute.action({
        request: makeRequest(`/sessions/${ctx.sessionId}/check-in`, { method: "POST", cookie: ctx.trainer.cookie, form: { intent: "approve", walkInId: w.id } }),
        params: ctx.params, context: {},
      }));
      expect(res.status, JSON.stringify(res.data).slice(0, 300)).toBeLessThan(400);
    }
    expect(await prisma.affiliation.findMany({ where: { personId: noSchool.id }, select: { schoolId: true, schoolYear: true } })).toEqual([{ schoolId: lakeside.id, schoolYear: year }]);
    // Already at Hill this year: nothing added.
    expect(await prisma.affiliation.findMany({ where: { personId: atHill.id }, select: { schoolId: true } })).toEqual([{ schoolId: hill.id }]);
    expect(await prisma.auditEvent.count({ where: { action: "affiliation.create", entityId: noSchool.id, actorId: ctx.trainer.user.id } })).toBe(1);

    expect(await attendAndClose(ctx)).toBe(2);
    expect((await schoolFigures(lakeside.id)).staffCurrent - lakesideBefore.staffCurrent).toBe(1);
    expect((await schoolFigures(hill.id)).staffCurrent - hillBefore.staffCurrent).toBe(1);
  });
});

describe("a walk-in written on the paper sign-in sheet", () => {
  it("gets the session's school when they have none that year, a new staff member too; a partner gets none", async () => {
    const ctx = await newSession();
    const u = unique("p");
    const known = await createPerson(prisma, { kind: "STAFF", districtId: `P-${u}-1`, firstName: "Paula", lastName: "Paper" });
    const dayId = ctx.session.days[0].id;
    expect(await addWalkIn(ctx.sessionId, dayId, { personId: known.id }, ctx.trainer.user.id)).toMatchObject({ ok: true });
    expect(await addWalkIn(ctx.sessionId, dayId, { newPerson: { firstName: "Newt", lastName: `Paper ${u}`, districtId: `P-${u}-2`, kind: "STAFF" } }, ctx.trainer.user.id)).toMatchObject({ ok: true });
    expect(await addWalkIn(ctx.sessionId, dayId, { newPerson: { firstName: "Pat", lastName: `Partner ${u}`, kind: "COMMUNITY" } }, ctx.trainer.user.id)).toMatchObject({ ok: true });
    expect(await prisma.affiliation.findMany({ where: { personId: known.id }, select: { schoolId: true, schoolYear: true } })).toEqual([{ schoolId: lakeside.id, schoolYear: year }]);
    expect(await prisma.affiliation.count({ where: { person: { districtId: `P-${u}-2` }, schoolId: lakeside.id, schoolYear: year } })).toBe(1);
    expect(await prisma.affiliation.count({ where: { person: { lastName: `Partner ${u}` } } })).toBe(0);
  });
});

describe("a known person added to the roster by search", () => {
  it("gets the session's school when they have none that year; one at another school keeps theirs", async () => {
    const ctx = await newSession();
    const u = unique("s");
    const none = await createPerson(prisma, { kind: "STAFF", districtId: `S-${u}-1`, firstName: "Sam", lastName: "Search" });
    const elsewhere = await createPerson(prisma, { kind: "STAFF", districtId: `S-${u}-2`, firstName: "Hal", lastName: "Hillside", affiliations: [{ schoolId: hill.id, schoolYear: year }] });
    for (const p of [none, elsewhere]) {
      const res = await call(() => rosterRoute.action({
        request: makeRequest(`/sessions/${ctx.sessionId}/roster`, { method: "POST", cookie: ctx.trainer.cookie, form: { intent: "add", personId: p.id } }),
        params: ctx.params, context: {},
      }));
      expect(res.status, JSON.stringify(res.data).slice(0, 300)).toBe(200);
    }
    expect(await prisma.affiliation.findMany({ where: { personId: none.id }, select: { schoolId: true, schoolYear: true } })).toEqual([{ schoolId: lakeside.id, schoolYear: year }]);
    expect(await prisma.affiliation.findMany({ where: { personId: elsewhere.id }, select: { schoolId: true } })).toEqual([{ schoolId: hill.id }]);
  });
});
