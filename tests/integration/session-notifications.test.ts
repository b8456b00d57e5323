/**
 * Emails to enrolled people when they are enrolled, when their session changes and when it is
 * cancelled, through a real SMTP server started by the test: each with a calendar invitation that
 * updates the same event (same UID, higher SEQUENCE). The mail is written in the change's own
 * transaction, so a change that fails or rolls back sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import * as outboxMessageRoute from "~/routes/admin.outbox.$messageId";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { createPerson, createProgram, createSchool, createUser } from "../../prisma/seed/factories";
import { SessionFormSchema } from "~/forms/session";
import { cancelSession, createSession, SessionInputError, updateSession } from "~/models/training-session.server";
import { enrollPeople, recordAttendance, removeEnrollment, RosterError } from "~/models/enrollment.server";
import { sessionCalendarForPerson } from "~/models/calendar.server";
import { addToRoster } from "~/models/roster.server";
import { relaySessionMail } from "~/models/session-mail.server";
import { getEnv } from "~/env.server";

const ZONE = "America/Los_Angeles";
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let school: { id: string; name: string };
let otherSchool: { id: string; name: string };
let program: { id: string; name: string };
let trainer: { id: string; role: string };

beforeAll(async () => {
  smtp = await startSmtpServer();
  school = await createSchool(prisma);
  otherSchool = await createSchool(prisma);
  program = await createProgram(prisma, { preset: "YMHFA", hours: 6.5 });
  const user = await createUser(prisma, "TRAINER");
  trainer = { id: user.id, role: "TRAINER" };
});

afterAll(async () => {
  await smtp.close();
});

/** Lines of an iCalendar text, long lines unfolded (RFC 5545: CRLF followed by a space). */
function unfolded(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, "").split("\r\n");
}

type Ics = { method: string | undefined; events: Array<Map<string, string>> };

/** A small RFC 5545 reader: the calendar's METHOD and each VEVENT's properties (name without parameters → value). */
function parseIcs(text: string): Ics {
  expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
  expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  expect(text).not.toMatch(/[^\r]\n/);
  const lines = unfolded(text);
  const events: Array<Map<string, string>> = [];
  let current: Map<string, string> | null = null;
  let method: string | undefined;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = new Map();
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = null;
    } else {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).split(";")[0];
      const value = line.slice(colon + 1);
      if (current) {
        // Several ATTENDEE lines would overwrite; one attendee per invitation here.
        current.set(name, name === "ORGANIZER" || name === "ATTENDEE" ? line : value);
      } else if (name === "METHOD") method = value;
    }
  }
  return { method, events };
}

/** The calendar parts of a mail (the invitation part and any attached file), parsed. */
function calendars(mail: ParsedMail): Ics[] {
  const seen = new Set<string>();
  const out: Ics[] = [];
  for (const a of mail.attachments) {
    if (!a.contentType.startsWith("text/calendar")) continue;
    const text = a.content.toString("utf8");
    if (seen.has(text)) continue; // the same invitation as alternative and as file
    seen.add(text);
    out.push(parseIcs(text));
  }
  return out;
}

const uniqueEmail = (name: string) => `${name}.${unique("m")}@staff.example.org`;

function form(values: Record<string, string>) {
  const parsed = SessionFormSchema.safeParse({
    programId: program.id, format: "IN_PERSON", audience: "MIXED", schoolId: school.id, title: "Spring cohort", capacity: "20", ...values,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

/** A session in the future, made the way the session form makes it. */
async function newSession(values: Record<string, string> = {}) {
  return createSession(form({ day0Date: "2030-03-12", day0Start: "09:00", day0End: "15:30", ...values }), trainer, ZONE);
}

async function mailsTo(email: string): Promise<ParsedMail[]> {
  return Promise.all(smtp.to(email).map((m) => parseMail(m.raw)));
}

describe("session notifications over SMTP", () => {
  const ana = { firstName: "Ana", lastName: "Ibarra", email: uniqueEmail("ana") };
  let session: { id: string };
  let anaId: string;
  let firstUid: string;
  let firstSequence: number;

  beforeAll(async () => {
    session = await newSession();
    const person = await createPerson(prisma, { ...ana, kind: "STAFF" });
    anaId = person.id;
  });

  it("enrolling sends one mail with a REQUEST invitation for the session's day", async () => {
    const result = await enrollPeople(session.id, [anaId], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: smtp.transport });
    expect(result.added).toBe(1);
    const mails = await mailsTo(ana.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.subject).toBe(`You are enrolled: ${program.name}: Spring cohort`);
    expect(mail.text).toContain("Hello Ana");
    // In the district's zone: 09:00 Pacific on 12 March 2030 (daylight time).
    expect(mail.text).toContain("Tue, Mar 12, 2030, 9:00 AM – 3:30 PM PDT");
    expect(mail.text).toContain(`${getEnv().PUBLIC_BASE_URL}/login/email?redirectTo=%2Fme%23sessions`);
    const [ics, ...others] = calendars(mail);
    expect(others).toHaveLength(0);
    expect(ics.method).toBe("REQUEST");
    expect(ics.events).toHaveLength(1);
    const event = ics.events[0];
    firstUid = event.get("UID") ?? "";
    expect(firstUid).toBe(`session-${session.id}-day-1@${new URL(getEnv().PUBLIC_BASE_URL).hostname}`);
    firstSequence = Number(event.get("SEQUENCE"));
    expect(firstSequence).toBeGreaterThan(0);
    expect(event.get("DTSTART")).toBe("20300312T160000Z");
    expect(event.get("DTEND")).toBe("20300312T223000Z");
    expect(event.get("STATUS")).toBe("CONFIRMED");
    expect(event.get("SUMMARY")).toBe(`${program.name}: Spring cohort`);
    expect(event.get("LOCATION")).toBe(school.name);
    expect(event.get("ORGANIZER")).toMatch(/mailto:no-reply@district\.example$/i);
    expect(event.get("ATTENDEE")).toContain(`mailto:${ana.email}`);
    // Sent, so nothing is left waiting, and no copy goes to the outbox.
    expect(await prisma.sessionMail.findMany({ where: { toAddress: ana.email }, select: { status: true, channel: true, attempts: true } }))
      .toEqual([{ status: "SENT", channel: "smtp", attempts: 1 }]);
    expect(await prisma.outboxMessage.count({ where: { toAddress: ana.email } })).toBe(0);
  });

  it("the .ics download of the same session is the same event (same UID and SEQUENCE), so nobody sees it twice", async () => {
    const host = new URL(getEnv().PUBLIC_BASE_URL).hostname;
    const text = await sessionCalendarForPerson(session.id, anaId, { districtName: "Test District", host });
    expect(text).not.toBeNull();
    const unfolded = (text ?? "").replace(/\r\n[ \t]/g, "");
    expect(unfolded).toContain(`\r\nUID:${firstUid}\r\n`);
    expect(unfolded).toContain(`\r\nSEQUENCE:${firstSequence}\r\n`);
  });

  it("enrolling again (a retried request) sends nothing more", async () => {
    const again = await enrollPeople(session.id, [anaId], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: smtp.transport });
    expect(again.added).toBe(0);
    expect(smtp.to(ana.email)).toHaveLength(1);
  });

  it("changing the day sends one mail naming the old and new time, with the same UID and a higher SEQUENCE", async () => {
    await updateSession(session.id, form({ day0Date: "2030-03-14", day0Start: "13:00", day0End: "16:00" }), trainer, ZONE, { mail: smtp.transport });
    const mails = await mailsTo(ana.email);
    expect(mails).toHaveLength(2);
    const mail = mails[1];
    expect(mail.subject).toBe(`Changed: ${program.name}: Spring cohort`);
    expect(mail.text).toContain("When: Tue, Mar 12, 2030, 9:00 AM – 3:30 PM PDT → Thu, Mar 14, 2030, 1:00 PM – 4:00 PM PDT");
    const [ics] = calendars(mail);
    expect(ics.method).toBe("REQUEST");
    const event = ics.events[0];
    expect(event.get("UID")).toBe(firstUid);
    expect(Number(event.get("SEQUENCE"))).toBeGreaterThan(firstSequence);
    expect(event.get("DTSTART")).toBe("20300314T200000Z");
    expect(event.get("DTEND")).toBe("20300314T230000Z");
    firstSequence = Number(event.get("SEQUENCE"));
  });

  it("a second change within the same second still gets a higher SEQUENCE; a changed place is named", async () => {
    await updateSession(session.id, form({ day0Date: "2030-03-14", day0Start: "13:00", day0End: "16:00", schoolId: otherSchool.id }), trainer, ZONE, { mail: smtp.transport });
    const mails = await mailsTo(ana.email);
    expect(mails).toHaveLength(3);
    expect(mails[2].text).toContain(`Place: ${school.name} → ${otherSchool.name}`);
    expect(mails[2].text).not.toContain("When:");
    const event = calendars(mails[2])[0].events[0];
    expect(event.get("UID")).toBe(firstUid);
    expect(event.get("LOCATION")).toBe(otherSchool.name);
    expect(Number(event.get("SEQUENCE"))).toBeGreaterThan(firstSequence);
    firstSequence = Number(event.get("SEQUENCE"));
  });

  it("a change that does not touch the attendee (capacity, notes) sends nothing", async () => {
    await updateSession(
      session.id, form({ day0Date: "2030-03-14", day0Start: "13:00", day0End: "16:00", schoolId: otherSchool.id, capacity: "25", notes: "Bring lunch money" }),
      trainer, ZONE, { mail: smtp.transport },
    );
    expect((await prisma.trainingSession.findUniqueOrThrow({ where: { id: session.id } })).capacity).toBe(25);
    expect(smtp.to(ana.email)).toHaveLength(3);
  });

  it("a refused change sends nothing", async () => {
    // Refused before the transaction (an unknown school) …
    await expect(
      updateSession(session.id, form({ day0Date: "2030-03-20", day0Start: "09:00", day0End: "12:00", schoolId: "no-such-school" }), trainer, ZONE, { mail: smtp.transport }),
    ).rejects.toBeInstanceOf(SessionInputError);
    // … and inside it: the day being moved away has attendance (recorded as of that day).
    const day = await prisma.sessionDay.findFirstOrThrow({ where: { sessionId: session.id } });
    const enrollment = await prisma.enrollment.findFirstOrThrow({ where: { sessionId: session.id, personId: anaId } });
    await recordAttendance(session.id, [{ enrollmentId: enrollment.id, sessionDayId: day.id, status: "PRESENT" }], {
      actorId: trainer.id, method: "MANUAL", now: new Date("2030-03-14T21:00:00Z"), timeZone: ZONE,
    });
    await expect(
      updateSession(session.id, form({ day0Date: "2030-03-21", day0Start: "09:00", day0End: "12:00", schoolId: otherSchool.id }), trainer, ZONE, { mail: smtp.transport }),
    ).rejects.toBeInstanceOf(SessionInputError);
    await prisma.attendance.deleteMany({ where: { enrollmentId: enrollment.id } });
    expect(smtp.to(ana.email)).toHaveLength(3);
    expect(await prisma.sessionMail.count({ where: { toAddress: ana.email, status: { not: "SENT" } } })).toBe(0);
  });

  it("cancelling sends a CANCEL for the same event, with STATUS:CANCELLED and a higher SEQUENCE", async () => {
    await cancelSession(session.id, trainer.id, "The trainer is ill", { mail: smtp.transport });
    const mails = await mailsTo(ana.email);
    expect(mails).toHaveLength(4);
    const mail = mails[3];
    expect(mail.subject).toBe(`Cancelled: ${program.name}: Spring cohort`);
    expect(mail.text).toContain("Thu, Mar 14, 2030, 1:00 PM – 4:00 PM PDT");
    expect(mail.text).toContain("Reason: The trainer is ill");
    const [ics] = calendars(mail);
    expect(ics.method).toBe("CANCEL");
    const event = ics.events[0];
    expect(event.get("UID")).toBe(firstUid);
    expect(event.get("STATUS")).toBe("CANCELLED");
    expect(Number(event.get("SEQUENCE"))).toBeGreaterThan(firstSequence);
    // Cancelling twice is refused and sends nothing.
    await expect(cancelSession(session.id, trainer.id, undefined, { mail: smtp.transport })).rejects.toBeInstanceOf(SessionInputError);
    expect(smtp.to(ana.email)).toHaveLength(4);
  });
});

describe("who is told, and how often", () => {
  it("a roster of 30 sends 30 invitations, each person once however often it is sent; no email, no mail", async () => {
    const session = await newSession({ capacity: "40" });
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await createPerson(prisma, { firstName: `P${i}`, lastName: "Roster", email: uniqueEmail(`p${i}`), kind: i % 3 === 0 ? "STUDENT" : "STAFF" }));
    const noEmail = await createPerson(prisma, { firstName: "Sam", lastName: "Student", email: null, kind: "STUDENT" });
    const ids = [...people.map((p) => p.id), noEmail.id];
    const before = smtp.received.length;
    const first = await enrollPeople(session.id, ids, { overrideCapacity: false, actorId: trainer.id, source: "csv-import", mail: smtp.transport });
    const retry = await enrollPeople(session.id, ids, { overrideCapacity: false, actorId: trainer.id, source: "csv-import", mail: smtp.transport });
    expect(first.added).toBe(31);
    expect(retry.added).toBe(0);
    expect(smtp.received.length - before).toBe(30);
    for (const p of people) expect(smtp.to(p.email ?? "")).toHaveLength(1);

    // A day added to a session of many: each person gets one change mail naming the new day.
    await updateSession(
      session.id,
      form({ capacity: "40", day0Date: "2030-03-12", day0Start: "09:00", day0End: "15:30", day1Date: "2030-03-13", day1Start: "09:00", day1End: "12:00" }),
      trainer, ZONE, { mail: smtp.transport },
    );
    expect(smtp.received.length - before).toBe(60);
    const changed = await parseMail(smtp.to(people[0].email ?? "")[1].raw);
    expect(changed.text).toContain("Day 2 (added): Wed, Mar 13, 2030, 9:00 AM – 12:00 PM PDT");
    const [ics] = calendars(changed);
    expect(ics.events.map((e) => e.get("UID"))).toEqual([1, 2].map((n) => `session-${session.id}-day-${n}@${new URL(getEnv().PUBLIC_BASE_URL).hostname}`));

    // The day taken away again: the invitation keeps day 1 and a CANCEL takes day 2 out of the calendar.
    await updateSession(session.id, form({ capacity: "40", day0Date: "2030-03-12", day0Start: "09:00", day0End: "15:30" }), trainer, ZONE, { mail: smtp.transport });
    const removed = await parseMail(smtp.to(people[0].email ?? "")[2].raw);
    expect(removed.text).toContain("Day 2 (removed): Wed, Mar 13, 2030, 9:00 AM – 12:00 PM PDT");
    const [request, cancel] = calendars(removed);
    expect(request.method).toBe("REQUEST");
    expect(request.events.map((e) => e.get("UID"))).toEqual([`session-${session.id}-day-1@${new URL(getEnv().PUBLIC_BASE_URL).hostname}`]);
    expect(cancel.method).toBe("CANCEL");
    expect(cancel.events.map((e) => [e.get("UID"), e.get("STATUS")])).toEqual([[`session-${session.id}-day-2@${new URL(getEnv().PUBLIC_BASE_URL).hostname}`, "CANCELLED"]]);
  });

  it("an enrollment refused for capacity, or rolled back with its transaction, sends nothing", async () => {
    const session = await newSession({ capacity: "1" });
    const a = await createPerson(prisma, { firstName: "Al", lastName: "One", email: uniqueEmail("al"), kind: "STAFF" });
    const b = await createPerson(prisma, { firstName: "Bo", lastName: "Two", email: uniqueEmail("bo"), kind: "STAFF" });
    await expect(enrollPeople(session.id, [a.id, b.id], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: smtp.transport }))
      .rejects.toBeInstanceOf(RosterError);
    // The enrollment (and its mail) written, then the caller's transaction fails after it.
    await expect(
      prisma.$transaction(async (tx) => {
        await enrollPeople(session.id, [a.id], { overrideCapacity: false, actorId: trainer.id, source: "manual" }, tx);
        expect(await tx.sessionMail.count({ where: { toAddress: a.email ?? "" } })).toBe(1);
        throw new Error("something after the enrollment failed");
      }),
    ).rejects.toThrow("something after the enrollment failed");
    await relaySessionMail(smtp.transport);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(0);
    expect(await prisma.sessionMail.count({ where: { toAddress: { in: [a.email ?? "", b.email ?? ""] } } })).toBe(0);
    expect(smtp.to(a.email ?? "")).toHaveLength(0);
    expect(smtp.to(b.email ?? "")).toHaveLength(0);
  });

  it("a mail the server refuses waits in the outbox and goes with the next relay, once", async () => {
    const session = await newSession();
    const person = await createPerson(prisma, { firstName: "Rita", lastName: "Retry", email: uniqueEmail("rita"), kind: "STAFF" });
    smtp.reject(person.email ?? "");
    const viewer = { id: trainer.id, role: "TRAINER" as const, schoolIds: [], personId: null };
    await addToRoster(session.id, person.id, { overrideCapacity: false, actorId: trainer.id, viewer, mail: smtp.transport });
    expect(smtp.to(person.email ?? "")).toHaveLength(0);
    const refused = await prisma.sessionMail.findFirstOrThrow({ where: { toAddress: person.email ?? "" } });
    expect(refused).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(refused.lastError).toBeTruthy();
    smtp.accept(person.email ?? "");
    const summary = await relaySessionMail(smtp.transport);
    expect(summary.sent).toBeGreaterThanOrEqual(1);
    await relaySessionMail(smtp.transport);
    expect(smtp.to(person.email ?? "")).toHaveLength(1);
    expect(await prisma.sessionMail.findFirstOrThrow({ where: { toAddress: person.email ?? "" } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    expect(await prisma.outboxMessage.count({ where: { toAddress: person.email ?? "" } })).toBe(0);
  });

  it("two relays at once send each waiting mail once; a claim lost with its process is taken back later", async () => {
    const session = await newSession();
    const people = await Promise.all(["one", "two", "three"].map((n) => createPerson(prisma, { firstName: n, lastName: "Race", email: uniqueEmail(n), kind: "STAFF" })));
    // Written in the caller's transaction, which sends nothing itself: the mail waits for a relay.
    await prisma.$transaction((tx) => enrollPeople(session.id, people.map((p) => p.id), { overrideCapacity: false, actorId: trainer.id, source: "manual" }, tx));
    expect(await prisma.sessionMail.count({ where: { sessionId: session.id, status: "PENDING" } })).toBe(3);
    await Promise.all([relaySessionMail(smtp.transport), relaySessionMail(smtp.transport), relaySessionMail(smtp.transport)]);
    for (const p of people) expect(smtp.to(p.email ?? "")).toHaveLength(1);
    // A relay that died mid-send: its row is taken back only once the claim is stale.
    const late = await createPerson(prisma, { firstName: "Lou", lastName: "Lost", email: uniqueEmail("lou"), kind: "STAFF" });
    await prisma.$transaction((tx) => enrollPeople(session.id, [late.id], { overrideCapacity: false, actorId: trainer.id, source: "manual" }, tx));
    await prisma.sessionMail.updateMany({ where: { toAddress: late.email ?? "" }, data: { status: "SENDING", claimedAt: new Date() } });
    await relaySessionMail(smtp.transport);
    expect(smtp.to(late.email ?? "")).toHaveLength(0);
    await prisma.sessionMail.updateMany({ where: { toAddress: late.email ?? "" }, data: { claimedAt: new Date(Date.now() - 16 * 60_000) } });
    await relaySessionMail(smtp.transport);
    expect(smtp.to(late.email ?? "")).toHaveLength(1);
  });

  it("without SMTP the mail stays in the outbox for an administrator, with the invitation in its text", async () => {
    const session = await newSession();
    const person = await createPerson(prisma, { firstName: "Olga", lastName: "Outbox", email: uniqueEmail("olga"), kind: "STAFF" });
    await enrollPeople(session.id, [person.id], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: { channel: "outbox" } });
    const kept = await prisma.outboxMessage.findMany({ where: { toAddress: person.email ?? "" } });
    expect(kept).toHaveLength(1);
    expect(kept[0].subject).toContain("You are enrolled");
    expect(kept[0].textBody).toContain("[Attached: invite.ics]");
    expect(kept[0].textBody).toContain("METHOD:REQUEST");
    // Kept, not waiting: a relay over SMTP later does not send it.
    await relaySessionMail(smtp.transport);
    expect(smtp.to(person.email ?? "")).toHaveLength(0);
    expect(await prisma.outboxMessage.count({ where: { toAddress: person.email ?? "" } })).toBe(1);
    // An administrator reads it on the outbox page like any other message.
    const admin = await signIn("ADMIN");
    const detail = await renderPage("/admin/outbox/:messageId", outboxMessageRoute, makeRequest(`/admin/outbox/${kept[0].id}`, { cookie: admin.cookie }));
    expect(detail.status).toBe(200);
    expect(detail.html).toContain("You are enrolled");
  });

  it("a person whose language is Spanish is written to in Spanish, dates included; the invitation is the same event", async () => {
    const session = await newSession();
    const person = await createPerson(prisma, { firstName: "Sofía", lastName: "Reyes", email: uniqueEmail("sofia"), kind: "STAFF", language: "es" });
    await enrollPeople(session.id, [person.id], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: smtp.transport });
    const [mail] = await mailsTo(person.email ?? "");
    expect(mail.subject).toBe(`Inscripción confirmada: ${program.name}: Spring cohort`);
    expect(mail.text).toContain("Hola Sofía, se le ha inscrito en");
    expect(mail.text).toContain("presencial");
    expect(mail.text).toContain("mar, 12 de mar de 2030, 9:00 a.m. – 3:30 p.m. PDT");
    expect(mail.text).toContain("Sus capacitaciones:");
    expect(calendars(mail)[0].method).toBe("REQUEST");
  });

  it("a person taken off the roster is told, and the events are cancelled in their calendar (same UID, higher SEQUENCE)", async () => {
    const session = await newSession();
    const person = await createPerson(prisma, { firstName: "Rae", lastName: "Removed", email: uniqueEmail("rae"), kind: "STAFF" });
    await enrollPeople(session.id, [person.id], { overrideCapacity: false, actorId: trainer.id, source: "manual", mail: smtp.transport });
    const enrollment = await prisma.enrollment.findFirstOrThrow({ where: { sessionId: session.id, personId: person.id } });
    await removeEnrollment(session.id, enrollment.id, trainer.id, { mail: smtp.transport });
    const [invited, removed] = await mailsTo(person.email ?? "");
    expect(removed.subject).toBe(`No longer enrolled: ${program.name}: Spring cohort`);
    const [invite] = calendars(invited);
    const [cancel] = calendars(removed);
    expect(cancel.method).toBe("CANCEL");
    expect(cancel.events[0].get("UID")).toBe(invite.events[0].get("UID"));
    expect(cancel.events[0].get("STATUS")).toBe("CANCELLED");
    expect(Number(cancel.events[0].get("SEQUENCE"))).toBeGreaterThan(Number(invite.events[0].get("SEQUENCE")));
    // A removal refused (not on the roster any more) sends nothing more.
    await expect(removeEnrollment(session.id, enrollment.id, trainer.id, { mail: smtp.transport })).rejects.toBeInstanceOf(RosterError);
    expect(smtp.to(person.email ?? "")).toHaveLength(2);
  });

  it("walk-ins on the day and past sessions get no invitation", async () => {
    const past = await createSession(form({ day0Date: "2024-03-12", day0Start: "09:00", day0End: "15:30" }), trainer, ZONE);
    const future = await newSession();
    const person = await createPerson(prisma, { firstName: "Wes", lastName: "Walkin", email: uniqueEmail("wes"), kind: "STAFF" });
    await enrollPeople(past.id, [person.id], { overrideCapacity: true, actorId: trainer.id, source: "manual", mail: smtp.transport });
    await enrollPeople(future.id, [person.id], { overrideCapacity: true, actorId: trainer.id, source: "qr-walk-in", mail: smtp.transport });
    expect(smtp.to(person.email ?? "")).toHaveLength(0);
    expect(await prisma.outboxMessage.count({ where: { toAddress: person.email ?? "" } })).toBe(0);
  });
});
