/**
 * The lists of sessions: the sessions list (/sessions) for each role, the trainer's home (/trainer),
 * and the roster's per-person attendance flag. What they show, in which order, and how a list is
 * cut into pages; their speed at district scale is the pages bench's (scripts/bench/pages.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll, recordAttendance } from "../../prisma/seed/factories";
import * as listRoute from "~/routes/sessions._index";
import * as trainerHome from "~/routes/trainer._index";
import * as rosterRoute from "~/routes/sessions.$sessionId.roster";
import { startOfDayUtc } from "~/domain/program-rules";
import { renderPage } from "./page-render";

const Row = z.object({ id: z.string(), status: z.string(), _count: z.object({ enrollments: z.number() }), days: z.array(z.object({ startsAt: z.coerce.date() })) });
const List = z.object({ sessions: z.array(Row), total: z.number(), pageSize: z.number() });
const Home = z.object({ todays: z.array(Row), upcoming: z.array(Row), awaitingClose: z.array(Row) });
const Roster = z.object({ roster: z.object({ enrollments: z.array(z.object({ personId: z.string(), attendanceCount: z.number() })) }) });

const DAY_MS = 86_400_000;
let programId: string;
let schoolId: string;

beforeAll(async () => {
  programId = (await createProgram(prisma, { preset: "YMHFA", maxParticipants: 30 })).id;
  schoolId = (await createSchool(prisma)).id;
});

async function sessionsPage(cookie: string, query = "") {
  const res = await call(() => listRoute.loader({ request: makeRequest(`/sessions${query}`, { cookie }), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return List.parse(res.data);
}

describe("the sessions list", () => {
  it("pages a trainer's sessions (led or co-trained) newest first, the id settling ties, none twice, none of another trainer's", async () => {
    const me = await signIn("TRAINER");
    const other = await signIn("TRAINER");
    // 53 sessions created at one same moment (a bulk import does that), 4 at later ones.
    const sameMoment = new Date("2025-01-15T10:00:00Z");
    const led = [];
    for (let i = 0; i < 53; i += 1) led.push(await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, createdAt: sameMoment }));
    const later = [];
    for (let i = 1; i <= 3; i += 1) later.push(await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, createdAt: new Date(sameMoment.getTime() + i * DAY_MS) }));
    const coTrained = await createSession(prisma, { programId, schoolId, leadTrainerId: other.user.id, coTrainerIds: [me.user.id], createdAt: new Date(sameMoment.getTime() + 10 * DAY_MS) });
    const notMine = await createSession(prisma, { programId, schoolId, leadTrainerId: other.user.id });

    const first = await sessionsPage(me.cookie);
    const second = await sessionsPage(me.cookie, "?page=2");
    expect(first.total).toBe(57);
    expect(first.sessions).toHaveLength(50);
    expect(second.sessions).toHaveLength(7);
    const shown = [...first.sessions, ...second.sessions].map((s) => s.id);
    const sameMomentIds = led.map((s) => s.id).sort().reverse();
    expect(shown).toEqual([coTrained.id, ...later.map((s) => s.id).reverse(), ...sameMomentIds]);
    expect(shown).not.toContain(notMine.id);
  });

  it("counts each session's people, and filters by status", async () => {
    const me = await signIn("TRAINER");
    const open = await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id });
    const cancelled = await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, status: "CANCELLED" });
    for (let i = 0; i < 3; i += 1) await enroll(prisma, { sessionId: open.id, personId: (await createPerson(prisma)).id });

    const all = await sessionsPage(me.cookie);
    expect(all.sessions.map((s) => [s.id, s._count.enrollments])).toEqual(expect.arrayContaining([[open.id, 3], [cancelled.id, 0]]));
    const onlyCancelled = await sessionsPage(me.cookie, "?status=CANCELLED");
    expect(onlyCancelled).toMatchObject({ total: 1, sessions: [{ id: cancelled.id, status: "CANCELLED" }] });
  });

  it("shows a coordinator the sessions at their schools only, with the status filter", async () => {
    const mySchool = await createSchool(prisma);
    const elsewhere = await createSchool(prisma);
    const here = await createSession(prisma, { programId, schoolId: mySchool.id });
    const closedHere = await createSession(prisma, { programId, schoolId: mySchool.id, status: "CLOSED" });
    const there = await createSession(prisma, { programId, schoolId: elsewhere.id });
    const coordinator = await signIn("COORDINATOR", { schoolIds: [mySchool.id] });

    const list = await sessionsPage(coordinator.cookie);
    expect(list.total).toBe(2);
    expect(list.sessions.map((s) => s.id).sort()).toEqual([here.id, closedHere.id].sort());
    expect(list.sessions.map((s) => s.id)).not.toContain(there.id);
    expect((await sessionsPage(coordinator.cookie, "?status=CLOSED")).sessions.map((s) => s.id)).toEqual([closedHere.id]);
  });

  it("shows an administrator every session, newest first", async () => {
    const admin = await signIn("ADMIN");
    // Later than anything else in the worker's database: first on the first page.
    const newest = await createSession(prisma, { programId, schoolId, createdAt: new Date("2099-01-02T00:00:00Z") });
    const next = await createSession(prisma, { programId, schoolId, createdAt: new Date("2099-01-01T00:00:00Z") });
    const list = await sessionsPage(admin.cookie);
    expect(list.sessions.slice(0, 2).map((s) => s.id)).toEqual([newest.id, next.id]);
    expect(list.total).toBe(await prisma.trainingSession.count());
  });
});

describe("the trainer's home", () => {
  const day = (from: Date, days: number, hour = 16) => {
    const startsAt = new Date(from.getTime() + days * DAY_MS + hour * 3_600_000);
    return { startsAt, endsAt: new Date(startsAt.getTime() + 6 * 3_600_000) };
  };

  it("lists today's sessions, the soonest 50 to come and those past but not closed, each by first day, with their counts", async () => {
    const me = await signIn("TRAINER");
    const today = startOfDayUtc(new Date());
    const prefix = unique("home");
    // 55 to come, created furthest first: the ids' order is the opposite of the days'.
    for (let i = 0; i < 55; i += 1) {
      await createSession(prisma, { id: `${prefix}-up-${String(i).padStart(2, "0")}`, programId, schoolId, leadTrainerId: me.user.id, days: [day(today, 60 - i)] });
    }
    const soonest = Array.from({ length: 50 }, (_, k) => `${prefix}-up-${String(54 - k).padStart(2, "0")}`);
    const todays = await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, days: [day(today, 0, 1)] });
    const pastOpen = await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, days: [day(today, -3)] });
    const olderOpen = await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, days: [day(today, -9), day(today, -8)] });
    await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, days: [day(today, -5)], status: "CLOSED" });
    await createSession(prisma, { programId, schoolId, leadTrainerId: me.user.id, days: [day(today, 4)], status: "CANCELLED" });
    const elsewhere = await createSession(prisma, { programId, schoolId, days: [day(today, 0, 2)] });
    for (let i = 0; i < 2; i += 1) await enroll(prisma, { sessionId: todays.id, personId: (await createPerson(prisma)).id });

    const res = await call(() => trainerHome.loader({ request: makeRequest("/trainer", { cookie: me.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(200);
    const home = Home.parse(res.data);
    expect(home.todays.map((s) => [s.id, s._count.enrollments])).toEqual([[todays.id, 2]]);
    expect(home.todays.map((s) => s.id)).not.toContain(elsewhere.id);
    expect(home.upcoming.map((s) => s.id)).toEqual(soonest);
    expect(home.awaitingClose.map((s) => s.id)).toEqual([olderOpen.id, pastOpen.id]);
    expect(home.awaitingClose[0].days).toHaveLength(2);
  });
});

describe("the roster", () => {
  it("marks who has attendance recorded", async () => {
    const lead = await signIn("TRAINER");
    const session = await createSession(prisma, { programId, schoolId, leadTrainerId: lead.user.id });
    const marked = await createPerson(prisma);
    const unmarked = await createPerson(prisma);
    const enrollment = await enroll(prisma, { sessionId: session.id, personId: marked.id });
    await enroll(prisma, { sessionId: session.id, personId: unmarked.id });
    await recordAttendance(prisma, { enrollmentId: enrollment.id, sessionDayId: session.days[0].id });

    const res = await call(() => rosterRoute.loader({ request: makeRequest(`/sessions/${session.id}/roster`, { cookie: lead.cookie }), params: { sessionId: session.id }, context: {} }));
    expect(res.status).toBe(200);
    const counts = Object.fromEntries(Roster.parse(res.data).roster.enrollments.map((e) => [e.personId, e.attendanceCount]));
    expect(counts).toEqual({ [marked.id]: 1, [unmarked.id]: 0 });
    const { html } = await renderPage("/sessions/:sessionId/roster", rosterRoute, makeRequest(`/sessions/${session.id}/roster`, { cookie: lead.cookie }));
    expect(html.split("(attendance recorded)")).toHaveLength(2);
  });
});
