/**
 * The coordinator's monthly digest: the opt-in on their home (coordinators only, audited), what the digest says
 * (certified in the month at their schools only, students as counts, who expires next, reach against goal),
 * who gets none, exactly one per coordinator and month however many passes run at once, and a retry after the
 * mail server refused it. Through a real SMTP server (tests/integration/smtp-helpers.ts).
 *
 * The figures live in March 2031 (school year 2030-31) at schools made here, far from other files' data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { createPerson, createProgram, createSchool, issueCertification } from "../../prisma/seed/factories";
import { runDigestPass } from "~/models/coordinator-digest.server";
import type { MailTransport } from "~/models/mail.server";
import type { Role } from "~/generated/prisma/client";
import * as coordinatorHome from "~/routes/coordinator._index";

const day = (s: string) => new Date(`${s}T00:00:00Z`);
const MARCH = day("2031-03-01");
/** Noon UTC on April 2: the district's (Los Angeles) April 2 as well. */
const SENT_AT = new Date("2031-04-02T12:00:00Z");
const YEAR = 2030;
const quiet = () => {};

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
type TestSchool = { id: string; name: string; code: string };
let schools: { mine: TestSchool; alsoMine: TestSchool; elsewhere: TestSchool };
const names: Record<string, string> = {};

function pass(opts: { transport?: MailTransport; now?: Date; month?: Date | null } = {}) {
  return runDigestPass({ now: opts.now ?? SENT_AT, month: opts.month === null ? undefined : (opts.month ?? MARCH), transport: opts.transport ?? smtp.transport, log: quiet });
}

async function coordinator(schoolIds: string[] = [schools.mine.id, schools.alsoMine.id]) {
  return signIn("COORDINATOR", { schoolIds });
}

function optIn(cookie: string, digest: string) {
  return call(() => coordinatorHome.action({ request: makeRequest("/coordinator", { method: "POST", cookie, form: { digest } }), params: {}, context: {} }));
}

function digestRow(userId: string, month = MARCH) {
  return prisma.coordinatorDigest.findUnique({ where: { userId_month: { userId, month } } });
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  const ymhfa = (await prisma.program.findUnique({ where: { code: "YMHFA" } })) ?? (await createProgram(prisma, { preset: "YMHFA", code: "YMHFA", name: "Youth Mental Health First Aid" }));
  const qpr = await createProgram(prisma, { preset: "QPR" });
  const u = unique("dg");
  schools = {
    mine: await createSchool(prisma, { name: `Digest Lincoln ${u}` }),
    alsoMine: await createSchool(prisma, { name: `Digest Adams ${u}` }),
    elsewhere: await createSchool(prisma, { name: `Digest Elsewhere ${u}` }),
  };
  await prisma.headcount.create({ data: { schoolId: schools.mine.id, schoolYear: YEAR, staffCount: 8, studentCount: 100 } });

  const person = async (key: string, kind: "STAFF" | "STUDENT" | "COMMUNITY", at: string[]) => {
    const p = await createPerson(prisma, { kind, firstName: key, lastName: `Digest${u}`, affiliations: at.map((schoolId) => ({ schoolId, schoolYear: YEAR })) });
    names[key] = `${key} Digest${u}`;
    return p.id;
  };
  const certify = (personId: string, programId: string, issuedOn: string, expiresOn?: string | null, renews?: string) =>
    issueCertification(prisma, { personId, programId, issuedOn: day(issuedOn), expiresOn: expiresOn === undefined ? undefined : expiresOn === null ? null : day(expiresOn), renews });

  // Certified in March at their schools.
  await certify(await person("Ana", "STAFF", [schools.mine.id]), ymhfa.id, "2031-03-10");
  await certify(await person("Ben", "COMMUNITY", [schools.mine.id, schools.alsoMine.id]), qpr.id, "2031-03-20");
  await certify(await person("Sam", "STUDENT", [schools.mine.id]), qpr.id, "2031-03-05");
  await certify(await person("Sky", "STUDENT", [schools.alsoMine.id]), qpr.id, "2031-03-06");
  const renewed = await person("Rene", "STAFF", [schools.mine.id]);
  const old = await certify(renewed, ymhfa.id, "2028-05-01", "2031-05-01");
  await certify(renewed, ymhfa.id, "2031-03-25", undefined, old.id);
  // Not in the digest's March list: another month, revoked, another school, last school year.
  await certify(await person("Feb", "STAFF", [schools.mine.id]), ymhfa.id, "2031-02-27");
  await certify(await person("Apr", "STAFF", [schools.mine.id]), ymhfa.id, "2031-04-01");
  const revoked = await certify(await person("Rev", "STAFF", [schools.mine.id]), ymhfa.id, "2031-03-15");
  await prisma.certification.update({ where: { id: revoked.id }, data: { revokedAt: day("2031-03-16"), revokedReason: "issued in error" } });
  await certify(await person("Away", "STAFF", [schools.elsewhere.id]), ymhfa.id, "2031-03-12");
  const lastYear = await createPerson(prisma, { firstName: "Gone", lastName: `Digest${u}`, affiliations: [{ schoolId: schools.mine.id, schoolYear: YEAR - 1 }] });
  names.Gone = `Gone Digest${u}`;
  await certify(lastYear.id, ymhfa.id, "2031-03-11");
  // Expiring within 90 days of March 31 (not renewed, not revoked).
  await certify(await person("Exp", "STAFF", [schools.mine.id]), ymhfa.id, "2028-05-20", "2031-05-20");
  await certify(await person("Later", "STAFF", [schools.mine.id]), ymhfa.id, "2028-06-20", "2031-06-20");

  // Staff at Lincoln holding a current YMHFA certificate on March 31: Ana, Rene (renewed), Feb, Exp, Later = 5 of 8.
  await prisma.goal.create({
    data: { scope: "SCHOOL", schoolId: schools.mine.id, programId: ymhfa.id, measure: "STAFF_REACH", target: 80, startsOn: day("2030-07-01"), deadline: day("2031-06-30") },
  });
  await prisma.goal.create({
    data: { scope: "SCHOOL", schoolId: schools.elsewhere.id, programId: qpr.id, measure: "PEOPLE_TRAINED", target: 999, startsOn: day("2030-07-01"), deadline: day("2031-06-30") },
  });
}, 60_000);

afterAll(async () => {
  await smtp?.close();
});

// Every test chooses who is opted in: nobody else in this worker's database gets a digest.
beforeEach(async () => {
  await prisma.user.updateMany({ where: { monthlyDigest: true }, data: { monthlyDigest: false } });
  smtp.options.delayMs = 0;
});

describe("the opt-in on the coordinator's home", () => {
  it("turns the digest on and off, once each, in the audit trail in plain words", async () => {
    const { user, cookie } = await coordinator();
    const home = async () => {
      const res = await call(() => coordinatorHome.loader({ request: makeRequest("/coordinator", { cookie }), params: {}, context: {} }));
      expect(res.status).toBe(200);
      return res.data;
    };
    expect(await home()).toMatchObject({ digest: { on: false, address: user.email } });

    expect(await optIn(cookie, "on")).toMatchObject({ status: 200, data: { notice: "The monthly digest is on." } });
    expect(await home()).toMatchObject({ digest: { on: true } });
    await optIn(cookie, "on"); // a second click changes nothing
    expect(await optIn(cookie, "off")).toMatchObject({ status: 200, data: { notice: "The monthly digest is off." } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyDigest).toBe(false);

    const events = await prisma.auditEvent.findMany({ where: { entityType: "User", entityId: user.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([["user.digest-on", user.id], ["user.digest-off", user.id]]);
  });

  it("refuses a value other than on or off, naming the field, and changes nothing", async () => {
    const { user, cookie } = await coordinator();
    const res = await optIn(cookie, "maybe");
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ error: "Monthly digest must be on or off" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyDigest).toBe(false);
  });

  it.each<Role>(["ADMIN", "PROGRAM_LEAD", "TRAINER", "MEMBER"])("answers 403 to a %s and changes nothing", async (role) => {
    const { user, cookie } = await signIn(role);
    expect((await optIn(cookie, "on")).status).toBe(403);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).monthlyDigest).toBe(false);
    expect(await prisma.auditEvent.count({ where: { entityId: user.id, action: "user.digest-on" } })).toBe(0);
  });
});

describe("the digest", () => {
  it("says who at their schools became certified in the month (students as counts), who expires next, and reach against goal", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    const summary = await pass();
    expect(summary).toMatchObject({ month: "2031-03", created: 1, sent: 1, skippedNoEmail: 0, skippedTurnedOff: 0, failed: 0 });
    const mails = smtp.to(user.email);
    expect(mails).toHaveLength(1);
    const mail = await parseMail(mails[0].raw);
    const text = mail.text ?? "";
    expect(mail.subject).toBe("Your schools in March 2031: 5 newly certified, 2 expiring in the next 90 days");
    expect(text).toContain("YMHFA staff reach on Mar 31, 2031");
    expect(text).toContain(`- ${schools.mine.name} (${schools.mine.code}): 62.5% (5 / 8)`);
    expect(text).toContain(`- ${schools.alsoMine.name} (${schools.alsoMine.code}): no headcount (0 / —)`);
    expect(text).toContain(`- ${schools.mine.name}: Youth Mental Health First Aid, 80.0% staff reach by Jun 30, 2031. Now 62.5%. On track.`);
    expect(text).not.toContain("999 people trained");

    const certifiedPart = text.slice(text.indexOf("Became certified in March 2031"), text.indexOf("Expiring in the next 90 days"));
    expect(certifiedPart.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      `- ${names.Ana} — Youth Mental Health First Aid, Mar 10, 2031 — ${schools.mine.name}`,
      expect.stringMatching(new RegExp(`^- ${names.Ben} — QPR Gatekeeper.*, Mar 20, 2031 — `)),
      `- ${names.Rene} — Youth Mental Health First Aid (renewal), Mar 25, 2031 — ${schools.mine.name}`,
    ]);
    expect(certifiedPart).toContain(schools.alsoMine.name);
    expect(certifiedPart).toContain(`2 students became certified (${schools.alsoMine.name}: 1; ${schools.mine.name}: 1). Student names are not sent by email.`);
    for (const key of ["Sam", "Sky", "Feb", "Apr", "Rev", "Away", "Gone"]) expect(text, key).not.toContain(names[key]);

    const expiringPart = text.slice(text.indexOf("Expiring in the next 90 days"));
    expect(expiringPart.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      `- ${names.Exp} — Youth Mental Health First Aid, expires May 20, 2031 — ${schools.mine.name}`,
      `- ${names.Later} — Youth Mental Health First Aid, expires Jun 20, 2031 — ${schools.mine.name}`,
    ]);
    expect(text).toContain("Open your schools' page: http");
    expect(mail.html || "").toContain("/coordinator\"");

    expect(await digestRow(user.id)).toMatchObject({ status: "SENT", channel: "smtp", attempts: 0, sentAt: SENT_AT });
  });

  it("is in Spanish for a coordinator whose person's language is Spanish", async () => {
    const person = await createPerson(prisma, { firstName: "Carla", language: "es" });
    const { user, cookie } = await signIn("COORDINATOR", { schoolIds: [schools.mine.id], personId: person.id });
    await optIn(cookie, "on");
    await pass();
    const mail = await parseMail(smtp.to(user.email)[0].raw);
    expect(mail.subject).toBe("Sus escuelas en marzo de 2031: 4 nuevas certificaciones, 2 por vencer en los próximos 90 días");
  });

  it("goes to the outbox when there is no mail server, once", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    await pass({ transport: { channel: "outbox" } });
    await pass({ transport: { channel: "outbox" } });
    const kept = await prisma.outboxMessage.findMany({ where: { toAddress: user.email } });
    expect(kept.map((m) => m.subject)).toEqual(["Your schools in March 2031: 5 newly certified, 2 expiring in the next 90 days"]);
    expect(await digestRow(user.id)).toMatchObject({ status: "SENT", channel: "outbox" });
  });
});

describe("who gets one, and how many", () => {
  it("sends none to a coordinator who never opted in or turned it off, nor to one with no address", async () => {
    const never = await coordinator();
    const off = await coordinator();
    await optIn(off.cookie, "on");
    await optIn(off.cookie, "off");
    const noAddress = await coordinator();
    await optIn(noAddress.cookie, "on");
    await prisma.user.update({ where: { id: noAddress.user.id }, data: { email: null } });

    const summary = await pass();
    expect(summary).toMatchObject({ created: 1, sent: 0, skippedNoEmail: 1, failed: 0 });
    expect(smtp.to(never.user.email)).toHaveLength(0);
    expect(smtp.to(off.user.email)).toHaveLength(0);
    expect(smtp.to(noAddress.user.email)).toHaveLength(0);
    expect(await digestRow(never.user.id)).toBeNull();
    expect(await digestRow(off.user.id)).toBeNull();
    expect(await digestRow(noAddress.user.id)).toMatchObject({ status: "SKIPPED", channel: "none", lastError: "No email address" });
  });

  it("skips a digest planned before its coordinator turned it off", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    // Planned, then refused by the mail server; then the coordinator turns it off before the retry.
    smtp.reject(user.email);
    expect(await pass()).toMatchObject({ created: 1, failed: 1 });
    smtp.accept(user.email);
    await optIn(cookie, "off");
    expect(await pass()).toMatchObject({ created: 0, sent: 0, skippedTurnedOff: 1 });
    expect(smtp.to(user.email)).toHaveLength(0);
    expect(await digestRow(user.id)).toMatchObject({ status: "SKIPPED" });
  });

  it("sends exactly one when two passes run at once, and none on the next pass", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    smtp.options.delayMs = 300; // the first send is still in flight while the second pass looks
    const [a, b] = await Promise.all([pass(), pass()]);
    expect(a.created + b.created).toBe(1);
    expect(a.sent + b.sent).toBe(1);
    expect(a.failed + b.failed).toBe(0);
    expect(await pass()).toMatchObject({ created: 0, sent: 0 });
    expect(smtp.to(user.email)).toHaveLength(1);
    expect(await prisma.coordinatorDigest.count({ where: { userId: user.id } })).toBe(1);
  });

  it("takes over a digest whose pass died after claiming it, once the claim is 15 minutes old, and not before", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    await prisma.coordinatorDigest.create({ data: { userId: user.id, month: MARCH, status: "SENDING", claimedAt: new Date(SENT_AT.getTime() - 5 * 60_000) } });
    expect(await pass()).toMatchObject({ created: 0, sent: 0 });
    expect(smtp.to(user.email)).toHaveLength(0);
    await prisma.coordinatorDigest.update({ where: { userId_month: { userId: user.id, month: MARCH } }, data: { claimedAt: new Date(SENT_AT.getTime() - 16 * 60_000) } });
    expect(await pass()).toMatchObject({ created: 0, sent: 1 });
    expect(smtp.to(user.email)).toHaveLength(1);
    expect(await digestRow(user.id)).toMatchObject({ status: "SENT" });
  });

  it("retries a digest the mail server refused on the next pass, and sends it once", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    smtp.reject(user.email);
    expect(await pass()).toMatchObject({ created: 1, sent: 0, failed: 1 });
    const failed = await digestRow(user.id);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed?.lastError).toMatch(/Mailbox unavailable/);
    smtp.accept(user.email);
    expect(await pass()).toMatchObject({ created: 0, sent: 1, failed: 0 });
    expect(smtp.to(user.email)).toHaveLength(1);
    expect(await digestRow(user.id)).toMatchObject({ status: "SENT", attempts: 1 });
  });

  it("the scheduled pass sends the previous month's in the first days of a month, and does nothing later in it", async () => {
    const { user, cookie } = await coordinator();
    await optIn(cookie, "on");
    expect(await pass({ month: null, now: new Date("2031-04-15T12:00:00Z") })).toMatchObject({ month: null, created: 0, sent: 0 });
    // April 1 in UTC is still March 31 in Los Angeles: the district's day decides.
    expect(await pass({ month: null, now: new Date("2031-04-01T03:00:00Z") })).toMatchObject({ month: null, created: 0 });
    expect(await pass({ month: null, now: new Date("2031-04-02T12:00:00Z") })).toMatchObject({ month: "2031-03", created: 1, sent: 1 });
    expect(smtp.to(user.email)).toHaveLength(1);
    expect((await parseMail(smtp.to(user.email)[0].raw)).subject).toMatch(/^Your schools in March 2031:/);
  });
});
