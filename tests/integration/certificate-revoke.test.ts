/**
 * Revoking a certificate issued by mistake (issue 14): through the real routes and models, on whichever
 * engine the run uses. Every figure is counted by hand from the fixture below, never from the code under test.
 *
 * Program W, school year 2025-26, as of 1 March 2026. Region X: school W1 (10 staff).
 *   ana  staff W1  W 2025-09-01 → 2028-09-01   (revoked in the tests)
 *   ben  staff W1  W 2025-10-01 → 2028-10-01
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { rollupOf } from "./rollup-rows";
import { startSmtpServer } from "./smtp-helpers";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import { reachFigures } from "~/models/reach.server";
import { rebuildReachRollups } from "~/models/reach-rollup.server";
import { listPeopleBehind, peopleTrainedBetween, trainedByMonth } from "~/models/reach-sql.server";
import { revokeCertification } from "~/models/certificate-records.server";
import { runReminderPass } from "~/models/reminders.server";
import { listExpiringAtSchools } from "~/models/certification.server";
import { addDays, addMonths } from "~/domain/program-rules";
import * as revokeRoute from "~/routes/people.$personId_.certificates.$certificationId.revoke";
import * as verifyRoute from "~/routes/verify.$code";
import * as personRoute from "~/routes/people.$personId";
import * as personPdfRoute from "~/routes/people.$personId.certificates.$certificationId.pdf";
import * as mePdfRoute from "~/routes/me.certificates.$certificationId.pdf";
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
  const W = await createProgram(prisma);
  const X = await createRegion(prisma);
  const W1 = await createSchool(prisma, { regionId: X.id });
  await prisma.headcount.create({ data: { schoolId: W1.id, schoolYear: 2025, staffCount: 10, studentCount: 100 } });
  const person = (first: string) => createPerson(prisma, { firstName: first, lastName: unique("Rev"), kind: "STAFF", affiliations: [{ schoolId: W1.id, schoolYear: 2025 }] });
  const ana = await person("Ana");
  const ben = await person("Ben");
  const anaCert = await issueCertification(prisma, { personId: ana.id, programId: W.id, issuedOn: day("2025-09-01"), expiresOn: day("2028-09-01") });
  const benCert = await issueCertification(prisma, { personId: ben.id, programId: W.id, issuedOn: day("2025-10-01"), expiresOn: day("2028-10-01") });
  const figures = async () => {
    const f = await reachFigures({
      filters: { schoolYear: 2025, asOf: day("2026-03-01"), programCode: W.code, regionId: null, audience: "all", q: "", sort: "name", dir: "asc", page: 1 },
      programId: W.id, ymhfaProgramId: null, scope: {},
    });
    const school = f.schools.find((s) => s.id === W1.id);
    const region = f.regions.find((r) => r.id === X.id);
    return {
      schoolCurrent: school?.staffCurrent, schoolTrainedYear: school?.staffTrainedYear,
      regionCurrent: region?.staffCurrentPeople ?? 0, districtCurrent: f.total.staffCurrentPeople,
    };
  };
  const trained = async () =>
    (await peopleTrainedBetween({ from: day("2025-07-01"), to: day("2026-03-01"), midpoint: day("2026-01-01"), programId: W.id, years: [], scope: "district" })).total;
  const currentPeople = async () => {
    const list = await listPeopleBehind({
      measure: "current", kind: "STAFF", schoolYear: 2025, asOf: day("2026-03-01"), expiringBefore: day("2026-05-30"),
      year: { year: 2025, startsOn: day("2025-07-01"), endsBefore: day("2026-07-01") }, years: [], programId: W.id,
      scope: { schoolIds: [W1.id] }, limit: 50, position: { offset: 0 },
    });
    return list.rows.map((r) => r.firstName);
  };
  /** Growth by month, district-wide: people trained in September and October 2025. */
  const growth = async () => {
    const months = [
      { key: "2025-09", startsOn: day("2025-09-01"), endsBefore: day("2025-10-01") },
      { key: "2025-10", startsOn: day("2025-10-01"), endsBefore: day("2025-11-01") },
    ];
    const byMonth = await trainedByMonth({ months, asOf: day("2026-03-01"), programId: W.id, kinds: ["STAFF"], years: [], scope: "district" });
    return months.map((m) => byMonth.get(m.key)?.trained);
  };
  return { W, X, W1, ana, ben, anaCert, benCert, figures, trained, currentPeople, growth };
}

function revokePost(who: SignedIn, personId: string, certificationId: string, form: Record<string, string>) {
  const path = `/people/${personId}/certificates/${certificationId}/revoke`;
  return call(() => revokeRoute.action({ request: makeRequest(path, { method: "POST", cookie: who.cookie, form }), params: { personId, certificationId }, context: {} }));
}

function revokePage(who: SignedIn, personId: string, certificationId: string) {
  const path = `/people/${personId}/certificates/${certificationId}/revoke`;
  return call(() => revokeRoute.loader({ request: makeRequest(path, { cookie: who.cookie }), params: { personId, certificationId }, context: {} }));
}

function checkPage(code: string) {
  return call(() => verifyRoute.loader({ request: makeRequest(`/verify/${code}`), params: { code }, context: {} }));
}

describe("revoking a certificate", () => {
  it("an administrator revokes with a reason: stored, audited, and the public check says revoked with the date, never the reason", async () => {
    const s = await district();
    const before = await checkPage(s.anaCert.verificationCode);
    expect(before.data).toMatchObject({ certificate: { status: "active" } });

    const res = await revokePost(admin, s.ana.id, s.anaCert.id, { reason: "Issued in error: wrong roster" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/people/${s.ana.id}#certificate-${s.anaCert.id}`);

    const stored = await prisma.certification.findUniqueOrThrow({ where: { id: s.anaCert.id } });
    expect(stored.revokedAt).toBeInstanceOf(Date);
    expect(stored.revokedById).toBe(admin.user.id);
    expect(stored.revokedReason).toBe("Issued in error: wrong roster");

    const audit = await prisma.auditEvent.findMany({ where: { entityType: "Certification", entityId: s.anaCert.id, action: "certification.revoke" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(admin.user.id);
    expect(JSON.parse(audit[0].details)).toEqual({ reason: "Issued in error: wrong roster", personId: s.ana.id, programId: s.W.id });

    const check = await checkPage(s.anaCert.verificationCode);
    expect(check.status).toBe(200);
    const iso = stored.revokedAt!.toISOString().slice(0, 10);
    expect(check.data).toMatchObject({ certificate: { status: "revoked", revokedOn: { iso } } });
    expect(JSON.stringify(check.data)).not.toContain("wrong roster");
    const page = await renderPage("/verify/:code", verifyRoute, makeRequest(`/verify/${s.anaCert.verificationCode}`));
    expect(page.html).toContain("Revoked (no longer valid)");
    expect(page.html).toMatch(/This certificate was revoked on .+ and is no longer valid\./);
    expect(page.html).not.toContain("wrong roster");
    expect(page.html).not.toContain(s.ana.districtId ?? "no district id");

    // The other certificate is untouched.
    expect((await checkPage(s.benCert.verificationCode)).data).toMatchObject({ certificate: { status: "active" } });
  });

  it("reach stops counting it: every figure drops by one, the people list leaves it out, and the rollup equals a rebuild", async () => {
    const s = await district();
    expect(await s.figures()).toEqual({ schoolCurrent: 2, schoolTrainedYear: 2, regionCurrent: 2, districtCurrent: 2 });
    expect(await s.trained()).toBe(2);
    expect(await s.currentPeople()).toEqual(["Ana", "Ben"]);
    expect(await s.growth()).toEqual([1, 1]);

    const outcome = await revokeCertification({ personId: s.ana.id, certificationId: s.anaCert.id, reason: "Issued in error", actorId: lead.user.id });
    expect(outcome.kind).toBe("revoked");
    // The trigger queued ana: the figures are exact on the next read.
    expect(await prisma.reachDirty.count({ where: { personId: s.ana.id } })).toBe(1);

    expect(await s.figures()).toEqual({ schoolCurrent: 1, schoolTrainedYear: 1, regionCurrent: 1, districtCurrent: 1 });
    expect(await s.trained()).toBe(1);
    expect(await s.currentPeople()).toEqual(["Ben"]);
    expect(await s.growth()).toEqual([0, 1]);

    const incremental = await rollupOf([s.W.id]);
    await rebuildReachRollups();
    expect(await rollupOf([s.W.id])).toEqual(incremental);
    expect(await s.figures()).toEqual({ schoolCurrent: 1, schoolTrainedYear: 1, regionCurrent: 1, districtCurrent: 1 });
  });

  it("twice, or twice at once, revokes once: one audit row, and the second is told it was already revoked", async () => {
    const s = await district();
    const [a, b] = await Promise.all([
      revokeCertification({ personId: s.ana.id, certificationId: s.anaCert.id, reason: "first", actorId: admin.user.id }),
      revokeCertification({ personId: s.ana.id, certificationId: s.anaCert.id, reason: "second", actorId: lead.user.id }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(["already-revoked", "revoked"]);
    expect(await prisma.auditEvent.count({ where: { entityId: s.anaCert.id, action: "certification.revoke" } })).toBe(1);
    const stored = await prisma.certification.findUniqueOrThrow({ where: { id: s.anaCert.id } });
    const winner = a.kind === "revoked" ? { reason: "first", by: admin.user.id } : { reason: "second", by: lead.user.id };
    expect([stored.revokedReason, stored.revokedById]).toEqual([winner.reason, winner.by]);

    // Through the page: a third attempt changes nothing and says so.
    const again = await revokePost(lead, s.ana.id, s.anaCert.id, { reason: "third" });
    expect(again.status).toBe(409);
    expect(again.data).toMatchObject({ alreadyRevoked: expect.stringContaining("already revoked") });
    expect(await prisma.auditEvent.count({ where: { entityId: s.anaCert.id, action: "certification.revoke" } })).toBe(1);
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: s.anaCert.id } })).revokedReason).toBe(winner.reason);
    expect(await s.figures()).toMatchObject({ schoolCurrent: 1, districtCurrent: 1 });
  });

  it("revoking a renewal issued by mistake makes the certificate it replaced current again", async () => {
    const s = await district();
    const old = await issueCertification(prisma, { personId: s.ben.id, programId: s.W.id, issuedOn: day("2023-03-15"), expiresOn: day("2026-03-15") });
    const renewal = await issueCertification(prisma, { personId: s.ben.id, programId: s.W.id, issuedOn: day("2026-02-20"), expiresOn: day("2029-02-20"), renews: old.id });
    await revokeCertification({ personId: s.ben.id, certificationId: renewal.id, reason: "Renewal recorded for the wrong session", actorId: admin.user.id });
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: old.id } })).renewedById).toBeNull();
    const [audit] = await prisma.auditEvent.findMany({ where: { entityId: renewal.id, action: "certification.revoke" } });
    expect(JSON.parse(audit.details)).toEqual({ reason: "Renewal recorded for the wrong session", personId: s.ben.id, programId: s.W.id, renewalUndone: [old.id] });
    expect((await checkPage(old.verificationCode)).data).toMatchObject({ certificate: { status: "expired" } });
    // Ben is still one current person (his 2025-10-01 certificate).
    expect(await s.figures()).toMatchObject({ schoolCurrent: 2, districtCurrent: 2 });
  });

  it("a reason is required, and a refused post writes nothing", async () => {
    const s = await district();
    for (const reason of ["", "   "]) {
      const res = await revokePost(admin, s.ana.id, s.anaCert.id, { reason });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({ errors: { reason: "Reason is required" } });
    }
    const long = await revokePost(admin, s.ana.id, s.anaCert.id, { reason: "x".repeat(501) });
    expect(long.data).toMatchObject({ errors: { reason: "Reason must be at most 500 characters" } });
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: s.anaCert.id } })).revokedAt).toBeNull();
    expect(await prisma.auditEvent.count({ where: { entityId: s.anaCert.id, action: "certification.revoke" } })).toBe(0);
  });

  it("trainers, coordinators and members get 403 on the page and the post; a certificate of someone else is a 404", async () => {
    const s = await district();
    const trainer = await signIn("TRAINER");
    const coordinator = await signIn("COORDINATOR", { schoolIds: [s.W1.id] });
    const member = await signIn("MEMBER", { personId: s.ana.id });
    for (const who of [trainer, coordinator, member]) {
      expect((await revokePage(who, s.ana.id, s.anaCert.id)).status, who.user.role).toBe(403);
      expect((await revokePost(who, s.ana.id, s.anaCert.id, { reason: "not mine to revoke" })).status, who.user.role).toBe(403);
    }
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: s.anaCert.id } })).revokedAt).toBeNull();
    expect((await revokePage(lead, s.ana.id, s.anaCert.id)).status).toBe(200);
    expect((await revokePage(admin, s.ana.id, s.anaCert.id)).status).toBe(200);
    // Ben's certificate is not on Ana's page.
    expect((await revokePage(admin, s.ana.id, s.benCert.id)).status).toBe(404);
    expect((await revokePost(admin, s.ana.id, s.benCert.id, { reason: "wrong page" })).status).toBe(404);
    expect((await prisma.certification.findUniqueOrThrow({ where: { id: s.benCert.id } })).revokedAt).toBeNull();
  });

  it("its PDF is no longer offered, and the person page and the member's page show it as revoked", async () => {
    const s = await district();
    const member = await signIn("MEMBER", { personId: s.ana.id });
    const pdf = (who: SignedIn, route: "person" | "me") =>
      route === "person"
        ? call(() => personPdfRoute.loader({ request: makeRequest(`/people/${s.ana.id}/certificates/${s.anaCert.id}/pdf`, { cookie: who.cookie }), params: { personId: s.ana.id, certificationId: s.anaCert.id }, context: {} }))
        : call(() => mePdfRoute.loader({ request: makeRequest(`/me/certificates/${s.anaCert.id}/pdf`, { cookie: who.cookie }), params: { certificationId: s.anaCert.id }, context: {} }));
    expect((await pdf(admin, "person")).status).toBe(200);
    expect((await pdf(member, "me")).status).toBe(200);

    await revokeCertification({ personId: s.ana.id, certificationId: s.anaCert.id, reason: "Issued in error", actorId: admin.user.id });
    expect((await pdf(admin, "person")).status).toBe(404);
    expect((await pdf(member, "me")).status).toBe(404);

    for (const who of [admin, lead]) {
      const page = await renderPage("/people/:personId", personRoute, makeRequest(`/people/${s.ana.id}`, { cookie: who.cookie }));
      expect(page.status).toBe(200);
      const html = page.html.replaceAll("<!-- -->", "");
      expect(html).toContain(">Revoked<");
      expect(html).toMatch(/Revoked on [^<]+ — Issued in error/);
      expect(html).not.toContain(`/people/${s.ana.id}/certificates/${s.anaCert.id}/pdf`);
      expect(html).not.toContain(`/people/${s.ana.id}/certificates/${s.anaCert.id}/revoke`);
      expect(html).toContain(`/people/${s.ana.id}/certificates/new`);
    }
    const coordinator = await signIn("COORDINATOR", { schoolIds: [s.W1.id] });
    const seenByCoordinator = (await renderPage("/people/:personId", personRoute, makeRequest(`/people/${s.ana.id}`, { cookie: coordinator.cookie }))).html.replaceAll("<!-- -->", "");
    expect(seenByCoordinator).toContain(">Revoked<");
    expect(seenByCoordinator).not.toContain("Issued in error");
    expect(seenByCoordinator).not.toContain("/certificates/new");

    const me = await renderPage("/me", meRoute, makeRequest("/me", { cookie: member.cookie }));
    const meHtml = me.html.replaceAll("<!-- -->", "");
    expect(meHtml).toContain(">Revoked<");
    expect(meHtml).toContain("this certificate is no longer valid");
    expect(meHtml).not.toContain(`/me/certificates/${s.anaCert.id}/pdf`);
  });
});

describe("revoked certificates get no renewal reminders and leave the coordinator's lists", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  // Noon UTC is the same calendar day in the district (America/Los_Angeles).
  const noon = (d: Date) => new Date(d.getTime() + 12 * 3600_000);

  it("reminders skip it, before and after a reminder was sent; the other holder is still reminded", async () => {
    // Its own year, far from other tests' dates.
    const E = day("2034-06-16");
    const program = await prisma.program.create({
      data: { code: unique("RVK"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, reminderDays: "90,30,7,0" },
    });
    const person = (first: string) => prisma.person.create({ data: { firstName: first, lastName: unique("Rmd"), kind: "STAFF", email: `${unique("rv")}@example.test` } });
    const [ana, ben, cal] = [await person("Ana"), await person("Ben"), await person("Cal")];
    const certify = (personId: string) => prisma.certification.create({ data: { personId, programId: program.id, issuedOn: addMonths(E, -36), expiresOn: E, verificationCode: unique("vc") } });
    const [anaCert, benCert, calCert] = [await certify(ana.id), await certify(ben.id), await certify(cal.id)];
    // Cal's is revoked before any reminder.
    await revokeCertification({ personId: cal.id, certificationId: calCert.id, reason: "Issued in error", actorId: admin.user.id });

    const quiet = () => {};
    await runReminderPass({ now: noon(addDays(E, -90)), transport: smtp.transport, log: quiet });
    expect(smtp.to(ana.email!)).toHaveLength(1);
    expect(smtp.to(ben.email!)).toHaveLength(1);
    expect(smtp.to(cal.email!)).toHaveLength(0);

    // Ana's is revoked after her 90-day reminder.
    await revokeCertification({ personId: ana.id, certificationId: anaCert.id, reason: "Wrong person", actorId: admin.user.id });
    for (const offset of [-30, -7, 0]) await runReminderPass({ now: noon(addDays(E, offset)), transport: smtp.transport, log: quiet });
    expect(smtp.to(ana.email!)).toHaveLength(1);
    expect(smtp.to(ben.email!)).toHaveLength(4);
    expect(smtp.to(cal.email!)).toHaveLength(0);

    const sent = async (certificationId: string) =>
      (await prisma.reminderDelivery.findMany({ where: { certificationId, status: "SENT" }, orderBy: { daysBefore: "desc" } })).map((r) => r.daysBefore);
    expect(await sent(anaCert.id)).toEqual([90]);
    expect(await sent(benCert.id)).toEqual([90, 30, 7, 0]);
    expect(await prisma.reminderDelivery.count({ where: { certificationId: calCert.id, status: { not: "SKIPPED" } } })).toBe(0);
    expect(await prisma.reminderDelivery.count({ where: { certificationId: anaCert.id, status: { in: ["PENDING", "FAILED", "SENDING"] } } })).toBe(0);
  });

  it("the coordinator's expiring list and school counts leave it out", async () => {
    const W = await createProgram(prisma);
    const S = await createSchool(prisma);
    const soon = (first: string) => createPerson(prisma, { firstName: first, lastName: unique("Exp"), kind: "STAFF", affiliations: [{ schoolId: S.id, schoolYear: 2025 }] });
    const [ana, ben] = [await soon("Ana"), await soon("Ben")];
    const asOf = day("2026-03-01");
    const anaCert = await issueCertification(prisma, { personId: ana.id, programId: W.id, issuedOn: day("2023-04-01"), expiresOn: day("2026-04-01") });
    await issueCertification(prisma, { personId: ben.id, programId: W.id, issuedOn: day("2023-04-02"), expiresOn: day("2026-04-02") });
    const coordinator = await signIn("COORDINATOR", { schoolIds: [S.id] });
    const viewer = { id: coordinator.user.id, role: "COORDINATOR" as const, personId: null, schoolIds: [S.id] };
    const listed = async () => (await listExpiringAtSchools(viewer, 2025, asOf)).filter((c) => c.program.code === W.code).map((c) => (c.person.hidden ? "hidden" : c.person.firstName));
    expect(await listed()).toEqual(["Ana", "Ben"]);
    await revokeCertification({ personId: ana.id, certificationId: anaCert.id, reason: "Issued in error", actorId: admin.user.id });
    expect(await listed()).toEqual(["Ben"]);
  });
});
