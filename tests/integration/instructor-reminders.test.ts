import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, unique } from "./helpers";
import { createUser } from "./session-helpers";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { runInstructorReminderPass, listInstructorRemindersForPerson } from "~/models/instructor-reminders.server";
import { addDays } from "~/domain/program-rules";

// Each test works in its own years, far from other files' dates, and asserts only on its own people.

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

const day = (s: string) => new Date(`${s}T00:00:00Z`);
/** Noon UTC is the same calendar day in the district's time zone (America/Los_Angeles). */
const noon = (d: Date) => new Date(d.getTime() + 12 * 3600_000);
const quiet = () => {};

function makeProgram(coursesPerYear: number | null = 3) {
  return prisma.program.create({
    data: { code: unique("YI"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, instructorCoursesPerYear: coursesPerYear },
  });
}

/** A trainer: a person (with an email unless told) and their linked account. */
async function makeInstructor(opts: { email?: string | null; optedOut?: boolean; firstName?: string } = {}) {
  const person = await prisma.person.create({
    data: {
      firstName: opts.firstName ?? "Terry", lastName: unique("Trainer"), kind: "STAFF",
      email: opts.email === undefined ? `${unique("ti")}@partner.example` : opts.email,
      remindersOptOutAt: opts.optedOut ? day("2030-01-01") : null,
    },
  });
  const user = await createUser("TRAINER", { personId: person.id });
  return { person, user };
}

function certify(personId: string, programId: string, issuedOn: string, expiresOn: string | null) {
  return prisma.instructorCertification.create({
    data: { personId, programId, issuedOn: day(issuedOn), expiresOn: expiresOn ? day(expiresOn) : null, source: "MHFA USA instructor training" },
  });
}

/** A closed course the user led on the day (its only day). */
function taught(userId: string, programId: string, on: string, status: "CLOSED" | "SCHEDULED" = "CLOSED") {
  return prisma.trainingSession.create({
    data: {
      programId, format: "IN_PERSON", audience: "STAFF", siteName: "District office", status,
      days: { create: [{ startsAt: new Date(`${on}T16:00:00Z`), endsAt: new Date(`${on}T22:00:00Z`) }] },
      trainers: { create: [{ userId, role: "LEAD" }] },
    },
  });
}

const rowsOf = (instructorCertificationId: string) =>
  prisma.instructorReminderDelivery.findMany({ where: { instructorCertificationId }, orderBy: { daysBefore: "desc" } });

describe("reminders to instructors short of the courses-a-year rule", () => {
  it("emails 90 and 30 days before the certification year ends, once each, saying how many of how many by when; not those who met it, or whose certification lapsed", async () => {
    const program = await makeProgram(3);
    const terry = await makeInstructor({ firstName: "Terry" });
    const pat = await makeInstructor({ firstName: "Pat" });
    const old = await makeInstructor({ firstName: "Olga" });
    // Certification years run Jul 1 to Jun 30 (issued Jul 1, 2030): the year in view ends Jul 1, 2032.
    const terryCert = await certify(terry.person.id, program.id, "2030-07-01", "2033-07-01");
    const patCert = await certify(pat.person.id, program.id, "2030-07-01", "2033-07-01");
    const oldCert = await certify(old.person.id, program.id, "2028-07-01", "2031-07-01");
    await taught(terry.user.id, program.id, "2031-09-10");
    await taught(terry.user.id, program.id, "2031-05-10"); // the year before: does not count
    await taught(terry.user.id, program.id, "2031-10-10", "SCHEDULED"); // not closed: does not count
    for (const on of ["2031-08-01", "2031-10-01", "2032-01-15"]) await taught(pat.user.id, program.id, on);

    const mailedOn: string[] = [];
    for (const on of ["2032-04-01", "2032-04-02", "2032-04-03", "2032-05-15", "2032-06-01", "2032-06-02", "2032-06-30"]) {
      const before = smtp.to(terry.person.email!).length;
      const summary = await runInstructorReminderPass({ now: noon(day(on)), transport: smtp.transport, log: quiet });
      expect(summary.failed).toBe(0);
      if (smtp.to(terry.person.email!).length > before) mailedOn.push(on);
    }
    expect(mailedOn).toEqual(["2032-04-02", "2032-06-01"]);
    expect(smtp.to(pat.person.email!)).toHaveLength(0);
    expect(smtp.to(old.person.email!)).toHaveLength(0);
    expect(await rowsOf(patCert.id)).toEqual([]);
    expect(await rowsOf(oldCert.id)).toEqual([]);

    const rows = await rowsOf(terryCert.id);
    expect(rows.map((r) => [r.daysBefore, r.status, r.channel, r.yearEndsOn.toISOString().slice(0, 10), r.dueOn.toISOString().slice(0, 10)])).toEqual([
      [90, "SENT", "smtp", "2032-07-01", "2032-04-02"],
      [30, "SENT", "smtp", "2032-07-01", "2032-06-01"],
    ]);
    const [first] = smtp.to(terry.person.email!);
    const mail = await parseMail(first.raw);
    expect(mail.subject).toBe(`2 more ${program.code} courses to teach by Jun 30, 2032`);
    expect(mail.text).toContain(`You have taught 1 of the 3 ${program.code} courses needed by Jun 30, 2032.`);
    // The same unsubscribe link (and switch) as renewal reminders, with the one-click header.
    const unsubscribeUrl = /http:\/\/localhost:3000\/reminders\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
    expect(unsubscribeUrl).toBeDefined();
    expect(mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line.replace(/\r?\n[ \t]+/g, " ")).toBe(`List-Unsubscribe: <${unsubscribeUrl}>`);

    // An administrator sees them on the person's page, as renewal reminders are.
    expect((await listInstructorRemindersForPerson(terry.person.id)).map((r) => [r.programName, r.daysBefore, r.status, r.yearLastDay.toISOString().slice(0, 10)]))
      .toEqual([[program.name, 30, "SENT", "2032-06-30"], [program.name, 90, "SENT", "2032-06-30"]]);
  });

  it("records without an email those who unsubscribed or have no address; a program without the rule reminds no one", async () => {
    const program = await makeProgram(3);
    const noRule = await makeProgram(null);
    const uma = await makeInstructor({ optedOut: true });
    const noah = await makeInstructor({ email: null });
    const rita = await makeInstructor();
    const umaCert = await certify(uma.person.id, program.id, "2033-02-01", null);
    const noahCert = await certify(noah.person.id, program.id, "2033-02-01", "2036-02-01");
    const ritaCert = await certify(rita.person.id, noRule.id, "2033-02-01", "2036-02-01");
    // The year ends Feb 1, 2035: the 90-day reminder is due Nov 3, 2034.
    const summary = await runInstructorReminderPass({ now: noon(day("2034-11-03")), transport: smtp.transport, log: quiet });
    expect(summary.withoutEmail).toBeGreaterThanOrEqual(2);
    for (const cert of [umaCert, noahCert]) {
      expect((await rowsOf(cert.id)).map((r) => [r.daysBefore, r.status, r.channel])).toEqual([[90, "SENT", "none"]]);
    }
    expect(smtp.to(uma.person.email!)).toHaveLength(0);
    expect(await rowsOf(ritaCert.id)).toEqual([]);
    expect(smtp.to(rita.person.email!)).toHaveLength(0);
  });

  it("a reminder planned for someone who then taught enough is skipped, not sent; one found late is sent only within 14 days", async () => {
    const program = await makeProgram(1);
    const kim = await makeInstructor();
    const lee = await makeInstructor();
    const kimCert = await certify(kim.person.id, program.id, "2036-03-01", null);
    const leeCert = await certify(lee.person.id, program.id, "2036-04-01", null);
    // Kim's 90-day reminder (year ends Mar 1, 2038) was planned; then Kim taught the one course the rule asks.
    await prisma.instructorReminderDelivery.create({
      data: { instructorCertificationId: kimCert.id, yearEndsOn: day("2038-03-01"), daysBefore: 90, dueOn: addDays(day("2038-03-01"), -90) },
    });
    await taught(kim.user.id, program.id, "2037-11-20");
    await runInstructorReminderPass({ now: noon(addDays(day("2038-03-01"), -88)), transport: smtp.transport, log: quiet });
    expect((await rowsOf(kimCert.id)).map((r) => r.status)).toEqual(["SKIPPED"]);
    expect(smtp.to(kim.person.email!)).toHaveLength(0);
    // Lee is first seen 20 days after the 90-day reminder was due: too late for it, and the 30-day one is not yet due.
    const on = addDays(addDays(day("2038-04-01"), -90), 20);
    await runInstructorReminderPass({ now: noon(on), transport: smtp.transport, log: quiet });
    expect((await rowsOf(leeCert.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SKIPPED"]]);
    expect(smtp.to(lee.person.email!)).toHaveLength(0);
  });

  it("two passes at once send each reminder exactly once", async () => {
    const program = await makeProgram(3);
    const people = await Promise.all(Array.from({ length: 4 }, () => makeInstructor()));
    const certs = await Promise.all(people.map((p) => certify(p.person.id, program.id, "2039-05-01", null)));
    smtp.options.delayMs = 100; // the sends overlap
    try {
      const now = noon(addDays(day("2041-05-01"), -30));
      const [a, b] = await Promise.all([
        runInstructorReminderPass({ now, transport: smtp.transport, log: quiet }),
        runInstructorReminderPass({ now, transport: smtp.transport, log: quiet }),
      ]);
      expect(a.failed + b.failed).toBe(0);
      for (const p of people) expect(smtp.to(p.person.email!)).toHaveLength(1);
      for (const c of certs) expect((await rowsOf(c.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SKIPPED"], [30, "SENT"]]);
      // And again later the same day: nothing more.
      await runInstructorReminderPass({ now, transport: smtp.transport, log: quiet });
      for (const p of people) expect(smtp.to(p.person.email!)).toHaveLength(1);
    } finally {
      smtp.options.delayMs = 0;
    }
  });

  it("writes to the outbox when there is no SMTP server", async () => {
    const program = await makeProgram(3);
    const ivy = await makeInstructor();
    const cert = await certify(ivy.person.id, program.id, "2042-01-10", null);
    await runInstructorReminderPass({ now: noon(addDays(day("2044-01-10"), -90)), transport: { channel: "outbox" }, log: quiet });
    const messages = await prisma.outboxMessage.findMany({ where: { toAddress: ivy.person.email! } });
    expect(messages.map((m) => m.subject)).toEqual([`3 more ${program.code} courses to teach by Jan 9, 2044`]);
    expect((await rowsOf(cert.id)).map((r) => [r.status, r.channel])).toEqual([["SENT", "outbox"]]);
  });
});
