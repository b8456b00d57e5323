/**
 * The roster pages (roster, roster CSV import, MHFA export import): who may use them, on every
 * loader and every action intent. sessions.test.ts covers the session, edit and close pages and
 * attendance.test.ts the attendance, paper, sign-in sheet and check-in pages; this file covers
 * the roster pages the same way, and the program lead (who sees every session but changes none)
 * on all of the trainer's pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import * as detailRoute from "~/routes/sessions.$sessionId._index";
import * as editRoute from "~/routes/sessions.$sessionId.edit";
import * as closeRoute from "~/routes/sessions.$sessionId.close";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance";
import * as paperRoute from "~/routes/sessions.$sessionId.paper";
import * as sheetRoute from "~/routes/sessions.$sessionId.sign-in-sheet";
import * as checkInRoute from "~/routes/sessions.$sessionId.check-in";
import * as rosterRoute from "~/routes/sessions.$sessionId.roster";
import * as importRoute from "~/routes/sessions.$sessionId.roster.import";
import * as mhfaRoute from "~/routes/sessions.$sessionId.roster.mhfa-import";
import * as publicCheckInRoute from "~/routes/check-in.$token";
import { columnField } from "~/forms/roster";
import { addToRoster, searchForRoster } from "~/models/roster.server";
import { removeEnrollment, RosterError } from "~/models/enrollment.server";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let schoolId: string;
let ymhfaId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  ymhfaId = (await createProgram(prisma, { preset: "YMHFA", maxParticipants: 30 })).id;
});

/** A session led by a signed-in trainer, at a school, with one person enrolled. */
async function setup() {
  const lead = await signIn("TRAINER");
  const session = await createSession(prisma, { programId: ymhfaId, schoolId, leadTrainerId: lead.user.id });
  const person = await createPerson(prisma, { kind: "STAFF", firstName: "José", lastName: unique("Núñez"), email: `${unique("jose")}@example.org` });
  const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id });
  const outsider = await createPerson(prisma, { kind: "STAFF", firstName: "Ana", lastName: unique("Li") });
  return { lead, session, person, enrollment, outsider, params: { sessionId: session.id } };
}

const ROSTER_CSV = "First Name,Last Name,Employee ID,Email\r\nMaría,García,ACCESS-1,maria.access@example.org\r\n";
const MHFA_CSV = [
  "Learner First Name,Learner Last Name,Learner Email,Course Start Date,Course End Date,Completion Status",
  "Zoë,Ng,zoe.access@example.org,11/14/2026,11/14/2026,Completed",
].join("\n");
const MAPPING = { [columnField(0)]: "first_name", [columnField(1)]: "last_name", [columnField(2)]: "district_id", [columnField(3)]: "email" };

function rosterRoutes(s: Awaited<ReturnType<typeof setup>>) {
  const base = `/sessions/${s.session.id}`;
  const loaders: Array<[Loader, string]> = [
    [rosterRoute.loader, `${base}/roster`],
    [rosterRoute.loader, `${base}/roster?q=${encodeURIComponent(s.person.lastName)}`],
    [importRoute.loader, `${base}/roster/import`],
    [mhfaRoute.loader, `${base}/roster/mhfa-import`],
  ];
  const actions: Array<[Action, string, Record<string, string>]> = [
    [rosterRoute.action, `${base}/roster`, { intent: "add", personId: s.outsider.id }],
    [rosterRoute.action, `${base}/roster`, { intent: "remove", enrollmentId: s.enrollment.id }],
    [rosterRoute.action, `${base}/roster`, { intent: "create", firstName: "New", lastName: "Person", kind: "STAFF", districtId: unique("NEW") }],
    [rosterRoute.action, `${base}/roster`, { intent: "nonsense" }],
    [importRoute.action, `${base}/roster/import`, { intent: "upload", csvText: ROSTER_CSV }],
    [importRoute.action, `${base}/roster/import`, { intent: "preview", csvText: ROSTER_CSV, ...MAPPING }],
    [importRoute.action, `${base}/roster/import`, { intent: "commit", csvText: ROSTER_CSV, ...MAPPING }],
    [mhfaRoute.action, `${base}/roster/mhfa-import`, { intent: "preview", csvText: MHFA_CSV }],
    [mhfaRoute.action, `${base}/roster/mhfa-import`, { intent: "commit", csvText: MHFA_CSV }],
  ];
  return { loaders, actions };
}

async function writes(sessionId: string) {
  const [enrollments, people, audit, attendance, user] = await Promise.all([
    prisma.enrollment.findMany({ where: { sessionId }, orderBy: { id: "asc" } }),
    prisma.person.count(),
    prisma.auditEvent.count(),
    prisma.attendance.count({ where: { enrollment: { sessionId } } }),
    // The import remembers a user's column mapping: a refused request must not either.
    prisma.user.count({ where: { rosterImportMapping: { not: null } } }),
  ]);
  return { enrollments, people, audit, attendance, user };
}

describe("who may use the roster, roster import and MHFA import pages", () => {
  it("a trainer not on the session gets 404 on every loader and action; coordinators, program leads and members 403; signed out, sign in", async () => {
    const s = await setup();
    const who = {
      "another trainer": [await signIn("TRAINER"), 404],
      "the school's coordinator": [await signIn("COORDINATOR", { schoolIds: [schoolId] }), 403],
      "another school's coordinator": [await signIn("COORDINATOR"), 403],
      "a program lead": [await signIn("PROGRAM_LEAD"), 403],
      "a member": [await signIn("MEMBER"), 403],
    } as const;
    const { loaders, actions } = rosterRoutes(s);
    const before = await writes(s.session.id);
    for (const [name, [user, expected]] of Object.entries(who)) {
      for (const [loader, path] of loaders) {
        const res = await call(() => loader({ request: makeRequest(path, { cookie: user.cookie }), params: s.params, context: {} }));
        expect({ name, path, status: res.status }).toEqual({ name, path, status: expected });
      }
      for (const [action, path, form] of actions) {
        const res = await call(() => action({ request: makeRequest(path, { method: "POST", cookie: user.cookie, form }), params: s.params, context: {} }));
        expect({ name, path, intent: form.intent, status: res.status }).toEqual({ name, path, intent: form.intent, status: expected });
      }
    }
    for (const [loader, path] of loaders) {
      const res = await call(() => loader({ request: makeRequest(path), params: s.params, context: {} }));
      expect({ path, status: res.status, to: res.headers.get("Location") }).toEqual({ path, status: 302, to: expect.stringMatching(/^\/login/) });
    }
    for (const [action, path, form] of actions) {
      const res = await call(() => action({ request: makeRequest(path, { method: "POST", form }), params: s.params, context: {} }));
      expect({ path, intent: form.intent, status: res.status }).toEqual({ path, intent: form.intent, status: 302 });
    }
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("an unknown session id is a 404 on every roster page, even for an admin", async () => {
    const admin = await signIn("ADMIN");
    const params = { sessionId: "no-such-session" };
    const loaders: Loader[] = [rosterRoute.loader, importRoute.loader, mhfaRoute.loader];
    const actions: Action[] = [rosterRoute.action, importRoute.action, mhfaRoute.action];
    for (const loader of loaders) {
      expect((await call(() => loader({ request: makeRequest("/sessions/no-such-session/roster", { cookie: admin.cookie }), params, context: {} }))).status).toBe(404);
    }
    for (const action of actions) {
      const request = makeRequest("/sessions/no-such-session/roster", { method: "POST", cookie: admin.cookie, form: { intent: "commit", csvText: ROSTER_CSV, ...MAPPING } });
      expect((await call(() => action({ request, params, context: {} }))).status).toBe(404);
    }
  });

  it("the lead trainer, a co-trainer and an admin may use them", async () => {
    const s = await setup();
    const co = await signIn("TRAINER");
    await prisma.sessionTrainer.create({ data: { sessionId: s.session.id, userId: co.user.id, role: "CO" } });
    const admin = await signIn("ADMIN");
    const { loaders } = rosterRoutes(s);
    for (const cookie of [s.lead.cookie, co.cookie, admin.cookie]) {
      for (const [loader, path] of loaders) {
        const res = await call(() => loader({ request: makeRequest(path, { cookie }), params: s.params, context: {} }));
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
    }
    // And their changes go through: the co-trainer imports, the admin adds someone.
    const base = `/sessions/${s.session.id}`;
    const imported = await call(() => importRoute.action({
      request: makeRequest(`${base}/roster/import`, { method: "POST", cookie: co.cookie, form: { intent: "commit", csvText: ROSTER_CSV, ...MAPPING } }),
      params: s.params, context: {},
    }));
    expect(imported).toMatchObject({ status: 200, data: { stage: "done", summary: { added: 1 } } });
    const added = await call(() => rosterRoute.action({
      request: makeRequest(`${base}/roster`, { method: "POST", cookie: admin.cookie, form: { intent: "add", personId: s.outsider.id } }),
      params: s.params, context: {},
    }));
    expect(added.status).toBe(200);
    expect(await prisma.enrollment.count({ where: { sessionId: s.session.id } })).toBe(3);
  });

  it("a trainer cannot reach into another session through their own: another roster's enrollment or a non-candidate person", async () => {
    const mine = await setup();
    const theirs = await setup();
    const base = `/sessions/${mine.session.id}`;
    const removed = await call(() => rosterRoute.action({
      request: makeRequest(`${base}/roster`, { method: "POST", cookie: mine.lead.cookie, form: { intent: "remove", enrollmentId: theirs.enrollment.id } }),
      params: mine.params, context: {},
    }));
    expect(removed.status).toBe(400);
    expect(await prisma.enrollment.findUnique({ where: { id: theirs.enrollment.id } })).not.toBeNull();

    // A "possible duplicate" choice naming someone who is not a candidate for that row is ignored, not obeyed.
    const known = await createPerson(prisma, { kind: "COMMUNITY", firstName: "Wei", lastName: unique("Chen"), email: `${unique("wei")}@example.org` });
    const csv = `First Name,Last Name,Email\nWei,${known.lastName},${known.email}\n`;
    const mapping = { [columnField(0)]: "first_name", [columnField(1)]: "last_name", [columnField(2)]: "email" };
    const commit = await call(() => importRoute.action({
      request: makeRequest(`${base}/roster/import`, { method: "POST", cookie: mine.lead.cookie, form: { intent: "commit", csvText: csv, ...mapping, choice_2: `person:${theirs.person.id}` } }),
      params: mine.params, context: {},
    }));
    expect(commit.status).toBe(400);
    expect(commit.data).toMatchObject({ stage: "preview", counts: { review: 1, unchosen: 1 } });
    expect(await prisma.enrollment.count({ where: { sessionId: mine.session.id, personId: theirs.person.id } })).toBe(0);
  });
});

describe("a program lead sees every session and changes none", () => {
  it("gets the session page, and 403 on every page and action that changes it", async () => {
    const s = await setup();
    const lead = await signIn("PROGRAM_LEAD");
    const day = s.session.days[0];
    const base = `/sessions/${s.session.id}`;
    expect((await call(() => detailRoute.loader({ request: makeRequest(base, { cookie: lead.cookie }), params: s.params, context: {} }))).status).toBe(200);
    const loaders: Array<[Loader, string]> = [
      [editRoute.loader, `${base}/edit`], [closeRoute.loader, `${base}/close`], [attendanceRoute.loader, `${base}/attendance`],
      [paperRoute.loader, `${base}/paper`], [sheetRoute.loader, `${base}/sign-in-sheet`], [checkInRoute.loader, `${base}/check-in`],
    ];
    const actions: Array<[Action, string, Record<string, string>]> = [
      [editRoute.action, `${base}/edit`, { intent: "cancel", reason: "no" }],
      [closeRoute.action, `${base}/close`, { intent: "close" }],
      [attendanceRoute.action, `${base}/attendance`, { intent: "save", dayId: day.id, [`status:${s.enrollment.id}`]: "PRESENT" }],
      [paperRoute.action, `${base}/paper`, { intent: "save", dayId: day.id, [`status:${s.enrollment.id}`]: "PRESENT" }],
      [checkInRoute.action, `${base}/check-in`, { intent: "open", dayId: day.id }],
      [checkInRoute.action, `${base}/check-in`, { intent: "close", dayId: day.id }],
    ];
    const before = await writes(s.session.id);
    for (const [loader, path] of loaders) {
      const res = await call(() => loader({ request: makeRequest(path, { cookie: lead.cookie }), params: s.params, context: {} }));
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    for (const [action, path, form] of actions) {
      const res = await call(() => action({ request: makeRequest(path, { method: "POST", cookie: lead.cookie, form }), params: s.params, context: {} }));
      expect({ path, intent: form.intent, status: res.status }).toEqual({ path, intent: form.intent, status: 403 });
    }
    expect(await writes(s.session.id)).toEqual(before);
    expect(await prisma.trainingSession.findUniqueOrThrow({ where: { id: s.session.id }, select: { status: true } })).toEqual({ status: "SCHEDULED" });
  });
});

describe("district IDs the roster import accepts work on every other page", () => {
  it("someone imported with the ID E.1001/7 checks in with it, and a walk-in can be entered with one like it", async () => {
    const s = await setup();
    const now = Date.now();
    // A day under way now, so its check-in link works.
    const day = await prisma.sessionDay.create({ data: { sessionId: s.session.id, startsAt: new Date(now - 60_000), endsAt: new Date(now + 3_600_000) } });
    const districtId = `E.${unique("")}/7`;
    const csv = `First Name,Last Name,Employee ID\nSøren,Kierkegaard,${districtId}\n`;
    const mapping = { [columnField(0)]: "first_name", [columnField(1)]: "last_name", [columnField(2)]: "district_id" };
    const base = `/sessions/${s.session.id}`;
    const imported = await call(() => importRoute.action({
      request: makeRequest(`${base}/roster/import`, { method: "POST", cookie: s.lead.cookie, form: { intent: "commit", csvText: csv, ...mapping } }),
      params: s.params, context: {},
    }));
    expect(imported).toMatchObject({ status: 200, data: { stage: "done", summary: { newPeople: 1 } } });

    const opened = await call(() => checkInRoute.action({
      request: makeRequest(`${base}/check-in`, { method: "POST", cookie: s.lead.cookie, form: { intent: "open", dayId: day.id } }),
      params: s.params, context: {},
    }));
    expect(opened.status).toBe(302);
    const screen = await call(() => checkInRoute.loader({ request: makeRequest(`${base}/check-in?day=${day.id}`, { cookie: s.lead.cookie }), params: s.params, context: {} }));
    const token = String(Reflect.get(Object(screen.data), "link")).split("/check-in/")[1];
    expect(token).toBeTruthy();
    const checkedIn = await call(() => publicCheckInRoute.action({
      request: makeRequest(`/check-in/${token}`, { method: "POST", form: { districtId, lang: "en" } }),
      params: { token }, context: {},
    }));
    expect(checkedIn).toMatchObject({ status: 200, data: { state: "done", alreadyCheckedIn: false } });
    const person = await prisma.person.findUniqueOrThrow({ where: { districtId } });
    const marks = await prisma.attendance.findMany({ where: { sessionDayId: day.id, enrollment: { personId: person.id } } });
    expect(marks.map((m) => [m.status, m.method])).toEqual([["PRESENT", "QR"]]);

    const walkIn = await call(() => paperRoute.action({
      request: makeRequest(`${base}/paper`, {
        method: "POST", cookie: s.lead.cookie,
        form: { intent: "add-new", dayId: day.id, firstName: "Ana", lastName: "Walk-in", districtId: `S_${unique("")}.2`, kind: "STUDENT" },
      }),
      params: s.params, context: {},
    }));
    expect(walkIn.status, JSON.stringify(walkIn.data)).toBeLessThan(400);
  });
});

const adder = (user: { id: string; personId: string | null }) => ({ id: user.id, role: "TRAINER" as const, schoolIds: [], personId: user.personId });

describe("the roster's person search", () => {
  it("ignores the case of what is typed, on either engine", async () => {
    const s = await setup();
    const found = await searchForRoster(s.session.id, s.outsider.lastName.toUpperCase(), adder(s.lead.user));
    expect(found.map((p) => p.id)).toEqual([s.outsider.id]);
  });
});

describe("the roster's checks hold when requests arrive at once", () => {
  // On SQLite each write transaction runs alone; on PostgreSQL these run side by side on the
  // pool's connections, as they would from several app instances, and rest on the session's seat lock.

  it("10 concurrent adds to a 5-seat session seat 5 and refuse 5 for capacity", async () => {
    const lead = await signIn("TRAINER");
    const session = await createSession(prisma, { programId: ymhfaId, schoolId, leadTrainerId: lead.user.id, capacity: 5 });
    const people = await Promise.all(Array.from({ length: 10 }, () => createPerson(prisma, { kind: "STAFF", lastName: unique("Seat") })));
    const results = await Promise.allSettled(
      people.map((p) => addToRoster(session.id, p.id, { overrideCapacity: false, actorId: lead.user.id, viewer: adder(lead.user) })),
    );
    const added = results.filter((r) => r.status === "fulfilled" && r.value.added === 1);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(added).toHaveLength(5);
    expect(refused).toHaveLength(5);
    for (const reason of refused) expect(reason).toBeInstanceOf(RosterError);
    expect(refused.map((r) => Reflect.get(Object(r), "code"))).toEqual(Array(5).fill("capacity"));
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(5);
  });

  it("the same person added 6 times at once is enrolled once, audited once, and no add fails", async () => {
    const lead = await signIn("TRAINER");
    const session = await createSession(prisma, { programId: ymhfaId, schoolId, leadTrainerId: lead.user.id, capacity: 5 });
    const person = await createPerson(prisma, { kind: "STAFF", lastName: unique("Twice") });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => addToRoster(session.id, person.id, { overrideCapacity: false, actorId: lead.user.id, viewer: adder(lead.user) })),
    );
    expect(results.map((r) => r.added).sort()).toEqual([0, 0, 0, 0, 0, 1]);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id, personId: person.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "roster.add", entityId: session.id } })).toBe(1);
  });

  it("one person added at once to sessions at two schools gets one membership that year, not two", async () => {
    const lead = await signIn("TRAINER");
    const otherSchoolId = (await createSchool(prisma)).id;
    const sessions = await Promise.all([schoolId, otherSchoolId].map((at) => createSession(prisma, { programId: ymhfaId, schoolId: at, leadTrainerId: lead.user.id })));
    const person = await createPerson(prisma, { kind: "STAFF", lastName: unique("Both") });
    const results = await Promise.all(
      sessions.map((s) => addToRoster(s.id, person.id, { overrideCapacity: false, actorId: lead.user.id, viewer: adder(lead.user) })),
    );
    expect(results.map((r) => r.added)).toEqual([1, 1]);
    expect(await prisma.affiliation.count({ where: { personId: person.id } })).toBe(1);
  });

  it("one enrollment removed 8 times at once is removed once; the others are told it is not on the roster", async () => {
    const s = await setup();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => removeEnrollment(s.session.id, s.enrollment.id, s.lead.user.id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(refused).toHaveLength(7);
    for (const reason of refused) expect(reason).toBeInstanceOf(RosterError);
    expect(refused.map((r) => Reflect.get(Object(r), "code"))).toEqual(Array(7).fill("not-found"));
    expect(await prisma.auditEvent.count({ where: { action: "roster.remove", entityId: s.session.id } })).toBe(1);
  });
});
