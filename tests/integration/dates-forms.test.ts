/**
 * Impossible dates (2026-02-30) are refused on every form, query string and CSV that takes a date,
 * with a message naming the field, and nothing is written; never rolled over to 2 March.
 * The goal create form is covered in goals.test.ts, the reach dashboard's ?asOf in reach.test.ts.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import * as newSessionRoute from "~/routes/sessions.new";
import * as editSessionRoute from "~/routes/sessions.$sessionId.edit";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance";
import * as paperRoute from "~/routes/sessions.$sessionId.paper";
import * as editGoalRoute from "~/routes/lead.goals.$goalId.edit";
import * as goalListRoute from "~/routes/lead.goals._index";
import * as goalPageRoute from "~/routes/lead.goals.$goalId._index";
import * as growthRoute from "~/routes/lead.growth";
import * as mhfaRoute from "~/routes/sessions.$sessionId.roster.mhfa-import";

const HOUR = 3600_000;
let programId: string;
let schoolId: string;

beforeAll(async () => {
  programId = (await createProgram(prisma, { preset: "YMHFA", requiresPostWork: true, requiresEvaluation: true, maxParticipants: null })).id;
  schoolId = (await createSchool(prisma)).id;
});

function errorsOf(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || !("errors" in value)) throw new Error(`No errors in ${JSON.stringify(value)}`);
  const errors = value.errors;
  if (typeof errors !== "object" || errors === null) throw new Error("errors is not an object");
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]));
}

function sessionForm(overrides: Record<string, string> = {}) {
  return { intent: "save", programId, format: "IN_PERSON", audience: "STAFF", schoolId, day0Date: "2026-03-02", day0Start: "08:30", day0End: "15:00", ...overrides };
}

describe("the session form", () => {
  it.each([
    [{ day0Date: "2026-02-30" }, "day0Date", "Day 1 date: 2026-02-30 is not a real date"],
    [{ day1Date: "2025-02-29", day1Start: "09:00", day1End: "10:00" }, "day1Date", "Day 2 date: 2025-02-29 is not a real date"],
    [{ day0Date: "2026-04-31" }, "day0Date", "Day 1 date: 2026-04-31 is not a real date"],
    [{ day0Date: "1999-12-31" }, "day0Date", "Day 1 date: 1999-12-31 is before 2000-01-01"],
    [{ day0Start: "24:00" }, "day0Start", 'Day 1 starts: "24:00" is not a time written as HH:MM (00:00 to 23:59)'],
    [{ day0End: "15:60" }, "day0End", 'Day 1 ends: "15:60" is not a time written as HH:MM (00:00 to 23:59)'],
  ])("creating: %o is refused on %s with %j, nothing written", async (overrides, field, message) => {
    const { cookie } = await signIn("TRAINER");
    const before = await Promise.all([prisma.trainingSession.count(), prisma.sessionDay.count()]);
    const res = await call(() => newSessionRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form: sessionForm(overrides) }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)[field]).toBe(message);
    expect(await Promise.all([prisma.trainingSession.count(), prisma.sessionDay.count()])).toEqual(before);
  });

  it("editing: 2026-02-30 is refused and the session's days stay as they were", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const session = await createSession(prisma, { programId, schoolId, leadTrainerId: user.id });
    const days = await prisma.sessionDay.findMany({ where: { sessionId: session.id }, orderBy: { id: "asc" } });
    const res = await call(() => editSessionRoute.action({
      request: makeRequest(`/sessions/${session.id}/edit`, { method: "POST", cookie, form: sessionForm({ day0Date: "2026-02-30" }) }),
      params: { sessionId: session.id }, context: {},
    }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).day0Date).toBe("Day 1 date: 2026-02-30 is not a real date");
    expect(await prisma.sessionDay.findMany({ where: { sessionId: session.id }, orderBy: { id: "asc" } })).toEqual(days);
  });
});

describe("the attendance and paper sheets' post-work and evaluation dates", () => {
  async function setup() {
    const { user, cookie } = await signIn("TRAINER");
    const start = new Date(Date.now() - 3 * 24 * HOUR);
    const session = await createSession(prisma, { programId, schoolId, leadTrainerId: user.id, days: [{ startsAt: start, endsAt: new Date(start.getTime() + 6 * HOUR) }] });
    const person = await createPerson(prisma, { kind: "STAFF", lastName: unique("Dates") });
    const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id });
    return { cookie, session, enrollment, dayId: session.days[0].id };
  }
  const snapshot = (sessionId: string) =>
    Promise.all([
      prisma.attendance.count({ where: { enrollment: { sessionId } } }),
      prisma.enrollment.findMany({ where: { sessionId }, select: { postWorkCompletedOn: true, evaluationCompletedOn: true } }),
      prisma.auditEvent.count({ where: { entityId: sessionId } }),
    ]);

  type Action = (args: ActionFunctionArgs) => Promise<unknown>;
  const sheets: Record<"attendance" | "paper", Action> = { attendance: attendanceRoute.action, paper: paperRoute.action };
  it.each([
    ["attendance", "postWork", "Post-work date: 2026-02-30 is not a real date"],
    ["attendance", "evaluation", "Evaluation date: 2026-02-30 is not a real date"],
    ["paper", "postWork", "Post-work date: 2026-02-30 is not a real date"],
    ["paper", "evaluation", "Evaluation date: 2026-02-30 is not a real date"],
  ] as const)("the %s sheet refuses %s 2026-02-30 naming the field; the valid mark beside it is not written", async (page, kind, message) => {
    const s = await setup();
    const before = await snapshot(s.session.id);
    const field = `${kind}:${s.enrollment.id}`;
    const res = await call(() => sheets[page]({
      request: makeRequest(`/sessions/${s.session.id}/${page}`, { method: "POST", cookie: s.cookie, form: { intent: "save", dayId: s.dayId, [`status:${s.enrollment.id}`]: "PRESENT", [field]: "2026-02-30" } }),
      params: { sessionId: s.session.id }, context: {},
    }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)).toEqual({ [field]: message });
    expect(await snapshot(s.session.id)).toEqual(before);
  });
});

describe("the goal edit form", () => {
  it("refuses a deadline of 2026-02-30 naming the field, leaving the goal as it was", async () => {
    const admin = await signIn("ADMIN");
    const goal = await prisma.goal.create({
      data: { programId, scope: "DISTRICT", measure: "PEOPLE_TRAINED", target: 10, startsOn: new Date("2025-07-01T00:00:00Z"), deadline: new Date("2026-06-30T00:00:00Z") },
    });
    const form = { scope: "DISTRICT", regionId: "", schoolCode: "", programId, measure: "PEOPLE_TRAINED", target: "20", startsOn: "2025-07-01", deadline: "2026-02-30" };
    const res = await call(() => editGoalRoute.action({ request: makeRequest(`/lead/goals/${goal.id}/edit`, { method: "POST", cookie: admin.cookie, form }), params: { goalId: goal.id }, context: {} }));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)).toEqual({ deadline: "Deadline: 2026-02-30 is not a real date" });
    expect(await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).toEqual(goal);
  });
});

describe("query strings that take a date", () => {
  it("the goal pages' ?asOf and the growth page's ?from / ?to refuse 2026-02-30 naming the field", async () => {
    const lead = await signIn("PROGRAM_LEAD");
    const goal = await prisma.goal.create({
      data: { programId, scope: "DISTRICT", measure: "PEOPLE_TRAINED", target: 10, startsOn: new Date("2025-07-01T00:00:00Z"), deadline: new Date("2026-06-30T00:00:00Z") },
    });
    const list = await call(() => goalListRoute.loader({ request: makeRequest("/lead/goals?asOf=2026-02-30", { cookie: lead.cookie }), params: {}, context: {} }));
    expect(list.status).toBe(400);
    expect(errorsOf(list.data).asOf).toMatch(/^As-of date must be a real date/);
    const page = await call(() => goalPageRoute.loader({ request: makeRequest(`/lead/goals/${goal.id}?asOf=2026-02-30`, { cookie: lead.cookie }), params: { goalId: goal.id }, context: {} }));
    expect(page.status).toBe(400);
    for (const q of ["from=2026-02-30", "to=2026-02-30"]) {
      const growth = await call(() => growthRoute.loader({ request: makeRequest(`/lead/growth?${q}`, { cookie: lead.cookie }), params: {}, context: {} }));
      expect(growth.status, q).toBe(400);
      expect(errorsOf(growth.data)[q.slice(0, q.indexOf("="))], q).toMatch(/^(From|To) must be a real date/);
    }
  });
});

describe("the MHFA platform export's course dates", () => {
  it("refuses a Course End Date of 02/30/2026 or 2026-02-30, naming the line and column, and imports nothing", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const start = new Date(Date.now() - 30 * 24 * HOUR);
    const session = await createSession(prisma, { programId, schoolId, leadTrainerId: user.id, days: [{ startsAt: start, endsAt: new Date(start.getTime() + 6 * HOUR) }] });
    const u = unique("m");
    const csvText = [
      "Learner First Name,Learner Last Name,Learner Email,Course Start Date,Course End Date,Completion Status",
      `Ana,Feb,ana.${u}@example.org,02/01/2026,02/30/2026,Completed`,
      `Bo,Feb,bo.${u}@example.org,2026-02-01,2026-02-30,Completed`,
    ].join("\n");
    const before = await Promise.all([prisma.person.count(), prisma.enrollment.count({ where: { sessionId: session.id } }), prisma.auditEvent.count({ where: { entityId: session.id } })]);
    const form = { intent: "commit", csvText, fileName: "export.csv" };
    const res = await call(() => mhfaRoute.action({ request: makeRequest(`/sessions/${session.id}/roster/mhfa-import`, { method: "POST", cookie, form }), params: { sessionId: session.id }, context: {} }));
    expect(res.status).toBe(400);
    const messages = JSON.stringify(res.data);
    expect(messages).toContain('Line 2: Course End Date \\"02/30/2026\\" is not a date');
    expect(messages).toContain('Line 3: Course End Date \\"2026-02-30\\" is not a date');
    expect(await Promise.all([prisma.person.count(), prisma.enrollment.count({ where: { sessionId: session.id } }), prisma.auditEvent.count({ where: { entityId: session.id } })])).toEqual(before);
  });
});
