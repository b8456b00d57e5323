/**
 * Goals, growth and the printable report, through the real loaders and actions: who may use them,
 * create / edit / archive with validation and audit, and progress, pace and status on a hand-built
 * district (each scenario under its own program, so other tests' records never count).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { errorsOf, hit, valuesOf, type Endpoint } from "./admin-route-helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, issueCertification } from "../../prisma/seed/factories";
import { goalProgress } from "~/models/goal.server";
import * as goalList from "~/routes/lead.goals._index";
import * as newGoal from "~/routes/lead.goals.new";
import * as goalPage from "~/routes/lead.goals.$goalId._index";
import * as editGoal from "~/routes/lead.goals.$goalId.edit";
import * as growthPage from "~/routes/lead.growth";
import * as reportPage from "~/routes/lead.report";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

// The fixture's calendar: as of 1 March 2026 the pace window is the 90 days since 1 December 2025,
// and the deadline (1 June 2026) is 92 days away.
const AS_OF = "2026-03-01";
const STARTS = "2025-09-01";
const DEADLINE = "2026-06-01";

let lead: Awaited<ReturnType<typeof signIn>>;
let admin: Awaited<ReturnType<typeof signIn>>;
beforeAll(async () => {
  lead = await signIn("PROGRAM_LEAD");
  admin = await signIn("ADMIN");
});

/** People trained in a program on given days (each a new person unless one is given). */
async function train(programId: string, days: string[], opts: { schoolId?: string; kind?: "STAFF" | "STUDENT" | "COMMUNITY" } = {}) {
  const people = [];
  for (const on of days) {
    const person = await createPerson(prisma, {
      kind: opts.kind ?? "STAFF",
      affiliations: opts.schoolId ? [{ schoolId: opts.schoolId, schoolYear: 2025 }] : [],
    });
    await issueCertification(prisma, { personId: person.id, programId, issuedOn: day(on) });
    people.push(person);
  }
  return people;
}

function goalRow(programId: string, over: Partial<{ scope: "DISTRICT" | "REGION" | "SCHOOL"; regionId: string; schoolId: string; measure: "PEOPLE_TRAINED" | "STAFF_REACH"; target: number; startsOn: string; deadline: string }> = {}) {
  return prisma.goal.create({
    data: {
      programId,
      scope: over.scope ?? "DISTRICT",
      regionId: over.regionId,
      schoolId: over.schoolId,
      measure: over.measure ?? "PEOPLE_TRAINED",
      target: over.target ?? 10,
      startsOn: day(over.startsOn ?? STARTS),
      deadline: day(over.deadline ?? DEADLINE),
    },
  });
}

/** The goal form as a browser posts it. */
function goalForm(programId: string, over: Record<string, string> = {}): Record<string, string> {
  return { scope: "DISTRICT", regionId: "", schoolCode: "", programId, measure: "PEOPLE_TRAINED", target: "250", startsOn: "2025-07-01", deadline: "2026-06-30", ...over };
}

const LoaderGoals = z.object({
  ok: z.literal(true),
  active: z.array(z.object({ id: z.string(), progress: z.object({ status: z.string(), value: z.number().nullable() }) })),
  archived: z.array(z.object({ id: z.string() })),
});

const GoalPageData = z.object({
  goal: z.object({ id: z.string(), archivedAt: z.union([z.date(), z.null()]) }),
  progress: z.object({
    status: z.string(), value: z.number().nullable(), valueWindowAgo: z.number().nullable(), daysLeft: z.number(),
    currentPer30Days: z.number().nullable(), neededPer30Days: z.number().nullable(), projectedAtDeadline: z.number().nullable(),
  }),
  growth: z.object({
    startValue: z.number(),
    rows: z.array(z.object({ month: z.string(), trained: z.number().nullable(), cumulativePeople: z.number().nullable(), staffReachPercent: z.number().nullable(), goalLine: z.number().nullable() })),
  }),
});

function openGoal(goalId: string, cookie: string, asOf = AS_OF) {
  return call(() => goalPage.loader({ request: makeRequest(`/lead/goals/${goalId}?asOf=${asOf}`, { cookie }), params: { goalId }, context: {} }));
}

describe("who may use goals, growth and the report", () => {
  it("refuses trainers, coordinators and members with 403 on every page and post, and writes nothing", async () => {
    const program = await createProgram(prisma);
    const goal = await goalRow(program.id);
    const before = await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } });
    const goals = await prisma.goal.count();
    const endpoints: Endpoint[] = [
      { name: "goal list", path: "/lead/goals", fn: goalList.loader },
      { name: "new goal page", path: "/lead/goals/new", fn: newGoal.loader },
      { name: "create goal", path: "/lead/goals/new", fn: newGoal.action, method: "POST", form: goalForm(program.id) },
      { name: "goal page", path: `/lead/goals/${goal.id}`, params: { goalId: goal.id }, fn: goalPage.loader },
      { name: "archive goal", path: `/lead/goals/${goal.id}`, params: { goalId: goal.id }, fn: goalPage.action, method: "POST", form: { intent: "archive" } },
      { name: "edit goal page", path: `/lead/goals/${goal.id}/edit`, params: { goalId: goal.id }, fn: editGoal.loader },
      { name: "save goal", path: `/lead/goals/${goal.id}/edit`, params: { goalId: goal.id }, fn: editGoal.action, method: "POST", form: goalForm(program.id, { target: "999" }) },
      { name: "growth page", path: "/lead/growth", fn: growthPage.loader },
      { name: "report", path: "/lead/report", fn: reportPage.loader },
    ];
    for (const role of ["TRAINER", "COORDINATOR", "MEMBER"] as const) {
      const { cookie } = await signIn(role);
      for (const endpoint of endpoints) {
        const res = await hit(endpoint, cookie);
        expect(res.status, `${role} ${endpoint.method ?? "GET"} ${endpoint.name}`).toBe(403);
      }
    }
    for (const endpoint of endpoints) {
      const res = await hit(endpoint);
      expect(res.status, `signed out ${endpoint.name}`).toBe(302);
      expect(res.headers.get("Location"), endpoint.name).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).toEqual(before);
    expect(await prisma.goal.count()).toBe(goals);
    expect(await prisma.auditEvent.count({ where: { entityType: "Goal", entityId: goal.id } })).toBe(0);
  });

  it("lets program leads and administrators open every page", async () => {
    const program = await createProgram(prisma);
    const goal = await goalRow(program.id);
    for (const who of [lead, admin]) {
      for (const endpoint of [
        { name: "goal list", path: "/lead/goals", fn: goalList.loader },
        { name: "new goal page", path: "/lead/goals/new", fn: newGoal.loader },
        { name: "goal page", path: `/lead/goals/${goal.id}`, params: { goalId: goal.id }, fn: goalPage.loader },
        { name: "edit goal page", path: `/lead/goals/${goal.id}/edit`, params: { goalId: goal.id }, fn: editGoal.loader },
        { name: "growth page", path: `/lead/growth?program=${program.code}`, fn: growthPage.loader },
        { name: "report", path: `/lead/report?program=${program.code}`, fn: reportPage.loader },
      ] satisfies Endpoint[]) {
        expect((await hit(endpoint, who.cookie)).status, `${who.user.role} ${endpoint.name}`).toBe(200);
      }
    }
  });

  it("answers 404 for a goal that does not exist", async () => {
    for (const fn of [goalPage.loader, editGoal.loader] as Array<(args: LoaderFunctionArgs) => Promise<unknown>>) {
      const res = await call(() => fn({ request: makeRequest("/lead/goals/nope", { cookie: lead.cookie }), params: { goalId: "nope" }, context: {} }));
      expect(res.status).toBe(404);
    }
  });
});

describe("creating a goal", () => {
  it("saves a school goal from the form, by school code, and records who set it", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    const res = await hit({ name: "create", path: "/lead/goals/new", fn: newGoal.action, method: "POST",
      form: goalForm(program.id, { scope: "SCHOOL", schoolCode: school.code.toLowerCase(), measure: "STAFF_REACH", target: "12.5" }) }, lead.cookie);
    expect(res.status).toBe(302);
    const id = /^\/lead\/goals\/([^/?]+)\?created=1$/.exec(res.headers.get("Location") ?? "")?.[1];
    expect(id).toBeTruthy();
    const goal = await prisma.goal.findUniqueOrThrow({ where: { id } });
    expect(goal).toMatchObject({
      scope: "SCHOOL", schoolId: school.id, regionId: null, programId: program.id, measure: "STAFF_REACH", target: 12.5,
      startsOn: day("2025-07-01"), deadline: day("2026-06-30"), archivedAt: null, createdById: lead.user.id,
    });
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "Goal", entityId: goal.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "goal.create", actorId: lead.user.id });
    expect(JSON.parse(audit[0].details)).toMatchObject({ scope: "SCHOOL", schoolId: school.id, target: 12.5, startsOn: "2025-07-01", deadline: "2026-06-30" });
  });

  it("refuses bad input with a message naming each field, and writes nothing", async () => {
    const program = await createProgram(prisma);
    const inactive = await createProgram(prisma, { active: false });
    const before = { goals: await prisma.goal.count(), audit: await prisma.auditEvent.count({ where: { entityType: "Goal" } }) };
    const cases: Array<{ form: Record<string, string>; errors: Record<string, RegExp> }> = [
      { form: goalForm(program.id, { target: "" }), errors: { target: /^Target is required$/ } },
      { form: goalForm(program.id, { target: "lots" }), errors: { target: /^Target must be a number/ } },
      { form: goalForm(program.id, { target: "12.5" }), errors: { target: /whole number of people/ } },
      { form: goalForm(program.id, { measure: "STAFF_REACH", target: "120" }), errors: { target: /percentage above 0 and at most 100/ } },
      { form: goalForm(program.id, { startsOn: "2026-02-30", deadline: "" }), errors: { startsOn: /^Start date: 2026-02-30 is not a real date$/, deadline: /^Deadline is required$/ } },
      { form: goalForm(program.id, { deadline: "2026-06-31" }), errors: { deadline: /^Deadline: 2026-06-31 is not a real date$/ } },
      { form: goalForm(program.id, { deadline: "30/06/2026" }), errors: { deadline: /^Deadline: "30\/06\/2026" is not a date written as YYYY-MM-DD/ } },
      { form: goalForm(program.id, { startsOn: "1999-07-01" }), errors: { startsOn: /^Start date: 1999-07-01 is before 2000-01-01$/ } },
      { form: goalForm(program.id, { startsOn: "2026-06-30", deadline: "2026-01-01" }), errors: { deadline: /^Deadline must be after the start date$/ } },
      { form: goalForm(program.id, { scope: "REGION" }), errors: { regionId: /^Region is required for a region goal$/ } },
      { form: goalForm(program.id, { scope: "REGION", regionId: "no-such-region" }), errors: { regionId: /^Region must be one of the district's regions$/ } },
      { form: goalForm(program.id, { scope: "SCHOOL", schoolCode: "NOPE-404" }), errors: { schoolCode: /no school has the code "NOPE-404"/ } },
      { form: goalForm(program.id, { scope: "COUNTY", measure: "HAPPINESS" }), errors: { scope: /^Scope must be/, measure: /^Measure must be/ } },
      { form: goalForm(inactive.id), errors: { programId: /^Program must be one of the active programs$/ } },
      { form: goalForm(""), errors: { programId: /^Program is required$/ } },
    ];
    for (const { form, errors } of cases) {
      const res = await hit({ name: "create", path: "/lead/goals/new", fn: newGoal.action, method: "POST", form }, lead.cookie);
      expect(res.status, JSON.stringify(form)).toBe(400);
      const got = errorsOf(res.data);
      expect(Object.keys(got).sort(), JSON.stringify(form)).toEqual(Object.keys(errors).sort());
      for (const [field, message] of Object.entries(errors)) expect(got[field], field).toMatch(message);
      // What was typed comes back to fill the fields again.
      expect(valuesOf(res.data).target).toBe(form.target);
    }
    expect(await prisma.goal.count()).toBe(before.goals);
    expect(await prisma.auditEvent.count({ where: { entityType: "Goal" } })).toBe(before.audit);
  });

  it("shows the errors on the page itself when posted without JavaScript", async () => {
    const program = await createProgram(prisma);
    const form = new FormData();
    for (const [k, v] of Object.entries(goalForm(program.id, { target: "", deadline: "2025-02-30" }))) form.append(k, v);
    const page = await renderPage("/lead/goals/new", newGoal, makeRequest("/lead/goals/new", { method: "POST", cookie: lead.cookie, form }));
    expect(page.status).toBe(400);
    expect(page.html).toContain("There is a problem");
    expect(page.html).toContain('<a href="#field-target">Target is required</a>');
    expect(page.html).toContain('<a href="#field-deadline">Deadline: 2025-02-30 is not a real date</a>');
    expect(page.html).toMatch(/<input[^>]*id="field-target"[^>]*aria-invalid="true"/);
  });

  it("starts the form from the page it was opened from", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    const res = await call(() => newGoal.loader({ request: makeRequest(`/lead/goals/new?scope=school&school=${school.code}&program=${program.code}`, { cookie: lead.cookie }), params: {}, context: {} }));
    expect(res.data).toMatchObject({ defaults: { scope: "SCHOOL", schoolCode: school.code, programId: program.id, measure: "PEOPLE_TRAINED" } });
  });
});

describe("editing, archiving and restoring a goal", () => {
  it("saves a change with an audit entry; a bad change is refused and leaves the goal as it was", async () => {
    const program = await createProgram(prisma);
    const goal = await goalRow(program.id, { target: 100 });
    const edit = (form: Record<string, string>) =>
      hit({ name: "save", path: `/lead/goals/${goal.id}/edit`, params: { goalId: goal.id }, fn: editGoal.action, method: "POST", form }, admin.cookie);

    const bad = await edit(goalForm(program.id, { target: "0", startsOn: STARTS, deadline: DEADLINE }));
    expect(bad.status).toBe(400);
    expect(errorsOf(bad.data)).toEqual({ target: "Target must be a whole number of people between 1 and 10,000,000" });
    expect(await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).toEqual(goal);

    const good = await edit(goalForm(program.id, { target: "150", startsOn: STARTS, deadline: "2026-08-31" }));
    expect(good.status).toBe(302);
    expect(good.headers.get("Location")).toBe(`/lead/goals/${goal.id}?saved=1`);
    expect(await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).toMatchObject({ target: 150, deadline: day("2026-08-31"), createdById: null });
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "Goal", entityId: goal.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["goal.update", admin.user.id]]);

    // The edit page starts from the saved values.
    const page = await call(() => editGoal.loader({ request: makeRequest(`/lead/goals/${goal.id}/edit`, { cookie: lead.cookie }), params: { goalId: goal.id }, context: {} }));
    expect(page.data).toMatchObject({ defaults: { target: "150", deadline: "2026-08-31", startsOn: STARTS, scope: "DISTRICT" } });
  });

  it("archives and restores from the goal page, moving it between the lists, with audit entries", async () => {
    const program = await createProgram(prisma);
    const goal = await goalRow(program.id);
    const post = (intent: string) =>
      hit({ name: "intent", path: `/lead/goals/${goal.id}`, params: { goalId: goal.id }, fn: goalPage.action, method: "POST", form: { intent } }, lead.cookie);
    const list = async () => LoaderGoals.parse((await call(() => goalList.loader({ request: makeRequest(`/lead/goals?asOf=${AS_OF}`, { cookie: lead.cookie }), params: {}, context: {} }))).data);

    expect((await list()).active.map((g) => g.id)).toContain(goal.id);
    const archived = await post("archive");
    expect(archived.status).toBe(302);
    expect(archived.headers.get("Location")).toBe("/lead/goals?archived=1");
    expect((await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).archivedAt).toBeInstanceOf(Date);
    let lists = await list();
    expect(lists.active.map((g) => g.id)).not.toContain(goal.id);
    expect(lists.archived.map((g) => g.id)).toContain(goal.id);

    // Archiving twice changes nothing more.
    await post("archive");
    const restored = await post("restore");
    expect(restored.headers.get("Location")).toBe(`/lead/goals/${goal.id}?restored=1`);
    expect((await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } })).archivedAt).toBeNull();
    lists = await list();
    expect(lists.active.map((g) => g.id)).toContain(goal.id);

    const refused = await post("delete");
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.data)).toEqual({ intent: "Choose Archive or Restore" });
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "Goal", entityId: goal.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["goal.archive", "goal.restore"]);
    expect(new Set(audit.map((a) => a.actorId))).toEqual(new Set([lead.user.id]));
  });
});

describe("progress, pace and status on a hand-built district", () => {
  it("people trained: on track, at risk and reached, counting each person once, only from the start to the as-of day", async () => {
    const [onTrack, atRisk, reached] = await Promise.all([createProgram(prisma), createProgram(prisma), createProgram(prisma)]);
    // On track: 3 before the window, 4 in it: 7 now, 3 then; 7 + 4/90 × 92 = 11.1 ≥ 10.
    const early = await train(onTrack.id, ["2025-10-01", "2025-10-15", "2025-11-20"]);
    await train(onTrack.id, ["2026-01-05", "2026-01-20", "2026-02-02", "2026-02-27"], { kind: "STUDENT" });
    // Not counted: before the start, after the as-of day, and a second certificate of someone already counted.
    await train(onTrack.id, ["2025-08-31", "2026-03-02"]);
    await issueCertification(prisma, { personId: early[0].id, programId: onTrack.id, issuedOn: day("2026-01-10") });
    // At risk: 5 then, 2 in the window: 7 + 2/90 × 92 = 9.0 < 10.
    await train(atRisk.id, ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2026-02-01", "2026-02-02"], { kind: "COMMUNITY" });
    // Reached: 10 people in November.
    await train(reached.id, Array.from({ length: 10 }, (_, i) => `2025-11-${String(i + 10).padStart(2, "0")}`));

    const goals = {
      onTrack: await goalRow(onTrack.id),
      atRisk: await goalRow(atRisk.id),
      reached: await goalRow(reached.id),
      notStarted: await goalRow(onTrack.id, { startsOn: "2026-04-01", deadline: "2026-12-31" }),
    };

    const onTrackPage = GoalPageData.parse((await openGoal(goals.onTrack.id, lead.cookie)).data);
    expect(onTrackPage.progress).toMatchObject({ status: "on-track", value: 7, valueWindowAgo: 3, daysLeft: 92 });
    expect(onTrackPage.progress.currentPer30Days).toBeCloseTo((4 / 90) * 30, 10);
    expect(onTrackPage.progress.neededPer30Days).toBeCloseTo((3 / 92) * 30, 10);
    expect(onTrackPage.progress.projectedAtDeadline).toBeCloseTo(7 + (4 / 90) * 92, 10);

    const atRiskPage = GoalPageData.parse((await openGoal(goals.atRisk.id, lead.cookie)).data);
    expect(atRiskPage.progress).toMatchObject({ status: "at-risk", value: 7, valueWindowAgo: 5 });
    expect(atRiskPage.progress.projectedAtDeadline).toBeCloseTo(7 + (2 / 90) * 92, 10);

    // The list shows the same statuses.
    const list = LoaderGoals.parse((await call(() => goalList.loader({ request: makeRequest(`/lead/goals?asOf=${AS_OF}`, { cookie: lead.cookie }), params: {}, context: {} }))).data);
    const status = (id: string) => list.active.find((g) => g.id === id)?.progress.status;
    expect(status(goals.onTrack.id)).toBe("on-track");
    expect(status(goals.atRisk.id)).toBe("at-risk");
    expect(status(goals.reached.id)).toBe("reached");
    expect(status(goals.notStarted.id)).toBe("not-started");

    // After the deadline the figures stop at the deadline; a goal not reached is missed.
    const late = await goalProgress(goals.atRisk, day("2026-09-01"));
    expect(late).toMatchObject({ status: "missed", value: 7, daysLeft: 0 });
  });

  it("the goal's chart has the same numbers: the running total ends at the progress, the goal line at the target", async () => {
    const program = await createProgram(prisma);
    await train(program.id, ["2025-09-01", "2025-09-30", "2025-12-15", "2026-02-28"]);
    const goal = await goalRow(program.id, { target: 12 });
    const page = GoalPageData.parse((await openGoal(goal.id, lead.cookie)).data);
    const rows = page.growth.rows;
    expect(rows.map((r) => r.month)).toEqual(["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    expect(rows.map((r) => r.trained)).toEqual([2, 0, 0, 1, 0, 1, 0, null, null, null]);
    expect(rows.map((r) => r.cumulativePeople)).toEqual([2, 2, 2, 3, 3, 4, 4, null, null, null]);
    expect(page.progress.value).toBe(4);
    // A straight line from 0 on 1 Sep 2025 to 12 on 1 Jun 2026 (273 days), read at each month's end.
    expect(rows[0].goalLine).toBeCloseTo((12 * 29) / 273, 10);
    expect(rows[9].goalLine).toBe(12);
    expect(page.growth.startValue).toBe(0);
  });

  it("staff reach at a school: reached, at risk, and no headcount, from certificates current on each day", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    const other = await createSchool(prisma);
    await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2025, staffCount: 10, studentCount: 300 } });
    // 1 of 10 current on 1 Dec (10%), 2 of 10 on 1 Mar (20%): 10 points in 90 days, 20 + 10.2 = 30.2 by the deadline.
    await train(program.id, ["2025-10-01"], { schoolId: school.id });
    await train(program.id, ["2026-01-15"], { schoolId: school.id });
    // An expired certificate, and a student, are not current staff.
    const expired = await createPerson(prisma, { kind: "STAFF", affiliations: [{ schoolId: school.id, schoolYear: 2025 }] });
    await issueCertification(prisma, { personId: expired.id, programId: program.id, issuedOn: day("2022-01-01"), expiresOn: day("2025-01-01") });
    await train(program.id, ["2026-01-15"], { schoolId: school.id, kind: "STUDENT" });

    const reached = await goalRow(program.id, { scope: "SCHOOL", schoolId: school.id, measure: "STAFF_REACH", target: 20 });
    const onTrack = await goalRow(program.id, { scope: "SCHOOL", schoolId: school.id, measure: "STAFF_REACH", target: 30 });
    const atRisk = await goalRow(program.id, { scope: "SCHOOL", schoolId: school.id, measure: "STAFF_REACH", target: 40 });
    const noHeadcount = await goalRow(program.id, { scope: "SCHOOL", schoolId: other.id, measure: "STAFF_REACH", target: 25 });

    const at = day(AS_OF);
    expect(await goalProgress(reached, at)).toMatchObject({ status: "reached", value: 20, valueWindowAgo: 10 });
    const risk = await goalProgress(atRisk, at);
    expect(risk).toMatchObject({ status: "at-risk", value: 20, valueWindowAgo: 10 });
    expect(risk.currentPer30Days).toBeCloseTo(10 / 3, 10);
    expect(risk.projectedAtDeadline).toBeCloseTo(20 + (10 / 90) * 92, 10);
    expect((await goalProgress(onTrack, at)).status).toBe("on-track");
    expect(await goalProgress(noHeadcount, at)).toMatchObject({ status: "no-data", value: null, progress: null });

    // The goal line starts from reach on the first day: 0% on 1 Sep, when no one was certified yet.
    const page = GoalPageData.parse((await openGoal(atRisk.id, lead.cookie)).data);
    expect(page.growth.startValue).toBe(0);
    const byMonth = Object.fromEntries(page.growth.rows.map((r) => [r.month, r.staffReachPercent]));
    expect(byMonth).toMatchObject({ "2025-09": 0, "2025-10": 10, "2025-12": 10, "2026-01": 20, "2026-03": 20, "2026-04": null });
    expect(page.growth.rows.at(-1)?.goalLine).toBe(40);
  });
});

describe("growth page and printable report", () => {
  it("growth for a region: people trained per month there, staff reach when asked; bad choices are named", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    const elsewhere = await createSchool(prisma);
    await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2025, staffCount: 4, studentCount: 100 } });
    await train(program.id, ["2025-09-10", "2025-09-20", "2025-11-01"], { schoolId: school.id });
    await train(program.id, ["2025-09-15"], { schoolId: elsewhere.id });
    const region = await prisma.region.findUniqueOrThrow({ where: { id: school.regionId } });

    const res = await call(() => growthPage.loader({
      request: makeRequest(`/lead/growth?scope=region&region=${region.code}&program=${program.code}&from=2025-09-01&to=2025-11-30&line=reach`, { cookie: lead.cookie }),
      params: {}, context: {},
    }));
    expect(res.status).toBe(200);
    const data = z.object({ scopeLabel: z.string(), rows: z.array(z.object({ month: z.string(), trained: z.number().nullable(), cumulativePeople: z.number().nullable(), staffReachPercent: z.number().nullable() })) }).parse(res.data);
    expect(data.scopeLabel).toBe(`Region: ${region.name}`);
    // The school elsewhere is not in the region; reach is 2 of 4 staff, then 3 of 4.
    expect(data.rows).toEqual([
      { month: "2025-09", trained: 2, cumulativePeople: 2, staffReachPercent: 50 },
      { month: "2025-10", trained: 0, cumulativePeople: 2, staffReachPercent: 50 },
      { month: "2025-11", trained: 1, cumulativePeople: 3, staffReachPercent: 75 },
    ]);

    const bad = await call(() => growthPage.loader({ request: makeRequest("/lead/growth?scope=school&school=NOPE-1&from=2025-13-01", { cookie: lead.cookie }), params: {}, context: {} }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { from: expect.stringMatching(/^From must be a real date/) } });
    const unknown = await call(() => growthPage.loader({ request: makeRequest("/lead/growth?scope=school&school=NOPE-1", { cookie: lead.cookie }), params: {}, context: {} }));
    expect(unknown.status).toBe(400);
    expect(unknown.data).toMatchObject({ errors: { school: 'School code must be a school\'s code; no school has the code "NOPE-1"' } });
  });

  it("the report for a school: totals, the school's row, its goals with status, people trained in the period, growth; printable without JavaScript", async () => {
    const program = await createProgram(prisma);
    const school = await createSchool(prisma);
    await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2025, staffCount: 8, studentCount: 100 } });
    await train(program.id, ["2025-08-20", "2025-10-01"], { schoolId: school.id });
    await train(program.id, ["2025-10-02"], { schoolId: school.id, kind: "STUDENT" });
    const goal = await goalRow(program.id, { scope: "SCHOOL", schoolId: school.id, measure: "STAFF_REACH", target: 20 });
    const archived = await goalRow(program.id, { scope: "SCHOOL", schoolId: school.id, target: 5 });
    await prisma.goal.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });

    const url = `/lead/report?scope=school&school=${school.code}&program=${program.code}&from=2025-09-01&to=2026-02-28`;
    const res = await call(() => reportPage.loader({ request: makeRequest(url, { cookie: lead.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(200);
    const report = z.object({
      scopeLabel: z.string(), peopleTrainedInPeriod: z.number(),
      totals: z.object({ staffHeadcount: z.number().nullable(), staffCurrentAtSchools: z.number(), staffReach: z.number().nullable(), studentsTrainedYear: z.number() }),
      schoolRows: z.array(z.object({ id: z.string() })),
      goals: z.array(z.object({ id: z.string(), progress: z.object({ status: z.string(), value: z.number().nullable() }) })),
      growth: z.array(z.object({ month: z.string(), trained: z.number().nullable() })),
    }).parse(res.data);
    expect(report.scopeLabel).toBe(`School: ${school.name} (${school.code})`);
    expect(report.peopleTrainedInPeriod).toBe(2);
    expect(report.totals).toEqual({ staffHeadcount: 8, staffCurrentAtSchools: 2, staffReach: 0.25, studentsTrainedYear: 1 });
    expect(report.schoolRows.map((s) => s.id)).toEqual([school.id]);
    expect(report.goals).toEqual([expect.objectContaining({ id: goal.id, progress: expect.objectContaining({ status: "reached", value: 25 }) })]);
    expect(report.growth.map((g) => [g.month, g.trained])).toEqual([["2025-09", 0], ["2025-10", 2], ["2025-11", 0], ["2025-12", 0], ["2026-01", 0], ["2026-02", 0]]);

    const page = await renderPage("/lead/report", reportPage, makeRequest(url, { cookie: lead.cookie }));
    expect(page.status).toBe(200);
    const html = page.html.replaceAll("<!-- -->", "");
    expect(html).toContain(`Training report: School: ${school.name} (${school.code})`);
    // Without JavaScript there is no Print button, only how to print; the chart is not drawn, the table is there.
    expect(html).not.toContain(">Print</button>");
    expect(html).toContain("To print, use your browser&#x27;s Print command");
    expect(html).toContain("<caption>People trained per month,");
    expect(html).toContain('<div class="growth-chart" hidden="">');
    expect(html).toContain("Goals and progress");
  });

  it("the report refuses a bad period with a message naming the field", async () => {
    const res = await call(() => reportPage.loader({ request: makeRequest("/lead/report?from=2026-03-01&to=2026-01-01", { cookie: lead.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { from: "From must be on or before To" } });
  });
});
