/**
 * The record exports (issue 14): the sessions list, a session's roster with attendance, and the
 * certificates of a program, place and period, as CSV; each role gets what its page shows and no more.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification, recordAttendance } from "../../prisma/seed/factories";
import { addDays, addMonths, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { certificatesForExport, sessionsForExport } from "~/models/record-exports.server";
import { listSessions } from "~/models/training-session.server";
import * as sessionsCsv from "~/routes/sessions.export[.csv]";
import * as rosterCsv from "~/routes/sessions.$sessionId.roster[.csv]";
import * as certificatesCsv from "~/routes/reports.certificates.export[.csv]";
import * as certificatesPage from "~/routes/reports.certificates._index";

const today = startOfDayUtc(new Date());
const year = schoolYearOf(today);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const HOUR = 3600_000;

type Csv = { status: number; text: string; rows: Array<Record<string, string>>; header: string[]; type: string | null };

/** Calls a CSV loader; a thrown Response (a guard's 403/404) is returned like any other. */
async function get(mod: { loader: (args: never) => Promise<Response> }, url: string, cookie: string, params: Record<string, string> = {}): Promise<Csv> {
  let res: Response;
  try {
    res = await (mod.loader as (a: unknown) => Promise<Response>)({ request: makeRequest(url, { cookie }), params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    res = thrown;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const csv = res.status === 200 && (res.headers.get("Content-Type") ?? "").startsWith("text/csv");
  const table: string[][] = csv ? parse(text.replace(/^\uFEFF/, ""), { relax_column_count: false }) : [];
  const header = table[0] ?? [];
  const rows = table.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
  return { status: res.status, text, rows, header, type: res.headers.get("Content-Type") };
}

let u: string;
let schoolA: { id: string; name: string; regionId: string };
let schoolB: { id: string; name: string; regionId: string };
let schoolC: { id: string; name: string; regionId: string };
let program: { id: string; name: string };
let session1: { id: string; title: string | null };
let session2: { id: string; title: string | null };
const cookies: Record<string, string> = {};
const users: Record<string, { id: string; name: string }> = {};
type P = { id: string; firstName: string; lastName: string; districtId: string | null };
const people: Record<string, P> = {};
const codes: Record<string, string> = {};

const everyYear = (schoolId: string) => [0, 1, 2, 3, 4].map((back) => ({ schoolId, schoolYear: year - back }));

beforeAll(async () => {
  u = unique("rx");
  schoolA = await createSchool(prisma, { name: `Export School A ${u}` });
  schoolB = await createSchool(prisma, { name: `Export School B ${u}`, regionId: schoolA.regionId });
  schoolC = await createSchool(prisma, { name: `Export School C ${u}` });
  program = await createProgram(prisma, { validityMonths: 36, renewalWindowDays: 90, requiresPostWork: true });

  for (const [key, role, schoolIds] of [
    ["admin", "ADMIN", []], ["lead", "PROGRAM_LEAD", []], ["trainerA", "TRAINER", []], ["trainerOther", "TRAINER", []],
    ["coordinatorA", "COORDINATOR", [schoolA.id]], ["coordinatorB", "COORDINATOR", [schoolB.id]], ["member", "MEMBER", []],
  ] as const) {
    const s = await signIn(role, { schoolIds: [...schoolIds] });
    cookies[key] = s.cookie;
    users[key] = { id: s.user.id, name: s.user.name };
  }

  const person = async (key: string, kind: "STAFF" | "STUDENT" | "COMMUNITY", affiliations: Array<{ schoolId: string; schoolYear: number }>) => {
    people[key] = await createPerson(prisma, { kind, firstName: `First${key}${u}`, lastName: `Last${key}${u}`, districtId: kind === "COMMUNITY" ? null : `ID-${key}-${u}`, affiliations });
  };
  await person("staff1", "STAFF", everyYear(schoolA.id));
  await person("staffRevoked", "STAFF", everyYear(schoolA.id));
  await person("studentA", "STUDENT", [{ schoolId: schoolA.id, schoolYear: year }]);
  await person("studentB", "STUDENT", [{ schoolId: schoolB.id, schoolYear: year }]);
  await person("staffB", "STAFF", everyYear(schoolB.id));
  await person("staffRenewed", "STAFF", everyYear(schoolB.id));
  await person("staffExpired", "STAFF", everyYear(schoolA.id));
  await person("staffExpiring", "STAFF", everyYear(schoolA.id));
  await person("staffC", "STAFF", everyYear(schoolC.id));
  // At A last school year, at B this one: a certificate issued last school year counts for A.
  await person("moved", "STAFF", [{ schoolId: schoolA.id, schoolYear: year - 1 }, { schoolId: schoolB.id, schoolYear: year }]);

  const days = [
    { startsAt: new Date(addDays(today, -10).getTime() + 16 * HOUR), endsAt: new Date(addDays(today, -10).getTime() + 20 * HOUR) },
    { startsAt: new Date(addDays(today, -9).getTime() + 16 * HOUR), endsAt: new Date(addDays(today, -9).getTime() + 20 * HOUR) },
  ];
  const s1 = await createSession(prisma, { programId: program.id, schoolId: schoolA.id, audience: "MIXED", title: `Roster export ${u}`, leadTrainerId: users.trainerA.id, days, status: "CLOSED", closedAt: new Date() });
  const s2 = await createSession(prisma, { programId: program.id, siteName: "Online", format: "VIRTUAL", title: `Other trainer ${u}`, leadTrainerId: users.trainerOther.id });
  session1 = s1;
  session2 = s2;
  const mark = async (key: string, statuses: Array<"PRESENT" | "ABSENT" | null>, postWork: boolean) => {
    const e = await enroll(prisma, { sessionId: s1.id, personId: people[key].id, postWorkCompletedOn: postWork ? addDays(today, -8) : null });
    for (const [i, status] of statuses.entries()) if (status) await recordAttendance(prisma, { enrollmentId: e.id, sessionDayId: s1.days[i].id, status });
  };
  await mark("staff1", ["PRESENT", "PRESENT"], true);
  await mark("staffRevoked", ["PRESENT", "PRESENT"], true);
  await mark("studentA", ["PRESENT", "ABSENT"], false);
  await mark("studentB", [null, null], false);

  const cert = async (key: string, personKey: string, issuedOn: Date, extra: { sessionId?: string; expiresOn?: Date | null } = {}) => {
    const c = await issueCertification(prisma, { personId: people[personKey].id, programId: program.id, issuedOn, ...extra });
    codes[key] = c.verificationCode;
    return c;
  };
  await cert("c1", "staff1", addDays(today, -8), { sessionId: s1.id });
  const revoked = await cert("revoked", "staffRevoked", addDays(today, -8), { sessionId: s1.id });
  await prisma.certification.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokedById: users.admin.id, revokedReason: "Issued by mistake" } });
  const recorded = await cert("recorded", "staffB", addDays(today, -100));
  await prisma.certification.update({ where: { id: recorded.id }, data: { source: "Official MHFA platform" } });
  const renewal = await cert("renewal", "staffRenewed", addDays(today, -20));
  const old = await cert("renewedOld", "staffRenewed", addDays(today, -1000), { expiresOn: addDays(today, 90) });
  await prisma.certification.update({ where: { id: old.id }, data: { renewedById: renewal.id } });
  await cert("expired", "staffExpired", addDays(today, -1095), { expiresOn: addDays(today, -5) });
  await cert("expiring", "staffExpiring", addDays(today, -1000), { expiresOn: addDays(today, 30) });
  await cert("student", "studentA", addDays(today, -50));
  await cert("schoolC", "staffC", addDays(today, -40));
  await cert("outside", "staffExpired", addDays(today, -1300), { expiresOn: addDays(today, -200) });
  await cert("moved", "moved", new Date(Date.UTC(year - 1, 9, 15)));
});

describe("sessions CSV", () => {
  it("lists the sessions the list shows, with their columns", async () => {
    const csv = await get(sessionsCsv, "/sessions/export.csv", cookies.lead);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    expect(csv.header).toEqual(["Program", "Title", "Format", "School", "Status", "Days", "Trainers", "Enrolled", "Attended (present at least one day)", "Certificates issued"]);
    const row = csv.rows.find((r) => r.Title === session1.title);
    expect(row).toEqual({
      Program: program.name, Title: session1.title, Format: "In person", School: schoolA.name, Status: "Closed",
      Days: `${iso(addDays(today, -10))}; ${iso(addDays(today, -9))}`, Trainers: `${users.trainerA.name} (lead)`,
      Enrolled: "4", "Attended (present at least one day)": "3", "Certificates issued": "1",
    });
    expect(csv.rows.find((r) => r.Title === session2.title)).toMatchObject({ School: "Online", Format: "Virtual", Status: "Scheduled", Enrolled: "0" });
  });

  it("is scoped by role as the list is", async () => {
    const titles = async (who: string) => (await get(sessionsCsv, "/sessions/export.csv", cookies[who])).rows.map((r) => r.Title);
    expect(await titles("trainerA")).toContain(session1.title);
    expect(await titles("trainerA")).not.toContain(session2.title);
    expect(await titles("trainerOther")).toEqual([session2.title]);
    expect(await titles("coordinatorA")).toContain(session1.title);
    expect(await titles("coordinatorB")).not.toContain(session1.title);
    expect(await titles("coordinatorB")).not.toContain(session2.title);
    expect((await get(sessionsCsv, "/sessions/export.csv", cookies.member)).status).toBe(403);
  });

  it("applies the status filter, and refuses an unknown status naming the field", async () => {
    const scheduled = await get(sessionsCsv, "/sessions/export.csv?status=SCHEDULED", cookies.lead);
    expect(scheduled.rows.map((r) => r.Title)).toContain(session2.title);
    expect(scheduled.rows.map((r) => r.Title)).not.toContain(session1.title);
    expect(scheduled.rows.every((r) => r.Status === "Scheduled")).toBe(true);
    const bad = await get(sessionsCsv, "/sessions/export.csv?status=OPEN", cookies.lead);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("status: Status must be one of");
  });

  it("reads a chunk at a time by key, ties on the creation time included, in the list's order", async () => {
    const trainer = await signIn("TRAINER");
    const at = new Date(Date.now() - 60_000);
    for (let i = 0; i < 5; i += 1) await createSession(prisma, { programId: program.id, leadTrainerId: trainer.user.id, title: `Tie ${i} ${u}`, createdAt: at });
    await createSession(prisma, { programId: program.id, leadTrainerId: trainer.user.id, title: `Newer ${u}` });
    const viewer = { id: trainer.user.id, role: "TRAINER" as const, schoolIds: [] };
    const chunks: string[][] = [];
    for await (const chunk of sessionsForExport(viewer, undefined, 2)) chunks.push(chunk.map((r) => r.title ?? ""));
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 2]);
    const listed = await listSessions(viewer, { page: 1 });
    expect(chunks.flat()).toEqual(listed.sessions.map((s) => s.title));
    expect(new Set(chunks.flat()).size).toBe(6);
  });
});

describe("a session's roster CSV", () => {
  const url = () => `/sessions/${session1.id}/roster.csv`;
  const params = () => ({ sessionId: session1.id });

  it("gives the session's trainer every row: attendance per day, post-work, certificate or why not", async () => {
    const csv = await get(rosterCsv, url(), cookies.trainerA, params());
    expect(csv.status).toBe(200);
    const d1 = `Day 1 (${iso(addDays(today, -10))})`;
    const d2 = `Day 2 (${iso(addDays(today, -9))})`;
    expect(csv.header).toEqual(["Name", "District ID", "Kind", "School", d1, d2, "Post-work done", "Evaluation done", "Certificate", "Verification code", "Why no certificate"]);
    const byName = (key: string) => csv.rows.find((r) => r.Name === `${people[key].lastName}, ${people[key].firstName}`);
    expect(byName("staff1")).toEqual({
      Name: `${people.staff1.lastName}, ${people.staff1.firstName}`, "District ID": people.staff1.districtId, Kind: "Staff", School: schoolA.name,
      [d1]: "Present", [d2]: "Present", "Post-work done": iso(addDays(today, -8)), "Evaluation done": "Not done",
      Certificate: "Issued", "Verification code": codes.c1, "Why no certificate": "",
    });
    expect(byName("staffRevoked")).toMatchObject({ Certificate: "Revoked", "Verification code": "", "Why no certificate": "Certificate revoked" });
    expect(byName("studentA")).toMatchObject({ Kind: "Student", [d1]: "Present", [d2]: "Absent", Certificate: "Not issued", "Why no certificate": "Absent on day 2; Post-work not complete" });
    expect(byName("studentB")).toMatchObject({ School: schoolB.name, [d1]: "Not recorded", "Why no certificate": "Absent on day 1; Absent on day 2; Post-work not complete" });
    expect(csv.rows).toHaveLength(4);
  });

  it("hides from a coordinator the students of other schools, as the page does (a row with a label only)", async () => {
    const csv = await get(rosterCsv, url(), cookies.coordinatorA, params());
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(people.studentA.lastName);
    for (const m of [people.studentB.lastName, people.studentB.firstName, people.studentB.districtId ?? "?"]) expect(csv.text).not.toContain(m);
    const hidden = csv.rows.filter((r) => r.Name === "Student (not shown)");
    expect(hidden).toHaveLength(1);
    expect(Object.values(hidden[0]).filter(Boolean)).toEqual(["Student (not shown)", "Student"]);
  });

  it("gives a program lead students as counts only, adults by name and ID", async () => {
    const csv = await get(rosterCsv, url(), cookies.lead, params());
    expect(csv.status).toBe(200);
    for (const key of ["studentA", "studentB"]) for (const m of [people[key].lastName, people[key].districtId ?? "?"]) expect(csv.text).not.toContain(m);
    expect(csv.rows.filter((r) => r.Name === "Student (not shown)")).toHaveLength(2);
    expect(csv.text).toContain(people.staff1.districtId);
  });

  it("answers as the page does to those who may not see the session: 404, or 403 for a role without sessions", async () => {
    expect((await get(rosterCsv, url(), cookies.trainerOther, params())).status).toBe(404);
    expect((await get(rosterCsv, url(), cookies.coordinatorB, params())).status).toBe(404);
    expect((await get(rosterCsv, url(), cookies.member, params())).status).toBe(403);
    expect((await get(rosterCsv, `/sessions/nope-${u}/roster.csv`, cookies.admin, { sessionId: `nope-${u}` })).status).toBe(404);
    expect((await get(rosterCsv, url(), "", params())).status).toBe(302);
  });
});

describe("certificates CSV", () => {
  const q = (over: Record<string, string>) => {
    const s = new URLSearchParams({ program: program.id, from: iso(addDays(today, -1100)), to: iso(today), ...over });
    return `/reports/certificates/export.csv?${s.toString()}`;
  };
  const name = (key: string) => `${people[key].lastName}, ${people[key].firstName}`;

  it("lists a program's certificates of the period district-wide for a lead: every status, the source, the code; students counted, not named", async () => {
    const csv = await get(certificatesCsv, q({}), cookies.lead);
    expect(csv.status).toBe(200);
    expect(csv.header).toEqual(["Name", "District ID", "Program", "Issued on", "Expires on", "Status", "Source", "Verification code"]);
    const row = (code: string) => csv.rows.find((r) => r["Verification code"] === code);
    expect(row(codes.c1)).toEqual({
      Name: name("staff1"), "District ID": people.staff1.districtId, Program: program.name, "Issued on": iso(addDays(today, -8)),
      "Expires on": iso(addMonths(addDays(today, -8), 36)),
      Status: "current", Source: `Session: ${session1.title}, ${schoolA.name}`, "Verification code": codes.c1,
    });
    expect(row(codes.recorded)).toMatchObject({ Name: name("staffB"), Source: "Recorded from Official MHFA platform", Status: "current" });
    expect(row(codes.renewedOld)).toMatchObject({ Name: name("staffRenewed"), Status: "renewed" });
    expect(row(codes.expired)).toMatchObject({ Status: "expired" });
    expect(row(codes.expiring)).toMatchObject({ Status: "expiring" });
    expect(row(codes.outside)).toBeUndefined();
    const revoked = csv.rows.find((r) => r.Name === name("staffRevoked"));
    expect(revoked).toMatchObject({ Status: "revoked" });
    // The student: a row, no name, no ID, no code (a code opens the public check, which prints the name).
    expect(csv.text).not.toContain(people.studentA.lastName);
    expect(csv.text).not.toContain(people.studentA.districtId);
    expect(csv.text).not.toContain(codes.student);
    expect(csv.rows.filter((r) => r.Name === "Student (not shown)")).toEqual([expect.objectContaining({ "District ID": "", "Verification code": "", "Issued on": iso(addDays(today, -50)) })]);
    expect(csv.rows).toHaveLength(10);
    // Oldest first.
    expect(csv.rows.map((r) => r["Issued on"])).toEqual([...csv.rows.map((r) => r["Issued on"])].sort());
  });

  it("an administrator sees the student by name", async () => {
    const csv = await get(certificatesCsv, q({}), cookies.admin);
    expect(csv.rows.find((r) => r["Verification code"] === codes.student)).toMatchObject({ Name: name("studentA"), "District ID": people.studentA.districtId });
  });

  it("narrows to a school or a region by where the holder was in the school year of issue, and to the period with both days included", async () => {
    const atA = await get(certificatesCsv, q({ school: schoolA.id }), cookies.lead);
    const namesA = atA.rows.map((r) => r.Name);
    expect(namesA).toContain(name("staff1"));
    expect(namesA).toContain(name("moved"));
    expect(namesA).not.toContain(name("staffB"));
    expect(namesA).not.toContain(name("staffC"));
    const atB = await get(certificatesCsv, q({ school: schoolB.id }), cookies.lead);
    expect(atB.rows.map((r) => r.Name).sort()).toEqual([name("staffB"), name("staffRenewed"), name("staffRenewed")].sort());
    const region = await get(certificatesCsv, q({ region: schoolA.regionId }), cookies.lead);
    expect(region.rows.map((r) => r.Name)).not.toContain(name("staffC"));
    expect(region.rows).toHaveLength(9);
    const period = await get(certificatesCsv, q({ from: iso(addDays(today, -20)), to: iso(addDays(today, -8)) }), cookies.lead);
    expect(period.rows.map((r) => r["Issued on"]).sort()).toEqual([iso(addDays(today, -20)), iso(addDays(today, -8)), iso(addDays(today, -8))]);
  });

  it("gives a coordinator their schools only, with their students by name; another school or a region is 403", async () => {
    const mine = await get(certificatesCsv, q({}), cookies.coordinatorA);
    expect(mine.status).toBe(200);
    const names = mine.rows.map((r) => r.Name);
    expect(names).toContain(name("studentA"));
    expect(names).toContain(name("staff1"));
    expect(names).not.toContain(name("staffB"));
    expect(names).not.toContain(name("staffC"));
    const other = await get(certificatesCsv, q({ school: schoolB.id }), cookies.coordinatorA);
    expect(other.status).toBe(403);
    expect(other.text).toContain("school:");
    expect((await get(certificatesCsv, q({ region: schoolA.regionId }), cookies.coordinatorA)).status).toBe(403);
    // B's coordinator: the student at A is not in B's file at all.
    const b = await get(certificatesCsv, q({}), cookies.coordinatorB);
    expect(b.text).not.toContain(people.studentA.lastName);
    expect(b.rows.map((r) => r.Name)).toContain(name("staffB"));
  });

  it("is refused to trainers and members", async () => {
    expect((await get(certificatesCsv, q({}), cookies.trainerA)).status).toBe(403);
    expect((await get(certificatesCsv, q({}), cookies.member)).status).toBe(403);
  });

  it("answers bad filters with 400 and a message naming the field", async () => {
    const bad = async (over: Record<string, string>) => get(certificatesCsv, q(over), cookies.lead);
    let r = await bad({ from: "2026-02-30" });
    expect(r.status).toBe(400);
    expect(r.text).toBe("from: Issued from: 2026-02-30 is not a real date\n");
    r = await bad({ to: "yesterday" });
    expect(r.text).toContain("to: Issued to: \"yesterday\" is not a date written as YYYY-MM-DD");
    r = await bad({ from: "2026-05-02", to: "2026-05-01" });
    expect(r.status).toBe(400);
    expect(r.text).toBe("to: Issued to (2026-05-01) is before issued from (2026-05-02)\n");
    r = await bad({ program: "" });
    expect(r.text).toContain("program: Choose a program");
    r = await bad({ program: `nope-${u}` });
    expect(r.status).toBe(400);
    expect(r.text).toContain("program: Choose a program from the list");
    r = await bad({ school: `nope-${u}` });
    expect(r.text).toContain("school: Choose a school from the list");
    r = await bad({ school: schoolA.id, region: schoolA.regionId });
    expect(r.text).toContain("region: Choose a school or a region, not both");
  });

  it("reads a chunk at a time by key, ties on the issue day included", async () => {
    const viewer = { id: users.lead.id, role: "PROGRAM_LEAD" as const, schoolIds: [], personId: null };
    const filters = { programId: program.id, schoolId: null, regionId: null, from: addDays(today, -1100), to: today };
    const all: string[] = [];
    let chunks = 0;
    for await (const chunk of certificatesForExport(viewer, filters, { schoolIds: null }, new Date(), 2)) {
      chunks += 1;
      all.push(...chunk.map((c) => `${iso(c.issuedOn)} ${c.verificationCode}`));
    }
    expect(all).toHaveLength(10);
    expect(new Set(all).size).toBe(10);
    expect(chunks).toBe(5);
    expect(all).toEqual([...all].sort((a, b) => a.slice(0, 10).localeCompare(b.slice(0, 10))));
  });
});

describe("the certificates filter page", () => {
  const load = (search: string, who: string) => call(() => certificatesPage.loader({ request: makeRequest(`/reports/certificates${search}`, { cookie: cookies[who] }), params: {}, context: {} }));
  type PageData = { errors: Record<string, string>; download: string | null; options: { schools: Array<{ id: string }>; regions: unknown[] } };

  it("names each bad field, and offers the file only when the filters are good", async () => {
    const bad = (await load(`?program=${program.id}&from=2026-13-01&to=2026-01-01`, "lead")).data as PageData;
    expect(bad.errors.from).toBe("Issued from: 2026-13-01 is not a real date");
    expect(bad.download).toBeNull();
    const reversed = (await load(`?program=${program.id}&from=2026-02-01&to=2026-01-01`, "lead")).data as PageData;
    expect(reversed.errors.to).toBe("Issued to (2026-01-01) is before issued from (2026-02-01)");
    const good = (await load(`?program=${program.id}&from=2026-01-01&to=2026-02-01`, "lead")).data as PageData;
    expect(good.errors).toEqual({});
    expect(good.download).toBe(`/reports/certificates/export.csv?program=${program.id}&from=2026-01-01&to=2026-02-01`);
    const blank = (await load("", "lead")).data as PageData;
    expect(blank.errors).toEqual({});
    expect(blank.download).toBeNull();
  });

  it("offers a coordinator their own schools only, and is 403 to trainers", async () => {
    const coordinator = (await load("", "coordinatorA")).data as PageData;
    expect(coordinator.options.schools.map((s) => s.id)).toEqual([schoolA.id]);
    expect(coordinator.options.regions).toEqual([]);
    const refused = (await load(`?program=${program.id}&school=${schoolB.id}&from=2026-01-01&to=2026-02-01`, "coordinatorA")).data as PageData;
    expect(refused.errors.school).toContain("own schools");
    expect((await load("", "trainerA")).status).toBe(403);
  });
});
