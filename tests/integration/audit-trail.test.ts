/**
 * The audit trail in plain words (issue 14): the administrators' audit page and its CSV (filters, paging,
 * bad filters, access per role), and the same trail on a session's page and a person's page, where a viewer
 * who may not see a student reads "a student" (docs/decisions/010-person-visibility.md).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { expectAdminOnly } from "./admin-route-helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification } from "../../prisma/seed/factories";
import { recordAttendance } from "~/models/enrollment.server";
import { recordAudit } from "~/models/audit.server";
import { readAuditTrail, decodeCursor, type AuditCursor } from "~/models/audit-trail.server";
import { calendarDateWords } from "~/domain/audit-words";
import { dateInZone } from "~/domain/time";
import { schoolYearOf } from "~/domain/school-year";
import { getEnv } from "~/env.server";
import * as auditPage from "~/routes/admin.audit._index";
import * as auditCsv from "~/routes/admin.audit.export[.csv]";
import * as sessionPage from "~/routes/sessions.$sessionId._index";
import * as personPage from "~/routes/people.$personId";

const DAY = 24 * 3600_000;
const u = unique("aud");
const year = schoolYearOf(new Date());
const timeZone = getEnv().DISTRICT_TIME_ZONE;

let schoolA: { id: string };
let schoolB: { id: string };
let program: { id: string; code: string };
let admin: { cookie: string; user: { id: string } };
let trainer: { cookie: string; user: { id: string } };
let coordA: { cookie: string };
let lead: { cookie: string };
let staff: { id: string; districtId: string | null };
let studentA: { id: string };
let studentB: { id: string };
let session: { id: string; days: Array<{ id: string; startsAt: Date }> };
let certificate: { id: string; verificationCode: string };
const names = {
  trainer: `Terry Trainer ${u}`, admin: `Ada Admin ${u}`,
  staff: ["Ana", `López${u}`], studentA: ["Sam", `Ascholar${u}`], studentB: ["Bea", `Bscholar${u}`],
};
let dayWords: string;

beforeAll(async () => {
  schoolA = await createSchool(prisma);
  schoolB = await createSchool(prisma);
  program = await createProgram(prisma, { preset: "YMHFA" });
  admin = await signIn("ADMIN");
  trainer = await signIn("TRAINER");
  coordA = await signIn("COORDINATOR", { schoolIds: [schoolA.id] });
  lead = await signIn("PROGRAM_LEAD");
  await prisma.user.update({ where: { id: trainer.user.id }, data: { name: names.trainer } });
  await prisma.user.update({ where: { id: admin.user.id }, data: { name: names.admin } });

  staff = await createPerson(prisma, { kind: "STAFF", firstName: names.staff[0], lastName: names.staff[1], districtId: `E-${u}`, affiliations: [{ schoolId: schoolA.id, schoolYear: year }] });
  studentA = await createPerson(prisma, { kind: "STUDENT", firstName: names.studentA[0], lastName: names.studentA[1], affiliations: [{ schoolId: schoolA.id, schoolYear: year }] });
  studentB = await createPerson(prisma, { kind: "STUDENT", firstName: names.studentB[0], lastName: names.studentB[1], affiliations: [{ schoolId: schoolB.id, schoolYear: year }] });

  const first = new Date(Date.now() - 7 * DAY);
  session = await createSession(prisma, {
    programId: program.id, schoolId: schoolA.id, leadTrainerId: trainer.user.id, title: `Audit session ${u}`,
    days: [{ startsAt: first, endsAt: new Date(first.getTime() + 6 * 3600_000) }],
  });
  dayWords = calendarDateWords(dateInZone(session.days[0].startsAt, timeZone));
  const enrolments = await Promise.all([staff, studentA, studentB].map((p) => enroll(prisma, { sessionId: session.id, personId: p.id })));
  const day = session.days[0].id;
  // Real writes, audited as the app audits them: absent first, then present.
  await recordAttendance(session.id, [{ enrollmentId: enrolments[0].id, sessionDayId: day, status: "ABSENT" }], { actorId: trainer.user.id, method: "MANUAL" });
  await recordAttendance(session.id, [
    { enrollmentId: enrolments[0].id, sessionDayId: day, status: "PRESENT" },
    { enrollmentId: enrolments[1].id, sessionDayId: day, status: "PRESENT" },
    { enrollmentId: enrolments[2].id, sessionDayId: day, status: "PRESENT" },
  ], { actorId: trainer.user.id, method: "MANUAL" });
  await recordAudit(prisma, { actorId: admin.user.id, action: "person.not-duplicate", entityType: "Person", entityId: studentA.id, details: { otherId: studentB.id } });
  certificate = await issueCertification(prisma, { personId: staff.id, programId: program.id, sessionId: session.id });
  await recordAudit(prisma, { actorId: admin.user.id, action: "certification.revoke", entityType: "Certification", entityId: certificate.id, details: { reason: "issued in error", personId: staff.id, programId: program.id } });
});

type PageData = {
  ok: boolean; errors: Record<string, string>; entries: Array<{ words: string; action: string }>; nextCursor: string | null;
  choices: Array<{ field: string; options: Array<{ value: string; label: string }> }>;
};

async function audit(query: string, cookie = admin.cookie) {
  const res = await call(() => auditPage.loader({ request: makeRequest(`/admin/audit${query}`, { cookie }), params: {}, context: {} }));
  return { status: res.status, data: res.data as PageData };
}

const staffName = () => `${names.staff[0]} ${names.staff[1]}`;

describe("the audit page: filters", () => {
  it("a person, by district ID: their attendance told in words, with what it was before", async () => {
    const { status, data } = await audit(`?person=${encodeURIComponent(staff.districtId ?? "")}`);
    expect(status).toBe(200);
    const words = data.entries.map((e) => e.words);
    expect(words).toContain(`${names.trainer} marked ${staffName()} present on ${dayWords} (was absent) in the session “Audit session ${u}” on the attendance sheet`);
    expect(words).toContain(`${names.trainer} marked ${staffName()} absent on ${dayWords} in the session “Audit session ${u}” on the attendance sheet`);
    // The certificate's events are the person's too; the reason shows to an administrator.
    expect(words).toContain(`${names.admin} revoked certificate ${program.code} (issued ${calendarDateWords(dateInZone(new Date(), "UTC"))}) for ${staffName()}: issued in error`);
    // Nobody else's events.
    expect(data.entries.every((e) => e.action !== "person.not-duplicate")).toBe(true);
  });

  it("a person by name; several matches are offered to choose from", async () => {
    const one = await audit(`?person=${encodeURIComponent(`${names.staff[0]} ${names.staff[1]}`)}`);
    expect(one.status).toBe(200);
    expect(one.data.entries.length).toBeGreaterThan(0);
    const several = await audit(`?person=${encodeURIComponent(`scholar${u}`)}`);
    expect(several.status).toBe(400);
    expect(several.data.errors.person).toContain("2 people match");
    expect(several.data.choices[0].options.map((o) => o.value).sort()).toEqual([studentA.id, studentB.id].sort());
    const chosen = await audit(`?personId=${studentB.id}`);
    expect(chosen.status).toBe(200);
    expect(chosen.data.entries.map((e) => e.words)).toContain(`${names.admin} marked ${names.studentA.join(" ")} and ${names.studentB.join(" ")} as not the same person`);
  });

  it("a session, a certificate by its verification code, an actor, a kind, dates", async () => {
    const bySession = await audit(`?sessionId=${session.id}`);
    expect(bySession.data.entries.map((e) => e.action).sort()).toEqual(["attendance.record", "attendance.record", "certification.revoke"]);
    const byCode = await audit(`?certificate=${certificate.verificationCode}`);
    expect(byCode.data.entries.map((e) => e.action)).toEqual(["certification.revoke"]);
    const byActor = await audit(`?actor=${encodeURIComponent(names.trainer)}`);
    expect(byActor.data.entries.map((e) => e.action)).toEqual(["attendance.record", "attendance.record"]);
    const byKind = await audit(`?sessionId=${session.id}&kind=certificate`);
    expect(byKind.data.entries.map((e) => e.action)).toEqual(["certification.revoke"]);
    const today = dateInZone(new Date(), timeZone);
    const yesterday = dateInZone(new Date(Date.now() - DAY), timeZone);
    expect((await audit(`?sessionId=${session.id}&from=${today}&to=${today}`)).data.entries).toHaveLength(3);
    expect((await audit(`?sessionId=${session.id}&to=${yesterday}`)).data.entries).toHaveLength(0);
  });
});

describe("who an event is about (AuditEventPerson)", () => {
  it("is every person id anywhere in the details, and the entity when it is a person; nothing else", async () => {
    const other = await createPerson(prisma, { kind: "STAFF" });
    const event = await recordAudit(prisma, {
      actorId: null, action: "person.not-duplicate", entityType: "School", entityId: schoolA.id,
      details: { pair: [{ id: staff.id }, { nested: { personId: other.id } }], schoolId: schoolA.id, note: "not an id" },
    });
    const about = await prisma.auditEventPerson.findMany({ where: { eventId: event.id }, select: { personId: true, createdAt: true } });
    expect(about.map((a) => a.personId).sort()).toEqual([staff.id, other.id].sort());
    expect(about.every((a) => a.createdAt.getTime() === event.createdAt.getTime())).toBe(true);
    const onPerson = await recordAudit(prisma, { actorId: null, action: "person.update", entityType: "Person", entityId: other.id, details: {} });
    expect(await prisma.auditEventPerson.findMany({ where: { eventId: onPerson.id }, select: { personId: true } })).toEqual([{ personId: other.id }]);
    // The person's history finds both, through the index; the school's other events are not theirs.
    const { data } = await audit(`?personId=${other.id}`);
    expect(data.entries.map((e) => e.action).sort()).toEqual(["person.not-duplicate", "person.update"]);
  });
});

describe("the audit page: paging", () => {
  it("newest first, a page at a time, every event once", async () => {
    const { user } = await signIn("ADMIN");
    const start = Date.now() - 3600_000;
    // 57 events, some at the same instant, so the cursor must break ties by id.
    await prisma.auditEvent.createMany({
      data: Array.from({ length: 57 }, (_, i) => ({
        actorId: user.id, action: "school.update", entityType: "School", entityId: schoolA.id,
        details: JSON.stringify({ name: { from: `Old ${i}`, to: `New ${i}` } }), createdAt: new Date(start + Math.floor(i / 3) * 1000),
      })),
    });
    const email = (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).email ?? "";
    const first = await audit(`?actor=${encodeURIComponent(email)}`);
    expect(first.data.entries).toHaveLength(50);
    expect(first.data.nextCursor).not.toBeNull();
    const second = await audit(`?actor=${encodeURIComponent(email)}&before=${encodeURIComponent(first.data.nextCursor ?? "")}`);
    expect(second.data.entries).toHaveLength(7);
    expect(second.data.nextCursor).toBeNull();
    const all = [...first.data.entries, ...second.data.entries].map((e) => e.words);
    expect(new Set(all).size).toBe(57);
    expect(all[0]).toContain("from “Old 56” to “New 56”");
    expect(all.at(-1)).toContain("from “Old 0” to “New 0”");

    // The model with a small page: the same order.
    const viewer = { id: user.id, role: "ADMIN" as const, schoolIds: [], personId: null };
    const seen: string[] = [];
    let cursor: AuditCursor | null = null;
    for (let i = 0; i < 30; i += 1) {
      const page = await readAuditTrail(viewer, { actorIds: [user.id] }, { cursor, limit: 4, timeZone });
      seen.push(...page.entries.map((e) => e.words));
      if (!page.nextCursor) break;
      cursor = decodeCursor(page.nextCursor);
    }
    expect(seen).toEqual(all);
  });
});

describe("bad filters", () => {
  const cases: Array<[string, string, string]> = [
    ["?from=2026-02-30", "from", "From date: 2026-02-30 is not a real date"],
    ["?to=tomorrow", "to", "To date:"],
    ["?from=2026-05-02&to=2026-05-01", "to", "To date (2026-05-01) is before the from date (2026-05-02)"],
    ["?kind=bogus", "kind", "Kind must be one of: attendance, roster"],
    ["?before=not-a-cursor", "form", "this link to older events is not valid"],
    [`?person=nobody-${u}`, "person", `Person: nobody matches “nobody-${u}”`],
    [`?certificate=nope-${u}`, "certificate", "Certificate: no certificate has the verification code or id"],
    [`?actor=nobody-${u}`, "actor", "Actor: no user's name or email matches"],
    ["?sessionId=nope", "session", "Session: there is no such session"],
  ];
  for (const [query, field, message] of cases) {
    it(`${query} is a 400 naming the ${field}`, async () => {
      const { status, data } = await audit(query);
      expect(status).toBe(400);
      expect(data.errors[field]).toContain(message);
      expect(data.entries).toEqual([]);
      const page = await renderPage("/admin/audit", auditPage, makeRequest(`/admin/audit${query}`, { cookie: admin.cookie }));
      expect(page.status).toBe(400);
      expect(page.html).toContain("There is a problem");
    });
  }

  it("the CSV refuses them too, naming the field", async () => {
    const res = await auditCsv.loader({ request: makeRequest("/admin/audit/export.csv?kind=bogus", { cookie: admin.cookie }), params: {}, context: {} });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("kind: Kind must be one of");
  });
});

describe("access", () => {
  it("administrators only: every other role gets 403 from the page and the CSV", async () => {
    await expectAdminOnly([
      { name: "audit page", path: "/admin/audit", fn: auditPage.loader },
      { name: "audit CSV", path: "/admin/audit/export.csv", fn: auditCsv.loader },
    ]);
    expect((await audit("")).status).toBe(200);
  });

  it("the CSV holds the filtered trail in words", async () => {
    const res = await auditCsv.loader({ request: makeRequest(`/admin/audit/export.csv?sessionId=${session.id}&kind=attendance`, { cookie: admin.cookie }), params: {}, context: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const text = await res.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toContain("When (district time),When (UTC),Done by,Kind,Action,What happened");
    expect(lines).toHaveLength(3);
    expect(text).toContain(`${names.trainer} recorded attendance for 3 marks in the session “Audit session ${u}” on the attendance sheet: ${staffName()} present on ${dayWords} (was absent)`);
    expect(text).not.toContain("revoked");
  });
});

describe("the trail on a session's page and a person's page, as each viewer may see it", () => {
  const sessionHtml = async (cookie: string) => {
    const page = await renderPage("/sessions/:sessionId", sessionPage, makeRequest(`/sessions/${session.id}`, { cookie }));
    expect(page.status).toBe(200);
    return page.html;
  };

  it("the session's trainer reads every name on the roster; the bare codes are gone", async () => {
    const html = await sessionHtml(trainer.cookie);
    expect(html).toContain(`${names.trainer} recorded attendance for 3 marks on the attendance sheet: ${staffName()} present on ${dayWords} (was absent)`);
    expect(html).toContain(names.studentB.join(" "));
    expect(html).not.toMatch(/: record by /);
  });

  it("a coordinator reads their school's student and 'a student' for another school's", async () => {
    const html = await sessionHtml(coordA.cookie);
    expect(html).toContain(names.studentA.join(" "));
    expect(html).not.toContain(names.studentB[1]);
    expect(html).toContain("a student present on");
  });

  it("a program lead reads staff by name and no student", async () => {
    const html = await sessionHtml(lead.cookie);
    expect(html).toContain(staffName());
    expect(html).not.toContain(names.studentA[1]);
    expect(html).not.toContain(names.studentB[1]);
    expect(html).toContain("a student present on");
    // Why a certificate was revoked is for those who correct certificates.
  });

  it("a person's page: their events only, other people masked; the revocation reason only for those who correct certificates", async () => {
    const coordPage = await renderPage("/people/:personId", personPage, makeRequest(`/people/${studentA.id}`, { cookie: coordA.cookie }));
    expect(coordPage.status).toBe(200);
    expect(coordPage.html).toContain(`marked ${names.studentA.join(" ")} and a student as not the same person`);
    expect(coordPage.html).not.toContain(names.studentB[1]);
    // The attendance event names three people; this page tells this person's mark only.
    expect(coordPage.html).toContain(`marked ${names.studentA.join(" ")} present on ${dayWords}`);
    expect(coordPage.html).not.toContain(names.staff[1]);

    const staffPage = await renderPage("/people/:personId", personPage, makeRequest(`/people/${staff.id}`, { cookie: coordA.cookie }));
    expect(staffPage.html).toContain(`revoked certificate ${program.code}`);
    expect(staffPage.html).not.toContain("issued in error");
    const adminPage = await renderPage("/people/:personId", personPage, makeRequest(`/people/${staff.id}`, { cookie: admin.cookie }));
    expect(adminPage.html).toContain("issued in error");
  });
});
