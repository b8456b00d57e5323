import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { auditDetails, errorsOf, expectAdminOnly, hit, valuesOf, type Endpoint } from "./admin-route-helpers";
import * as adminHome from "~/routes/admin._index";
import * as programList from "~/routes/admin.programs._index";
import * as newProgram from "~/routes/admin.programs.new";
import * as editProgram from "~/routes/admin.programs.$programId";

function programCode() {
  return unique("P").toUpperCase();
}

/** A YMHFA-like program: 3 years, 90-day renewal window, post-work required. */
function makeProgram() {
  return prisma.program.create({
    data: {
      code: programCode(), name: `Youth MHFA ${unique()}`, audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90,
      requiresAttendance: true, requiresPostWork: true, requiresEvaluation: false, maxParticipants: 30,
      reminderDays: "90,30,7,0", renewalGuidance: "Take the recertification course.", active: true,
    },
  });
}

/** The edit form as a browser posts the program's current rules; ticked boxes post "on", unticked post nothing. */
function rulesForm(p: Awaited<ReturnType<typeof makeProgram>>, changes: Record<string, string | null> = {}): Record<string, string> {
  const form: Record<string, string | null> = {
    name: p.name, description: p.description, audience: p.audience,
    validityMonths: p.validityMonths?.toString() ?? "", renewalWindowDays: p.renewalWindowDays?.toString() ?? "",
    requiresAttendance: p.requiresAttendance ? "on" : null, requiresPostWork: p.requiresPostWork ? "on" : null,
    requiresEvaluation: p.requiresEvaluation ? "on" : null, maxParticipants: p.maxParticipants?.toString() ?? "",
    reminderDays: p.reminderDays, renewalGuidance: p.renewalGuidance, active: p.active ? "on" : null,
    instructorCoursesPerYear: p.instructorCoursesPerYear?.toString() ?? "", instructorNeedsCertificate: p.instructorNeedsCertificate ? "on" : null,
    ...changes,
  };
  return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => e[1] !== null));
}

/** The edit page's loader, or its action when a form is given. */
function edit(programId: string, form?: Record<string, string>): Endpoint {
  return {
    name: form ? "save program rules" : "edit program page", path: `/admin/programs/${programId}`, params: { programId },
    fn: form ? editProgram.action : editProgram.loader, method: form ? "POST" : "GET", form,
  };
}

let admin: Awaited<ReturnType<typeof signIn>>;
beforeAll(async () => {
  admin = await signIn("ADMIN");
});

describe("access to the program screens", () => {
  it("refuses every non-admin role with 403 and sends signed-out visitors to sign in", async () => {
    const program = await makeProgram();
    const code = programCode();
    const validNew = { ...rulesForm(program, { name: "Should not exist" }), code };
    await expectAdminOnly([
      { name: "admin home", path: "/admin", fn: adminHome.loader },
      { name: "program list", path: "/admin/programs", fn: programList.loader },
      { name: "new program page", path: "/admin/programs/new", fn: newProgram.loader },
      { name: "create program", path: "/admin/programs/new", fn: newProgram.action, method: "POST", form: validNew },
      edit(program.id),
      edit(program.id, rulesForm(program, { validityMonths: "12", name: "Changed by a stranger" })),
    ]);
    // Nothing the refused posts carried was written.
    expect(await prisma.program.findUnique({ where: { id: program.id } })).toEqual(program);
    expect(await prisma.program.count({ where: { code } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { entityType: "Program", entityId: program.id } })).toBe(0);
  });
});

describe("program list", () => {
  it("lists programs with their session and certification counts", async () => {
    const program = await makeProgram();
    const session = await prisma.trainingSession.create({ data: { programId: program.id, format: "IN_PERSON", audience: "STAFF" } });
    const person = await prisma.person.create({ data: { firstName: "Ada", lastName: unique("L"), kind: "STAFF" } });
    await prisma.certification.create({
      data: { personId: person.id, programId: program.id, sessionId: session.id, issuedOn: new Date("2025-01-10"), verificationCode: unique("v") },
    });
    const res = await call(() => programList.loader({ request: makeRequest("/admin/programs", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(res.status).toBe(200);
    const { programs } = z
      .object({ programs: z.array(z.object({ id: z.string(), _count: z.object({ sessions: z.number(), certifications: z.number() }) })) })
      .parse(res.data);
    expect(programs.find((p) => p.id === program.id)?._count).toEqual({ sessions: 1, certifications: 1 });
  });
});

describe("editing a program's rules", () => {
  it("returns 404 for an unknown program, from the loader and the action", async () => {
    const program = await makeProgram();
    expect((await hit(edit("no-such-program"), admin.cookie)).status).toBe(404);
    expect((await hit(edit("no-such-program", rulesForm(program)), admin.cookie)).status).toBe(404);
  });

  const invalid: Array<{ field: string; changes: Record<string, string>; message: RegExp }> = [
    { field: "validityMonths", changes: { validityMonths: "abc" }, message: /Validity \(months\) must be a whole number/ },
    { field: "validityMonths", changes: { validityMonths: "0" }, message: /Validity \(months\) must be between 1 and 240/ },
    { field: "renewalWindowDays", changes: { validityMonths: "", renewalWindowDays: "90" }, message: /Renewal window \(days\) must be blank/ },
    { field: "renewalWindowDays", changes: { renewalWindowDays: "366" }, message: /Renewal window \(days\) must be between 1 and 365/ },
    { field: "reminderDays", changes: { reminderDays: "90,x" }, message: /Reminder days/ },
    { field: "maxParticipants", changes: { maxParticipants: "501" }, message: /Maximum participants/ },
    { field: "renewalGuidance", changes: { renewalGuidance: "x".repeat(1001) }, message: /Renewal guidance must be at most 1000/ },
    { field: "name", changes: { name: "  " }, message: /Name is required/ },
    { field: "instructorCoursesPerYear", changes: { instructorCoursesPerYear: "three" }, message: /Courses an instructor teaches a year must be a whole number/ },
    { field: "instructorCoursesPerYear", changes: { instructorCoursesPerYear: "0" }, message: /Courses an instructor teaches a year must be between 1 and 50/ },
    { field: "audience", changes: { audience: "TEACHERS" }, message: /Choose an audience/ },
  ];
  it.each(invalid)("refuses $field = $changes with 400 naming the field, and changes nothing", async ({ field, changes, message }) => {
    const program = await makeProgram();
    const res = await hit(edit(program.id, rulesForm(program, { ...changes, name: changes.name ?? "A new name" })), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)[field]).toMatch(message);
    // The form comes back with what was typed, so the administrator can correct it.
    for (const [k, v] of Object.entries(changes)) expect(valuesOf(res.data)[k]).toBe(v);
    expect(await prisma.program.findUnique({ where: { id: program.id } })).toEqual(program);
    expect(await prisma.auditEvent.count({ where: { entityType: "Program", entityId: program.id } })).toBe(0);
  });

  it("saves valid rules, audits before and after of the changed fields only, and shows a notice", async () => {
    const program = await makeProgram();
    const form = rulesForm(program, {
      validityMonths: "", renewalWindowDays: "", reminderDays: " 7, 30,90 ", requiresPostWork: null, audience: "ANYONE",
    });
    const res = await hit(edit(program.id, form), admin.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/programs/${program.id}?saved=1`);

    const saved = await prisma.program.findUniqueOrThrow({ where: { id: program.id } });
    expect(saved).toMatchObject({
      name: program.name, audience: "ANYONE", validityMonths: null, renewalWindowDays: null, requiresPostWork: false,
      requiresAttendance: true, reminderDays: "90,30,7", maxParticipants: 30,
    });

    const events = await prisma.auditEvent.findMany({ where: { entityType: "Program", entityId: program.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "program.update", actorId: admin.user.id });
    expect(auditDetails(events[0].details)).toEqual({
      audience: ["ADULTS", "ANYONE"],
      validityMonths: [36, null],
      renewalWindowDays: [90, null],
      requiresPostWork: [true, false],
      reminderDays: ["90,30,7,0", "90,30,7"],
    });

    const page = await hit({ ...edit(program.id), path: `/admin/programs/${program.id}?saved=1` }, admin.cookie);
    expect(page.status).toBe(200);
    const shown = z.object({ notice: z.string().nullable(), history: z.array(z.object({ what: z.string() })) }).parse(page.data);
    expect(shown.notice).toBe("Rules saved.");
    expect(shown.history[0].what).toMatch(/validity/);
  });

  it("saves the instructor rules: courses a year, and whether an instructor holds a current certificate of the program", async () => {
    const program = await makeProgram();
    const res = await hit(edit(program.id, rulesForm(program, { instructorCoursesPerYear: "3", instructorNeedsCertificate: "on" })), admin.cookie);
    expect(res.status).toBe(302);
    expect(await prisma.program.findUniqueOrThrow({ where: { id: program.id } })).toMatchObject({ instructorCoursesPerYear: 3, instructorNeedsCertificate: true });
    const [event] = await prisma.auditEvent.findMany({ where: { entityType: "Program", entityId: program.id } });
    expect(auditDetails(event.details)).toEqual({ instructorCoursesPerYear: [null, 3], instructorNeedsCertificate: [false, true] });
    const back = await hit(edit(program.id, rulesForm({ ...program, instructorCoursesPerYear: 3, instructorNeedsCertificate: true }, { instructorCoursesPerYear: "", instructorNeedsCertificate: null })), admin.cookie);
    expect(back.status).toBe(302);
    expect(await prisma.program.findUniqueOrThrow({ where: { id: program.id } })).toMatchObject({ instructorCoursesPerYear: null, instructorNeedsCertificate: false });
  });

  it("writes no audit event when the form is saved unchanged", async () => {
    const program = await makeProgram();
    const res = await hit(edit(program.id, rulesForm(program)), admin.cookie);
    expect(res.status).toBe(302);
    expect(await prisma.program.findUnique({ where: { id: program.id } })).toEqual(program);
    expect(await prisma.auditEvent.count({ where: { entityType: "Program", entityId: program.id } })).toBe(0);
  });
});

describe("creating a program", () => {
  const createWith = (form: Record<string, string>) =>
    hit({ name: "create program", path: "/admin/programs/new", fn: newProgram.action, method: "POST", form }, admin.cookie);

  it("creates a program with an upper-case code and audits it", async () => {
    const code = programCode();
    const res = await createWith({
      code: code.toLowerCase(), name: "QPR Gatekeeper", audience: "ANYONE", validityMonths: "", renewalWindowDays: "",
      requiresAttendance: "on", reminderDays: "", maxParticipants: "", renewalGuidance: "", description: "", active: "on",
    });
    expect(res.status).toBe(302);
    const program = await prisma.program.findUniqueOrThrow({ where: { code } });
    expect(res.headers.get("Location")).toBe(`/admin/programs/${program.id}?created=1`);
    expect(program).toMatchObject({
      name: "QPR Gatekeeper", audience: "ANYONE", validityMonths: null, renewalWindowDays: null, reminderDays: "",
      requiresAttendance: true, requiresPostWork: false, requiresEvaluation: false, active: true, maxParticipants: null,
    });
    expect(await prisma.auditEvent.count({ where: { entityType: "Program", entityId: program.id, action: "program.create" } })).toBe(1);
  });

  it("refuses a code that is already taken, on the code field, and writes nothing", async () => {
    const existing = await makeProgram();
    const before = await prisma.program.count();
    const res = await createWith({ ...rulesForm(existing, { name: "Duplicate" }), code: existing.code });
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).code).toBe(`A program with code ${existing.code} already exists`);
    expect(valuesOf(res.data).name).toBe("Duplicate");
    expect(await prisma.program.count()).toBe(before);
  });

  it("refuses invalid rules on a new program the same way", async () => {
    const code = programCode();
    const res = await createWith({ code, name: "Broken", audience: "ADULTS", validityMonths: "", renewalWindowDays: "30", reminderDays: "90,x" });
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).reminderDays).toMatch(/Reminder days/);
    const res2 = await createWith({ code, name: "Broken", audience: "ADULTS", validityMonths: "", renewalWindowDays: "30", reminderDays: "30" });
    expect(errorsOf(res2.data).renewalWindowDays).toMatch(/Renewal window \(days\) must be blank/);
    expect(await prisma.program.count({ where: { code } })).toBe(0);
  });
});

describe("admin home", () => {
  it("counts what the system holds, by kind of person and by role", async () => {
    const read = async () => {
      const res = await call(() => adminHome.loader({ request: makeRequest("/admin", { cookie: admin.cookie }), params: {}, context: {} }));
      expect(res.status).toBe(200);
      return z
        .object({
          programs: z.number(),
          people: z.array(z.object({ kind: z.string(), count: z.number() })),
          users: z.array(z.object({ role: z.string(), count: z.number() })),
        })
        .parse(res.data);
    };
    const before = await read();
    await makeProgram();
    await prisma.person.create({ data: { firstName: "Sam", lastName: unique("S"), kind: "STUDENT" } });
    await signIn("TRAINER");
    const after = await read();
    expect(after.programs).toBe(before.programs + 1);
    const count = (list: Array<{ count: number } & Record<string, unknown>>, key: string, value: string) =>
      list.find((x) => x[key] === value)?.count ?? -1;
    expect(count(after.people, "kind", "STUDENT")).toBe(count(before.people, "kind", "STUDENT") + 1);
    expect(count(after.people, "kind", "STAFF")).toBe(count(before.people, "kind", "STAFF"));
    expect(count(after.users, "role", "TRAINER")).toBe(count(before.users, "role", "TRAINER") + 1);
    expect(after.users.map((u) => u.role)).toEqual(["ADMIN", "PROGRAM_LEAD", "TRAINER", "COORDINATOR", "MEMBER"]);
  });
});
