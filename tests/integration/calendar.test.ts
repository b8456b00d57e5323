import { getEnv } from "~/env.server";
import { createOrReplaceCalendarFeed } from "~/models/calendar.server";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { isoFromToday, makeCertificate, makePerson, makeProgram, makeSchool, makeSession, signInMember } from "./member-fixtures";
import * as sessionIcs from "~/routes/me.sessions.$sessionId.ics";
import * as certificateIcs from "~/routes/me.certificates.$certificationId.ics";
import * as feedRoute from "~/routes/calendar.$token";
import * as mePage from "~/routes/me._index";

const compact = (iso: string) => iso.replaceAll("-", "");

/** Lines of an iCalendar text, long lines unfolded (RFC 5545: CRLF followed by a space). */
function unfolded(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, "").split("\r\n");
}

function events(text: string): string[][] {
  const lines = unfolded(text);
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = [];
    else if (line === "END:VEVENT" && current) {
      out.push(current);
      current = null;
    } else current?.push(line);
  }
  return out;
}

const prop = (event: string[], name: string) => event.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));

function expectValidCalendar(text: string) {
  expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
  expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  // CRLF everywhere: no bare LF, no bare CR.
  expect(text).not.toMatch(/[^\r]\n/);
  expect(text).not.toMatch(/\r[^\n]/);
  const lines = unfolded(text);
  expect(lines).toContain("METHOD:PUBLISH");
  expect(lines.find((l) => l.startsWith("PRODID:"))).toMatch(/^PRODID:-\/\/.+\/\/Mental Health Training Tracker\/\/EN$/);
  for (const e of events(text)) {
    expect(prop(e, "UID")).toMatch(/^UID:[\w-]+@localhost$/);
    expect(prop(e, "DTSTAMP")).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
  }
}

async function body(result: unknown): Promise<{ status: number; type: string | null; text: string }> {
  if (!(result instanceof Response)) throw new Error("expected a Response");
  return { status: result.status, type: result.headers.get("Content-Type"), text: await result.text() };
}

let program: Awaited<ReturnType<typeof makeProgram>>;
let school: Awaited<ReturnType<typeof makeSchool>>;

beforeAll(async () => {
  program = await makeProgram("ymhfa", "Log in to the national MHFA platform to renew.");
  school = await makeSchool();
});

describe("a session's .ics", () => {
  let member: Awaited<ReturnType<typeof signInMember>>;
  let session: Awaited<ReturnType<typeof makeSession>>;

  beforeAll(async () => {
    member = await signInMember();
    session = await makeSession({
      programId: program.id, schoolId: school.id, title: "Spring cohort", leadTrainerName: "Dana Whitfield", enroll: [member.person.id],
      days: [["2030-12-03T16:30:00Z", "2030-12-03T20:00:00Z"], ["2030-12-04T16:30:00Z", "2030-12-04T20:00:00Z"]],
    });
  });

  const load = (sessionId: string, cookie: string) =>
    sessionIcs.loader({ request: makeRequest(`/me/sessions/${sessionId}/ics`, { cookie }), params: { sessionId }, context: {} });

  it("has one event per session day, in UTC, with stable UIDs, as a text/calendar download", async () => {
    const res = await load(session.id, member.cookie);
    const { status, type, text } = await body(res);
    expect(status).toBe(200);
    expect(type).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="session-[\w-]+\.ics"$/);
    expectValidCalendar(text);
    const evs = events(text);
    expect(evs).toHaveLength(2);
    expect(evs.map((e) => prop(e, "UID"))).toEqual(session.days.map((_, i) => `UID:session-${session.id}-day-${i + 1}@localhost`));
    expect(evs.map((e) => prop(e, "DTSTART"))).toEqual(["DTSTART:20301203T163000Z", "DTSTART:20301204T163000Z"]);
    expect(evs.map((e) => prop(e, "DTEND"))).toEqual(["DTEND:20301203T200000Z", "DTEND:20301204T200000Z"]);
    expect(prop(evs[0], "SUMMARY")).toBe(`SUMMARY:${program.name}: Spring cohort (day 1 of 2)`);
    expect(prop(evs[0], "LOCATION")).toBe(`LOCATION:${school.name}`);
    expect(prop(evs[0], "DESCRIPTION")).toContain("Lead trainer: Dana Whitfield");
    // The same day keeps its UID on a second download, so calendars update rather than duplicate.
    const again = events((await body(await load(session.id, member.cookie))).text);
    expect(again.map((e) => prop(e, "UID"))).toEqual(evs.map((e) => prop(e, "UID")));
  });

  it("a session the member is not enrolled in is a 404, as is an unknown one", async () => {
    const stranger = await signInMember();
    expect((await call(() => load(session.id, stranger.cookie))).status).toBe(404);
    expect((await call(() => load("no-such-session", member.cookie))).status).toBe(404);
  });

  it("is for members only", async () => {
    const { cookie } = await signIn("COORDINATOR");
    expect((await call(() => load(session.id, cookie))).status).toBe(403);
  });
});

describe("a certificate's renewal .ics", () => {
  const load = (certificationId: string, cookie: string) =>
    certificateIcs.loader({ request: makeRequest(`/me/certificates/${certificationId}/ics`, { cookie }), params: { certificationId }, context: {} });

  it("has all-day events on the expiry date and the day the renewal window opens, saying how to renew", async () => {
    const member = await signInMember();
    const cert = await makeCertificate({ personId: member.person.id, programId: program.id, issuedOn: "2026-05-20", expiresOn: "2029-05-20" });
    const { status, text } = await body(await load(cert.id, member.cookie));
    expect(status).toBe(200);
    expectValidCalendar(text);
    const evs = events(text);
    expect(evs).toHaveLength(2);
    const [opens, expires] = evs;
    // 90 days before May 20, 2029 is Feb 19, 2029.
    expect(prop(opens, "DTSTART")).toBe("DTSTART;VALUE=DATE:20290219");
    expect(prop(opens, "DTEND")).toBe("DTEND;VALUE=DATE:20290220");
    expect(prop(opens, "UID")).toBe(`UID:certificate-${cert.id}-renewal-opens@localhost`);
    expect(prop(expires, "DTSTART")).toBe("DTSTART;VALUE=DATE:20290520");
    expect(prop(expires, "DTEND")).toBe("DTEND;VALUE=DATE:20290521");
    expect(prop(expires, "SUMMARY")).toBe(`SUMMARY:${program.name}: certificate expires`);
    const description = prop(expires, "DESCRIPTION") ?? "";
    expect(description).toContain("You can renew online between Feb 19\\, 2029 and May 19\\, 2029.");
    expect(description).toContain("Log in to the national MHFA platform to renew.");
    // Neither event blocks time in the member's calendar.
    for (const e of evs) expect(e).toContain("TRANSP:TRANSPARENT");
  });

  it("someone else's certificate, and a certificate that never expires, are 404s", async () => {
    const owner = await signInMember();
    const cert = await makeCertificate({ personId: owner.person.id, programId: program.id, issuedOn: "2026-01-10", expiresOn: "2029-01-10" });
    const other = await signInMember();
    expect((await call(() => load(cert.id, other.cookie))).status).toBe(404);
    const qpr = await makeProgram("qpr");
    const forever = await makeCertificate({ personId: owner.person.id, programId: qpr.id, issuedOn: "2026-01-10", expiresOn: null });
    expect((await call(() => load(forever.id, owner.cookie))).status).toBe(404);
  });
});

describe("the personal calendar feed", () => {
  let member: Awaited<ReturnType<typeof signInMember>>;
  let upcoming: Awaited<ReturnType<typeof makeSession>>;
  let past: Awaited<ReturnType<typeof makeSession>>;
  let current: Awaited<ReturnType<typeof makeCertificate>>;
  let renewed: Awaited<ReturnType<typeof makeCertificate>>;

  const post = (cookie: string, intent: string) =>
    call(() => mePage.action({ request: makeRequest("/me", { method: "POST", cookie, form: { intent } }), params: {}, context: {} }));
  const feed = (token: string) => call(() => feedRoute.loader({ request: makeRequest(`/calendar/${token}`), params: { token }, context: {} }));
  const feedText = async (token: string) => body(await feedRoute.loader({ request: makeRequest(`/calendar/${token}`), params: { token }, context: {} }));
  const tokenOf = async (userId: string) => (await prisma.user.findUniqueOrThrow({ where: { id: userId } })).calendarFeedToken;

  beforeAll(async () => {
    member = await signInMember();
    const start = `${isoFromToday(10)}T16:00:00Z`;
    upcoming = await makeSession({ programId: program.id, siteName: "District office", enroll: [member.person.id], days: [[start, `${isoFromToday(10)}T19:00:00Z`]] });
    past = await makeSession({ programId: program.id, siteName: "Old site", status: "CLOSED", enroll: [member.person.id], days: [[`${isoFromToday(-40)}T16:00:00Z`, `${isoFromToday(-40)}T19:00:00Z`]] });
    current = await makeCertificate({ personId: member.person.id, programId: program.id, issuedOn: isoFromToday(-300), expiresOn: isoFromToday(795) });
    const older = await makeCertificate({ personId: member.person.id, programId: program.id, issuedOn: isoFromToday(-1000), expiresOn: isoFromToday(60) });
    renewed = older;
    await prisma.certification.update({ where: { id: older.id }, data: { renewedById: current.id } });
  });

  it("is created from the member page, shown as a full address, and audited without the token", async () => {
    expect(await tokenOf(member.user.id)).toBeNull();
    const created = await post(member.cookie, "create-feed");
    expect(created.status).toBe(200);
    const token = await tokenOf(member.user.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await call(() => mePage.loader({ request: makeRequest("/me", { cookie: member.cookie }), params: {}, context: {} }));
    // Links name the app's public address, never the Host the request arrived with.
    const base = getEnv().PUBLIC_BASE_URL;
    expect(page.data).toMatchObject({ feed: { url: `${base}/calendar/${token}`, webcal: `${base.replace(/^https?:/, "webcal:")}/calendar/${token}` } });
    // Creating again (a double click) keeps the same address.
    await post(member.cookie, "create-feed");
    expect(await tokenOf(member.user.id)).toBe(token);
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "User", entityId: member.user.id } });
    expect(audit.map((a) => a.action)).toEqual(["calendarFeed.create"]);
    expect(audit[0].actorId).toBe(member.user.id);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("a double click that arrives at once (perhaps at two app instances) still makes one address, audited once", async () => {
    const other = await signInMember();
    const tokens = await Promise.all(Array.from({ length: 4 }, () => createOrReplaceCalendarFeed(other.user.id, { replace: false })));
    const stored = await tokenOf(other.user.id);
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens).toEqual([stored, stored, stored, stored]);
    const audit = await prisma.auditEvent.findMany({ where: { entityType: "User", entityId: other.user.id } });
    expect(audit.map((a) => a.action)).toEqual(["calendarFeed.create"]);
  });

  it("lists upcoming session days and the renewal dates of the current certificate, without sign-in", async () => {
    const token = (await tokenOf(member.user.id)) ?? "";
    const { status, type, text } = await feedText(token);
    expect(status).toBe(200);
    expect(type).toBe("text/calendar; charset=utf-8");
    expectValidCalendar(text);
    const uids = events(text).map((e) => prop(e, "UID"));
    expect(uids).toContain(`UID:session-${upcoming.id}-day-1@localhost`);
    expect(uids).not.toContain(`UID:session-${past.id}-day-1@localhost`);
    expect(uids).toContain(`UID:certificate-${current.id}-expires@localhost`);
    expect(uids).toContain(`UID:certificate-${current.id}-renewal-opens@localhost`);
    expect(uids.some((u) => u?.includes(renewed.id))).toBe(false);
    const sessionEvent = events(text).find((e) => prop(e, "UID") === `UID:session-${upcoming.id}-day-1@localhost`) ?? [];
    expect(prop(sessionEvent, "DTSTART")).toBe(`DTSTART:${compact(isoFromToday(10))}T160000Z`);
    const expiry = events(text).find((e) => prop(e, "UID") === `UID:certificate-${current.id}-expires@localhost`) ?? [];
    expect(prop(expiry, "DTSTART")).toBe(`DTSTART;VALUE=DATE:${compact(isoFromToday(795))}`);
    expect(unfolded(text)).toContain("X-WR-CALNAME:My trainings");
  });

  it("replacing the address makes the old one a 404; turning it off makes the new one a 404", async () => {
    const old = (await tokenOf(member.user.id)) ?? "";
    expect((await post(member.cookie, "replace-feed")).status).toBe(200);
    const replaced = (await tokenOf(member.user.id)) ?? "";
    expect(replaced).not.toBe(old);
    expect((await feed(old)).status).toBe(404);
    expect((await feed(replaced)).status).toBe(200);
    await post(member.cookie, "turn-off-feed");
    expect(await tokenOf(member.user.id)).toBeNull();
    expect((await feed(replaced)).status).toBe(404);
    const actions = (await prisma.auditEvent.findMany({ where: { entityType: "User", entityId: member.user.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["calendarFeed.create", "calendarFeed.replace", "calendarFeed.revoke"]);
  });

  it("an unknown or malformed token is a 404", async () => {
    expect((await feed("A".repeat(43))).status).toBe(404);
    expect((await feed("short")).status).toBe(404);
    expect((await feed("")).status).toBe(404);
  });

  it("an unknown intent changes nothing and says what is wrong", async () => {
    const res = await post(member.cookie, "delete-everything");
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ error: expect.stringMatching(/calendar feed/) });
  });
});
