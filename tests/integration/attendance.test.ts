import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson as makePerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance";
import * as paperRoute from "~/routes/sessions.$sessionId.paper";
import * as sheetRoute from "~/routes/sessions.$sessionId.sign-in-sheet";
import * as checkInRoute from "~/routes/sessions.$sessionId.check-in";
import { renderPage } from "./page-render";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

const HOUR = 3600_000;
let schoolId: string;
let ymhfaId: string;
let qprId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  // YMHFA needs post-work; evaluation too, here, so both date columns are exercised.
  ymhfaId = (await createProgram(prisma, { preset: "YMHFA", requiresPostWork: true, requiresEvaluation: true, maxParticipants: 2 })).id;
  qprId = (await createProgram(prisma, { preset: "QPR", requiresPostWork: false, requiresEvaluation: false })).id;
});

/**
 * A two-day session led by a signed-in trainer, with a staff member and a student enrolled. Its days
 * are a week ago: attendance cannot be recorded for a day that has not started (dates-not-yet.test.ts).
 */
async function setup(programId = ymhfaId) {
  const { user: trainer, cookie } = await signIn("TRAINER");
  const first = new Date(Date.now() - 7 * 24 * HOUR);
  const session = await createSession(prisma, {
    programId, schoolId, leadTrainerId: trainer.id,
    days: [0, 1].map((i) => ({ startsAt: new Date(first.getTime() + i * 24 * HOUR), endsAt: new Date(first.getTime() + i * 24 * HOUR + 6 * HOUR) })),
  });
  const staff = await makePerson(prisma, { kind: "STAFF", firstName: "José", lastName: unique("Núñez") });
  const student = await makePerson(prisma, { kind: "STUDENT", firstName: "Sam", lastName: unique("Student") });
  const staffEnrollment = await enroll(prisma, { sessionId: session.id, personId: staff.id });
  const studentEnrollment = await enroll(prisma, { sessionId: session.id, personId: student.id });
  const [day1, day2] = session.days;
  return { trainer, cookie, session, staff, student, staffEnrollment, studentEnrollment, day1, day2, params: { sessionId: session.id } };
}

const base = (sessionId: string) => `/sessions/${sessionId}`;

function post(mod: { action: Action }, path: string, cookie: string, form: Record<string, string>, sessionId: string) {
  return call(() => mod.action({ request: makeRequest(path, { method: "POST", cookie, form }), params: { sessionId }, context: {} }));
}

async function writes(sessionId: string) {
  const [attendance, audit, steps] = await Promise.all([
    prisma.attendance.findMany({ where: { enrollment: { sessionId } }, orderBy: { id: "asc" } }),
    prisma.auditEvent.count({ where: { entityId: sessionId } }),
    prisma.enrollment.findMany({ where: { sessionId }, select: { id: true, postWorkCompletedOn: true, evaluationCompletedOn: true }, orderBy: { id: "asc" } }),
  ]);
  return { attendance, audit, steps };
}

describe("who may use the attendance, paper, sign-in sheet and check-in pages", () => {
  it("a trainer not on the session gets 404 on every loader and action; coordinators and members 403", async () => {
    const s = await setup();
    const outsider = await signIn("TRAINER");
    const coordinator = await signIn("COORDINATOR", { schoolIds: [schoolId] });
    const otherCoordinator = await signIn("COORDINATOR");
    const member = await signIn("MEMBER");
    const id = s.session.id;
    const loaders: Array<[Loader, string]> = [
      [attendanceRoute.loader, `${base(id)}/attendance`],
      [paperRoute.loader, `${base(id)}/paper?q=Nu`],
      [sheetRoute.loader, `${base(id)}/sign-in-sheet`],
      [checkInRoute.loader, `${base(id)}/check-in`],
    ];
    const actions: Array<[Action, string, Record<string, string>]> = [
      [attendanceRoute.action, `${base(id)}/attendance`, { intent: "save", dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT" }],
      [paperRoute.action, `${base(id)}/paper`, { intent: "save", dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT" }],
      [paperRoute.action, `${base(id)}/paper`, { intent: "add-existing", dayId: s.day1.id, personId: s.staff.id }],
      [checkInRoute.action, `${base(id)}/check-in`, { intent: "open", dayId: s.day1.id }],
    ];
    const before = await writes(id);
    for (const [who, expected] of [[outsider, 404], [coordinator, 403], [otherCoordinator, 403], [member, 403]] as const) {
      for (const [loader, path] of loaders) {
        const res = await call(() => loader({ request: makeRequest(path, { cookie: who.cookie }), params: s.params, context: {} }));
        expect({ path, status: res.status }).toEqual({ path, status: expected });
      }
      for (const [action, path, form] of actions) {
        const res = await call(() => action({ request: makeRequest(path, { method: "POST", cookie: who.cookie, form }), params: s.params, context: {} }));
        expect({ path, intent: form.intent, status: res.status }).toEqual({ path, intent: form.intent, status: expected });
      }
    }
    // Signed out: sent to sign in.
    const anonymous = await call(() => attendanceRoute.loader({ request: makeRequest(`${base(id)}/attendance`), params: s.params, context: {} }));
    expect(anonymous.status).toBe(302);
    expect(await writes(id)).toEqual(before);
    expect((await prisma.sessionDay.findUniqueOrThrow({ where: { id: s.day1.id } })).checkInNonce).toBeNull();
  });

  it("the session's trainers and admins may use them", async () => {
    const s = await setup();
    const admin = await signIn("ADMIN");
    for (const cookie of [s.cookie, admin.cookie]) {
      const loaders: Array<[Loader, string]> = [
        [attendanceRoute.loader, `${base(s.session.id)}/attendance`],
        [paperRoute.loader, `${base(s.session.id)}/paper`],
        [sheetRoute.loader, `${base(s.session.id)}/sign-in-sheet`],
        [checkInRoute.loader, `${base(s.session.id)}/check-in`],
      ];
      for (const [loader, path] of loaders) {
        const res = await call(() => loader({ request: makeRequest(path, { cookie }), params: s.params, context: {} }));
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
    }
  });
});

describe("the attendance sheet", () => {
  it("shows one day at a time: ?day picks it, a bad ?day falls back to the first day", async () => {
    const s = await setup();
    const get = (search: string) => call(() => attendanceRoute.loader({ request: makeRequest(`${base(s.session.id)}/attendance${search}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect((await get(`?day=${s.day2.id}`)).data).toMatchObject({ day: { id: s.day2.id }, dayNumber: 2 });
    const other = await setup();
    for (const bad of ["?day=nope", `?day=${other.day2.id}`, "?day=", `?day=${"x".repeat(500)}`]) {
      expect((await get(bad)).data).toMatchObject({ day: { id: s.day1.id }, dayNumber: 1 });
    }
    expect((await get("")).data).toMatchObject({ rows: expect.arrayContaining([expect.objectContaining({ id: s.staffEnrollment.id, status: null })]) });
  });

  it("labels every person's radio group with their name and the day, for screen readers", async () => {
    const s = await setup();
    const page = await renderPage("/sessions/:sessionId/attendance", attendanceRoute, makeRequest(`${base(s.session.id)}/attendance?day=${s.day2.id}`, { cookie: s.cookie }));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<legend class="visually-hidden">José ${s.staff.lastName}<!-- -->, day <!-- -->2</legend>`);
    expect(page.html).toMatch(/<label class="visually-hidden" for="field-postWork:[^"]+">José [^<]+, post-work done on/);
    expect(page.html).toContain("<caption>");
    expect(page.html).toContain(`name="status:${s.staffEnrollment.id}"`);
  });

  it("a valid post records attendance and completion dates, audited with the trainer as actor", async () => {
    const s = await setup();
    const res = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: s.day2.id,
      [`status:${s.staffEnrollment.id}`]: "PRESENT",
      [`status:${s.studentEnrollment.id}`]: "PARTIAL",
      [`postWork:${s.staffEnrollment.id}`]: "2025-06-01",
      [`evaluation:${s.staffEnrollment.id}`]: "",
      [`postWork:${s.studentEnrollment.id}`]: "",
    }, s.session.id);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ saved: 3 });
    const marks = await prisma.attendance.findMany({ where: { sessionDayId: s.day2.id } });
    expect(marks).toHaveLength(2);
    expect(marks.find((m) => m.enrollmentId === s.staffEnrollment.id)).toMatchObject({ status: "PRESENT", method: "MANUAL" });
    expect(marks.find((m) => m.enrollmentId === s.studentEnrollment.id)).toMatchObject({ status: "PARTIAL", method: "MANUAL" });
    expect(await prisma.attendance.count({ where: { sessionDayId: s.day1.id } })).toBe(0);
    const staff = await prisma.enrollment.findUniqueOrThrow({ where: { id: s.staffEnrollment.id } });
    expect(staff.postWorkCompletedOn?.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    expect(staff.evaluationCompletedOn).toBeNull();
    const audit = await prisma.auditEvent.findMany({ where: { entityId: s.session.id, action: { in: ["attendance.record", "enrollment.steps"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["attendance.record", "enrollment.steps"]);
    expect(audit.every((a) => a.actorId === s.trainer.id)).toBe(true);
    expect(JSON.parse(audit.find((a) => a.action === "attendance.record")?.details ?? "{}")).toMatchObject({ method: "MANUAL" });

    // Saving the same sheet again changes nothing; "not marked" clears a mark.
    const again = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: s.day2.id, [`status:${s.staffEnrollment.id}`]: "PRESENT", [`status:${s.studentEnrollment.id}`]: "",
    }, s.session.id);
    expect(again.data).toMatchObject({ saved: 1 });
    expect(await prisma.attendance.findMany({ where: { sessionDayId: s.day2.id } })).toEqual([expect.objectContaining({ enrollmentId: s.staffEnrollment.id })]);
  });

  it.each([
    ["an unknown status value", (s: Awaited<ReturnType<typeof setup>>) => ({ [`status:${s.staffEnrollment.id}`]: "MAYBE" }), (s: Awaited<ReturnType<typeof setup>>) => `status:${s.staffEnrollment.id}`],
    ["a bad post-work date", (s: Awaited<ReturnType<typeof setup>>) => ({ [`postWork:${s.staffEnrollment.id}`]: "2025-02-30" }), (s: Awaited<ReturnType<typeof setup>>) => `postWork:${s.staffEnrollment.id}`],
    ["a post-work date that is not a date", (s: Awaited<ReturnType<typeof setup>>) => ({ [`postWork:${s.staffEnrollment.id}`]: "yesterday" }), (s: Awaited<ReturnType<typeof setup>>) => `postWork:${s.staffEnrollment.id}`],
    ["a future evaluation date", (s: Awaited<ReturnType<typeof setup>>) => ({ [`evaluation:${s.staffEnrollment.id}`]: "2999-01-01" }), (s: Awaited<ReturnType<typeof setup>>) => `evaluation:${s.staffEnrollment.id}`],
    ["a missing day", () => ({ dayId: "" }), () => "dayId"],
    ["a malformed enrollment id", () => ({ "status:<script>": "PRESENT" }), () => "status:<script>"],
  ])("refuses %s with 400 naming the field, writing nothing", async (_label, extra, field) => {
    const s = await setup();
    const before = await writes(s.session.id);
    const res = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: s.day1.id,
      // A valid mark alongside the bad one: it must not be written either.
      [`status:${s.studentEnrollment.id}`]: "PRESENT",
      ...extra(s),
    }, s.session.id);
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { [field(s)]: expect.any(String) } });
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("refuses an enrollment or a day of another session with 400 naming the field, writing nothing", async () => {
    const s = await setup();
    const other = await setup();
    const before = await writes(s.session.id);
    const otherBefore = await writes(other.session.id);
    const foreignEnrollment = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT", [`status:${other.staffEnrollment.id}`]: "PRESENT",
    }, s.session.id);
    expect(foreignEnrollment.status).toBe(400);
    expect(foreignEnrollment.data).toMatchObject({ errors: { [`status:${other.staffEnrollment.id}`]: "That person is not on this session's roster" } });
    const foreignDay = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: other.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT",
    }, s.session.id);
    expect(foreignDay.status).toBe(400);
    expect(foreignDay.data).toMatchObject({ errors: { dayId: expect.any(String) } });
    expect(await writes(s.session.id)).toEqual(before);
    expect(await writes(other.session.id)).toEqual(otherBefore);
  });

  it("ignores post-work and evaluation dates for a program that does not ask for them", async () => {
    const s = await setup(qprId);
    const res = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, {
      dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "ABSENT", [`postWork:${s.staffEnrollment.id}`]: "2025-06-01",
    }, s.session.id);
    expect(res.data).toMatchObject({ saved: 1 });
    expect((await prisma.enrollment.findUniqueOrThrow({ where: { id: s.staffEnrollment.id } })).postWorkCompletedOn).toBeNull();
  });

  it("refuses changes to a closed session with 409", async () => {
    const s = await setup();
    await prisma.trainingSession.update({ where: { id: s.session.id }, data: { status: "CLOSED" } });
    const before = await writes(s.session.id);
    const res = await post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, { dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT" }, s.session.id);
    expect(res.status).toBe(409);
    expect(await writes(s.session.id)).toEqual(before);
  });
});

describe("entering a paper sheet", () => {
  it("records marks as PAPER", async () => {
    const s = await setup();
    const res = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "save", dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT" }, s.session.id);
    expect(res.status).toBe(200);
    expect(await prisma.attendance.findMany({ where: { sessionDayId: s.day1.id } })).toEqual([expect.objectContaining({ status: "PRESENT", method: "PAPER" })]);
  });

  it("finds walk-ins by district ID or name, and adds an existing one (over capacity) marked present", async () => {
    const s = await setup();
    const walkIn = await makePerson(prisma, { kind: "STAFF", firstName: "Walker", lastName: unique("Inn") });
    const byId = await call(() => paperRoute.loader({ request: makeRequest(`${base(s.session.id)}/paper?day=${s.day2.id}&q=${walkIn.districtId}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(byId.data).toMatchObject({ search: { q: walkIn.districtId, results: [expect.objectContaining({ id: walkIn.id, onRoster: false })] } });
    const byName = await call(() => paperRoute.loader({ request: makeRequest(`${base(s.session.id)}/paper?q=${encodeURIComponent(walkIn.lastName)}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(byName.data).toMatchObject({ search: { results: [expect.objectContaining({ id: walkIn.id })] } });
    const tooLong = await call(() => paperRoute.loader({ request: makeRequest(`${base(s.session.id)}/paper?q=${"a".repeat(101)}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(tooLong.data).toMatchObject({ search: { q: "", error: expect.any(String), results: [] } });

    // The program holds 2 and the session already has 2: the walk-in is added anyway.
    const res = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "add-existing", dayId: s.day2.id, personId: walkIn.id }, s.session.id);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ added: `Walker ${walkIn.lastName}` });
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { sessionId_personId: { sessionId: s.session.id, personId: walkIn.id } }, include: { attendance: true } });
    expect(enrollment.attendance).toEqual([expect.objectContaining({ sessionDayId: s.day2.id, status: "PRESENT", method: "PAPER" })]);
    const rosterAudit = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: s.session.id, action: "roster.add" } });
    expect(rosterAudit.actorId).toBe(s.trainer.id);
    expect(JSON.parse(rosterAudit.details)).toMatchObject({ source: "paper", overCapacity: true });
  });

  it("creates a new walk-in, and refuses bad input naming the field with nothing written", async () => {
    const s = await setup();
    const email = `${unique("new")}@test.example`;
    const ok = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "add-new", dayId: s.day1.id, firstName: "Nia", lastName: "Newcomer", email, kind: "COMMUNITY" }, s.session.id);
    expect(ok.status).toBe(200);
    const created = await prisma.person.findFirstOrThrow({ where: { email }, include: { enrollments: { include: { attendance: true } } } });
    expect(created).toMatchObject({ kind: "COMMUNITY", districtId: null });
    expect(created.enrollments[0].attendance).toEqual([expect.objectContaining({ status: "PRESENT", method: "PAPER", sessionDayId: s.day1.id })]);

    const other = await setup();
    const before = await writes(s.session.id);
    const people = await prisma.person.count();
    const cases: Array<[Record<string, string>, string]> = [
      [{ firstName: "", lastName: "X", kind: "COMMUNITY" }, "firstName"],
      [{ firstName: "A".repeat(81), lastName: "X", kind: "COMMUNITY" }, "firstName"],
      [{ firstName: "A", lastName: "X", kind: "ALIEN" }, "kind"],
      [{ firstName: "A", lastName: "X", kind: "COMMUNITY", email: "not-an-email" }, "email"],
      [{ firstName: "A", lastName: "X", kind: "STAFF", districtId: s.staff.districtId ?? "" }, "districtId"],
      [{ firstName: "A", lastName: "X", kind: "STAFF", districtId: "has spaces" }, "districtId"],
    ];
    for (const [fields, field] of cases) {
      const res = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "add-new", dayId: s.day1.id, ...fields }, s.session.id);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.data).toMatchObject({ errors: { [field]: expect.any(String) } });
    }
    const unknownPerson = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "add-existing", dayId: s.day1.id, personId: "nobody" }, s.session.id);
    expect(unknownPerson.status).toBe(400);
    expect(unknownPerson.data).toMatchObject({ errors: { personId: expect.any(String) } });
    const foreignDay = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { intent: "add-existing", dayId: other.day1.id, personId: s.staff.id }, s.session.id);
    expect(foreignDay.status).toBe(400);
    expect(foreignDay.data).toMatchObject({ errors: { dayId: expect.any(String) } });
    const noIntent = await post(paperRoute, `${base(s.session.id)}/paper`, s.cookie, { dayId: s.day1.id }, s.session.id);
    expect(noIntent.status).toBe(400);
    expect(noIntent.data).toMatchObject({ errors: { intent: expect.any(String) } });
    expect(await writes(s.session.id)).toEqual(before);
    expect(await prisma.person.count()).toBe(people);
  });
});

describe("the printable sign-in sheet", () => {
  it("lists the roster with district IDs only for non-students, and blank lines for walk-ins", async () => {
    const s = await setup();
    const res = await call(() => sheetRoute.loader({ request: makeRequest(`${base(s.session.id)}/sign-in-sheet?day=${s.day2.id}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(res.data).toMatchObject({ day: { id: s.day2.id }, dayNumber: 2 });
    expect(JSON.stringify(res.data)).not.toContain(s.student.districtId ?? "missing");
    expect(JSON.stringify(res.data)).not.toContain(s.staff.email ?? "missing");

    const page = await renderPage("/sessions/:sessionId/sign-in-sheet", sheetRoute, makeRequest(`${base(s.session.id)}/sign-in-sheet?day=${s.day2.id}`, { cookie: s.cookie }));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Núñez`);
    expect(page.html).toContain(s.staff.districtId ?? "missing");
    expect(page.html).not.toContain(s.student.districtId ?? "missing");
    expect(page.html).toContain(s.trainer.name);
    expect(page.html).toMatch(/Print/);
    // Roster rows plus at least ten blank ones.
    const signatureCells = page.html.match(/class="signature"/g) ?? [];
    expect(signatureCells.length).toBeGreaterThanOrEqual(2 + 10);
  });
});

describe("a day's marks hold when saved at once", () => {
  // On PostgreSQL these saves run side by side (as from several app instances) and rest on the day's lock.
  it("the same mark saved by 8 sheets at once is recorded once and audited once", async () => {
    const s = await setup(qprId);
    const form = { intent: "save", dayId: s.day1.id, [`status:${s.staffEnrollment.id}`]: "PRESENT" };
    const results = await Promise.all(Array.from({ length: 8 }, () => post(attendanceRoute, `${base(s.session.id)}/attendance`, s.cookie, form, s.session.id)));
    for (const r of results) expect(r.status, JSON.stringify(r.data)).toBeLessThan(400);
    const marks = await prisma.attendance.findMany({ where: { enrollmentId: s.staffEnrollment.id, sessionDayId: s.day1.id } });
    expect(marks.map((m) => m.status)).toEqual(["PRESENT"]);
    expect(await prisma.auditEvent.count({ where: { action: "attendance.record", entityId: s.session.id } })).toBe(1);
  });
});
