import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { DoneResult, importForm, previewResult } from "./admin-import-helpers";
import * as importRoute from "~/routes/instructors.import";

const HEADER = "district_id,email,program_code,issued_on,expires_on,source";
const Row = z.object({ line: z.number(), action: z.string(), personName: z.string().nullable(), errors: z.array(z.string()) });
const PreviewResult = previewResult(Row);

async function program(active = true) {
  return prisma.program.create({ data: { code: unique("YI"), name: unique("Youth MHFA "), audience: "ADULTS", validityMonths: 36, active, instructorCoursesPerYear: 3 } });
}

async function person(opts: { kind?: "STAFF" | "STUDENT" | "COMMUNITY"; email?: string | null; districtId?: string | null } = {}) {
  return prisma.person.create({
    data: {
      firstName: "Terry", lastName: unique("Trainer"), kind: opts.kind ?? "STAFF",
      districtId: opts.districtId === undefined ? unique("E") : opts.districtId,
      email: opts.email === undefined ? `${unique("t")}@partner.example` : opts.email,
    },
  });
}

function post(cookie: string, csv: string, intent = "preview") {
  return call(() => importRoute.action({ request: makeRequest("/instructors/import", { method: "POST", cookie, form: importForm({ file: csv, fileName: "instructors.csv", intent }) }), params: {}, context: {} }));
}

describe("/instructors/import", () => {
  it("is for administrators and program leads; other roles get 403, a signed-out visitor goes to sign in", async () => {
    for (const role of ["ADMIN", "PROGRAM_LEAD"] as const) {
      const { cookie } = await signIn(role);
      expect((await call(() => importRoute.loader({ request: makeRequest("/instructors/import", { cookie }), params: {}, context: {} }))).status).toBe(200);
    }
    for (const role of ["TRAINER", "COORDINATOR", "MEMBER"] as const) {
      const { cookie } = await signIn(role);
      expect((await call(() => importRoute.loader({ request: makeRequest("/instructors/import", { cookie }), params: {}, context: {} }))).status, role).toBe(403);
      expect((await post(cookie, `${HEADER}\nE1,,YMHFA,2025-01-01,,x`, "commit")).status, role).toBe(403);
    }
    const out = await call(() => importRoute.loader({ request: makeRequest("/instructors/import"), params: {}, context: {} }));
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("previews, then records every row in one go, by district ID or email (any case), audited; a row already on record is left alone", async () => {
    const { user, cookie } = await signIn("PROGRAM_LEAD");
    const ymhfa = await program();
    const qpr = await program();
    const terry = await person();
    const pat = await person({ districtId: null, email: `${unique("Pat.Mixed")}@Partner.example` });
    await prisma.instructorCertification.create({ data: { personId: terry.id, programId: qpr.id, issuedOn: new Date("2024-09-15T00:00:00Z"), source: "Earlier" } });
    const csv = [
      HEADER,
      `${terry.districtId},,${ymhfa.code},2025-07-01,2028-07-01,MHFA USA instructor training`,
      `,${pat.email!.toUpperCase()},${ymhfa.code.toLowerCase()},2024-01-10,,MHFA USA instructor training`,
      `${terry.districtId},${terry.email},${qpr.code},2024-09-15,,QPR Institute`,
    ].join("\n");

    const preview = PreviewResult.parse((await post(cookie, csv)).data);
    expect(preview.preview.rows.map((r) => [r.line, r.action, r.personName])).toEqual([
      [2, "new", `Terry ${terry.lastName}`],
      [3, "new", `Terry ${pat.lastName}`],
      [4, "already-recorded", `Terry ${terry.lastName}`],
    ]);
    expect(await prisma.instructorCertification.count({ where: { personId: { in: [terry.id, pat.id] } } })).toBe(1);

    const done = await post(cookie, csv, "commit");
    expect(done.status).toBe(200);
    expect(DoneResult.parse(done.data).counts).toEqual({ new: 2, alreadyRecorded: 1, error: 0 });
    const certs = await prisma.instructorCertification.findMany({ where: { personId: { in: [terry.id, pat.id] } }, orderBy: { issuedOn: "asc" } });
    expect(certs.map((c) => [c.personId, c.programId, c.issuedOn.toISOString().slice(0, 10), c.expiresOn?.toISOString().slice(0, 10) ?? null, c.recordedById])).toEqual([
      [pat.id, ymhfa.id, "2024-01-10", null, user.id],
      [terry.id, qpr.id, "2024-09-15", null, null],
      [terry.id, ymhfa.id, "2025-07-01", "2028-07-01", user.id],
    ]);
    const audit = await prisma.auditEvent.findMany({ where: { actorId: user.id }, orderBy: { createdAt: "asc" }, select: { action: true, entityId: true } });
    expect(audit.map((a) => a.action).sort()).toEqual(["instructor-certification.import", "instructor-certification.record", "instructor-certification.record"]);

    // The same file again records nothing new.
    const again = await post(cookie, csv, "commit");
    expect(DoneResult.parse(again.data).counts).toEqual({ new: 0, alreadyRecorded: 3, error: 0 });
  });

  it("a file with a bad row writes nothing, and every error names its line and column", async () => {
    const { user, cookie } = await signIn("ADMIN");
    const ymhfa = await program();
    const retired = await program(false);
    const good = await person();
    const student = await person({ kind: "STUDENT" });
    const shared = `${unique("shared")}@partner.example`;
    await person({ email: shared });
    await person({ email: shared });
    const csv = [
      HEADER,
      `${good.districtId},,${ymhfa.code},2025-07-01,2028-07-01,MHFA USA`,
      `NOPE-${unique("")},,${ymhfa.code},2025-07-01,,MHFA USA`,
      `${good.districtId},,NOPE,2025-07-01,,MHFA USA`,
      `${good.districtId},,${retired.code},2025-07-01,,MHFA USA`,
      `${student.districtId},,${ymhfa.code},2025-07-01,,MHFA USA`,
      `,${shared},${ymhfa.code},2025-07-01,,MHFA USA`,
      `${good.districtId},,${ymhfa.code},2025-13-01,,MHFA USA`,
      `${good.districtId},,${ymhfa.code},2025-08-01,2028-08-01,`,
    ].join("\n");
    for (const intent of ["preview", "commit"]) {
      const res = await post(cookie, csv, intent);
      expect(res.status).toBe(400);
      const preview = PreviewResult.parse(res.data);
      expect(preview.preview.rows.filter((r) => r.action === "error").map((r) => r.errors)).toEqual([
        [expect.stringMatching(/^Line 3: district_id "NOPE-.+" is not anyone's district ID$/)],
        ["Line 4: program_code \"NOPE\" is not the code of a program"],
        [`Line 5: program_code "${retired.code}" is a retired program`],
        ["Line 6: district_id names a student; instructor certifications are for trainers"],
        [`Line 7: email "${shared}" belongs to 2 people; give the district_id instead`],
        ["Line 8: issued_on 2025-13-01 is not a real date"],
        ["Line 9: source is blank; say where the certification was earned"],
      ]);
      if (intent === "commit") expect(preview.errors.form).toBe("Nothing was imported because some rows have errors.");
    }
    expect(await prisma.instructorCertification.count({ where: { personId: good.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { actorId: user.id } })).toBe(0);
  });

  it("a file without the columns is refused with a message naming them", async () => {
    const { cookie } = await signIn("ADMIN");
    const res = await post(cookie, "email,program\nx@y.example,YMHFA");
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ stage: "form", errors: { file: expect.stringContaining("district_id") } });
  });
});
