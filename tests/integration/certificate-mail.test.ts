/**
 * Emailing new certificates when a session closes: through a real SMTP server started by the test
 * (the model, as the close action calls it) and through the close page (which uses the outbox:
 * the tests run without SMTP_URL). Each holder gets exactly one message, however often the session
 * is closed or the sending started, with their certificate as a PDF that carries their exact name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFParse } from "pdf-parse";
import type { ParsedMail } from "mailparser";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { renderPage } from "./page-render";
import { createPerson, createProgram, createSchool, createSession, enroll, recordAttendance } from "../../prisma/seed/factories";
import * as closeRoute from "~/routes/sessions.$sessionId.close";
import { closeSession, reopenSession } from "~/models/session-closing.server";
import { queueCertificateDeliveries, sendCertificateDeliveries } from "~/models/certificate-mail.server";
import { getEnv } from "~/env.server";

const ZONE = "America/Los_Angeles";
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let school: { id: string };
let program: { id: string; name: string };

beforeAll(async () => {
  smtp = await startSmtpServer();
  school = await createSchool(prisma);
  program = await createProgram(prisma, { preset: "YMHFA", hours: 6.5 });
});

afterAll(async () => {
  await smtp.close();
});

type Holder = { firstName: string; lastName: string; email: string | null; language?: "en" | "es" };

/** A past session at the school with each person present and post-work done: closing certifies them all. */
async function sessionReadyToClose(holders: Holder[]) {
  const trainer = await signIn("TRAINER");
  const session = await createSession(prisma, {
    programId: program.id, schoolId: school.id, leadTrainerId: trainer.user.id,
    days: [{ startsAt: new Date("2025-03-10T16:00:00Z"), endsAt: new Date("2025-03-10T22:30:00Z") }],
  });
  const people = [];
  for (const h of holders) {
    const person = await createPerson(prisma, { firstName: h.firstName, lastName: h.lastName, email: h.email, language: h.language ?? "en" });
    const enrollment = await enroll(prisma, { sessionId: session.id, personId: person.id, postWorkCompletedOn: new Date("2025-03-12T00:00:00Z") });
    await recordAttendance(prisma, { enrollmentId: enrollment.id, sessionDayId: session.days[0].id });
    people.push(person);
  }
  return { trainer, session, people };
}

async function closeAndSend(sessionId: string, actorId: string) {
  const outcome = await closeSession(sessionId, actorId, ZONE);
  await queueCertificateDeliveries(sessionId, outcome.issued.map((i) => i.personId), actorId);
  return sendCertificateDeliveries(sessionId, smtp.transport);
}

async function pdfText(content: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(content) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

const uniqueEmail = (name: string) => `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@staff.example.org`;

describe("certificate emails over SMTP", () => {
  let s: Awaited<ReturnType<typeof sessionReadyToClose>>;
  const anh = { firstName: "Nguyễn Thị", lastName: "Ánh", email: uniqueEmail("anh"), language: "es" as const };
  const wang = { firstName: "王", lastName: "小明", email: uniqueEmail("wang") };
  const rejected = { firstName: "Rita", lastName: "Rejected", email: uniqueEmail("rita") };
  const noEmail = { firstName: "Nora", lastName: "Nomail", email: null };
  let anhMail: ParsedMail;

  beforeAll(async () => {
    s = await sessionReadyToClose([anh, wang, rejected, noEmail]);
    smtp.reject(rejected.email);
    const summary = await closeAndSend(s.session.id, s.trainer.user.id);
    expect(summary).toEqual({ sent: 2, failed: 1, left: 0 });
    anhMail = await parseMail(smtp.to(anh.email)[0].raw);
  });

  it("each holder gets exactly one message, with a PDF whose text carries their exact name", async () => {
    for (const holder of [anh, wang]) {
      const messages = smtp.to(holder.email);
      expect(messages).toHaveLength(1);
      const mail = await parseMail(messages[0].raw);
      const pdf = mail.attachments.find((a) => a.contentType === "application/pdf");
      expect(pdf, `a PDF for ${holder.lastName}`).toBeDefined();
      const text = await pdfText(pdf!.content);
      expect(text).toContain(`${holder.firstName} ${holder.lastName}`);
      expect(text).toContain(program.name);
    }
  });

  it("is in the holder's language, with the public check link, the link to /me and the renewal calendar", async () => {
    const cert = await prisma.certification.findFirstOrThrow({ where: { sessionId: s.session.id, personId: s.people[0].id } });
    const { PUBLIC_BASE_URL } = getEnv();
    expect(anhMail.subject).toBe(`Su certificado: ${program.name}`);
    expect(anhMail.text).toContain(`${PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
    // The link to their page lands on this certificate through the email-link sign-in, in their language.
    expect(anhMail.text).toContain(`${PUBLIC_BASE_URL}/login/email?redirectTo=${encodeURIComponent(`/me#certificate-${cert.id}`)}&lang=es`);
    const pdf = anhMail.attachments.find((a) => a.contentType === "application/pdf");
    expect(await pdfText(pdf!.content)).toContain("Certificado de finalización");
    const ics = anhMail.attachments.find((a) => a.filename?.endsWith(".ics"));
    expect(ics?.content.toString("utf8")).toContain("BEGIN:VCALENDAR");
    expect(ics?.content.toString("utf8")).toContain("renewal window opens");
    const wangMail = await parseMail(smtp.to(wang.email)[0].raw);
    expect(wangMail.subject).toBe(`Your certificate: ${program.name}`);
  });

  it("records who was sent what: SENT, FAILED with the server's error, SKIPPED without an email", async () => {
    const rows = await prisma.certificateDelivery.findMany({
      where: { sessionId: s.session.id },
      select: { status: true, toAddress: true, lastError: true, channel: true, attempts: true, certification: { select: { personId: true } } },
    });
    const byPerson = new Map(rows.map((r) => [r.certification.personId, r]));
    const [pAnh, pWang, pRejected, pNoEmail] = s.people;
    expect(byPerson.get(pAnh.id)).toMatchObject({ status: "SENT", channel: "smtp", toAddress: anh.email, attempts: 1 });
    expect(byPerson.get(pWang.id)).toMatchObject({ status: "SENT", channel: "smtp" });
    expect(byPerson.get(pRejected.id)?.status).toBe("FAILED");
    expect(byPerson.get(pRejected.id)?.lastError).toMatch(/Mailbox unavailable/);
    expect(byPerson.get(pNoEmail.id)).toMatchObject({ status: "SKIPPED", toAddress: null, attempts: 0 });
    expect(smtp.to(rejected.email)).toHaveLength(0);
  });

  it("a second close after reopening, and sending again, never doubles a message", async () => {
    await reopenSession(s.session.id, s.trainer.user.id, "fix attendance");
    const again = await closeAndSend(s.session.id, s.trainer.user.id);
    expect(again.sent).toBe(0);
    // Queueing the same people again inserts nothing: the certificate already has its delivery.
    const everyone = s.people.map((p) => p.id);
    expect(await queueCertificateDeliveries(s.session.id, everyone, s.trainer.user.id)).toBe(0);
    expect(await prisma.certificateDelivery.count({ where: { sessionId: s.session.id } })).toBe(4);
    expect(smtp.to(anh.email)).toHaveLength(1);
    expect(smtp.to(wang.email)).toHaveLength(1);
  });

  it("a failed one is sent once more when asked, and only then", async () => {
    smtp.accept(rejected.email);
    // Waiting ones only: a failure is not retried by itself.
    expect((await sendCertificateDeliveries(s.session.id, smtp.transport)).sent).toBe(0);
    expect((await sendCertificateDeliveries(s.session.id, smtp.transport, { includeFailed: true })).sent).toBe(1);
    expect((await sendCertificateDeliveries(s.session.id, smtp.transport, { includeFailed: true })).sent).toBe(0);
    expect(smtp.to(rejected.email)).toHaveLength(1);
    expect(smtp.to(anh.email)).toHaveLength(1);
  });
});

describe("concurrent sending", () => {
  it("two senders at once (two closes' sends, or a close and a button) send each message once", async () => {
    const holders = [1, 2, 3].map((n) => ({ firstName: "Con", lastName: `Current${n}`, email: uniqueEmail(`con${n}`) }));
    const s = await sessionReadyToClose(holders);
    const outcome = await closeSession(s.session.id, s.trainer.user.id, ZONE);
    const ids = outcome.issued.map((i) => i.personId);
    // Two queueings at once make one delivery per certificate.
    await Promise.all([queueCertificateDeliveries(s.session.id, ids, s.trainer.user.id), queueCertificateDeliveries(s.session.id, ids, s.trainer.user.id)]);
    expect(await prisma.certificateDelivery.count({ where: { sessionId: s.session.id } })).toBe(3);
    smtp.options.delayMs = 150;
    try {
      const [a, b] = await Promise.all([sendCertificateDeliveries(s.session.id, smtp.transport), sendCertificateDeliveries(s.session.id, smtp.transport)]);
      expect(a.sent + b.sent).toBe(3);
    } finally {
      smtp.options.delayMs = 0;
    }
    for (const h of holders) expect(smtp.to(h.email)).toHaveLength(1);
  });

  it("a claim left by a sender that died is taken over after 15 minutes, not before", async () => {
    const h = { firstName: "Sam", lastName: "Stale", email: uniqueEmail("sam") };
    const s = await sessionReadyToClose([h]);
    const outcome = await closeSession(s.session.id, s.trainer.user.id, ZONE);
    await queueCertificateDeliveries(s.session.id, outcome.issued.map((i) => i.personId), s.trainer.user.id);
    const claimedAt = new Date();
    await prisma.certificateDelivery.updateMany({ where: { sessionId: s.session.id }, data: { sentAt: claimedAt, attempts: 1 } });
    expect((await sendCertificateDeliveries(s.session.id, smtp.transport)).sent).toBe(0);
    const later = () => new Date(claimedAt.getTime() + 16 * 60 * 1000);
    expect((await sendCertificateDeliveries(s.session.id, smtp.transport, { now: later })).sent).toBe(1);
    expect(smtp.to(h.email)).toHaveLength(1);
  });
});

describe("the close page", () => {
  const post = (sessionId: string, cookie: string, form: Record<string, string>) =>
    call(() => closeRoute.action({ request: makeRequest(`/sessions/${sessionId}/close`, { method: "POST", cookie, form }), params: { sessionId }, context: {} }));
  const outboxTo = (address: string) => prisma.outboxMessage.count({ where: { toAddress: address } });

  it("with the box ticked, each holder is emailed once (outbox here), and the trainer sees who was sent what", async () => {
    const a = { firstName: "Olga", lastName: "Outbox", email: uniqueEmail("olga") };
    const b = { firstName: "Nils", lastName: "Noaddress", email: null };
    const s = await sessionReadyToClose([a, b]);
    const closed = await post(s.session.id, s.trainer.cookie, { intent: "close", emailCertificates: "on" });
    expect(closed.status).toBe(200);
    expect(closed.data).toMatchObject({ sending: { sent: 1, failed: 0, left: 0 } });
    expect(await outboxTo(a.email)).toBe(1);
    // Closing again after a reopen: no second message.
    await reopenSession(s.session.id, s.trainer.user.id, undefined);
    expect((await post(s.session.id, s.trainer.cookie, { intent: "close", emailCertificates: "on" })).status).toBe(200);
    expect(await outboxTo(a.email)).toBe(1);

    const page = await renderPage("/sessions/:sessionId/close", closeRoute, makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.trainer.cookie }));
    expect(page.status).toBe(200);
    expect(page.html).toContain("Certificate emails");
    expect(page.html).toMatch(/Olga Outbox<\/th><td>[^<]*olga[^<]*<\/td><td>Sent<\/td>/);
    expect(page.html).toMatch(/Nils Noaddress<\/th><td>no email<\/td><td>Not sent: no email<\/td>/);
    expect(page.html).toContain(`href="/sessions/${s.session.id}/certificates.pdf"`);
  });

  it("offers the box ticked by default; unticked, nobody is emailed", async () => {
    const a = { firstName: "Una", lastName: "Unticked", email: uniqueEmail("una") };
    const s = await sessionReadyToClose([a]);
    const page = await renderPage("/sessions/:sessionId/close", closeRoute, makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.trainer.cookie }));
    expect(page.html).toMatch(/<input type="checkbox" id="email-certificates" name="emailCertificates" checked=""/);
    expect(page.html).toContain("Email each new certificate holder their certificate");
    const closed = await post(s.session.id, s.trainer.cookie, { intent: "close" });
    expect(closed.status).toBe(200);
    expect(await prisma.certificateDelivery.count({ where: { sessionId: s.session.id } })).toBe(0);
    expect(await outboxTo(a.email)).toBe(0);
  });

  it("a failed email shows with its error and a Send again button that sends it once", async () => {
    const a = { firstName: "Fay", lastName: "Failed", email: uniqueEmail("fay") };
    const s = await sessionReadyToClose([a]);
    smtp.reject(a.email);
    await closeAndSend(s.session.id, s.trainer.user.id);
    const delivery = await prisma.certificateDelivery.findFirstOrThrow({ where: { sessionId: s.session.id } });
    expect(delivery.status).toBe("FAILED");
    const page = await renderPage("/sessions/:sessionId/close", closeRoute, makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.trainer.cookie }));
    expect(page.html).toMatch(/<td>Failed(<!-- -->)?: [^<]*550 Mailbox unavailable/);
    expect(page.html).toContain("Mailbox unavailable");
    expect(page.html).toContain(`name="deliveryId" value="${delivery.id}"`);
    expect(page.html).toContain(`value="send-again"`);

    const again = await post(s.session.id, s.trainer.cookie, { intent: "send-again", deliveryId: delivery.id });
    expect(again.status).toBe(200);
    expect(await prisma.certificateDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "SENT", channel: "outbox", attempts: 2, lastError: null });
    expect(await outboxTo(a.email)).toBe(1);
    // A second click does nothing: it is sent.
    await post(s.session.id, s.trainer.cookie, { intent: "send-again", deliveryId: delivery.id });
    expect(await outboxTo(a.email)).toBe(1);
  });

  it("sends at most a bounded number in one request; the rest wait for the Send the waiting emails button", async () => {
    const holders = [1, 2, 3].map((n) => ({ firstName: "Bo", lastName: `Bounded${n}`, email: uniqueEmail(`bo${n}`) }));
    const s = await sessionReadyToClose(holders);
    const outcome = await closeSession(s.session.id, s.trainer.user.id, ZONE);
    await queueCertificateDeliveries(s.session.id, outcome.issued.map((i) => i.personId), s.trainer.user.id);
    expect(await sendCertificateDeliveries(s.session.id, smtp.transport, { limit: 1 })).toEqual({ sent: 1, failed: 0, left: 2 });
    const page = await renderPage("/sessions/:sessionId/close", closeRoute, makeRequest(`/sessions/${s.session.id}/close`, { cookie: s.trainer.cookie }));
    expect(page.html).toMatch(/<td>Waiting<\/td>/);
    expect(page.html).toContain(`value="send-waiting"`);
    const rest = await post(s.session.id, s.trainer.cookie, { intent: "send-waiting" });
    expect(rest.data).toEqual({ sending: { sent: 2, failed: 0, left: 0 } });
    const counts = await Promise.all(holders.map(async (h) => smtp.to(h.email).length + (await outboxTo(h.email))));
    expect(counts).toEqual([1, 1, 1]);
  });

  it("send again names the missing field, and only the session's trainers and admins may use it", async () => {
    const s = await sessionReadyToClose([{ firstName: "Ada", lastName: "Access", email: uniqueEmail("ada") }]);
    const missing = await post(s.session.id, s.trainer.cookie, { intent: "send-again" });
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual({ error: expect.stringContaining("deliveryId") });
    const otherTrainer = await signIn("TRAINER");
    expect((await post(s.session.id, otherTrainer.cookie, { intent: "send-waiting" })).status).toBe(404);
    const lead = await signIn("PROGRAM_LEAD");
    expect((await post(s.session.id, lead.cookie, { intent: "send-waiting" })).status).toBe(403);
    const coordinator = await signIn("COORDINATOR", { schoolIds: [school.id] });
    expect((await post(s.session.id, coordinator.cookie, { intent: "send-waiting" })).status).toBe(403);
    const member = await signIn("MEMBER");
    expect((await post(s.session.id, member.cookie, { intent: "send-waiting" })).status).toBe(403);
    // A delivery of another session, through this session's page: nothing is sent.
    const other = await sessionReadyToClose([{ firstName: "Oto", lastName: "Othersession", email: uniqueEmail("oto") }]);
    smtp.reject(other.people[0].email ?? "");
    await closeAndSend(other.session.id, other.trainer.user.id);
    const foreign = await prisma.certificateDelivery.findFirstOrThrow({ where: { sessionId: other.session.id } });
    expect(foreign.status).toBe("FAILED");
    const viaWrongPage = await post(s.session.id, s.trainer.cookie, { intent: "send-again", deliveryId: foreign.id });
    expect(viaWrongPage.data).toMatchObject({ sending: { sent: 0 } });
    expect((await prisma.certificateDelivery.findUniqueOrThrow({ where: { id: foreign.id } })).status).toBe("FAILED");
  });
});
