import { beforeAll, describe, expect, it } from "vitest";
import { prisma, makeRequest, call, unique } from "./helpers";
import { createPerson as makePerson, createProgram, createSchool, enroll } from "../../prisma/seed/factories";
import { checkIn, closeCheckIn, currentCheckInToken, openCheckIn, verifyToken, withConflictRetry } from "~/models/check-in.server";
import { Prisma } from "~/generated/prisma/client";
import { createCheckInToken } from "~/domain/check-in-token";
import { endOfDayInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import * as publicPage from "~/routes/check-in.$token";
import * as screen from "~/routes/sessions.$sessionId.check-in";
import { renderPage } from "./page-render";
import { sessionTodayAndTomorrow } from "./check-in-session";

let programId: string;
let programName: string;
let schoolId: string;

beforeAll(async () => {
  const school = await createSchool(prisma);
  schoolId = school.id;
  // 30 seats: the concurrency test goes far over, as walk-ins at the door may.
  const program = await createProgram(prisma, { preset: "YMHFA", maxParticipants: 30 });
  programId = program.id;
  programName = program.name;
});

/** Day A today (from now), day B tomorrow (not started). */
const sessionWithTwoDays = () => sessionTodayAndTomorrow({ programId, schoolId });

function decode(token: string) {
  const [payload, signature] = token.split(".");
  return { fields: Buffer.from(payload, "base64url").toString("utf8").split("."), signature };
}
function reencode(fields: string[], signature: string) {
  return `${Buffer.from(fields.join("."), "utf8").toString("base64url")}.${signature}`;
}

async function attendanceOn(dayId: string) {
  return prisma.attendance.findMany({ where: { sessionDayId: dayId }, include: { enrollment: { select: { personId: true } } } });
}

function publicLoader(token: string, headers: Record<string, string> = {}, search = "") {
  return call(() => publicPage.loader({ request: makeRequest(`/check-in/${token}${search}`, { headers }), params: { token }, context: {} }));
}
let addressCounter = 0;
/** A post from its own address unless told, so the per-address limit is not what a test meets. */
function publicAction(token: string, form: Record<string, string>, headers: Record<string, string> = {}, remoteAddress = `198.51.100.${++addressCounter % 250}`) {
  return call(() => publicPage.action({ request: makeRequest(`/check-in/${token}`, { method: "POST", form, headers }), params: { token }, context: { remoteAddress } }));
}

describe("check-in tokens against the database", () => {
  it("a fresh token verifies for its day and reveals only the program and day", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const verified = await verifyToken(token);
    expect(verified).toEqual({
      ok: true,
      day: { id: dayA.id, startsAt: dayA.startsAt, endsAt: dayA.endsAt },
      session: { id: session.id, programName },
    });
    // Opening is audited with the trainer's name on it.
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "checkin.open", actorId: trainer.id } })).toBe(1);
  });

  it("refuses a changed day id, a changed expiry and a bad signature", async () => {
    const { trainer, dayA, dayB } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    await openCheckIn(dayB.id, trainer.id);
    const { fields, signature } = decode(token);
    const otherDay = reencode([dayB.id, fields[1], fields[2]], signature);
    const later = reencode([fields[0], fields[1], String(Number(fields[2]) + 7 * 86400)], signature);
    const badSignature = `${token.split(".")[0]}.${Buffer.alloc(32, 7).toString("base64url")}`;
    const otherSecret = createCheckInToken({ sessionDayId: dayA.id, nonce: fields[1], expiresAt: new Date(Number(fields[2]) * 1000) }, "not-the-server-secret-0123456789");
    for (const forged of [otherDay, later, badSignature, otherSecret, "garbage", token.slice(0, -2)]) {
      expect(await verifyToken(forged)).toEqual({ ok: false, reason: "invalid" });
      expect(await checkIn(forged, { firstName: "Forged", lastName: "Token", email: `${unique("f")}@test.example` })).toEqual({ ok: false, reason: "invalid" });
      const page = await publicLoader(forged);
      expect(page.status).toBe(404);
      expect(page.data).toMatchObject({ state: "invalid" });
    }
    expect(await attendanceOn(dayA.id)).toHaveLength(0);
    expect(await attendanceOn(dayB.id)).toHaveLength(0);
  });

  it("a token for day A records day A only, and cannot be turned into one for day B", async () => {
    const { trainer, dayA, dayB } = await sessionWithTwoDays();
    const { token: tokenA } = await openCheckIn(dayA.id, trainer.id);
    await openCheckIn(dayB.id, trainer.id);
    const person = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: dayA.sessionId, personId: person.id });
    const result = await checkIn(tokenA, { districtId: person.districtId ?? "" });
    expect(result).toMatchObject({ ok: true, outcome: "checked-in", alreadyCheckedIn: false });
    expect((await attendanceOn(dayA.id)).map((a) => a.enrollment.personId)).toEqual([person.id]);
    expect(await attendanceOn(dayB.id)).toHaveLength(0);
    // Even signed with the real secret, day B with day A's nonce is refused: the nonce is per day.
    const { fields } = decode(tokenA);
    const crossed = createCheckInToken({ sessionDayId: dayB.id, nonce: fields[1], expiresAt: new Date(Number(fields[2]) * 1000) }, getEnv().sessionSecrets[0]);
    expect(await checkIn(crossed, { districtId: person.districtId ?? "" })).toEqual({ ok: false, reason: "closed" });
    expect(await attendanceOn(dayB.id)).toHaveLength(0);
  });

  it("a token of another session's day does not work for this session", async () => {
    const one = await sessionWithTwoDays();
    const two = await sessionWithTwoDays();
    const { token } = await openCheckIn(one.dayA.id, one.trainer.id);
    await openCheckIn(two.dayA.id, two.trainer.id);
    const person = await makePerson(prisma, { kind: "STAFF" });
    for (const s of [one, two]) await enroll(prisma, { sessionId: s.session.id, personId: person.id });
    expect(await checkIn(token, { districtId: person.districtId ?? "" })).toMatchObject({ ok: true, outcome: "checked-in" });
    expect((await attendanceOn(one.dayA.id)).map((a) => a.enrollment.personId)).toEqual([person.id]);
    expect(await attendanceOn(two.dayA.id)).toHaveLength(0);
  });

  it("after closeCheckIn the old token fails (410), and reopening issues a new one", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token: first } = await openCheckIn(dayA.id, trainer.id);
    await closeCheckIn(dayA.id, trainer.id);
    expect(await verifyToken(first)).toEqual({ ok: false, reason: "closed" });
    expect(await checkIn(first, { firstName: "Late", lastName: "Comer", email: `${unique("l")}@test.example` })).toEqual({ ok: false, reason: "closed" });
    const page = await publicLoader(first);
    expect(page.status).toBe(410);
    expect(page.data).toMatchObject({ state: "closed" });
    const posted = await publicAction(first, { districtId: "E123" });
    expect(posted.status).toBe(410);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "checkin.close", actorId: trainer.id } })).toBe(1);

    const { token: second } = await openCheckIn(dayA.id, trainer.id);
    expect(second).not.toBe(first);
    expect((await verifyToken(second)).ok).toBe(true);
    expect(await verifyToken(first)).toEqual({ ok: false, reason: "closed" });
    // Opening again with a new link also retires the previous one.
    const { token: third } = await openCheckIn(dayA.id, trainer.id);
    expect(await verifyToken(second)).toEqual({ ok: false, reason: "closed" });
    expect((await verifyToken(third)).ok).toBe(true);
    expect(await attendanceOn(dayA.id)).toHaveLength(0);
  });

  it("fails after the session day ends in the district's time zone", async () => {
    const { trainer, dayA } = await sessionWithTwoDays();
    const { token, expiresAt } = await openCheckIn(dayA.id, trainer.id);
    expect(expiresAt).toEqual(endOfDayInZone(dayA.startsAt, getEnv().DISTRICT_TIME_ZONE));
    const justBefore = new Date(expiresAt.getTime() - 1000);
    const after = new Date(expiresAt.getTime() + 1000);
    expect((await verifyToken(token, { now: justBefore })).ok).toBe(true);
    expect(await verifyToken(token, { now: after })).toEqual({ ok: false, reason: "expired" });
    const person = await makePerson(prisma, { kind: "STAFF" });
    expect(await checkIn(token, { districtId: person.districtId ?? "" }, { now: after })).toEqual({ ok: false, reason: "expired" });
    expect(currentCheckInToken({ id: dayA.id, startsAt: dayA.startsAt, checkInNonce: "x".repeat(32) }, { now: after })).toBeNull();
    // A day that is over cannot be opened at all.
    await expect(openCheckIn(dayA.id, trainer.id, { now: after })).rejects.toMatchObject({ code: "ended" });
    expect(await attendanceOn(dayA.id)).toHaveLength(0);
  });

  it("fails once the session is cancelled or closed", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    await prisma.trainingSession.update({ where: { id: session.id }, data: { status: "CANCELLED" } });
    expect(await verifyToken(token)).toEqual({ ok: false, reason: "closed" });
    await expect(openCheckIn(dayA.id, trainer.id)).rejects.toMatchObject({ code: "closed" });
  });
});

describe("checking in", () => {
  it("checking in twice records one attendance and one enrollment", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const person = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: session.id, personId: person.id });
    const first = await checkIn(token, { districtId: person.districtId ?? "" });
    const second = await checkIn(token, { districtId: person.districtId ?? "" });
    expect(first).toMatchObject({ ok: true, alreadyCheckedIn: false, programName });
    expect(second).toMatchObject({ ok: true, alreadyCheckedIn: true, programName });
    const rows = await attendanceOn(dayA.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "PRESENT", method: "QR" });
    expect(await prisma.enrollment.count({ where: { sessionId: session.id, personId: person.id } })).toBe(1);
    // One attendance change is audited (as self check-in: no actor); nobody is added to the roster from the link.
    const audit = await prisma.auditEvent.findMany({ where: { entityId: session.id, action: { in: ["roster.add", "attendance.record"] } } });
    expect(audit.map((a) => a.action)).toEqual(["attendance.record"]);
    expect(audit[0]).toMatchObject({ actorId: null });
    expect(JSON.parse(audit[0].details)).toMatchObject({ method: "QR" });
  });

  it("finds a person on the roster by district ID; an unknown district ID becomes a walk-in, creating and enrolling nobody", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const student = await makePerson(prisma, { kind: "STUDENT" });
    // Already on the roster: no second enrollment.
    const enrollment = await enroll(prisma, { sessionId: session.id, personId: student.id });
    expect(await checkIn(token, { districtId: student.districtId ?? "" })).toMatchObject({ ok: true, alreadyCheckedIn: false });
    expect(await prisma.attendance.findMany({ where: { enrollmentId: enrollment.id } })).toEqual([expect.objectContaining({ sessionDayId: dayA.id, status: "PRESENT", method: "QR" })]);

    const people = await prisma.person.count();
    const enrollments = await prisma.enrollment.count({ where: { sessionId: session.id } });
    const nope = unique("NOPE");
    expect(await checkIn(token, { districtId: nope })).toMatchObject({ ok: true, outcome: "walk-in" });
    expect(await prisma.checkInWalkIn.findMany({ where: { sessionDayId: dayA.id } })).toEqual([expect.objectContaining({ districtId: nope, decision: null, personId: null })]);
    expect(await prisma.person.count()).toBe(people);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(enrollments);
  });

  it("a district ID of a merged record checks in the surviving record", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const survivor = await makePerson(prisma, { kind: "STAFF" });
    const merged = await makePerson(prisma, { kind: "STAFF", mergedIntoId: survivor.id });
    await enroll(prisma, { sessionId: session.id, personId: survivor.id });
    expect(await checkIn(token, { districtId: merged.districtId ?? "" })).toMatchObject({ ok: true, outcome: "checked-in" });
    expect((await prisma.enrollment.findMany({ where: { sessionId: session.id } })).map((e) => e.personId)).toEqual([survivor.id]);
  });

  it("finds a person on the roster by name and email regardless of case; an unknown one is one walk-in, not a new record", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const email = `${unique("jose")}@test.example`;
    const known = await makePerson(prisma, { kind: "COMMUNITY", firstName: "José", lastName: "Núñez", email });
    await enroll(prisma, { sessionId: session.id, personId: known.id });
    expect(await checkIn(token, { firstName: "JOSÉ", lastName: "núñez", email: email.toUpperCase() })).toMatchObject({ ok: true, outcome: "checked-in" });
    expect((await attendanceOn(dayA.id)).map((a) => a.enrollment.personId)).toEqual([known.id]);
    expect(await prisma.person.count({ where: { email } })).toBe(1);

    // Same email, another name: a different person (shared mailboxes exist), and not on the roster.
    expect(await checkIn(token, { firstName: "Ana", lastName: "Ruiz", email })).toMatchObject({ ok: true, outcome: "walk-in" });
    const newEmail = `${unique("new")}@test.example`;
    expect(await checkIn(token, { firstName: "Ana", lastName: "Ruiz", email: newEmail })).toMatchObject({ ok: true, outcome: "walk-in" });
    // And again, with different case: the same walk-in, not a second one; nobody created or enrolled.
    expect(await checkIn(token, { firstName: "ana", lastName: "RUIZ", email: newEmail.toUpperCase() })).toMatchObject({ ok: true, outcome: "walk-in" });
    expect(await prisma.person.count({ where: { email: newEmail } })).toBe(0);
    expect(await prisma.person.count({ where: { email, firstName: "Ana" } })).toBe(0);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(1);
    const walkIns = await prisma.checkInWalkIn.findMany({ where: { sessionDayId: dayA.id }, orderBy: { createdAt: "asc" } });
    expect(walkIns.map((w) => [w.firstName, w.email])).toEqual([["Ana", email], ["Ana", newEmail]]);
  });

  it("leaves a trainer's partial mark alone, and turns an absent mark into present", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const partial = await makePerson(prisma, { kind: "STAFF" });
    const absent = await makePerson(prisma, { kind: "STAFF" });
    for (const [p, status] of [[partial, "PARTIAL"], [absent, "ABSENT"]] as const) {
      const e = await enroll(prisma, { sessionId: session.id, personId: p.id });
      await prisma.attendance.create({ data: { enrollmentId: e.id, sessionDayId: dayA.id, status, method: "MANUAL" } });
    }
    expect(await checkIn(token, { districtId: partial.districtId ?? "" })).toMatchObject({ ok: true, alreadyCheckedIn: true });
    expect(await checkIn(token, { districtId: absent.districtId ?? "" })).toMatchObject({ ok: true, alreadyCheckedIn: false });
    const rows = await attendanceOn(dayA.id);
    expect(rows.find((r) => r.enrollment.personId === partial.id)).toMatchObject({ status: "PARTIAL", method: "MANUAL" });
    expect(rows.find((r) => r.enrollment.personId === absent.id)).toMatchObject({ status: "PRESENT", method: "QR" });
  });

  it("200 concurrent check-ins of people on the roster (180 people, 20 repeats) record each exactly once, and 20 walk-ins once each", async () => {
    const { trainer, session, dayA } = await sessionWithTwoDays();
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const tag = unique("crowd");
    // 180 on the roster already (90 staff with district IDs, 90 community partners known by name and email).
    const staff = [];
    for (let i = 0; i < 90; i++) staff.push(await makePerson(prisma, { kind: "STAFF", districtId: `${tag}-${i}` }));
    const partners = [];
    for (let i = 0; i < 90; i++) partners.push(await makePerson(prisma, { kind: "COMMUNITY", firstName: `Partner${i}`, lastName: `On ${tag}`, email: `partner${i}.${tag}@test.example` }));
    for (const p of [...staff, ...partners]) await enroll(prisma, { sessionId: session.id, personId: p.id });
    const byDistrictId = staff.map((p) => ({ districtId: p.districtId ?? "" }));
    const byName = partners.map((p) => ({ firstName: p.firstName, lastName: p.lastName, email: p.email ?? "" }));
    const repeats = [
      ...byDistrictId.slice(0, 10),
      ...byName.slice(0, 10).map((p) => ({ firstName: p.firstName.toUpperCase(), lastName: p.lastName, email: p.email.toUpperCase() })),
    ];
    // 10 people nobody has met, each scanning twice at once: one walk-in each, nobody enrolled.
    const strangers = Array.from({ length: 10 }, (_, i) => ({ firstName: `Walk${i}`, lastName: `In ${tag}`, email: `walkin${i}.${tag}@test.example` }));
    const onRoster = [...byDistrictId, ...byName, ...repeats];
    // Interleave the repeats with their originals.
    onRoster.sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
    expect(onRoster).toHaveLength(200);

    const [results, walkInResults] = await Promise.all([
      Promise.all(onRoster.map((input) => checkIn(token, input))),
      Promise.all([...strangers, ...strangers].map((input) => checkIn(token, input))),
    ]);

    expect(results.filter((r) => !r.ok || r.outcome !== "checked-in")).toEqual([]);
    expect(results.filter((r) => r.ok && r.outcome === "checked-in" && r.alreadyCheckedIn)).toHaveLength(20);
    expect(walkInResults.every((r) => r.ok && r.outcome === "walk-in")).toBe(true);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id } })).toBe(180);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id, status: "PRESENT", method: "QR" } })).toBe(180);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(180);
    expect(await prisma.person.count({ where: { lastName: `In ${tag}` } })).toBe(0);
    expect(await prisma.checkInWalkIn.count({ where: { sessionDayId: dayA.id } })).toBe(10);
    // Every enrollment has exactly one mark on the day.
    const perEnrollment = await prisma.attendance.groupBy({ by: ["enrollmentId"], where: { sessionDayId: dayA.id }, _count: { _all: true } });
    expect(perEnrollment.every((g) => g._count._all === 1)).toBe(true);
  }, 120_000);
});

describe("retrying a transaction that lost a race", () => {
  const conflict = (code: string) => new Prisma.PrismaClientKnownRequestError("conflict", { code, clientVersion: "test" });

  it("runs the work again after a unique-constraint race (P2002) or a busy database", async () => {
    for (const code of ["P2002", "P2034", "P1008"]) {
      let runs = 0;
      const result = await withConflictRetry(async () => {
        runs += 1;
        if (runs < 3) throw conflict(code);
        return "read back";
      });
      expect({ code, result, runs }).toEqual({ code, result: "read back", runs: 3 });
    }
  });

  it("gives up after a few attempts, and never retries other errors", async () => {
    let runs = 0;
    await expect(withConflictRetry(async () => { runs += 1; throw conflict("P2002"); }, 3)).rejects.toMatchObject({ code: "P2002" });
    expect(runs).toBe(3);
    runs = 0;
    await expect(withConflictRetry(async () => { runs += 1; throw conflict("P2025"); })).rejects.toMatchObject({ code: "P2025" });
    await expect(withConflictRetry(async () => { runs += 1; throw new Error("boom"); })).rejects.toThrow("boom");
    expect(runs).toBe(2);
  });
});

describe("the public check-in page", () => {
  async function crowdedSession() {
    const s = await sessionWithTwoDays();
    const { token } = await openCheckIn(s.dayA.id, s.trainer.id);
    // Others on the roster whose details must never reach the page.
    const student = await makePerson(prisma, { kind: "STUDENT", firstName: "Secretstudent", lastName: unique("Hidden") });
    const staff = await makePerson(prisma, { kind: "STAFF", firstName: "Secretstaff", lastName: unique("Private"), email: `${unique("private")}@test.example` });
    for (const p of [student, staff]) {
      await enroll(prisma, { sessionId: s.session.id, personId: p.id });
      await checkIn(token, { districtId: p.districtId ?? "" });
    }
    const secrets = [student.firstName, student.lastName, student.districtId ?? "", staff.firstName, staff.lastName, staff.districtId ?? "", staff.email ?? ""];
    return { ...s, token, secrets };
  }
  const leaks = (body: unknown, secrets: string[]) => secrets.filter((s) => s && JSON.stringify(body).includes(s));

  it("shows the program and date, and never another attendee's name, district ID or email", async () => {
    const { token, secrets, dayA } = await crowdedSession();
    const page = await publicLoader(token);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ lang: "en", state: "open", programName });
    expect(leaks(page.data, secrets)).toEqual([]);

    const me = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: dayA.sessionId, personId: me.id });
    const done = await publicAction(token, { lang: "en", districtId: me.districtId ?? "" });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ state: "done", programName, alreadyCheckedIn: false });
    // Not even the person's own name is echoed back on success.
    expect(leaks(done.data, [...secrets, me.firstName, me.lastName, me.districtId ?? "", me.email ?? ""])).toEqual([]);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id } })).toBe(3);

    const unknown = await publicAction(token, { lang: "en", districtId: "NOT-A-REAL-ID-1" });
    expect(unknown.status).toBe(200);
    expect(unknown.data).toMatchObject({ state: "walk-in", programName, errors: null, values: null });
    expect(leaks(unknown.data, [...secrets, "NOT-A-REAL-ID-1"])).toEqual([]);

    const byName = await publicAction(token, { lang: "en", firstName: "Casey", lastName: unique("Visitor"), email: `${unique("casey")}@test.example` });
    expect(byName.data).toMatchObject({ state: "walk-in" });
    expect(leaks(byName.data, secrets)).toEqual([]);
  });

  it("speaks Spanish from ?lang=es or Accept-Language, including its errors", async () => {
    const { token } = await crowdedSession();
    const viaHeader = await publicLoader(token, { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" });
    expect(viaHeader.data).toMatchObject({ lang: "es" });
    const viaQuery = await publicLoader(token, { "Accept-Language": "en-US" }, "?lang=es");
    expect(viaQuery.data).toMatchObject({ lang: "es" });
    expect(viaQuery.data).toMatchObject({ date: expect.stringMatching(/ de /) });
    const english = await publicLoader(token, { "Accept-Language": "es" }, "?lang=en");
    expect(english.data).toMatchObject({ lang: "en" });

    const empty = await publicAction(token, { lang: "es" });
    expect(empty.status).toBe(400);
    expect(empty.data).toMatchObject({ errors: { districtId: "Escriba su número del distrito, o su nombre, apellido y correo electrónico" } });
    const partial = await publicAction(token, { lang: "es", firstName: "Ana", email: "no-es-correo" });
    expect(partial.data).toMatchObject({ errors: { lastName: "Escriba su apellido", email: expect.stringContaining("correo") } });
    const walkIn = await publicAction(token, { lang: "es", firstName: "Ana", lastName: unique("Ruiz"), email: `${unique("ana")}@test.example` });
    expect(walkIn.data).toMatchObject({ lang: "es", state: "walk-in" });

    const closedToken = "invalid.token";
    const invalid = await publicLoader(closedToken, {}, "?lang=es");
    expect(invalid.status).toBe(404);
    expect(invalid.data).toMatchObject({ lang: "es", state: "invalid" });
  });

  it("refuses over-long input with a field error, writing nothing", async () => {
    const { token, dayA } = await crowdedSession();
    const before = await prisma.attendance.count({ where: { sessionDayId: dayA.id } });
    const longId = await publicAction(token, { districtId: "A".repeat(41) });
    expect(longId.status).toBe(400);
    expect(longId.data).toMatchObject({ errors: { districtId: expect.any(String) } });
    const longName = await publicAction(token, { firstName: "A".repeat(81), lastName: "B", email: "a@b.co" });
    expect(longName.data).toMatchObject({ errors: { firstName: expect.any(String) } });
    const huge = await publicAction(token, { districtId: "x" }, { "Content-Length": "100000" });
    expect(huge.status).toBe(413);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id } })).toBe(before);
  });

  it("asks search engines not to index it", () => {
    const tags = publicPage.meta({
      data: { lang: "es", state: "open", programName: "P", date: "D", alreadyCheckedIn: false, errors: null, values: null }, params: {}, matches: [], error: undefined,
      location: { pathname: "/check-in/x", search: "", hash: "", state: null, key: "k" },
    });
    expect(tags).toContainEqual({ title: "Registrar asistencia" });
    expect(tags).toContainEqual({ name: "robots", content: "noindex" });
  });

  it("keeps the link out of caches and other sites' logs, without breaking the form post", () => {
    const headers = new Headers(publicPage.headers({ loaderHeaders: new Headers(), parentHeaders: new Headers(), actionHeaders: new Headers(), errorHeaders: undefined }));
    expect(headers.get("Cache-Control")).toBe("no-store");
    // "no-referrer" would make browsers send Origin: null on the post, which Remix refuses as CSRF.
    expect(headers.get("Referrer-Policy")).toBe("same-origin");
  });
});

describe("the trainer's check-in screen", () => {
  it("opens check-in, shows a QR code and the link, counts who checked in, and closes", async () => {
    const { cookie, trainer, session, dayA } = await sessionWithTwoDays();
    const path = `/sessions/${session.id}/check-in`;
    const params = { sessionId: session.id };
    const closed = await call(() => screen.loader({ request: makeRequest(`${path}?day=${dayA.id}`, { cookie }), params, context: {} }));
    expect(closed.data).toMatchObject({ link: null, qrSvg: null, day: { id: dayA.id, open: false } });

    const opened = await call(() => screen.action({ request: makeRequest(path, { method: "POST", cookie, form: { intent: "open", dayId: dayA.id } }), params, context: {} }));
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe(`${path}?day=${dayA.id}`);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "checkin.open", actorId: trainer.id } })).toBe(1);

    const open = await call(() => screen.loader({ request: makeRequest(`${path}?day=${dayA.id}`, { cookie }), params, context: {} }));
    expect(open.data).toMatchObject({
      link: expect.stringMatching(/\/check-in\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
      qrSvg: expect.stringMatching(/^<svg/),
    });
    const link = String(Reflect.get(Object(open.data), "link"));
    // The district's own address (PUBLIC_BASE_URL), never the request's Host.
    expect(link.startsWith(`${getEnv().PUBLIC_BASE_URL}/check-in/`)).toBe(true);
    const token = link.split("/check-in/")[1];
    expect((await verifyToken(token)).ok).toBe(true);

    const person = await makePerson(prisma, { kind: "STAFF", firstName: "Checked", lastName: unique("In") });
    await enroll(prisma, { sessionId: session.id, personId: person.id });
    await checkIn(token, { districtId: person.districtId ?? "" });
    const counted = await call(() => screen.loader({ request: makeRequest(`${path}?day=${dayA.id}`, { cookie }), params, context: {} }));
    expect(counted.data).toMatchObject({ checkIns: { presentCount: 1, byQr: [expect.objectContaining({ name: `Checked ${person.lastName}` })] } });

    const closing = await call(() => screen.action({ request: makeRequest(path, { method: "POST", cookie, form: { intent: "close", dayId: dayA.id } }), params, context: {} }));
    expect(closing.status).toBe(302);
    expect(await verifyToken(token)).toEqual({ ok: false, reason: "closed" });
  });

  it("refuses a day of another session and an unknown intent (400), changing nothing", async () => {
    const mine = await sessionWithTwoDays();
    const other = await sessionWithTwoDays();
    const params = { sessionId: mine.session.id };
    const path = `/sessions/${mine.session.id}/check-in`;
    const foreign = await call(() => screen.action({ request: makeRequest(path, { method: "POST", cookie: mine.cookie, form: { intent: "open", dayId: other.dayA.id } }), params, context: {} }));
    expect(foreign.status).toBe(400);
    expect(foreign.data).toMatchObject({ errors: { dayId: expect.any(String) } });
    const odd = await call(() => screen.action({ request: makeRequest(path, { method: "POST", cookie: mine.cookie, form: { intent: "explode", dayId: mine.dayA.id } }), params, context: {} }));
    expect(odd.status).toBe(400);
    expect(odd.data).toMatchObject({ errors: { intent: expect.any(String) } });
    const days = await prisma.sessionDay.findMany({ where: { id: { in: [other.dayA.id, mine.dayA.id] } } });
    expect(days.every((d) => d.checkInNonce === null)).toBe(true);
  });
});

describe("the public check-in page as HTML", () => {
  it("renders in Spanish inside lang=es, and after checking in shows only the program and date", async () => {
    const s = await sessionWithTwoDays();
    const { token } = await openCheckIn(s.dayA.id, s.trainer.id);
    const other = await makePerson(prisma, { kind: "STUDENT", firstName: "Otherstudent", lastName: unique("Private") });
    await enroll(prisma, { sessionId: s.session.id, personId: other.id });
    await checkIn(token, { districtId: other.districtId ?? "" });
    const path = `/check-in/${token}`;

    const get = await renderPage("/check-in/:token", publicPage, makeRequest(`${path}?lang=es`));
    expect(get.status).toBe(200);
    expect(get.html).toContain('lang="es"');
    expect(get.html).toContain("Registre su asistencia");
    expect(get.html).toMatch(/<label for="field-districtId">Número del distrito<\/label>/);
    expect(get.html).toContain(programName);
    expect(get.html).toContain('href="/check-in/' + token + '?lang=en"');

    const me = await makePerson(prisma, { kind: "STAFF" });
    await enroll(prisma, { sessionId: s.session.id, personId: me.id });
    const post = await renderPage("/check-in/:token", publicPage, makeRequest(path, { method: "POST", form: { lang: "en", districtId: me.districtId ?? "" } }));
    expect(post.status).toBe(200);
    expect(post.html).toContain("You&#x27;re checked in");
    expect(post.html).toContain(programName);
    for (const secret of [other.firstName, other.lastName, other.districtId ?? "", me.firstName, me.lastName, me.districtId ?? "", me.email ?? ""]) {
      expect(post.html).not.toContain(secret);
    }
    expect(post.html).not.toContain("<form");

    const bad = await renderPage("/check-in/:token", publicPage, makeRequest("/check-in/not.valid?lang=es"));
    expect(bad.status).toBe(404);
    expect(bad.html).toContain("Este enlace de registro no es válido");
  });
});
