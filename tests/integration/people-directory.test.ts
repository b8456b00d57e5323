/**
 * The people directory (/people), a person's page and their certificate PDFs, as every role: who
 * is found, who is counted, who is refused, and what a bad query string answers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification } from "../../prisma/seed/factories";
import { schoolYearOf, formatSchoolYear } from "~/domain/school-year";
import { recordAudit } from "~/models/audit.server";
import * as peoplePage from "~/routes/people._index";
import * as personPage from "~/routes/people.$personId";
import * as pdfRoute from "~/routes/people.$personId.certificates.$certificationId.pdf";

type Role = "admin" | "lead" | "coordA" | "coordB" | "trainer" | "member";
const cookies: Partial<Record<Role, string>> = {};
const cookie = (role: Role) => cookies[role] ?? "";

let u: string;
const year = schoolYearOf(new Date());
let schoolA: { id: string; code: string };
let schoolB: { id: string; code: string };
let schoolC: { id: string; code: string };
type P = { id: string; firstName: string; lastName: string; districtId: string | null; email: string | null };
let staffA: P, staffB: P, partnerA: P, studentA: P, studentB: P, movedToB: P, staffLastYearA: P, duplicate: P;
let staffACertOld: string, staffACertNew: string, staffBCert: string;

type DirectoryData = { ok: boolean; errors: Record<string, string>; result?: { people: Array<{ id: string; districtId: string | null; email: string | null; kind: string }>; total: number; page: number; pageCount: number; hiddenStudents: number | null } };

function isDirectoryData(value: unknown): value is DirectoryData {
  return typeof value === "object" && value !== null && "ok" in value && "errors" in value;
}

async function list(role: Role, query: string) {
  const res = await call(() => peoplePage.loader({ request: makeRequest(`/people${query}`, { cookie: cookie(role) }), params: {}, context: {} }));
  if (res.status !== 200 && res.status !== 400) return { status: res.status, data: null };
  if (!isDirectoryData(res.data)) throw new Error("unexpected loader data");
  return { status: res.status, data: res.data };
}

async function listed(role: Role, query: string) {
  const { status, data } = await list(role, query);
  expect(status, query).toBe(200);
  return { ids: (data?.result?.people ?? []).map((p) => p.id), result: data?.result };
}

const html = async (role: Role, url: string, pattern: string, mod: Parameters<typeof renderPage>[1]) => {
  const { status, html } = await renderPage(pattern, mod, makeRequest(url, { cookie: cookie(role) }));
  return { status, html: html.replaceAll("<!-- -->", "") };
};

const openPerson = (role: Role, personId: string) =>
  call(() => personPage.loader({ request: makeRequest(`/people/${personId}`, { cookie: cookie(role) }), params: { personId }, context: {} }));

async function pdf(role: Role, personId: string, certificationId: string) {
  try {
    return await pdfRoute.loader({ request: makeRequest(`/people/${personId}/certificates/${certificationId}/pdf`, { cookie: cookie(role) }), params: { personId, certificationId }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  u = unique("pd");
  schoolA = await createSchool(prisma, { name: `Directory School A ${u}`, code: `DA-${u}` });
  schoolB = await createSchool(prisma, { name: `Directory School B ${u}`, code: `DB-${u}` });
  schoolC = await createSchool(prisma, { name: `Directory School C ${u}`, code: `DC-${u}` });
  const person = (kind: "STAFF" | "STUDENT" | "COMMUNITY", key: string, affiliations: Array<{ schoolId: string; schoolYear: number; title?: string }>, extra: { districtId?: string | null } = {}) =>
    createPerson(prisma, {
      kind, firstName: `First${key}`, lastName: `Dirlast${key}${u}`,
      districtId: extra.districtId === undefined ? `ID-${key}-${u}` : extra.districtId,
      email: kind === "STUDENT" ? `${key.toLowerCase()}-${u}@students.example` : `${key.toLowerCase()}-${u}@staff.example`,
      affiliations,
    });
  staffA = await person("STAFF", "StaffA", [{ schoolId: schoolA.id, schoolYear: year, title: "Counselor" }, { schoolId: schoolA.id, schoolYear: year - 1, title: "Teacher" }]);
  staffB = await person("STAFF", "StaffB", [{ schoolId: schoolB.id, schoolYear: year }]);
  partnerA = await person("COMMUNITY", "PartnerA", [{ schoolId: schoolA.id, schoolYear: year }], { districtId: null });
  studentA = await person("STUDENT", "StudentA", [{ schoolId: schoolA.id, schoolYear: year, title: "Grade 10" }]);
  studentB = await person("STUDENT", "StudentB", [{ schoolId: schoolB.id, schoolYear: year }]);
  movedToB = await person("STUDENT", "MovedToB", [{ schoolId: schoolA.id, schoolYear: year - 1 }, { schoolId: schoolB.id, schoolYear: year }]);
  staffLastYearA = await person("STAFF", "LeftA", [{ schoolId: schoolA.id, schoolYear: year - 1 }]);
  duplicate = await createPerson(prisma, {
    kind: "STAFF", firstName: "FirstStaffA", lastName: `Dirlastdup${u}`, districtId: `ID-OLD-${u}`, email: null, mergedIntoId: staffA.id,
    affiliations: [{ schoolId: schoolA.id, schoolYear: year }],
  });
  // Enough people at school C for two pages.
  for (let i = 0; i < 55; i += 1) {
    await createPerson(prisma, { kind: "STAFF", firstName: `Pager${String(i).padStart(2, "0")}`, lastName: `Pageful${u}`, affiliations: [{ schoolId: schoolC.id, schoolYear: year }] });
  }

  const admin = await signIn("ADMIN");
  const lead = await signIn("PROGRAM_LEAD");
  const coordA = await signIn("COORDINATOR", { schoolIds: [schoolA.id] });
  const coordB = await signIn("COORDINATOR", { schoolIds: [schoolB.id] });
  const trainer = await signIn("TRAINER");
  const member = await signIn("MEMBER", { personId: staffA.id });
  Object.assign(cookies, { admin: admin.cookie, lead: lead.cookie, coordA: coordA.cookie, coordB: coordB.cookie, trainer: trainer.cookie, member: member.cookie });

  const ymhfa = await createProgram(prisma, { preset: "YMHFA" });
  const start = new Date(Date.now() - 5 * 24 * 3600_000);
  const session = await createSession(prisma, {
    programId: ymhfa.id, schoolId: schoolA.id, title: `Directory session ${u}`, status: "CLOSED", leadTrainerId: trainer.user.id,
    days: [{ startsAt: start, endsAt: new Date(start.getTime() + 6 * 3600_000) }],
  });
  const enrollment = await enroll(prisma, { sessionId: session.id, personId: staffA.id });
  await prisma.attendance.create({ data: { enrollmentId: enrollment.id, sessionDayId: session.days[0].id, status: "PRESENT" } });
  const old = await issueCertification(prisma, { personId: staffA.id, programId: ymhfa.id, issuedOn: new Date(Date.now() - 1000 * 24 * 3600_000) });
  const renewal = await issueCertification(prisma, { personId: staffA.id, programId: ymhfa.id, sessionId: session.id, issuedOn: start, renews: old.id });
  [staffACertOld, staffACertNew] = [old.id, renewal.id];
  staffBCert = (await issueCertification(prisma, { personId: staffB.id, programId: ymhfa.id })).id;
  await prisma.reminderDelivery.create({
    data: { certificationId: old.id, daysBefore: 30, dueOn: new Date(Date.now() - 20 * 24 * 3600_000), status: "SENT", channel: "outbox", sentAt: new Date() },
  });
  await recordAudit(prisma, { actorId: admin.user.id, action: "person.update", entityType: "Person", entityId: staffA.id, details: { changes: { firstName: { from: "A", to: "B" }, email: { from: null, to: "x" } } } });
}, 120_000);

describe("searching the directory", () => {
  it("finds a person by district ID exactly, not by part of one", async () => {
    expect((await listed("admin", `?q=ID-StaffA-${u}`)).ids).toEqual([staffA.id]);
    expect((await listed("admin", `?q=ID-StaffA-${u.slice(0, -1)}`)).ids).toEqual([]);
  });

  it("finds people by part of a name or of an email", async () => {
    expect((await listed("admin", `?q=${encodeURIComponent(`irstStaffB Dirlast`)}&school=${schoolB.code}`)).ids).toEqual([staffB.id]);
    expect((await listed("admin", `?q=partnera-${u}`)).ids).toEqual([partnerA.id]);
  });

  it("ignores the case of what is typed, on either engine", async () => {
    expect((await listed("admin", `?q=${encodeURIComponent(`FIRSTSTAFFB dirlaststaffb${u}`)}`)).ids).toEqual([staffB.id]);
    expect((await listed("admin", `?q=PARTNERA-${u.toUpperCase()}`)).ids).toEqual([partnerA.id]);
  });

  it("a merged record is left out of lists, and found by its own district ID", async () => {
    expect((await listed("admin", `?school=${schoolA.code}&kind=staff`)).ids).not.toContain(duplicate.id);
    expect((await listed("admin", `?q=ID-OLD-${u}`)).ids).toEqual([duplicate.id]);
  });

  it("filters by kind, school and school year", async () => {
    expect((await listed("admin", `?school=${schoolA.code}&kind=student`)).ids.sort()).toEqual([studentA.id, movedToB.id].sort());
    expect((await listed("admin", `?school=${schoolA.code}&kind=student&year=${formatSchoolYear(year)}`)).ids).toEqual([studentA.id]);
    expect((await listed("admin", `?school=${schoolA.code}&year=${year - 1}`)).ids.sort()).toEqual([staffA.id, movedToB.id, staffLastYearA.id].sort());
    expect((await listed("admin", `?school=${schoolA.code}&kind=community`)).ids).toEqual([partnerA.id]);
  });

  it("pages 50 at a time, and a page past the end shows the last", async () => {
    const first = await listed("admin", `?school=${schoolC.code}`);
    expect(first.result?.total).toBe(55);
    expect(first.ids).toHaveLength(50);
    const second = await listed("admin", `?school=${schoolC.code}&page=2`);
    expect(second.ids).toHaveLength(5);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(55);
    expect((await listed("admin", `?school=${schoolC.code}&page=9`)).result?.page).toBe(2);
    const page = await html("admin", `/people?school=${schoolC.code}`, "/people", peoplePage);
    expect(page.html).toContain(`page=2`);
    expect(page.html).toContain("Next page");
  });

  it("an administrator sees every student, with ID and email", async () => {
    const { result } = await listed("admin", `?school=${schoolB.code}&kind=student`);
    expect(result?.people.map((p) => p.id).sort()).toEqual([studentB.id, movedToB.id].sort());
    expect(result?.people.find((p) => p.id === studentB.id)?.email).toBe(studentB.email);
    expect(result?.hiddenStudents).toBe(0);
  });
});

describe("what each role finds", () => {
  it("a coordinator finds their schools' people in the current school year, and students only of their school", async () => {
    const { ids, result } = await listed("coordA", "");
    expect(ids).toEqual(expect.arrayContaining([staffA.id, partnerA.id, studentA.id]));
    for (const other of [staffB.id, studentB.id, movedToB.id, staffLastYearA.id, duplicate.id]) expect(ids).not.toContain(other);
    // A student by name and ID, never their email.
    const shown = result?.people.find((p) => p.id === studentA.id);
    expect(shown?.districtId).toBe(studentA.districtId);
    expect(shown?.email).toBeNull();
  });

  it("a coordinator's earlier year lists who was at their school then, and counts a student who has moved on without naming them", async () => {
    const { ids, result } = await listed("coordA", `?year=${year - 1}`);
    expect(ids.sort()).toEqual([staffA.id, staffLastYearA.id].sort());
    expect(result?.hiddenStudents).toBe(1);
    const page = await html("coordA", `/people?year=${year - 1}`, "/people", peoplePage);
    expect(page.html).toContain("1 student matches and is not listed: students are shown only to those who work with their school.");
    for (const m of [movedToB.lastName, movedToB.districtId ?? "", movedToB.email ?? ""]) expect(page.html).not.toContain(m);
  });

  it("a search never tells a coordinator that a hidden student exists", async () => {
    const byId = await listed("coordA", `?q=${movedToB.districtId}&year=${year - 1}`);
    const unknown = await listed("coordA", `?q=ID-NOBODY-${u}&year=${year - 1}`);
    expect(byId.ids).toEqual([]);
    expect(byId.result?.hiddenStudents).toBeNull();
    expect(byId.result).toEqual(unknown.result);
  });

  it("a coordinator cannot choose another school", async () => {
    const { status, data } = await list("coordA", `?school=${schoolB.code}`);
    expect(status).toBe(400);
    expect(data?.errors.school).toContain("is not one of your schools");
  });

  it("a program lead sees staff and partners, and students only as a count", async () => {
    const { ids, result } = await listed("lead", `?school=${schoolA.code}&year=${formatSchoolYear(year)}`);
    expect(ids.sort()).toEqual([staffA.id, partnerA.id].sort());
    expect(result?.hiddenStudents).toBe(1);
    const page = await html("lead", `/people?school=${schoolA.code}`, "/people", peoplePage);
    expect(page.html).toContain("2 students match and are not listed: students are shown only to those who work with their school.");
    for (const s of [studentA, movedToB]) for (const m of [s.lastName, s.districtId ?? "", s.email ?? ""]) expect(page.html).not.toContain(m);
    // Searched words: no count, so a student's ID or name cannot be confirmed.
    const searched = await listed("lead", `?q=${studentA.districtId}`);
    expect(searched.ids).toEqual([]);
    expect(searched.result?.hiddenStudents).toBeNull();
  });

  it("trainers and members are refused every people route", async () => {
    for (const role of ["trainer", "member"] as const) {
      expect((await list(role, "")).status).toBe(403);
      expect((await openPerson(role, staffA.id)).status).toBe(403);
      expect((await pdf(role, staffA.id, staffACertNew)).status).toBe(403);
    }
  });
});

describe("bad query strings", () => {
  const cases: Array<[string, string, string]> = [
    ["?page=abc", "page", "Page must be a whole number"],
    ["?kind=bogus", "kind", "Kind must be one of: staff, student, community"],
    ["?year=20x6", "year", "School year must look like 2025-26 (or 2025)"],
    ["?school=NOPE-NO-SUCH-SCHOOL", "school", `School: there is no school with code "NOPE-NO-SUCH-SCHOOL"`],
    ["?school=%3Cscript%3E", "school", "School must be a school code"],
  ];
  for (const [query, field, message] of cases) {
    it(`${query} is a 400 naming the ${field}`, async () => {
      const { status, data } = await list("admin", query);
      expect(status).toBe(400);
      expect(data?.errors[field]).toContain(message);
      const page = await html("admin", `/people${query}`, "/people", peoplePage);
      expect(page.status).toBe(400);
      expect(page.html).toContain(message.replaceAll('"', "&quot;"));
    });
  }
});

describe("a person's page", () => {
  it("shows an administrator identity, memberships, sessions, certificates with renewals, reminders and history in words", async () => {
    const { status, html: page } = await html("admin", `/people/${staffA.id}`, "/people/:personId", personPage);
    expect(status).toBe(200);
    for (const text of [
      staffA.districtId ?? "", staffA.email ?? "", "Counselor", "Teacher", formatSchoolYear(year), formatSchoolYear(year - 1),
      `Directory session ${u}`, "1 of 1 day present", "Certified", "Renewed", "Renews the certificate of", "Current",
      "Renewal reminders", "30 days", "Emailed", "changed the record of", "first name from “A” to “B”; email from blank to “x”",
      `/people/${staffA.id}/certificates/${staffACertOld}/pdf`, "Records merged into this one", `/people/${duplicate.id}`,
    ]) expect(page, text).toContain(text);
  });

  it("a merged record links to the record it was merged into", async () => {
    const { status, html: page } = await html("admin", `/people/${duplicate.id}`, "/people/:personId", personPage);
    expect(status).toBe(200);
    expect(page).toContain("This record was merged into");
    expect(page).toContain(`href="/people/${staffA.id}"`);
  });

  it("a coordinator sees their school's people, without reminders or history; a program lead gets no PDF links", async () => {
    const coord = await html("coordA", `/people/${staffA.id}`, "/people/:personId", personPage);
    expect(coord.status).toBe(200);
    expect(coord.html).toContain(`/certificates/${staffACertNew}/pdf`);
    expect(coord.html).not.toContain("Renewal reminders");
    expect(coord.html).not.toContain("Changes to this record");
    // Staff who left the school are still theirs to look up; a student only by name and ID.
    expect((await openPerson("coordA", staffLastYearA.id)).status).toBe(200);
    const student = await html("coordA", `/people/${studentA.id}`, "/people/:personId", personPage);
    expect(student.html).toContain(studentA.districtId);
    expect(student.html).not.toContain(studentA.email);
    const lead = await html("lead", `/people/${staffA.id}`, "/people/:personId", personPage);
    expect(lead.status).toBe(200);
    expect(lead.html).not.toContain("/pdf");
  });

  it("is a 404 for a person outside a coordinator's schools, a student the viewer may not see, and an unknown id", async () => {
    for (const id of [staffB.id, studentB.id, movedToB.id]) expect((await openPerson("coordA", id)).status, id).toBe(404);
    expect((await openPerson("lead", studentA.id)).status).toBe(404);
    expect((await openPerson("admin", `nobody-${u}`)).status).toBe(404);
    expect((await openPerson("coordB", movedToB.id)).status).toBe(200);
  });
});

describe("certificate PDFs from a person's page", () => {
  it("an administrator and the person's coordinator download a PDF", async () => {
    for (const role of ["admin", "coordA"] as const) {
      const res = await pdf(role, staffA.id, staffACertNew);
      expect(res.status, role).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/pdf");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    }
  });

  it("is refused to a program lead, and a 404 outside the coordinator's schools or for another person's certificate", async () => {
    expect((await pdf("lead", staffA.id, staffACertNew)).status).toBe(403);
    expect((await pdf("coordA", staffB.id, staffBCert)).status).toBe(404);
    // Staff A's path with staff B's certificate: not this person's, so not found.
    expect((await pdf("coordA", staffA.id, staffBCert)).status).toBe(404);
    expect((await pdf("admin", staffA.id, staffBCert)).status).toBe(404);
  });
});
