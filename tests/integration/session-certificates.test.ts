/**
 * /sessions/:id/certificates.pdf: every certificate a session issued, one page each, for printing;
 * for the session's trainers and administrators only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PDFParse } from "pdf-parse";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll, issueCertification, recordAttendance } from "../../prisma/seed/factories";
import { closeSession } from "~/models/session-closing.server";
import * as route from "~/routes/sessions.$sessionId.certificates[.pdf]";

async function pdfOf(res: Response): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total };
  } finally {
    await parser.destroy();
  }
}

const load = (sessionId: string, cookie?: string, query = "") =>
  route.loader({ request: makeRequest(`/sessions/${sessionId}/certificates.pdf${query}`, { cookie }), params: { sessionId }, context: {} });

let trainer: Awaited<ReturnType<typeof signIn>>;
let sessionId: string;
let emptySessionId: string;
let schoolId: string;
const names = [["Nguyễn Thị", "Ánh"], ["王", "小明"], ["Ana", "Zúñiga"]] as const;

beforeAll(async () => {
  const school = await createSchool(prisma);
  schoolId = school.id;
  const program = await createProgram(prisma, { preset: "YMHFA", hours: 6.5 });
  trainer = await signIn("TRAINER");
  const session = await createSession(prisma, { programId: program.id, schoolId, leadTrainerId: trainer.user.id });
  sessionId = session.id;
  for (const [firstName, lastName] of names) {
    const person = await createPerson(prisma, { firstName, lastName, language: lastName === "Ánh" ? "es" : "en" });
    await enroll(prisma, { sessionId, personId: person.id });
    await issueCertification(prisma, { personId: person.id, programId: program.id, sessionId });
  }
  // On the roster but not certified: no page.
  const notCertified = await createPerson(prisma, { firstName: "Nadia", lastName: "Notyet" });
  await enroll(prisma, { sessionId, personId: notCertified.id });
  emptySessionId = (await createSession(prisma, { programId: program.id, schoolId, leadTrainerId: trainer.user.id })).id;
});

describe("a session's certificates as one PDF", () => {
  it("has one page per certificate, each with its holder's exact name, in their language", async () => {
    const res = await load(sessionId, trainer.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="certificates-[a-z0-9-]+\.pdf"$/);
    const { text, pages } = await pdfOf(res);
    expect(pages).toBe(3);
    for (const [first, last] of names) expect(text).toContain(`${first} ${last}`);
    expect(text).not.toContain("Nadia Notyet");
    expect(text).toContain("Certificado de finalización");
    expect(text).toContain("Certificate of Completion");
    expect(text).toContain("6.5 hours");
  });

  it("?lang=es prints every page in Spanish; another value is a 400 naming the parameter", async () => {
    const { text } = await pdfOf(await load(sessionId, trainer.cookie, "?lang=es"));
    expect(text).not.toContain("Certificate of Completion");
    expect(text.match(/Certificado de finalización/g)).toHaveLength(3);
    const bad = await load(sessionId, trainer.cookie, "?lang=de").catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Response);
    if (bad instanceof Response) {
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain(`"lang"`);
    }
  });

  it("an administrator may download it too", async () => {
    const admin = await signIn("ADMIN");
    expect((await load(sessionId, admin.cookie)).status).toBe(200);
  });

  it("is a 404 for a session that has issued no certificates, or none that exists", async () => {
    expect((await call(() => load(emptySessionId, trainer.cookie))).status).toBe(404);
    const admin = await signIn("ADMIN");
    expect((await call(() => load("no-such-session", admin.cookie))).status).toBe(404);
  });

  it("other trainers get a 404; program leads, the school's coordinator and members a 403; signed out, sign in", async () => {
    const other = await signIn("TRAINER");
    expect((await call(() => load(sessionId, other.cookie))).status).toBe(404);
    const lead = await signIn("PROGRAM_LEAD");
    expect((await call(() => load(sessionId, lead.cookie))).status).toBe(403);
    const coordinator = await signIn("COORDINATOR", { schoolIds: [schoolId] });
    expect((await call(() => load(sessionId, coordinator.cookie))).status).toBe(403);
    const member = await signIn("MEMBER");
    expect((await call(() => load(sessionId, member.cookie))).status).toBe(403);
    expect((await call(() => load(sessionId))).status).toBe(302);
  });
});

describe("one certificate of the session", () => {
  it("is one page for that holder; another session's certificate is a 404 and a malformed id a 400", async () => {
    const cert = await prisma.certification.findFirstOrThrow({ where: { sessionId, person: { lastName: "Zúñiga" } } });
    const res = await load(sessionId, trainer.cookie, `?certificate=${cert.id}`);
    expect(res.status).toBe(200);
    const { text, pages } = await pdfOf(res);
    expect(pages).toBe(1);
    expect(text).toContain("Ana Zúñiga");
    expect(text).not.toContain("小明");
    const elsewhere = await createPerson(prisma, { firstName: "Else", lastName: "Where" });
    const other = await issueCertification(prisma, { personId: elsewhere.id, programId: cert.programId, sessionId: emptySessionId });
    expect((await call(() => load(sessionId, trainer.cookie, `?certificate=${other.id}`))).status).toBe(404);
    expect((await call(() => load(sessionId, trainer.cookie, "?certificate=../../etc"))).status).toBe(400);
  });
});

describe("closing two sessions of one program at once (perhaps on two app instances)", () => {
  it("renews in a chain, so the person who completed both holds one current certificate of the program, not two", async () => {
    const program = await createProgram(prisma, { preset: "YMHFA" });
    const person = await createPerson(prisma);
    const old = await issueCertification(prisma, { personId: person.id, programId: program.id, issuedOn: new Date("2024-09-01T00:00:00Z") });
    const sessions = [];
    for (const [start, end] of [["2025-03-10T16:00:00Z", "2025-03-10T19:00:00Z"], ["2025-03-10T19:30:00Z", "2025-03-10T23:00:00Z"]]) {
      const session = await createSession(prisma, { programId: program.id, schoolId, leadTrainerId: trainer.user.id, days: [{ startsAt: new Date(start), endsAt: new Date(end) }] });
      const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id, postWorkCompletedOn: new Date("2025-03-12T00:00:00Z") });
      await recordAttendance(prisma, { enrollmentId: enrollment.id, sessionDayId: session.days[0].id });
      sessions.push(session);
    }
    const outcomes = await Promise.all(sessions.map((s) => closeSession(s.id, trainer.user.id, "America/Los_Angeles")));
    expect(outcomes.map((o) => o.issued.map((i) => i.renewed))).toEqual(expect.arrayContaining([[true], [true]]));
    const certs = await prisma.certification.findMany({ where: { personId: person.id, programId: program.id } });
    expect(certs).toHaveLength(3);
    expect(certs.filter((c) => c.renewedById === null)).toHaveLength(1);
    const renewedOld = certs.find((c) => c.id === old.id)?.renewedById;
    const next = certs.find((c) => c.id === renewedOld);
    expect(next?.renewedById).toEqual(certs.find((c) => c.renewedById === null)?.id);
  });
});
