/**
 * Days that have not happened: attendance, walk-ins, post-work and closing are refused for a day
 * whose date has not begun in the district (America/Los_Angeles in tests), with a message that
 * says why, and nothing is written. The rule lives in app/domain/session-day.ts; the models
 * enforce it inside their transactions, so every caller is held to it.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import { dateInZone, wallTimeToUtc } from "~/domain/time";
import { getEnv } from "~/env.server";
import { recordAttendance, recordCompletionSteps, RosterError } from "~/models/enrollment.server";
import { closeSession, CloseError } from "~/models/session-closing.server";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance";
import * as paperRoute from "~/routes/sessions.$sessionId.paper";
import * as closeRoute from "~/routes/sessions.$sessionId.close";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let programId: string;
let schoolId: string;
let zone: string;

beforeAll(async () => {
  // Attendance and post-work only, so a person present with post-work done completes.
  programId = (await createProgram(prisma, { preset: "YMHFA", requiresPostWork: true, requiresEvaluation: false, maxParticipants: null })).id;
  schoolId = (await createSchool(prisma)).id;
  zone = getEnv().DISTRICT_TIME_ZONE;
});

/** 09:00 in the district, `offset` calendar days from today there. */
function districtDay(offset: number): { startsAt: Date; endsAt: Date } {
  const date = new Date(`${dateInZone(new Date(), zone)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  const iso = date.toISOString().slice(0, 10);
  return { startsAt: wallTimeToUtc(iso, "09:00", zone), endsAt: wallTimeToUtc(iso, "15:00", zone) };
}

async function setup(days: Array<{ startsAt: Date; endsAt: Date }>) {
  const { user, cookie } = await signIn("TRAINER");
  const session = await createSession(prisma, { programId, schoolId, leadTrainerId: user.id, days });
  const person = await createPerson(prisma, { kind: "STAFF", lastName: unique("Soon") });
  const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id });
  return { user, cookie, session, person, enrollment, params: { sessionId: session.id } };
}

async function writes(sessionId: string) {
  const [attendance, enrollments, audit, certificates, session, people] = await Promise.all([
    prisma.attendance.findMany({ where: { enrollment: { sessionId } }, orderBy: { id: "asc" } }),
    prisma.enrollment.findMany({ where: { sessionId }, orderBy: { id: "asc" } }),
    prisma.auditEvent.count({ where: { entityId: sessionId } }),
    prisma.certification.count({ where: { sessionId } }),
    prisma.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: { status: true, closedAt: true } }),
    prisma.person.count(),
  ]);
  return { attendance, enrollments, audit, certificates, session, people };
}

const NOT_STARTED = /has not started yet: attendance for that day can be recorded from that day on$/;

describe("attendance for a day that has not started", () => {
  it("the attendance and paper sheets refuse a mark for tomorrow with 409 and a message, writing nothing", async () => {
    const s = await setup([districtDay(-1), districtDay(1)]);
    const tomorrow = s.session.days[1].id;
    const before = await writes(s.session.id);
    const sheets: Array<[(args: ActionFunctionArgs) => Promise<unknown>, string]> = [[attendanceRoute.action, "attendance"], [paperRoute.action, "paper"]];
    for (const [action, page] of sheets) {
      const res = await call(() => action({
        request: makeRequest(`/sessions/${s.session.id}/${page}`, { method: "POST", cookie: s.cookie, form: { intent: "save", dayId: tomorrow, [`status:${s.enrollment.id}`]: "PRESENT" } }),
        params: s.params, context: {},
      }));
      expect(res.status, page).toBe(409);
      expect(res.data, page).toMatchObject({ errors: { form: expect.stringMatching(NOT_STARTED) } });
    }
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("a refused mark takes the post-work date posted with it down too: one transaction", async () => {
    const s = await setup([districtDay(-1), districtDay(1)]);
    const before = await writes(s.session.id);
    const res = await call(() => attendanceRoute.action({
      request: makeRequest(`/sessions/${s.session.id}/attendance`, {
        method: "POST", cookie: s.cookie,
        form: { dayId: s.session.days[1].id, [`status:${s.enrollment.id}`]: "PRESENT", [`postWork:${s.enrollment.id}`]: dateInZone(new Date(), zone) },
      }),
      params: s.params, context: {},
    }));
    expect(res.status).toBe(409);
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("a walk-in from a paper sheet for tomorrow is refused: no person, enrollment or mark is written", async () => {
    const s = await setup([districtDay(1)]);
    const known = await createPerson(prisma, { kind: "STAFF", lastName: unique("Walk") });
    const before = await writes(s.session.id);
    const forms: Array<Record<string, string>> = [
      { intent: "add-existing", dayId: s.session.days[0].id, personId: known.id },
      { intent: "add-new", dayId: s.session.days[0].id, firstName: "Nia", lastName: unique("New"), kind: "COMMUNITY" },
    ];
    for (const form of forms) {
      const res = await call(() => paperRoute.action({ request: makeRequest(`/sessions/${s.session.id}/paper`, { method: "POST", cookie: s.cookie, form }), params: s.params, context: {} }));
      expect(res.status, form.intent).toBe(409);
      expect(res.data, form.intent).toMatchObject({ errors: { form: expect.stringMatching(NOT_STARTED) } });
    }
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("today may be recorded before its start time: the day begins at midnight in the district", async () => {
    const today = dateInZone(new Date(), zone);
    const s = await setup([{ startsAt: wallTimeToUtc(today, "23:58", zone), endsAt: wallTimeToUtc(today, "23:59", zone) }]);
    const res = await call(() => attendanceRoute.action({
      request: makeRequest(`/sessions/${s.session.id}/attendance`, { method: "POST", cookie: s.cookie, form: { dayId: s.session.days[0].id, [`status:${s.enrollment.id}`]: "PRESENT" } }),
      params: s.params, context: {},
    }));
    expect(res.status).toBe(200);
    expect(await prisma.attendance.count({ where: { enrollmentId: s.enrollment.id } })).toBe(1);
  });

  it("recordAttendance holds every caller (QR check-in, import) to the district's midnight, and clearing a mark is always allowed", async () => {
    // Day 1 starts 2026-12-02 08:30 in Los Angeles; midnight there is 08:00 UTC.
    const s = await setup([{ startsAt: new Date("2026-12-02T16:30:00Z"), endsAt: new Date("2026-12-02T20:00:00Z") }]);
    const mark = [{ enrollmentId: s.enrollment.id, sessionDayId: s.session.days[0].id, status: "PRESENT" as const }];
    const LA = "America/Los_Angeles";
    const refused = recordAttendance(s.session.id, mark, { actorId: null, method: "QR", now: new Date("2026-12-02T07:59:00Z"), timeZone: LA });
    await expect(refused).rejects.toBeInstanceOf(RosterError);
    await expect(refused).rejects.toMatchObject({ code: "not-yet", message: "Wednesday, December 2, 2026 has not started yet: attendance for that day can be recorded from that day on" });
    expect(await prisma.attendance.count({ where: { enrollmentId: s.enrollment.id } })).toBe(0);
    // The zone decides: in Tokyo the day falls on 3 December, which begins at 15:00 UTC on the 2nd.
    await expect(recordAttendance(s.session.id, mark, { actorId: null, method: "QR", now: new Date("2026-12-02T14:59:00Z"), timeZone: "Asia/Tokyo" })).rejects.toMatchObject({ code: "not-yet" });
    await expect(recordAttendance(s.session.id, mark, { actorId: null, method: "QR", now: new Date("2026-12-02T15:00:00Z"), timeZone: "Asia/Tokyo" })).resolves.toEqual({ changed: 1 });
    await expect(recordAttendance(s.session.id, [{ ...mark[0], status: null }], { actorId: null, method: "MANUAL", now: new Date("2026-11-01T00:00:00Z"), timeZone: LA })).resolves.toEqual({ changed: 1 });
    await expect(recordAttendance(s.session.id, mark, { actorId: null, method: "QR", now: new Date("2026-12-02T08:00:00Z"), timeZone: LA })).resolves.toEqual({ changed: 1 });
  });

  it("the sheet for a future day offers no attendance controls, and says why", async () => {
    const s = await setup([districtDay(-1), districtDay(1)]);
    const future = await call(() => attendanceRoute.loader({ request: makeRequest(`/sessions/${s.session.id}/attendance?day=${s.session.days[1].id}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(future.data).toMatchObject({ notStarted: expect.stringMatching(NOT_STARTED) });
    const past = await call(() => attendanceRoute.loader({ request: makeRequest(`/sessions/${s.session.id}/attendance?day=${s.session.days[0].id}`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(past.data).toMatchObject({ notStarted: null });
    const page = await renderPage("/sessions/:sessionId/attendance", attendanceRoute, makeRequest(`/sessions/${s.session.id}/attendance?day=${s.session.days[1].id}`, { cookie: s.cookie }));
    expect(page.html).toMatch(/has not started yet/);
    expect(page.html).toMatch(/<fieldset class="mark-group"[^>]*disabled=""/);
    // Post-work stays editable: it belongs to the person, not the day.
    expect(page.html).toContain("Save post-work and evaluation dates");
  });
});

describe("post-work and evaluation dates in the future", () => {
  it("recordCompletionSteps refuses a date after the district's today, writing nothing of the batch", async () => {
    const s = await setup([districtDay(-2)]);
    const other = await enroll(prisma, { sessionId: s.session.id, personId: (await createPerson(prisma, { kind: "STAFF" })).id });
    const now = new Date("2026-12-03T07:00:00Z"); // still 2 December in Los Angeles
    const before = await writes(s.session.id);
    const refused = recordCompletionSteps(s.session.id, [
      { enrollmentId: other.id, postWorkCompletedOn: new Date("2026-12-02T00:00:00Z") },
      { enrollmentId: s.enrollment.id, postWorkCompletedOn: new Date("2026-12-03T00:00:00Z") },
    ], s.user.id, { now, timeZone: "America/Los_Angeles" });
    await expect(refused).rejects.toMatchObject({ code: "not-yet", message: "Post-work date: 2026-12-03 is in the future (today is 2026-12-02 in the district)" });
    await expect(recordCompletionSteps(s.session.id, [{ enrollmentId: s.enrollment.id, evaluationCompletedOn: new Date("2026-12-03T00:00:00Z") }], s.user.id, { now, timeZone: "America/Los_Angeles" }))
      .rejects.toMatchObject({ message: /^Evaluation date: 2026-12-03 is in the future/ });
    expect(await writes(s.session.id)).toEqual(before);
  });

  it("the sheet names a future post-work date on its field (400), before anything is saved", async () => {
    const s = await setup([districtDay(-1)]);
    const before = await writes(s.session.id);
    const field = `postWork:${s.enrollment.id}`;
    const res = await call(() => attendanceRoute.action({
      request: makeRequest(`/sessions/${s.session.id}/attendance`, { method: "POST", cookie: s.cookie, form: { dayId: s.session.days[0].id, [`status:${s.enrollment.id}`]: "PRESENT", [field]: dateInZone(new Date(Date.now() + 2 * DAY), zone) } }),
      params: s.params, context: {},
    }));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { [field]: expect.stringMatching(/^Post-work date: \d{4}-\d{2}-\d{2} is in the future/) } });
    expect(await writes(s.session.id)).toEqual(before);
  });
});

describe("closing before the last day", () => {
  async function completed(days: Array<{ startsAt: Date; endsAt: Date }>) {
    const s = await setup(days);
    // Present on the days that have begun, post-work done yesterday: complete once the last day is marked.
    await prisma.attendance.createMany({ data: s.session.days.map((d) => ({ enrollmentId: s.enrollment.id, sessionDayId: d.id, status: "PRESENT" as const, method: "MANUAL" })) });
    await prisma.enrollment.update({ where: { id: s.enrollment.id }, data: { postWorkCompletedOn: new Date(`${dateInZone(new Date(Date.now() - DAY), zone)}T00:00:00Z`) } });
    return s;
  }

  it("is refused with 409 and a message naming the last day; the session stays open, no certificate is issued", async () => {
    const s = await completed([districtDay(-1), districtDay(1)]);
    const page = await call(() => closeRoute.loader({ request: makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.cookie }), params: s.params, context: {} }));
    expect(page.data).toMatchObject({ preview: { notYet: expect.stringMatching(/^This session's last day, .+, has not started yet: close the session on or after that day$/) } });
    const html = await renderPage("/sessions/:sessionId/close", closeRoute, makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.cookie }));
    expect(html.html).toMatch(/<button type="submit" name="intent" value="close" disabled=""/);
    const before = await writes(s.session.id);
    const res = await call(() => closeRoute.action({ request: makeRequest(`/sessions/${s.session.id}/close`, { method: "POST", cookie: s.cookie, form: { intent: "close" } }), params: s.params, context: {} }));
    expect(res.status).toBe(409);
    expect(res.data).toMatchObject({ error: expect.stringMatching(/^This session's last day, .+, has not started yet/) });
    expect(await writes(s.session.id)).toEqual(before);
    expect(before.session).toEqual({ status: "SCHEDULED", closedAt: null });
  });

  it("is allowed once the last day has begun, before its class ends: a trainer closes right after the last class", async () => {
    const today = dateInZone(new Date(), zone);
    const s = await completed([districtDay(-1), { startsAt: wallTimeToUtc(today, "23:58", zone), endsAt: wallTimeToUtc(today, "23:59", zone) }]);
    const res = await call(() => closeRoute.action({ request: makeRequest(`/sessions/${s.session.id}/close`, { method: "POST", cookie: s.cookie, form: { intent: "close" } }), params: s.params, context: {} }));
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ closed: { issued: [expect.objectContaining({ personId: s.person.id })] } });
    expect(await prisma.certification.count({ where: { sessionId: s.session.id } })).toBe(1);
  });

  it("closeSession decides by the district's date at `now`, inside its transaction", async () => {
    const s = await completed([{ startsAt: new Date("2026-12-02T16:30:00Z"), endsAt: new Date("2026-12-02T20:00:00Z") }]);
    const LA = "America/Los_Angeles";
    await expect(closeSession(s.session.id, s.user.id, LA, new Date("2026-12-02T07:59:00Z"))).rejects.toBeInstanceOf(CloseError);
    expect(await prisma.trainingSession.findUniqueOrThrow({ where: { id: s.session.id } })).toMatchObject({ status: "SCHEDULED", closedAt: null });
    await expect(closeSession(s.session.id, s.user.id, LA, new Date("2026-12-02T08:00:00Z"))).resolves.toMatchObject({ issued: [expect.objectContaining({ personId: s.person.id })] });
  });
});
