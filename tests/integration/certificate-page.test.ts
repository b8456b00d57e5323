/**
 * A certificate's own page (issue 14, "every change explained"): /people/:personId/certificates/:certificationId,
 * through the real loader and the models that write the events, on whichever engine the run uses. The page is
 * guarded exactly as the person page is, and its history tells the certificate's events in plain words.
 *
 *   ana  staff, school A  P certificate from a session, 2024-09-03 (issued by the trainer)
 *                         P certificate recorded from elsewhere, 2025-11-03 (by the lead): renews the first;
 *                         then revoked by the admin ("Wrong person"), which undoes the renewal
 *   bea  student, school B  P certificate
 *   ben  staff, school A  P 2023-03-15, renewed by P 2026-02-20
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, issueCertification } from "../../prisma/seed/factories";
import { recordAudit } from "~/models/audit.server";
import { recordCertificationElsewhere, revokeCertification } from "~/models/certificate-records.server";
import { schoolYearOf } from "~/domain/school-year";
import * as certificatePage from "~/routes/people.$personId_.certificates.$certificationId._index";
import * as personPage from "~/routes/people.$personId";

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const u = unique("cp");
const year = schoolYearOf(new Date());
const names = { admin: `Ada Admin ${u}`, lead: `Lee Lead ${u}`, trainer: `Terry Trainer ${u}` };

let program: { id: string; code: string; name: string };
let ana: { id: string; firstName: string; lastName: string };
let bea: { id: string; firstName: string; lastName: string };
let ben: { id: string };
let fromSession: { id: string; verificationCode: string };
let recorded: { id: string; verificationCode: string };
let beaCert: { id: string };
let benOld: { id: string };
let benNew: { id: string };
let sessionTitle: string;
const who = {} as Record<"admin" | "lead" | "trainer" | "coordA" | "coordB" | "member", SignedIn>;

beforeAll(async () => {
  const schoolA = await createSchool(prisma);
  const schoolB = await createSchool(prisma);
  program = await createProgram(prisma, { preset: "YMHFA" });
  Object.assign(who, {
    admin: await signIn("ADMIN"), lead: await signIn("PROGRAM_LEAD"), trainer: await signIn("TRAINER"),
    coordA: await signIn("COORDINATOR", { schoolIds: [schoolA.id] }), coordB: await signIn("COORDINATOR", { schoolIds: [schoolB.id] }),
  });
  for (const key of ["admin", "lead", "trainer"] as const) await prisma.user.update({ where: { id: who[key].user.id }, data: { name: names[key] } });
  ana = await createPerson(prisma, { kind: "STAFF", firstName: "Ana", lastName: `Cert${u}`, affiliations: [{ schoolId: schoolA.id, schoolYear: year }] });
  bea = await createPerson(prisma, { kind: "STUDENT", firstName: "Bea", lastName: `Hidden${u}`, affiliations: [{ schoolId: schoolB.id, schoolYear: year }] });
  ben = await createPerson(prisma, { kind: "STAFF", firstName: "Ben", lastName: `Other${u}`, affiliations: [{ schoolId: schoolA.id, schoolYear: year }] });
  who.member = await signIn("MEMBER", { personId: ana.id });

  sessionTitle = `Certificate page session ${u}`;
  const session = await createSession(prisma, {
    programId: program.id, schoolId: schoolA.id, leadTrainerId: who.trainer.user.id, title: sessionTitle,
    days: [{ startsAt: new Date("2024-09-03T16:00:00Z"), endsAt: new Date("2024-09-03T22:00:00Z") }],
  });
  fromSession = await issueCertification(prisma, { personId: ana.id, programId: program.id, sessionId: session.id, issuedOn: day("2024-09-03"), expiresOn: day("2027-09-03") });
  // Audited as closing the session audits it (app/models/session-closing.server.ts).
  await recordAudit(prisma, {
    actorId: who.trainer.user.id, action: "certification.issue", entityType: "Certification", entityId: fromSession.id,
    details: { personId: ana.id, sessionId: session.id, issuedOn: "2024-09-03", expiresOn: "2027-09-03" },
  });
  recorded = await recordCertificationElsewhere({
    personId: ana.id, actorId: who.lead.user.id,
    form: { programId: program.id, issuedOn: "2025-11-03", expiresOn: "2028-11-03", source: "Official MHFA platform", evidenceNote: "PDF emailed by Ana" },
  });
  const outcome = await revokeCertification({ personId: ana.id, certificationId: recorded.id, reason: "Wrong person", actorId: who.admin.user.id });
  expect(outcome.kind).toBe("revoked");

  beaCert = await issueCertification(prisma, { personId: bea.id, programId: program.id });
  benOld = await issueCertification(prisma, { personId: ben.id, programId: program.id, issuedOn: day("2023-03-15"), expiresOn: day("2026-03-15") });
  benNew = await issueCertification(prisma, { personId: ben.id, programId: program.id, issuedOn: day("2026-02-20"), expiresOn: day("2029-02-20"), renews: benOld.id });
});

const path = (personId: string, certificationId: string, query = "") => `/people/${personId}/certificates/${certificationId}${query}`;

function load(viewer: SignedIn, personId: string, certificationId: string, query = "") {
  return call(() => certificatePage.loader({ request: makeRequest(path(personId, certificationId, query), { cookie: viewer.cookie }), params: { personId, certificationId }, context: {} }));
}

async function html(viewer: SignedIn, personId: string, certificationId: string, query = "") {
  const page = await renderPage("/people/:personId/certificates/:certificationId", certificatePage, makeRequest(path(personId, certificationId, query), { cookie: viewer.cookie }));
  return { status: page.status, html: page.html.replaceAll("<!-- -->", "").replaceAll(' data-discover="true"', "").replaceAll("&quot;", '"').replaceAll("&#x27;", "'") };
}

function personStatus(viewer: SignedIn, personId: string) {
  return call(() => personPage.loader({ request: makeRequest(`/people/${personId}`, { cookie: viewer.cookie }), params: { personId }, context: {} }));
}

type History = { history: { entries: Array<{ words: string }> } };
const words = (data: unknown) => (data as History).history.entries.map((e) => e.words);

describe("who may open a certificate's page", () => {
  it("each role gets what the person page gives it: trainers and members 403, another school's coordinator 404", async () => {
    const expected = { admin: 200, lead: 200, coordA: 200, coordB: 404, trainer: 403, member: 403 } as const;
    for (const [key, status] of Object.entries(expected) as Array<[keyof typeof expected, number]>) {
      expect((await load(who[key], ana.id, fromSession.id)).status, key).toBe(status);
      expect((await personStatus(who[key], ana.id)).status, `person page, ${key}`).toBe(status);
    }
  });

  it("a student's certificate is a 404 to a coordinator of another school and to a program lead, as the student's page is", async () => {
    const expected = { admin: 200, coordB: 200, coordA: 404, lead: 404 } as const;
    for (const [key, status] of Object.entries(expected) as Array<[keyof typeof expected, number]>) {
      expect((await load(who[key], bea.id, beaCert.id)).status, key).toBe(status);
      expect((await personStatus(who[key], bea.id)).status, `person page, ${key}`).toBe(status);
    }
    // The 404 names nobody.
    const hidden = await html(who.coordA, bea.id, beaCert.id);
    expect(hidden.status).toBe(404);
    expect(hidden.html).not.toContain(bea.lastName);
  });

  it("another person's certificate under this person's address is a 404, and so is an unknown one", async () => {
    expect((await load(who.admin, ana.id, benNew.id)).status).toBe(404);
    expect((await load(who.admin, ben.id, fromSession.id)).status).toBe(404);
    expect((await load(who.admin, ana.id, `nope${u}`)).status).toBe(404);
    expect((await load(who.admin, `nope${u}`, fromSession.id)).status).toBe(404);
  });
});

describe("what the page shows", () => {
  it("the revoked certificate: status, when and by whom, the reason to administrators and leads only; no PDF, no revoke link", async () => {
    for (const key of ["admin", "lead"] as const) {
      const page = await html(who[key], ana.id, recorded.id);
      expect(page.status).toBe(200);
      expect(page.html).toContain(">Revoked<");
      expect(page.html).toMatch(new RegExp(`Revoked on [^<]+ by ${names.admin} — Wrong person`));
      expect(page.html).toContain("Recorded from Official MHFA platform. Evidence: PDF emailed by Ana");
      expect(page.html).toContain(`href="/verify/${recorded.verificationCode}"`);
      expect(page.html).not.toContain("/pdf");
      expect(page.html).not.toContain("/revoke");
    }
    const coordinator = await html(who.coordA, ana.id, recorded.id);
    expect(coordinator.status).toBe(200);
    expect(coordinator.html).toContain(">Revoked<");
    expect(coordinator.html).toContain(`by ${names.admin}`);
    expect(coordinator.html).toContain("Recorded from Official MHFA platform");
    expect(coordinator.html).not.toContain("Wrong person");
    expect(coordinator.html).not.toContain("PDF emailed by Ana");
  });

  it("a session's certificate: the session link, the PDF for those the PDF route serves, the revoke link for leads and administrators", async () => {
    const admin = await html(who.admin, ana.id, fromSession.id);
    expect(admin.html).toContain(">Current<");
    expect(admin.html).toContain(`The session <a href="/sessions/`);
    expect(admin.html).toContain(sessionTitle);
    expect(admin.html).toContain(`href="/people/${ana.id}/certificates/${fromSession.id}/pdf"`);
    expect(admin.html).toContain(`href="/people/${ana.id}/certificates/${fromSession.id}/revoke"`);
    const lead = await html(who.lead, ana.id, fromSession.id);
    expect(lead.html).not.toContain("/pdf");
    expect(lead.html).toContain(`href="/people/${ana.id}/certificates/${fromSession.id}/revoke"`);
    const coordinator = await html(who.coordA, ana.id, fromSession.id);
    expect(coordinator.html).toContain(`href="/people/${ana.id}/certificates/${fromSession.id}/pdf"`);
    expect(coordinator.html).not.toContain("/revoke");
  });

  it("a renewal links both ways", async () => {
    const old = await html(who.admin, ben.id, benOld.id);
    expect(old.html).toContain(">Renewed<");
    expect(old.html).toContain(`Renewed by</dt><dd>The certificate <a href="/people/${ben.id}/certificates/${benNew.id}">issued Feb 20, 2026</a>`);
    const renewal = await html(who.admin, ben.id, benNew.id);
    expect(renewal.html).toContain(`Renews</dt><dd>The certificate <a href="/people/${ben.id}/certificates/${benOld.id}">issued Mar 15, 2023</a>`);
  });

  it("the person page links each certificate to its page", async () => {
    const page = await renderPage("/people/:personId", personPage, makeRequest(`/people/${ana.id}`, { cookie: who.coordA.cookie }));
    expect(page.html).toContain(`href="/people/${ana.id}/certificates/${fromSession.id}"`);
    expect(page.html).toContain(`href="/people/${ana.id}/certificates/${recorded.id}"`);
  });
});

describe("its history, in plain words", () => {
  const issuedWords = () => `${names.trainer} issued a ${program.code} certificate to Ana ${ana.lastName}`;
  const revokedWords = (reason: boolean) => `${names.admin} revoked certificate ${program.code} (issued Nov 3, 2025) for Ana ${ana.lastName}${reason ? ": Wrong person" : ""}`;
  const recordedWords = (evidence: boolean) =>
    `${names.lead} recorded a ${program.code} certificate for Ana ${ana.lastName} earned elsewhere (Official MHFA platform), issued Nov 3, 2025, expires Nov 3, 2028${evidence ? "; evidence: PDF emailed by Ana" : ""}`;
  const renewedWords = () => `${names.lead} renewed the ${program.code} certificate of Sep 3, 2024 of Ana ${ana.lastName} with the certificate of Nov 3, 2025; the old one is kept`;

  it("the recorded and revoked certificate: recorded, then revoked, newest first; its renewal of the first one too", async () => {
    const res = await load(who.admin, ana.id, recorded.id);
    expect(words(res.data)).toEqual([revokedWords(true), recordedWords(true), renewedWords()]);
  });

  it("the session's certificate: issued, renewed by the recorded one, and that one's revocation (which undid the renewal)", async () => {
    const res = await load(who.lead, ana.id, fromSession.id);
    const told = words(res.data);
    expect(told).toHaveLength(3);
    expect(told[0]).toBe(revokedWords(true));
    expect(told[1]).toBe(renewedWords());
    expect(told[2].startsWith(issuedWords())).toBe(true);
    expect(told[2]).toContain("issued Sep 3, 2024, expires Sep 3, 2027");
  });

  it("a coordinator reads the same events without the reason or the evidence", async () => {
    const res = await load(who.coordA, ana.id, recorded.id);
    expect(words(res.data)).toEqual([revokedWords(false), recordedWords(false), renewedWords()]);
    const page = await html(who.coordA, ana.id, recorded.id);
    expect(page.html).toContain(revokedWords(false));
    expect(page.html).not.toContain("Wrong person");
  });

  it("pages of 50, newest first, with links to older and newest events; a bad link shows the newest with a notice", async () => {
    const cert = await issueCertification(prisma, { personId: ben.id, programId: program.id, issuedOn: day("2020-01-10"), expiresOn: day("2023-01-10") });
    const base = Date.now() - 1000 * 60_000;
    for (let i = 0; i < 52; i += 1) {
      const event = await recordAudit(prisma, { actorId: who.admin.user.id, action: "certification.revoke", entityType: "Certification", entityId: cert.id, details: { reason: `note ${i}`, personId: ben.id, programId: program.id } });
      await prisma.auditEvent.update({ where: { id: event.id }, data: { createdAt: new Date(base + i * 60_000) } });
    }
    const first = await html(who.admin, ben.id, cert.id);
    expect(first.html).toContain(": note 51<");
    expect(first.html).not.toContain(": note 1<");
    const older = /href="([^"]+before=[^"]+)"/.exec(first.html)?.[1];
    expect(older).toBeTruthy();
    const query = older!.replaceAll("&amp;", "&").replace(/^[^?]+/, "").replace(/#history$/, "");
    const second = await html(who.admin, ben.id, cert.id, query);
    expect(second.html).toContain(": note 1<");
    expect(second.html).toContain(": note 0<");
    expect(second.html).not.toContain(": note 51<");
    expect(second.html).toContain(`href="/people/${ben.id}/certificates/${cert.id}#history">Newest events`);
    const bad = await html(who.admin, ben.id, cert.id, "?before=nonsense");
    expect(bad.status).toBe(200);
    expect(bad.html).toContain("This link to older events is not valid");
    expect(bad.html).toContain(": note 51<");
  });
});
