/**
 * Recording a certificate earned elsewhere (issue 14): another district, the official MHFA platform.
 * Through the real route and models; figures counted by hand.
 *
 * Program W (36 months' validity), school year 2025-26, as of 1 March 2026. School W1 (10 staff).
 *   ana  staff W1  no certificate here; one recorded from the official MHFA platform, 2025-11-03
 *   ben  staff W1  W 2025-10-01 → 2028-10-01 (issued here)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { rollupOf } from "./rollup-rows";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { reachFigures } from "~/models/reach.server";
import { rebuildReachRollups } from "~/models/reach-rollup.server";
import { districtToday } from "~/models/certificate-records.server";
import { addDays } from "~/domain/program-rules";
import { calendarDateToUtc } from "~/domain/calendar-date";
import * as recordRoute from "~/routes/people.$personId_.certificates.new";
import * as verifyRoute from "~/routes/verify.$code";
import * as personRoute from "~/routes/people.$personId";
import * as meRoute from "~/routes/me._index";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
type SignedIn = Awaited<ReturnType<typeof signIn>>;

let admin: SignedIn;
let lead: SignedIn;
beforeAll(async () => {
  admin = await signIn("ADMIN");
  lead = await signIn("PROGRAM_LEAD");
});

async function district() {
  const W = await createProgram(prisma, { validityMonths: 36 });
  const X = await createRegion(prisma);
  const W1 = await createSchool(prisma, { regionId: X.id });
  await prisma.headcount.create({ data: { schoolId: W1.id, schoolYear: 2025, staffCount: 10, studentCount: 100 } });
  const person = (first: string) => createPerson(prisma, { firstName: first, lastName: unique("Rec"), kind: "STAFF", affiliations: [{ schoolId: W1.id, schoolYear: 2025 }] });
  const ana = await person("Ana");
  const ben = await person("Ben");
  await issueCertification(prisma, { personId: ben.id, programId: W.id, issuedOn: day("2025-10-01"), expiresOn: day("2028-10-01") });
  const figures = async () => {
    const f = await reachFigures({
      filters: { schoolYear: 2025, asOf: day("2026-03-01"), programCode: W.code, regionId: null, audience: "all", q: "", sort: "name", dir: "asc", page: 1 },
      programId: W.id, ymhfaProgramId: null, scope: {},
    });
    const school = f.schools.find((s) => s.id === W1.id);
    return { schoolCurrent: school?.staffCurrent, schoolTrainedYear: school?.staffTrainedYear, districtCurrent: f.total.staffCurrentPeople };
  };
  return { W, W1, ana, ben, figures };
}

const VALID = (programId: string) => ({
  programId, issuedOn: "2025-11-03", expiresOn: "", source: "Official MHFA platform", evidenceNote: "Certificate PDF emailed by the holder, platform no. 88412",
});

function recordPost(who: SignedIn, personId: string, form: Record<string, string>) {
  return call(() => recordRoute.action({ request: makeRequest(`/people/${personId}/certificates/new`, { method: "POST", cookie: who.cookie, form }), params: { personId }, context: {} }));
}
function recordPage(who: SignedIn, personId: string) {
  return call(() => recordRoute.loader({ request: makeRequest(`/people/${personId}/certificates/new`, { cookie: who.cookie }), params: { personId }, context: {} }));
}

describe("recording a certificate earned elsewhere", () => {
  it("a lead records one: stored with its source and evidence, the program's validity, a code, an audit row; it counts in reach", async () => {
    const s = await district();
    expect(await s.figures()).toEqual({ schoolCurrent: 1, schoolTrainedYear: 1, districtCurrent: 1 });

    const res = await recordPost(lead, s.ana.id, VALID(s.W.id));
    expect(res.status).toBe(302);
    const cert = await prisma.certification.findFirstOrThrow({ where: { personId: s.ana.id } });
    expect(res.headers.get("Location")).toBe(`/people/${s.ana.id}#certificate-${cert.id}`);
    expect(cert).toMatchObject({
      programId: s.W.id, sessionId: null, issuedOn: day("2025-11-03"), expiresOn: day("2028-11-03"),
      source: "Official MHFA platform", evidenceNote: "Certificate PDF emailed by the holder, platform no. 88412", revokedAt: null,
    });
    expect(cert.verificationCode).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const audit = await prisma.auditEvent.findMany({ where: { entityType: "Certification", entityId: cert.id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["certification.record", lead.user.id]]);
    expect(JSON.parse(audit[0].details)).toEqual({
      programId: s.W.id, issuedOn: "2025-11-03", expiresOn: "2028-11-03", source: "Official MHFA platform", evidenceNote: "Certificate PDF emailed by the holder, platform no. 88412",
    });

    // Reach: one more current staff member, trained this school year.
    expect(await s.figures()).toEqual({ schoolCurrent: 2, schoolTrainedYear: 2, districtCurrent: 2 });
    const incremental = await rollupOf([s.W.id]);
    await rebuildReachRollups();
    expect(await rollupOf([s.W.id])).toEqual(incremental);

    // Its public check works like any other.
    const check = await call(() => verifyRoute.loader({ request: makeRequest(`/verify/${cert.verificationCode}`), params: { code: cert.verificationCode }, context: {} }));
    expect(check.data).toMatchObject({ certificate: { status: "active", issuedOn: { iso: "2025-11-03" }, expiresOn: { iso: "2028-11-03" } } });
    expect(JSON.stringify(check.data)).not.toContain("88412");

    // The person page and the member's page say where it came from.
    const page = await renderPage("/people/:personId", personRoute, makeRequest(`/people/${s.ana.id}`, { cookie: admin.cookie }));
    expect(page.html.replaceAll("<!-- -->", "")).toContain("Recorded from Official MHFA platform.");
    const member = await signIn("MEMBER", { personId: s.ana.id });
    const me = await renderPage("/me", meRoute, makeRequest("/me", { cookie: member.cookie }));
    expect(me.html.replaceAll("<!-- -->", "")).toContain("Recorded from Official MHFA platform.");
  });

  it("an explicit expiry is kept; one recorded within the renewal window renews the certificate held", async () => {
    const s = await district();
    const res = await recordPost(admin, s.ben.id, { ...VALID(s.W.id), issuedOn: "2025-12-01", expiresOn: "2028-12-15", source: "Another district" });
    expect(res.status).toBe(302);
    const certs = await prisma.certification.findMany({ where: { personId: s.ben.id }, orderBy: { issuedOn: "asc" } });
    expect(certs.map((c) => [c.issuedOn, c.expiresOn, c.source])).toEqual([
      [day("2025-10-01"), day("2028-10-01"), null],
      [day("2025-12-01"), day("2028-12-15"), "Another district"],
    ]);
    // Held on the day the new one was issued: the old one is renewed by it (docs/decisions/002-renewals.md).
    expect(certs[0].renewedById).toBe(certs[1].id);
    // Still one person in reach.
    expect(await s.figures()).toEqual({ schoolCurrent: 1, schoolTrainedYear: 1, districtCurrent: 1 });
  });

  it("refuses bad input with a message naming the field, and writes nothing", async () => {
    const s = await district();
    const retired = await createProgram(prisma, { active: false });
    const today = districtToday();
    const tomorrow = addDays(calendarDateToUtc(today), 1).toISOString().slice(0, 10);
    const cases: Array<[string, Record<string, string>, Record<string, string>]> = [
      ["no program", { programId: "" }, { programId: "Program: choose a program" }],
      ["an unknown program", { programId: "nosuchprogram" }, { programId: "Program: choose a program from the list" }],
      ["a retired program", { programId: retired.id }, { programId: "Program: this program is retired; choose an active one" }],
      ["no issue date", { issuedOn: "" }, { issuedOn: "Issued on is required" }],
      ["a date that does not exist", { issuedOn: "2025-02-30" }, { issuedOn: expect.stringMatching(/^Issued on: .*2025-02-30/) }],
      ["not a date", { issuedOn: "last spring" }, { issuedOn: expect.stringMatching(/^Issued on: /) }],
      ["an issue date in the future", { issuedOn: tomorrow }, { issuedOn: expect.stringMatching(/^Issued on: .* is in the future/) }],
      ["an expiry that does not exist", { expiresOn: "2028-13-01" }, { expiresOn: expect.stringMatching(/^Expires on: /) }],
      ["an expiry on the issue date", { expiresOn: "2025-11-03" }, { expiresOn: "Expires on: must be after the issue date (2025-11-03)" }],
      ["an expiry before the issue date", { expiresOn: "2024-01-01" }, { expiresOn: "Expires on: must be after the issue date (2025-11-03)" }],
      ["no source", { source: "  " }, { source: "Source is required" }],
      ["no evidence", { evidenceNote: "" }, { evidenceNote: "Evidence is required" }],
      ["evidence too long", { evidenceNote: "e".repeat(501) }, { evidenceNote: "Evidence must be at most 500 characters" }],
    ];
    for (const [name, change, errors] of cases) {
      const res = await recordPost(admin, s.ana.id, { ...VALID(s.W.id), ...change });
      expect(res.status, name).toBe(400);
      expect((res.data as { errors: Record<string, string> }).errors, name).toEqual(errors);
    }
    expect(await prisma.certification.count({ where: { personId: s.ana.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "certification.record", details: { contains: s.W.id } } })).toBe(0);
    expect(await s.figures()).toEqual({ schoolCurrent: 1, schoolTrainedYear: 1, districtCurrent: 1 });
  });

  it("today is accepted as the issue date", async () => {
    const s = await district();
    const today = districtToday();
    const res = await recordPost(admin, s.ana.id, { ...VALID(s.W.id), issuedOn: today });
    expect(res.status).toBe(302);
    expect(await prisma.certification.count({ where: { personId: s.ana.id, issuedOn: calendarDateToUtc(today) } })).toBe(1);
  });

  it("trainers, coordinators and members get 403 on the page and the post; leads and administrators may; an unknown person is a 404", async () => {
    const s = await district();
    const trainer = await signIn("TRAINER");
    const coordinator = await signIn("COORDINATOR", { schoolIds: [s.W1.id] });
    const member = await signIn("MEMBER", { personId: s.ana.id });
    for (const who of [trainer, coordinator, member]) {
      expect((await recordPage(who, s.ana.id)).status, who.user.role).toBe(403);
      expect((await recordPost(who, s.ana.id, VALID(s.W.id))).status, who.user.role).toBe(403);
    }
    expect(await prisma.certification.count({ where: { personId: s.ana.id } })).toBe(0);
    for (const who of [lead, admin]) {
      const page = await recordPage(who, s.ana.id);
      expect(page.status, who.user.role).toBe(200);
      expect((page.data as { programs: Array<{ id: string }> }).programs.map((p) => p.id)).toContain(s.W.id);
    }
    expect((await recordPage(admin, "nosuchperson")).status).toBe(404);
    expect((await recordPost(admin, "nosuchperson", VALID(s.W.id))).status).toBe(404);
  });
});
