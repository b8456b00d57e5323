import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { makeProgram, makeSchool, makeSession, makePerson, day } from "./member-fixtures";
import * as newRoute from "~/routes/sessions.new";
import * as detailRoute from "~/routes/sessions.$sessionId._index";
import * as trainerHome from "~/routes/trainer._index";
import * as feedRoute from "~/routes/calendar.$token";

let program: Awaited<ReturnType<typeof makeProgram>>;
let school: Awaited<ReturnType<typeof makeSchool>>;

beforeAll(async () => {
  program = await makeProgram("ymhfa");
  school = await makeSchool();
});

/** A trainer account linked to a person named Terry Trainer, signed in. */
async function trainer(name = "Terry Trainer") {
  const [firstName, lastName] = name.split(" ");
  const person = await makePerson({ firstName, lastName });
  const { user, cookie } = await signIn("TRAINER", { personId: person.id });
  await prisma.user.update({ where: { id: user.id }, data: { name } });
  return { user, cookie, person };
}

function certify(personId: string, issuedOn: string, expiresOn: string | null, programId = program.id) {
  return prisma.instructorCertification.create({
    data: { personId, programId, issuedOn: day(issuedOn), expiresOn: expiresOn ? day(expiresOn) : null, source: "MHFA USA instructor training" },
  });
}

async function create(cookie: string, days: Array<[string, string, string]>) {
  const form: Record<string, string> = { intent: "save", programId: program.id, format: "IN_PERSON", audience: "STAFF", schoolId: school.id };
  days.forEach(([date, start, end], i) => Object.assign(form, { [`day${i}Date`]: date, [`day${i}Start`]: start, [`day${i}End`]: end }));
  const res = await call(() => newRoute.action({ request: makeRequest("/sessions/new", { method: "POST", cookie, form }), params: {}, context: {} }));
  expect(res.status).toBe(302);
  return res.headers.get("Location")!.split("/").pop()!;
}

async function warningOn(sessionId: string, cookie: string) {
  const res = await call(() => detailRoute.loader({ request: makeRequest(`/sessions/${sessionId}`, { cookie }), params: { sessionId }, context: {} }));
  expect(res.status).toBe(200);
  return (res.data as { lapseWarnings: string[] }).lapseWarnings.join(" ") || null;
}

describe("a lead trainer's lapsed instructor certification", () => {
  it("is not a block: the session is created, and its page warns with the date it expired and the day it fails", async () => {
    const terry = await trainer();
    await certify(terry.person.id, "2022-11-01", "2025-11-01");
    const id = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"]]);
    expect(await warningOn(id, terry.cookie)).toBe(
      `Terry Trainer's ${program.code} instructor certification expired on Nov 1, 2025 — it does not cover day 1 (Mar 10, 2030).`,
    );
  });

  it("says it will have expired by a later day, when it lapses in the middle of the session", async () => {
    const terry = await trainer();
    await certify(terry.person.id, "2027-03-11", "2030-03-11");
    const id = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"], ["2030-03-12", "09:00", "15:00"]]);
    expect(await warningOn(id, terry.cookie)).toBe(
      `Terry Trainer's ${program.code} instructor certification expires on Mar 11, 2030 — it will have expired by day 2 (Mar 12, 2030).`,
    );
  });

  it("says none is on record (another program's does not count; an unlinked account has none)", async () => {
    const terry = await trainer();
    const other = await makeProgram("qpr");
    await certify(terry.person.id, "2024-01-01", null, other.id);
    const id = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"]]);
    expect(await warningOn(id, terry.cookie)).toBe(`No ${program.code} instructor certification on record for the lead trainer (Terry Trainer).`);

    const unlinked = await signIn("TRAINER");
    const id2 = await create(unlinked.cookie, [["2030-03-10", "09:00", "15:00"]]);
    expect(await warningOn(id2, unlinked.cookie)).toMatch(/^No .+ instructor certification on record for the lead trainer/);
  });

  it("says nothing when a certification covers every day, or once the session is closed or cancelled", async () => {
    const terry = await trainer();
    await certify(terry.person.id, "2020-01-01", "2023-01-01");
    await certify(terry.person.id, "2029-01-01", "2032-01-01");
    const covered = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"], ["2031-03-10", "09:00", "15:00"]]);
    expect(await warningOn(covered, terry.cookie)).toBeNull();

    const lapsed = await create(terry.cookie, [["2033-03-10", "09:00", "15:00"]]);
    expect(await warningOn(lapsed, terry.cookie)).toMatch(/expires on Jan 1, 2032 — it will have expired by day 1/);
    for (const status of ["CLOSED", "CANCELLED"] as const) {
      await prisma.trainingSession.update({ where: { id: lapsed }, data: { status } });
      expect(await warningOn(lapsed, terry.cookie)).toBeNull();
    }
  });

  it("is shown to program leads and admins, not to a coordinator of the school", async () => {
    const terry = await trainer();
    const id = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"]]);
    const lead = await signIn("PROGRAM_LEAD");
    const admin = await signIn("ADMIN");
    const coordinator = await signIn("COORDINATOR", { schoolIds: [school.id] });
    expect(await warningOn(id, lead.cookie)).toMatch(/^No .+ instructor certification on record/);
    expect(await warningOn(id, admin.cookie)).toMatch(/^No .+ instructor certification on record/);
    expect(await warningOn(id, coordinator.cookie)).toBeNull();
  });

  it("the new-session form shows the trainer's own instructor certifications and their state", async () => {
    const terry = await trainer();
    const qpr = await makeProgram("qpr");
    await certify(terry.person.id, "2022-11-01", "2025-11-01");
    await certify(terry.person.id, "2024-01-01", null, qpr.id);
    const res = await call(() => newRoute.loader({ request: makeRequest("/sessions/new", { cookie: terry.cookie }), params: {}, context: {} }));
    const instructor = (res.data as { instructor: Array<{ programCode: string; state: string }> }).instructor;
    expect(instructor.map((c) => [c.programCode, c.state]).sort()).toEqual([[program.code, "expired"], [qpr.code, "current"]].sort());
    // Neither program asks its instructors for a certificate of their own here.
    expect(instructor.map((c) => (c as unknown as { ownCertificate: unknown }).ownCertificate)).toEqual([null, null]);

    // An admin chooses the lead: no notice of their own.
    const admin = await signIn("ADMIN");
    const adminRes = await call(() => newRoute.loader({ request: makeRequest("/sessions/new", { cookie: admin.cookie }), params: {}, context: {} }));
    expect((adminRes.data as { instructor: unknown }).instructor).toBeNull();
  });
});

describe("a lead trainer's own certificate, where the program asks its instructors to hold one (YMHFA: an active First Aider certificate)", () => {
  async function ownCertificate(personId: string, issuedOn: string, expiresOn: string | null, extra: { revoked?: boolean } = {}) {
    return prisma.certification.create({
      data: {
        personId, programId: program.id, issuedOn: day(issuedOn), expiresOn: expiresOn ? day(expiresOn) : null, verificationCode: unique("code"),
        ...(extra.revoked ? { revokedAt: new Date(), revokedReason: "Issued in error" } : {}),
      },
    });
  }

  it("warns beside a current instructor certification when their own certificate lapses before a session day, and says nothing once it covers them", async () => {
    await prisma.program.update({ where: { id: program.id }, data: { instructorNeedsCertificate: true } });
    try {
      const terry = await trainer();
      await certify(terry.person.id, "2028-01-01", "2032-01-01");
      const id = await create(terry.cookie, [["2030-03-10", "09:00", "15:00"], ["2030-03-12", "09:00", "15:00"]]);
      expect(await warningOn(id, terry.cookie)).toBe(`No current ${program.code} certificate of their own on record for the lead trainer (Terry Trainer): a ${program.code} instructor also holds a current ${program.code} certificate.`);

      // A revoked one does not count; one that lapses between the days is named with the day.
      await ownCertificate(terry.person.id, "2027-01-01", "2040-01-01", { revoked: true });
      await ownCertificate(terry.person.id, "2027-03-11", "2030-03-11");
      expect(await warningOn(id, terry.cookie)).toBe(
        `Terry Trainer's own ${program.code} certificate expires on Mar 11, 2030 — a ${program.code} instructor also holds a current ${program.code} certificate, and it will have expired by day 2 (Mar 12, 2030).`,
      );

      // A renewal, on a record since merged into Terry's, covers both days.
      const old = await makePerson({ firstName: "Terry", lastName: "Trainer" });
      await prisma.person.update({ where: { id: old.id }, data: { mergedIntoId: terry.person.id } });
      await ownCertificate(old.id, "2030-02-01", "2033-02-01");
      expect(await warningOn(id, terry.cookie)).toBeNull();

      // The new-session form says it too, as of today: none of Terry's is current yet, then one is.
      const form = async (cookie: string) =>
        ((await call(() => newRoute.loader({ request: makeRequest("/sessions/new", { cookie }), params: {}, context: {} }))).data as { instructor: Array<{ programId: string; ownCertificate: string | null }> }).instructor;
      const ownOnForm = async () => (await form(terry.cookie)).find((c) => c.programId === program.id)?.ownCertificate;
      expect(await ownOnForm()).toBe("missing");
      await ownCertificate(old.id, "2025-01-01", "2040-01-01");
      expect(await ownOnForm()).toBe("current");
    } finally {
      await prisma.program.update({ where: { id: program.id }, data: { instructorNeedsCertificate: false } });
    }
  });
});

describe("a trainer's own calendar feed", () => {
  async function feedText(token: string) {
    const res = await feedRoute.loader({ request: makeRequest(`/calendar/${token}`), params: { token }, context: {} });
    if (!(res instanceof Response)) throw new Error("expected a Response");
    expect(res.status).toBe(200);
    return (await res.text()).replace(/\r\n[ \t]/g, "");
  }

  it("is turned on from the trainer's home and holds the days of sessions they teach, once each, not cancelled ones or someone else's", async () => {
    const terry = await trainer();
    const home = () => call(() => trainerHome.loader({ request: makeRequest("/trainer", { cookie: terry.cookie }), params: {}, context: {} }));
    expect((await home()).data).toMatchObject({ feed: null });
    const created = await call(() => trainerHome.action({ request: makeRequest("/trainer", { method: "POST", cookie: terry.cookie, form: { intent: "create-feed" } }), params: {}, context: {} }));
    expect(created.data).toMatchObject({ notice: expect.stringContaining("ready") });
    const feed = ((await home()).data as { feed: { url: string } | null }).feed;
    expect(feed?.url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}$/);
    const token = feed!.url.split("/").pop()!;

    const title = (t: string) => `${t} ${unique("")}`;
    const taught = await create(terry.cookie, [["2030-04-01", "09:00", "12:00"], ["2030-04-02", "09:00", "12:00"]]);
    await prisma.trainingSession.update({ where: { id: taught }, data: { title: title("Taught") } });
    // Co-training counts too; and being enrolled in it as well shows it once.
    const coTaught = await makeSession({ programId: program.id, days: [["2030-05-01T16:00:00Z", "2030-05-01T20:00:00Z"]], title: title("CoTaught"), enroll: [terry.person.id] });
    await prisma.sessionTrainer.create({ data: { sessionId: coTaught.id, userId: terry.user.id, role: "CO" } });
    const cancelled = await create(terry.cookie, [["2030-06-01", "09:00", "12:00"]]);
    await prisma.trainingSession.update({ where: { id: cancelled }, data: { status: "CANCELLED", title: title("Cancelled") } });
    const past = await create(terry.cookie, [["2021-06-01", "09:00", "12:00"]]);
    await prisma.trainingSession.update({ where: { id: past }, data: { title: title("Past") } });
    const someoneElses = await makeSession({ programId: program.id, days: [["2030-04-03T16:00:00Z", "2030-04-03T20:00:00Z"]], title: title("Other") });

    const text = await feedText(token);
    const summaries = text.split("\r\n").filter((l) => l.startsWith("SUMMARY"));
    const names = await prisma.trainingSession.findMany({ where: { id: { in: [taught, coTaught.id, cancelled, past, someoneElses.id] } }, select: { id: true, title: true } });
    const titleOf = (id: string) => names.find((n) => n.id === id)!.title!;
    expect(summaries.filter((s) => s.includes(titleOf(taught)))).toHaveLength(2);
    expect(summaries.filter((s) => s.includes(titleOf(taught)))[0]).toContain("(day 1 of 2)");
    expect(summaries.filter((s) => s.includes(titleOf(coTaught.id)))).toHaveLength(1);
    for (const id of [cancelled, past, someoneElses.id]) expect(text).not.toContain(titleOf(id));
    expect(text).toContain("DTSTART:20300401T160000Z");
  });

  it("a member cannot use the trainer home's feed buttons", async () => {
    const member = await signIn("MEMBER");
    const res = await call(() => trainerHome.action({ request: makeRequest("/trainer", { method: "POST", cookie: member.cookie, form: { intent: "create-feed" } }), params: {}, context: {} }));
    expect(res.status).toBe(403);
    const bad = await trainer();
    const wrong = await call(() => trainerHome.action({ request: makeRequest("/trainer", { method: "POST", cookie: bad.cookie, form: { intent: "nope" } }), params: {}, context: {} }));
    expect(wrong.status).toBe(400);
    expect((await prisma.user.findUnique({ where: { id: bad.user.id } }))?.calendarFeedToken).toBeNull();
  });
});
