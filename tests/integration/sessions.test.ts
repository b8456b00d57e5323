import { describe, expect, it, beforeAll } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import * as newRoute from "~/routes/sessions.new";
import * as listRoute from "~/routes/sessions._index";
import * as detailRoute from "~/routes/sessions.$sessionId._index";
import * as editRoute from "~/routes/sessions.$sessionId.edit";
import * as closeRoute from "~/routes/sessions.$sessionId.close";
import { recordAttendance, recordCompletionSteps, enrollPeople } from "~/models/enrollment.server";
import { closeSession } from "~/models/session-closing.server";
import { saveAttendanceSheet } from "~/models/attendance.server";
import { approveWalkIn, WalkInError } from "~/models/check-in.server";

let ymhfa: { id: string };
let school: { id: string };

beforeAll(async () => {
  const region = await prisma.region.create({ data: { code: unique("R"), name: unique("Region ") } });
  school = await prisma.school.create({ data: { code: unique("S"), name: unique("School "), level: "HIGH", regionId: region.id } });
  ymhfa = await prisma.program.create({
    data: {
      code: unique("YMHFA"), name: unique("Youth MHFA "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90,
      requiresAttendance: true, requiresPostWork: true, maxParticipants: 30,
    },
  });
});

function sessionForm(overrides: Record<string, string | string[]> = {}) {
  return {
    intent: "save", programId: ymhfa.id, format: "IN_PERSON", audience: "STAFF", schoolId: school.id,
    day0Date: "2026-12-01", day0Start: "08:30", day0End: "15:00", ...overrides,
  };
}

async function createViaRoute(cookie: string, overrides: Record<string, string | string[]> = {}) {
  const res = await call(() => newRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form: sessionForm(overrides) }), params: {}, context: {} }));
  expect(res.status).toBe(302);
  const id = res.headers.get("Location")?.split("/").pop();
  expect(id).toBeTruthy();
  return id!;
}

async function person(kind: "STAFF" | "STUDENT" = "STAFF") {
  return prisma.person.create({ data: { districtId: unique("E"), firstName: "Ana", lastName: unique("Lopez"), kind } });
}

describe("creating a session", () => {
  it("a trainer creates a session they lead, with days in the district time zone", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const id = await createViaRoute(cookie, { day1Date: "2026-12-02", day1Start: "08:30", day1End: "12:00" });
    const session = await prisma.trainingSession.findUniqueOrThrow({ where: { id }, include: { days: { orderBy: { startsAt: "asc" } }, trainers: true } });
    expect(session.trainers).toEqual([expect.objectContaining({ userId: user.id, role: "LEAD" })]);
    // 08:30 in Los Angeles in December is 16:30 UTC.
    expect(session.days.map((d) => d.startsAt.toISOString())).toEqual(["2026-12-01T16:30:00.000Z", "2026-12-02T16:30:00.000Z"]);
    expect(await prisma.auditEvent.count({ where: { entityId: id, action: "session.create", actorId: user.id } })).toBe(1);
  });

  it.each([
    [{ programId: "" }, "programId"],
    [{ format: "HOLOGRAM" }, "format"],
    [{ day0Date: "" , day0Start: "", day0End: "" }, "day0Date"],
    [{ day0Date: "2026-13-45" }, "day0Date"],
    [{ day0End: "07:00" }, "day0End"],
    [{ capacity: "many" }, "capacity"],
    [{ schoolId: "", siteName: "" }, "schoolId"],
    [{ day1Date: "2026-12-01", day1Start: "09:00", day1End: "10:00" }, "day0Date"],
  ])("refuses %o naming the field %s, writing nothing", async (overrides, field) => {
    const { cookie } = await signIn("TRAINER");
    const before = await prisma.trainingSession.count();
    const res = await call(() => newRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form: sessionForm(overrides) }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { [field]: expect.any(String) } });
    expect(await prisma.trainingSession.count()).toBe(before);
  });

  it("refuses an unknown program id with a field error", async () => {
    const { cookie } = await signIn("TRAINER");
    const res = await call(() => newRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form: sessionForm({ programId: "nope" }) }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { programId: expect.any(String) } });
  });

  it.each(["PROGRAM_LEAD", "COORDINATOR", "MEMBER"] as const)("%s cannot create sessions", async (role) => {
    const { cookie } = await signIn(role);
    const res = await call(() => newRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form: sessionForm() }), params: {}, context: {} }));
    expect(res.status).toBe(403);
  });
});

describe("who sees which session", () => {
  it("trainers see only their own sessions; coordinators those at their schools; leads all", async () => {
    const a = await signIn("TRAINER");
    const b = await signIn("TRAINER");
    const id = await createViaRoute(a.cookie);
    const params = { sessionId: id };
    const routes: Array<() => Promise<unknown>> = [
      () => detailRoute.loader({ request: makeRequest(`/sessions/${id}`, { cookie: b.cookie }), params, context: {} }),
      () => editRoute.loader({ request: makeRequest(`/sessions/${id}/edit`, { cookie: b.cookie }), params, context: {} }),
      () => editRoute.action({ request: makeRequest(`/sessions/${id}/edit`, { method: "POST", cookie: b.cookie, form: { intent: "cancel" } }), params, context: {} }),
      () => closeRoute.loader({ request: makeRequest(`/sessions/${id}/close`, { cookie: b.cookie }), params, context: {} }),
      () => closeRoute.action({ request: makeRequest(`/sessions/${id}/close`, { method: "POST", cookie: b.cookie, form: { intent: "close" } }), params, context: {} }),
    ];
    for (const route of routes) expect((await call(route)).status).toBe(404);
    expect((await prisma.trainingSession.findUniqueOrThrow({ where: { id } })).status).toBe("SCHEDULED");

    const list = await call(() => listRoute.loader({ request: makeRequest("/sessions", { cookie: b.cookie }), params: {}, context: {} }));
    expect(JSON.stringify(list.data)).not.toContain(id);

    const coordinatorHere = await signIn("COORDINATOR", { schoolIds: [school.id] });
    expect((await call(() => detailRoute.loader({ request: makeRequest(`/sessions/${id}`, { cookie: coordinatorHere.cookie }), params, context: {} }))).status).toBe(200);
    // Seeing is not changing: a coordinator cannot edit.
    expect((await call(() => editRoute.loader({ request: makeRequest(`/sessions/${id}/edit`, { cookie: coordinatorHere.cookie }), params, context: {} }))).status).toBe(403);

    const otherSchool = await prisma.school.create({ data: { code: unique("S"), name: unique("Other "), level: "ELEMENTARY", regionId: (await prisma.school.findUniqueOrThrow({ where: { id: school.id } })).regionId } });
    const coordinatorElsewhere = await signIn("COORDINATOR", { schoolIds: [otherSchool.id] });
    expect((await call(() => detailRoute.loader({ request: makeRequest(`/sessions/${id}`, { cookie: coordinatorElsewhere.cookie }), params, context: {} }))).status).toBe(404);

    const lead = await signIn("PROGRAM_LEAD");
    expect((await call(() => detailRoute.loader({ request: makeRequest(`/sessions/${id}`, { cookie: lead.cookie }), params, context: {} }))).status).toBe(200);
    expect((await call(() => closeRoute.action({ request: makeRequest(`/sessions/${id}/close`, { method: "POST", cookie: lead.cookie, form: { intent: "close" } }), params, context: {} }))).status).toBe(403);

    const member = await signIn("MEMBER");
    expect((await call(() => detailRoute.loader({ request: makeRequest(`/sessions/${id}`, { cookie: member.cookie }), params, context: {} }))).status).toBe(403);
  });

  it("a co-trainer can manage the session", async () => {
    const lead = await signIn("TRAINER");
    const co = await signIn("TRAINER");
    const id = await createViaRoute(lead.cookie, { coTrainerIds: [co.user.id] });
    const res = await call(() => editRoute.loader({ request: makeRequest(`/sessions/${id}/edit`, { cookie: co.cookie }), params: { sessionId: id }, context: {} }));
    expect(res.status).toBe(200);
  });

  it("an unknown session id is a 404", async () => {
    const { cookie } = await signIn("ADMIN");
    const res = await call(() => detailRoute.loader({ request: makeRequest("/sessions/does-not-exist", { cookie }), params: { sessionId: "does-not-exist" }, context: {} }));
    expect(res.status).toBe(404);
  });
});

describe("editing and cancelling", () => {
  it("keeps attendance on kept days and refuses to drop a day with attendance", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const id = await createViaRoute(cookie, { day1Date: "2026-12-02", day1Start: "08:30", day1End: "12:00" });
    const p = await person();
    await enrollPeople(id, [p.id], { overrideCapacity: false, actorId: user.id, source: "test" });
    const [enrollment, days] = await Promise.all([
      prisma.enrollment.findFirstOrThrow({ where: { sessionId: id } }),
      prisma.sessionDay.findMany({ where: { sessionId: id }, orderBy: { startsAt: "asc" } }),
    ]);
    await recordAttendance(id, [{ enrollmentId: enrollment.id, sessionDayId: days[1].id, status: "PRESENT" }], { actorId: user.id, method: "MANUAL" });
    const refused = await call(() => editRoute.action({ request: makeRequest(`/sessions/${id}/edit`, { method: "POST", cookie, form: sessionForm() }), params: { sessionId: id }, context: {} }));
    expect(refused.status).toBe(400);
    expect(await prisma.sessionDay.count({ where: { sessionId: id } })).toBe(2);

    const moved = await call(() => editRoute.action({
      request: makeRequest(`/sessions/${id}/edit`, { method: "POST", cookie, form: sessionForm({ day0Start: "09:00", day1Date: "2026-12-02", day1Start: "09:00", day1End: "12:00", title: "Renamed" }) }),
      params: { sessionId: id }, context: {},
    }));
    expect(moved.status).toBe(302);
    expect(await prisma.attendance.count({ where: { sessionDayId: days[1].id } })).toBe(1);
    expect((await prisma.trainingSession.findUniqueOrThrow({ where: { id } })).title).toBe("Renamed");
  });

  it("cancels a session, and a cancelled session cannot be closed", async () => {
    const { cookie } = await signIn("TRAINER");
    const id = await createViaRoute(cookie);
    const res = await call(() => editRoute.action({ request: makeRequest(`/sessions/${id}/edit`, { method: "POST", cookie, form: { intent: "cancel", reason: "Snow day" } }), params: { sessionId: id }, context: {} }));
    expect(res.status).toBe(302);
    expect((await prisma.trainingSession.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELLED");
    const close = await call(() => closeRoute.action({ request: makeRequest(`/sessions/${id}/close`, { method: "POST", cookie, form: { intent: "close" } }), params: { sessionId: id }, context: {} }));
    expect(close.status).toBe(409);
  });
});

describe("an edit that drops a day, and an attendance save for that day, at once", () => {
  // On PostgreSQL the two run side by side on the pool's connections, as from two app instances.
  // Each pair either saves the mark first (the edit is then refused, naming the day) or drops the
  // day first (the save then finds no such day): a saved mark is never deleted with its day.
  it("never deletes a mark the save reported as written", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const setups = await Promise.all(Array.from({ length: 12 }, async () => {
      const id = await createViaRoute(cookie, { day1Date: "2026-12-02", day1Start: "08:30", day1End: "12:00" });
      const p = await person();
      await enrollPeople(id, [p.id], { overrideCapacity: false, actorId: user.id, source: "test" });
      const [enrollment, days] = await Promise.all([
        prisma.enrollment.findFirstOrThrow({ where: { sessionId: id } }),
        prisma.sessionDay.findMany({ where: { sessionId: id }, orderBy: { startsAt: "asc" } }),
      ]);
      return { id, enrollmentId: enrollment.id, droppedDayId: days[1].id };
    }));
    const outcomes = await Promise.all(setups.map(async (s, i) => {
      // The saves start a few milliseconds apart so that the pairs meet at different points.
      const [edited, saved] = await Promise.all([
        call(() => editRoute.action({ request: makeRequest(`/sessions/${s.id}/edit`, { method: "POST", cookie, form: sessionForm() }), params: { sessionId: s.id }, context: {} })),
        new Promise((resolve) => setTimeout(resolve, i % 4)).then(() => saveAttendanceSheet(
          s.id, { dayId: s.droppedDayId, marks: [{ enrollmentId: s.enrollmentId, status: "PRESENT" }], postWork: [], evaluation: [] }, { actorId: user.id, method: "MANUAL" },
        )),
      ]);
      const [marks, dayLeft] = await Promise.all([
        prisma.attendance.count({ where: { sessionDayId: s.droppedDayId } }),
        prisma.sessionDay.count({ where: { id: s.droppedDayId } }),
      ]);
      return { edited, saved, marks, dayLeft };
    }));
    for (const { edited, saved, marks, dayLeft } of outcomes) {
      if (saved.ok && saved.changed === 1) {
        // The mark landed first: it stays, with its day, and the edit says which day it kept.
        expect({ marks, dayLeft, edit: edited.status }).toEqual({ marks: 1, dayLeft: 1, edit: 400 });
        expect(edited.data).toMatchObject({ errors: { day0Date: expect.stringContaining("2026-12-02 has attendance recorded") } });
      } else {
        // The day went first: the save wrote nothing, there or anywhere.
        expect({ marks, dayLeft, edit: edited.status }).toEqual({ marks: 0, dayLeft: 0, edit: 302 });
        expect(saved.ok ? saved.changed : saved.status).toBe(saved.ok ? 0 : 400);
      }
    }
  });

  it("never deletes the mark of a walk-in approved on that day (approvals hold the session's seat lock, not the day's)", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const trainer = { id: user.id, role: user.role, schoolIds: [], personId: user.personId };
    const setups = await Promise.all(Array.from({ length: 8 }, async () => {
      const id = await createViaRoute(cookie, { day1Date: "2026-12-02", day1Start: "08:30", day1End: "12:00" });
      const p = await person();
      const days = await prisma.sessionDay.findMany({ where: { sessionId: id }, orderBy: { startsAt: "asc" } });
      const walkIn = await prisma.checkInWalkIn.create({ data: { sessionDayId: days[1].id, identityKey: `id:${p.districtId}`, districtId: p.districtId } });
      return { id, walkInId: walkIn.id, droppedDayId: days[1].id };
    }));
    const outcomes = await Promise.all(setups.map(async (s, i) => {
      const [edited, approved] = await Promise.all([
        call(() => editRoute.action({ request: makeRequest(`/sessions/${s.id}/edit`, { method: "POST", cookie, form: sessionForm() }), params: { sessionId: s.id }, context: {} })),
        new Promise((resolve) => setTimeout(resolve, i % 4)).then(() => approveWalkIn(s.id, s.walkInId, trainer)).then(
          (r) => r.approved,
          (error) => (error instanceof WalkInError && error.code === "not-found" ? false : Promise.reject(error)),
        ),
      ]);
      const [marks, dayLeft] = await Promise.all([
        prisma.attendance.count({ where: { sessionDayId: s.droppedDayId } }),
        prisma.sessionDay.count({ where: { id: s.droppedDayId } }),
      ]);
      return { edit: edited.status, approved, marks, dayLeft };
    }));
    for (const o of outcomes) {
      // Approved first: the mark stays and the edit is refused. Dropped first: the walk-in went with its day.
      expect(o).toEqual(o.approved ? { edit: 400, approved: true, marks: 1, dayLeft: 1 } : { edit: 302, approved: false, marks: 0, dayLeft: 0 });
    }
  });
});

describe("closing a session", () => {
  async function sessionWithRoster(n: number) {
    const { user, cookie } = await signIn("TRAINER");
    const id = await createViaRoute(cookie, { day1Date: "2026-12-02", day1Start: "08:30", day1End: "12:00" });
    const people = await Promise.all(Array.from({ length: n }, () => person()));
    await enrollPeople(id, people.map((p) => p.id), { overrideCapacity: false, actorId: user.id, source: "test" });
    const enrollments = await prisma.enrollment.findMany({ where: { sessionId: id } });
    const days = await prisma.sessionDay.findMany({ where: { sessionId: id }, orderBy: { startsAt: "asc" } });
    const byPerson = (pid: string) => enrollments.find((e) => e.personId === pid)!;
    return { user, cookie, id, people, days, byPerson };
  }

  it("applies the completion rule: post-work required, every day present; lists who did not and why", async () => {
    const s = await sessionWithRoster(4);
    const [complete, noPostWork, absentDay2, partial] = s.people;
    const marks = [
      ...[complete, noPostWork].flatMap((p) => s.days.map((d) => ({ enrollmentId: s.byPerson(p.id).id, sessionDayId: d.id, status: "PRESENT" as const }))),
      { enrollmentId: s.byPerson(absentDay2.id).id, sessionDayId: s.days[0].id, status: "PRESENT" as const },
      { enrollmentId: s.byPerson(absentDay2.id).id, sessionDayId: s.days[1].id, status: "ABSENT" as const },
      { enrollmentId: s.byPerson(partial.id).id, sessionDayId: s.days[0].id, status: "PRESENT" as const },
      { enrollmentId: s.byPerson(partial.id).id, sessionDayId: s.days[1].id, status: "PARTIAL" as const },
    ];
    await recordAttendance(s.id, marks, { actorId: s.user.id, method: "MANUAL" });
    const done = new Date("2026-12-05T00:00:00Z");
    await recordCompletionSteps(s.id, [complete, absentDay2, partial].map((p) => ({ enrollmentId: s.byPerson(p.id).id, postWorkCompletedOn: done })), s.user.id);

    const res = await call(() => closeRoute.action({ request: makeRequest(`/sessions/${s.id}/close`, { method: "POST", cookie: s.cookie, form: { intent: "close" } }), params: { sessionId: s.id }, context: {} }));
    expect(res.status).toBe(200);
    const certs = await prisma.certification.findMany({ where: { sessionId: s.id } });
    expect(certs.map((c) => c.personId)).toEqual([complete.id]);
    // Issued on the last day; valid three years; a 22-character (128-bit) public code.
    expect(certs[0].issuedOn.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(certs[0].expiresOn?.toISOString()).toBe("2029-12-02T00:00:00.000Z");
    expect(certs[0].verificationCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const reasons = Object.fromEntries(
      (res.data as { closed: { notCompleted: Array<{ personId: string; reasons: string[] }> } }).closed.notCompleted.map((n) => [n.personId, n.reasons]),
    );
    expect(reasons[noPostWork.id]).toEqual(["Post-work not complete"]);
    expect(reasons[absentDay2.id]).toEqual(["Absent on day 2"]);
    expect(reasons[partial.id]).toEqual(["Partial attendance on day 2"]);
    const audit = await prisma.auditEvent.findMany({ where: { actorId: s.user.id, action: { in: ["certification.issue", "session.close"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["certification.issue", "session.close"]);
  });

  it("closing twice, or reopening and closing again, never doubles a certificate", async () => {
    const s = await sessionWithRoster(2);
    await recordAttendance(s.id, s.people.flatMap((p) => s.days.map((d) => ({ enrollmentId: s.byPerson(p.id).id, sessionDayId: d.id, status: "PRESENT" as const }))), { actorId: s.user.id, method: "MANUAL" });
    await recordCompletionSteps(s.id, s.people.map((p) => ({ enrollmentId: s.byPerson(p.id).id, postWorkCompletedOn: new Date("2026-12-03T00:00:00Z") })), s.user.id);
    const close = () => closeRoute.action({ request: makeRequest(`/sessions/${s.id}/close`, { method: "POST", cookie: s.cookie, form: { intent: "close" } }), params: { sessionId: s.id }, context: {} });
    // Two closes at once: one wins, the other is told the session is closed.
    const [first, second] = await Promise.all([call(close), call(close)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(await prisma.certification.count({ where: { sessionId: s.id } })).toBe(2);
    const reopen = await call(() => closeRoute.action({ request: makeRequest(`/sessions/${s.id}/close`, { method: "POST", cookie: s.cookie, form: { intent: "reopen", reason: "fix" } }), params: { sessionId: s.id }, context: {} }));
    expect(reopen.status).toBe(302);
    expect((await call(close)).status).toBe(200);
    expect(await prisma.certification.count({ where: { sessionId: s.id } })).toBe(2);
  });

  it("a certificate in its renewal window is renewed: linked old to new, both kept", async () => {
    const s = await sessionWithRoster(1);
    const [p] = s.people;
    const old = await prisma.certification.create({
      data: { personId: p.id, programId: ymhfa.id, issuedOn: new Date("2024-01-15T00:00:00Z"), expiresOn: new Date("2027-01-15T00:00:00Z"), verificationCode: unique("code") },
    });
    await recordAttendance(s.id, s.days.map((d) => ({ enrollmentId: s.byPerson(p.id).id, sessionDayId: d.id, status: "PRESENT" as const })), { actorId: s.user.id, method: "MANUAL" });
    await recordCompletionSteps(s.id, [{ enrollmentId: s.byPerson(p.id).id, postWorkCompletedOn: new Date("2026-12-03T00:00:00Z") }], s.user.id);
    await closeSession(s.id, s.user.id, "America/Los_Angeles");
    const fresh = await prisma.certification.findFirstOrThrow({ where: { sessionId: s.id } });
    const renewed = await prisma.certification.findUniqueOrThrow({ where: { id: old.id } });
    expect(renewed.renewedById).toBe(fresh.id);
    expect(renewed.expiresOn?.toISOString()).toBe("2027-01-15T00:00:00.000Z");
    expect(await prisma.certification.count({ where: { personId: p.id } })).toBe(2);
  });

  it("an expired certificate is not renewed: the new one stands alone", async () => {
    const s = await sessionWithRoster(1);
    const [p] = s.people;
    const old = await prisma.certification.create({
      data: { personId: p.id, programId: ymhfa.id, issuedOn: new Date("2023-01-15T00:00:00Z"), expiresOn: new Date("2026-01-15T00:00:00Z"), verificationCode: unique("code") },
    });
    await recordAttendance(s.id, s.days.map((d) => ({ enrollmentId: s.byPerson(p.id).id, sessionDayId: d.id, status: "PRESENT" as const })), { actorId: s.user.id, method: "MANUAL" });
    await recordCompletionSteps(s.id, [{ enrollmentId: s.byPerson(p.id).id, postWorkCompletedOn: new Date("2026-12-03T00:00:00Z") }], s.user.id);
    await closeSession(s.id, s.user.id, "America/Los_Angeles");
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: old.id } })).renewedById).toBeNull();
  });
});
