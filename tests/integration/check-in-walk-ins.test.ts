import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { createPerson as makePerson, createProgram, createSchool, enroll } from "../../prisma/seed/factories";
import { approveWalkIn, checkIn, CHECK_IN_POSTS_PER_ADDRESS, CHECK_IN_POSTS_PER_LINK, dismissWalkIn, openCheckIn } from "~/models/check-in.server";
import { schoolYearOf } from "~/domain/school-year";
import type { RoleName } from "~/domain/roles";
import * as publicPage from "~/routes/check-in.$token";
import * as screen from "~/routes/sessions.$sessionId.check-in";
import { renderPage } from "./page-render";
import { sessionTodayAndTomorrow } from "./check-in-session";

/*
 * The public link tells nobody whether a district ID exists, and enrols nobody: people not on the
 * roster become walk-ins that the trainer approves (or dismisses) on the check-in screen.
 */

let programId: string;
let schoolId: string;
let otherSchoolId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  otherSchoolId = (await createSchool(prisma)).id;
  programId = (await createProgram(prisma, { preset: "QPR", maxParticipants: 30 })).id;
});

/** A session at `schoolId`: day A today with check-in open, day B tomorrow. */
async function openSession() {
  const made = await sessionTodayAndTomorrow({ programId, schoolId });
  const { token } = await openCheckIn(made.dayA.id, made.trainer.id);
  return { ...made, token };
}

/** The signed-in user as the visibility rule sees them (a trainer has no schools of their own). */
const viewer = (user: { id: string; role: RoleName; personId: string | null }) => ({ id: user.id, role: user.role, schoolIds: [], personId: user.personId });

let addressCounter = 0;
function post(token: string, form: Record<string, string>, remoteAddress = `203.0.113.${++addressCounter % 250}`) {
  return call(() => publicPage.action({ request: makeRequest(`/check-in/${token}`, { method: "POST", form }), params: { token }, context: { remoteAddress } }));
}
/** The page a phone without JavaScript gets back after posting. */
async function postedHtml(token: string, form: Record<string, string>) {
  const page = await renderPage("/check-in/:token", publicPage, makeRequest(`/check-in/${token}`, { method: "POST", form }));
  return { status: page.status, html: page.html };
}
function screenLoader(cookie: string, sessionId: string, dayId: string) {
  return call(() => screen.loader({ request: makeRequest(`/sessions/${sessionId}/check-in?day=${dayId}`, { cookie }), params: { sessionId }, context: {} }));
}
function screenAction(cookie: string, sessionId: string, form: Record<string, string>) {
  return call(() => screen.action({ request: makeRequest(`/sessions/${sessionId}/check-in`, { method: "POST", cookie, form }), params: { sessionId }, context: {} }));
}
const counts = async (sessionId: string, dayId: string) => ({
  people: await prisma.person.count(),
  enrollments: await prisma.enrollment.count({ where: { sessionId } }),
  attendance: await prisma.attendance.count({ where: { sessionDayId: dayId } }),
});
type WalkInView = { id: string; districtId: string | null; firstName: string | null; knownAs: string | null; dismissed: boolean };
function walkInsOf(loaded: { data: unknown }): WalkInView[] {
  const list = Reflect.get(Object(loaded.data), "walkIns");
  return Array.isArray(list) ? list : [];
}

describe("one answer for anyone not on the roster", () => {
  it("an unknown district ID and a known one not on the roster get the very same response and page, and nobody is enrolled", async () => {
    const { session, dayA, token } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF" });
    const student = await makePerson(prisma, { kind: "STUDENT", affiliations: [{ schoolId: otherSchoolId, schoolYear: schoolYearOf(new Date()) }] });
    const partner = await makePerson(prisma, { kind: "COMMUNITY", firstName: "Known", lastName: unique("Partner"), email: `${unique("kp")}@test.example` });
    const before = await counts(session.id, dayA.id);

    const answers = [];
    for (const form of <Array<Record<string, string>>>[
      { lang: "en", districtId: unique("NOBODY") },
      { lang: "en", districtId: staff.districtId ?? "" },
      { lang: "en", districtId: student.districtId ?? "" },
      { lang: "en", firstName: "Nobody", lastName: unique("Known"), email: `${unique("nobody")}@test.example` },
      { lang: "en", firstName: partner.firstName, lastName: partner.lastName, email: partner.email ?? "" },
    ]) {
      answers.push({ response: await post(token, form), page: await postedHtml(token, form) });
    }
    const [first, ...rest] = answers;
    expect(first.response.status).toBe(200);
    expect(first.response.data).toMatchObject({ state: "walk-in", errors: null, values: null });
    expect(first.page.html).toContain("your trainer will confirm your check-in");
    for (const other of rest) {
      expect(other.response.status).toBe(first.response.status);
      expect(other.response.data).toEqual(first.response.data);
      expect(other.page).toEqual(first.page);
    }
    // Nothing written but the walk-ins: no person, no enrolment, no attendance.
    expect(await counts(session.id, dayA.id)).toEqual(before);
    expect(await prisma.checkInWalkIn.count({ where: { sessionDayId: dayA.id } })).toBe(5);
  });

  it("in Spanish too: the same words for an unknown ID and for someone not on the roster", async () => {
    const { token } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF" });
    const unknown = await postedHtml(token, { lang: "es", districtId: unique("NADIE") });
    const known = await postedHtml(token, { lang: "es", districtId: staff.districtId ?? "" });
    expect(unknown.html).toContain("su instructor confirmará su asistencia");
    expect(known).toEqual(unknown);
  });

  it("someone on the roster is checked in, and that answer says so", async () => {
    const { session, dayA, token } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: session.id, personId: staff.id });
    const answer = await post(token, { lang: "en", districtId: staff.districtId ?? "" });
    expect(answer.data).toMatchObject({ state: "done", alreadyCheckedIn: false });
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id, status: "PRESENT", method: "QR" } })).toBe(1);
    expect(await prisma.checkInWalkIn.count({ where: { sessionDayId: dayA.id } })).toBe(0);
  });
});

describe("the trainer approves or dismisses walk-ins", () => {
  it("lists what was typed; one click on Approve enrols the person and marks them present by QR, audited", async () => {
    const { trainer, cookie, session, dayA, token } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF", firstName: "Walkin", lastName: unique("Staff") });
    await post(token, { districtId: staff.districtId ?? "" });
    await post(token, { districtId: staff.districtId ?? "" });
    // A repeat is the same walk-in, and the person is still not on the roster.
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(0);

    const listed = walkInsOf(await screenLoader(cookie, session.id, dayA.id));
    expect(listed).toEqual([expect.objectContaining({ districtId: staff.districtId, knownAs: `Walkin ${staff.lastName}`, dismissed: false })]);

    const approved = await screenAction(cookie, session.id, { intent: "approve", walkInId: listed[0].id });
    expect(approved.status).toBe(302);
    expect(approved.headers.get("Location")).toBe(`/sessions/${session.id}/check-in?day=${dayA.id}`);
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { sessionId_personId: { sessionId: session.id, personId: staff.id } }, include: { attendance: true } });
    expect(enrollment.attendance).toEqual([expect.objectContaining({ sessionDayId: dayA.id, status: "PRESENT", method: "QR" })]);
    expect(await prisma.checkInWalkIn.findFirst({ where: { sessionDayId: dayA.id } })).toMatchObject({ decision: "APPROVED", decidedById: trainer.id, personId: staff.id });
    const audit = await prisma.auditEvent.findMany({ where: { entityId: session.id, action: { in: ["roster.add", "attendance.record", "checkin.walkin.approve"] } } });
    expect(audit.map((a) => [a.action, a.actorId]).sort()).toEqual([["attendance.record", trainer.id], ["checkin.walkin.approve", trainer.id], ["roster.add", trainer.id]]);

    // Gone from the waiting list, counted as checked in by QR; scanning again says "already checked in".
    const after = await screenLoader(cookie, session.id, dayA.id);
    expect(walkInsOf(after)).toEqual([]);
    expect(after.data).toMatchObject({ checkIns: { presentCount: 1, byQr: [expect.objectContaining({ name: `Walkin ${staff.lastName}` })] } });
    expect(await post(token, { districtId: staff.districtId ?? "" })).toMatchObject({ data: { state: "done", alreadyCheckedIn: true } });
  });

  it("a name-and-email walk-in nobody knows becomes a community partner only when approved", async () => {
    const { trainer, session, dayA, token } = await openSession();
    const lastName = unique("Newcomer");
    const email = `${unique("new")}@test.example`;
    await post(token, { firstName: "Rosa", lastName, email });
    expect(await prisma.person.count({ where: { lastName } })).toBe(0);
    const walkIn = await prisma.checkInWalkIn.findFirstOrThrow({ where: { sessionDayId: dayA.id } });
    expect(await approveWalkIn(session.id, walkIn.id, viewer(trainer))).toEqual({ dayId: dayA.id, approved: true });
    const created = await prisma.person.findMany({ where: { lastName } });
    expect(created).toEqual([expect.objectContaining({ firstName: "Rosa", email, kind: "COMMUNITY", districtId: null })]);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id, enrollment: { personId: created[0].id }, status: "PRESENT" } })).toBe(1);
  });

  it("approving an ID no one has adds nobody and says to add them on the roster page; once added, approve works", async () => {
    const { trainer, cookie, session, dayA, token } = await openSession();
    const typed = unique("NEWID");
    await post(token, { districtId: typed });
    const [listed] = walkInsOf(await screenLoader(cookie, session.id, dayA.id));
    expect(listed).toMatchObject({ districtId: typed, knownAs: null });
    const before = await counts(session.id, dayA.id);
    const refused = await screenAction(cookie, session.id, { intent: "approve", walkInId: listed.id });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ errors: { form: expect.stringMatching(new RegExp(`No one you can add has district ID ${typed}.*roster page`)) } });
    expect(await counts(session.id, dayA.id)).toEqual(before);
    expect(await prisma.checkInWalkIn.findUniqueOrThrow({ where: { id: listed.id } })).toMatchObject({ decision: null });

    const person = await makePerson(prisma, { kind: "STAFF", districtId: typed });
    expect(await approveWalkIn(session.id, listed.id, viewer(trainer))).toMatchObject({ approved: true });
    expect(await prisma.enrollment.count({ where: { sessionId: session.id, personId: person.id } })).toBe(1);
  });

  it("never shows or adds a student of another school: their ID reads like an unknown one", async () => {
    const { trainer, cookie, session, dayA, token } = await openSession();
    const year = schoolYearOf(new Date());
    const elsewhere = await makePerson(prisma, { kind: "STUDENT", firstName: "Elsewhere", lastName: unique("Student"), affiliations: [{ schoolId: otherSchoolId, schoolYear: year }] });
    const here = await makePerson(prisma, { kind: "STUDENT", firstName: "Here", lastName: unique("Student"), affiliations: [{ schoolId, schoolYear: year }] });
    await post(token, { districtId: elsewhere.districtId ?? "" });
    await post(token, { districtId: here.districtId ?? "" });
    const loaded = await screenLoader(cookie, session.id, dayA.id);
    expect(JSON.stringify(loaded.data)).not.toContain(elsewhere.lastName);
    const listed = walkInsOf(loaded);
    expect(listed.find((w) => w.districtId === elsewhere.districtId)).toMatchObject({ knownAs: null });
    expect(listed.find((w) => w.districtId === here.districtId)).toMatchObject({ knownAs: `Here ${here.lastName}` });
    const elsewhereWalkIn = listed.find((w) => w.districtId === elsewhere.districtId);
    await expect(approveWalkIn(session.id, elsewhereWalkIn?.id ?? "", viewer(trainer))).rejects.toMatchObject({ code: "no-one-to-add" });
    expect(await prisma.enrollment.count({ where: { sessionId: session.id, personId: elsewhere.id } })).toBe(0);
  });

  it("Dismiss enrols nobody; a repeat scan leaves it dismissed; it can still be approved later", async () => {
    const { trainer, cookie, session, dayA, token } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF" });
    await post(token, { districtId: staff.districtId ?? "" });
    const [listed] = walkInsOf(await screenLoader(cookie, session.id, dayA.id));
    expect((await screenAction(cookie, session.id, { intent: "dismiss", walkInId: listed.id })).status).toBe(302);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(0);
    await post(token, { districtId: staff.districtId ?? "" });
    expect(walkInsOf(await screenLoader(cookie, session.id, dayA.id))).toEqual([expect.objectContaining({ id: listed.id, dismissed: true })]);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "checkin.walkin.dismiss", actorId: trainer.id } })).toBe(1);
    expect(await approveWalkIn(session.id, listed.id, viewer(trainer))).toMatchObject({ approved: true });
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id, status: "PRESENT" } })).toBe(1);
    // Dismissing an approved walk-in changes nothing.
    expect(await dismissWalkIn(session.id, listed.id, trainer.id)).toMatchObject({ dismissed: false });
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it("a double click, or two trainers at once: parallel approvals enrol and mark once", async () => {
    const { trainer, session, dayA, token } = await openSession();
    const { user: coTrainer } = await signIn("TRAINER");
    await prisma.sessionTrainer.create({ data: { sessionId: session.id, userId: coTrainer.id, role: "CO" } });
    const staff = await makePerson(prisma, { kind: "STAFF" });
    const lastName = unique("Twice");
    await post(token, { districtId: staff.districtId ?? "" });
    await post(token, { firstName: "Double", lastName, email: `${unique("dbl")}@test.example` });
    const walkIns = await prisma.checkInWalkIn.findMany({ where: { sessionDayId: dayA.id } });
    expect(walkIns).toHaveLength(2);

    const results = await Promise.all(walkIns.flatMap((w) => Array.from({ length: 8 }, (_, i) => approveWalkIn(session.id, w.id, viewer(i % 2 ? coTrainer : trainer)))));

    expect(results.filter((r) => r.approved)).toHaveLength(2);
    expect(await prisma.person.count({ where: { lastName } })).toBe(1);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(2);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id, status: "PRESENT", method: "QR" } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "checkin.walkin.approve" } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "roster.add" } })).toBe(2);
  });

  it("only the session's own trainers see the walk-ins or decide them", async () => {
    const { session, dayA, token } = await openSession();
    const typed = unique("PRIVATEID");
    await post(token, { districtId: typed });
    const [walkIn] = await prisma.checkInWalkIn.findMany({ where: { sessionDayId: dayA.id } });
    const stranger = await signIn("TRAINER");
    const lead = await signIn("PROGRAM_LEAD");
    for (const cookie of [stranger.cookie, lead.cookie]) {
      const seen = await screenLoader(cookie, session.id, dayA.id);
      expect([403, 404]).toContain(seen.status);
      expect(JSON.stringify(seen.data ?? "")).not.toContain(typed);
      const decided = await screenAction(cookie, session.id, { intent: "approve", walkInId: walkIn.id });
      expect([403, 404]).toContain(decided.status);
    }
    expect(await prisma.checkInWalkIn.findUniqueOrThrow({ where: { id: walkIn.id } })).toMatchObject({ decision: null });
    // A walk-in of another session cannot be decided through this one.
    const other = await openSession();
    const foreign = await screenAction(other.cookie, other.session.id, { intent: "approve", walkInId: walkIn.id });
    expect(foreign.status).toBe(400);
    expect(foreign.data).toMatchObject({ errors: { walkInId: expect.any(String) } });
  });
});

describe("days that have not started", () => {
  it("a link opened ahead of its day shows when it opens and records nothing, for anyone", async () => {
    const { trainer, session, dayB } = await openSession();
    const { token } = await openCheckIn(dayB.id, trainer.id);
    const staff = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: session.id, personId: staff.id });

    const loaded = await call(() => publicPage.loader({ request: makeRequest(`/check-in/${token}`), params: { token }, context: {} }));
    expect(loaded.status).toBe(200);
    expect(loaded.data).toMatchObject({ state: "not-started", date: expect.any(String) });
    const forms: Array<Record<string, string>> = [
      { districtId: staff.districtId ?? "" }, { districtId: unique("NOPE") }, { lang: "es", firstName: "Ana", lastName: "Ruiz", email: "ana@test.example" },
    ];
    for (const form of forms) {
      const posted = await post(token, form);
      expect(posted.status).toBe(409);
      expect(posted.data).toMatchObject({ state: "not-started" });
    }
    const page = await postedHtml(token, { districtId: staff.districtId ?? "" });
    expect(page.html).toContain("Check-in has not started yet");
    expect(page.html).toMatch(/Check-in for this day opens on \w+day, /);
    const spanish = await renderPage("/check-in/:token", publicPage, makeRequest(`/check-in/${token}?lang=es`));
    expect(spanish.html).toContain("El registro todavía no ha comenzado");
    expect(await prisma.attendance.count({ where: { sessionDayId: dayB.id } })).toBe(0);
    expect(await prisma.checkInWalkIn.count({ where: { sessionDayId: dayB.id } })).toBe(0);

    // On the day itself the same link works.
    expect(await checkIn(token, { districtId: staff.districtId ?? "" }, { now: dayB.startsAt })).toMatchObject({ ok: true, outcome: "checked-in" });
  });

  it("a walk-in for a day still to come cannot be approved", async () => {
    const { trainer, session, dayB } = await openSession();
    const staff = await makePerson(prisma, { kind: "STAFF" });
    const walkIn = await prisma.checkInWalkIn.create({ data: { sessionDayId: dayB.id, identityKey: `id:${staff.districtId}`, districtId: staff.districtId } });
    await expect(approveWalkIn(session.id, walkIn.id, viewer(trainer))).rejects.toMatchObject({ code: "not-started", message: expect.stringMatching(/has not started yet/) });
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(0);
    expect(await prisma.checkInWalkIn.findUniqueOrThrow({ where: { id: walkIn.id } })).toMatchObject({ decision: null });
  });
});

describe("rate limits on the public link", () => {
  it("a burst of 100 posts from one address is throttled well before the end, with a clear message; another address still gets through", async () => {
    const { session, dayA, token } = await openSession();
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await makePerson(prisma, { kind: "STAFF" }));
    for (const p of people) await enroll(prisma, { sessionId: session.id, personId: p.id });
    const address = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof post>> | null = null;
    for (let i = 0; i < 100; i++) {
      const form = i % 2 ? { districtId: people[i % 5].districtId ?? "" } : { districtId: `GUESS-${i}` };
      const answer = await post(token, form, address);
      statuses.push(answer.status);
      if (answer.status === 429) throttled ??= answer;
    }
    const firstRefused = statuses.indexOf(429);
    // The limit, give or take the sliding estimate's rounding if the burst straddles a minute.
    expect(firstRefused).toBeGreaterThanOrEqual(CHECK_IN_POSTS_PER_ADDRESS.limit);
    expect(firstRefused).toBeLessThanOrEqual(CHECK_IN_POSTS_PER_ADDRESS.limit + 2);
    expect(firstRefused).toBeLessThan(50);
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
    expect(throttled?.data).toMatchObject({ state: "error", errors: { form: "Too many check-ins from here just now. Please try again in a minute." } });
    expect(Number(throttled?.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Refused posts record nothing: only the guesses before the limit became walk-ins.
    expect(await prisma.checkInWalkIn.count({ where: { sessionDayId: dayA.id } })).toBe(Math.ceil(firstRefused / 2));

    const spanish = await post(token, { lang: "es", districtId: "X1" }, address);
    expect(spanish.data).toMatchObject({ errors: { form: "Demasiados registros desde aquí en este momento. Inténtelo de nuevo en un minuto." } });
    // The rest of the room, on other addresses, is not held up.
    expect((await post(token, { districtId: people[0].districtId ?? "" }, "192.0.2.250")).status).toBe(200);
  });

  it("the link's own limit stops a guess spread over many addresses", async () => {
    const { token } = await openSession();
    const statuses: number[] = [];
    // Empty posts, each from its own address: refused as a form (400) until the link's limit, then throttled.
    for (let i = 0; i < 230; i++) statuses.push((await post(token, {}, `100.64.${Math.floor(i / 200)}.${i % 200}`)).status);
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThanOrEqual(CHECK_IN_POSTS_PER_LINK.limit);
    expect(firstRefused).toBeLessThanOrEqual(CHECK_IN_POSTS_PER_LINK.limit + 4);
    expect(statuses.slice(0, firstRefused).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
  });
});
