import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { parseMail, startSmtpServer } from "./smtp-helpers";
import { renderPage } from "./page-render";
import { listRemindersForPerson, runReminderPass, type ReminderTransport } from "~/models/reminders.server";
import { addDays, addMonths } from "~/domain/program-rules";
import type { PersonKind } from "~/generated/prisma/client";
import * as unsubscribeRoute from "~/routes/reminders.unsubscribe.$token";
import * as adminRemindersRoute from "~/routes/admin.reminders";
import * as outboxRoute from "~/routes/admin.outbox._index";
import * as outboxMessageRoute from "~/routes/admin.outbox.$messageId";

// Every test works in its own years (2031, 2032, ...), far from the real dates other test files
// use in this shared worker database, and asserts only on its own people's mail and rows.

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

const day = (s: string) => new Date(`${s}T00:00:00Z`);
/** Noon UTC is the same calendar day in the district's time zone (America/Los_Angeles). */
const noon = (d: Date) => new Date(d.getTime() + 12 * 3600_000);
const quiet = () => {};

function pass(on: Date, transport: ReminderTransport = smtp.transport, at = noon(on)) {
  return runReminderPass({ now: at, transport, log: quiet });
}

async function makeProgram(over: { validityMonths?: number | null; reminderDays?: string } = {}) {
  return prisma.program.create({
    data: {
      code: unique("RMD"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS",
      validityMonths: 36, renewalWindowDays: 90, reminderDays: "90,30,7,0", ...over,
    },
  });
}

async function makePerson(opts: { kind?: PersonKind; email?: string | null; firstName?: string; optedOut?: boolean } = {}) {
  return prisma.person.create({
    data: {
      firstName: opts.firstName ?? "Ana",
      lastName: unique("Lopez"),
      kind: opts.kind ?? "STAFF",
      email: opts.email === undefined ? `${unique("rm")}@example.test` : opts.email,
      remindersOptOutAt: opts.optedOut ? day("2030-01-01") : null,
    },
  });
}

async function certify(personId: string, programId: string, expiresOn: Date | null, issuedOn?: Date) {
  return prisma.certification.create({
    data: {
      personId, programId, expiresOn,
      issuedOn: issuedOn ?? (expiresOn ? addMonths(expiresOn, -36) : day("2030-01-01")),
      verificationCode: unique("vc"),
    },
  });
}

function rowsOf(certificationId: string) {
  return prisma.reminderDelivery.findMany({ where: { certificationId }, orderBy: { daysBefore: "desc" } });
}

describe("who gets which reminder, on which day", () => {
  it("emails 90, 30, 7 and 0 days before expiry and on no other day; no email for a student without an address or an unsubscribed person, but recorded", async () => {
    const E = day("2031-06-16");
    const program = await makeProgram();
    const qpr = await makeProgram({ validityMonths: null });
    const ana = await makePerson({ firstName: "Ana" });
    const ben = await makePerson({ kind: "COMMUNITY", firstName: "Ben" });
    const sam = await makePerson({ kind: "STUDENT", email: null, firstName: "Sam" });
    const uma = await makePerson({ firstName: "Uma", optedOut: true });
    const nora = await makePerson({ firstName: "Nora" });
    const certs = {
      ana: await certify(ana.id, program.id, E),
      ben: await certify(ben.id, program.id, E),
      sam: await certify(sam.id, program.id, E),
      uma: await certify(uma.id, program.id, E),
      // Never expires: never reminded.
      nora: await certify(nora.id, qpr.id, null),
    };
    const emails = { ana: ana.email!, ben: ben.email!, uma: uma.email!, nora: nora.email! };

    const mailedOn: Record<keyof typeof emails, number[]> = { ana: [], ben: [], uma: [], nora: [] };
    const everyone = ["ana", "ben", "uma", "nora"] as const;
    // A pass every day from 95 days before expiry to 16 days after.
    for (let offset = -95; offset <= 16; offset += 1) {
      const before = everyone.map((who) => smtp.to(emails[who]).length);
      await pass(addDays(E, offset));
      everyone.forEach((who, i) => {
        if (smtp.to(emails[who]).length > before[i]) mailedOn[who].push(offset);
      });
    }
    expect(mailedOn).toEqual({ ana: [-90, -30, -7, 0], ben: [-90, -30, -7, 0], uma: [], nora: [] });
    expect(smtp.to(emails.ana)).toHaveLength(4);

    for (const who of ["ana", "ben"] as const) {
      const rows = await rowsOf(certs[who].id);
      expect(rows.map((r) => [r.daysBefore, r.status, r.channel, r.attempts])).toEqual([
        [90, "SENT", "smtp", 0], [30, "SENT", "smtp", 0], [7, "SENT", "smtp", 0], [0, "SENT", "smtp", 0],
      ]);
      expect(rows.map((r) => r.sentAt)).toEqual([-90, -30, -7, 0].map((o) => noon(addDays(E, o))));
      expect(rows.map((r) => r.dueOn)).toEqual([-90, -30, -7, 0].map((o) => addDays(E, o)));
    }
    // Recorded as sent without an email, so it still shows on their page.
    for (const who of ["sam", "uma"] as const) {
      const rows = await rowsOf(certs[who].id);
      expect(rows.map((r) => [r.daysBefore, r.status, r.channel])).toEqual([
        [90, "SENT", "none"], [30, "SENT", "none"], [7, "SENT", "none"], [0, "SENT", "none"],
      ]);
    }
    expect(await rowsOf(certs.nora.id)).toEqual([]);

    // The member page's list.
    const list = await listRemindersForPerson(sam.id);
    expect(list.map((r) => [r.programName, r.daysBefore, r.status, r.channel])).toEqual([
      [program.name, 0, "SENT", "none"], [program.name, 7, "SENT", "none"], [program.name, 30, "SENT", "none"], [program.name, 90, "SENT", "none"],
    ]);
    expect(list[0].dueOn).toEqual(E);

    // The 30-day email, as received: both parts, the right person, certificate and deadline.
    const raw = smtp.to(emails.ana)[1].raw;
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(raw).toMatch(/Content-Type: text\/plain/i);
    expect(raw).toMatch(/Content-Type: text\/html/i);
    const mail = await parseMail(raw);
    expect(mail.subject).toBe(`Your ${program.name} certificate expires in 30 days (June 16, 2031)`);
    expect(mail.from?.text).toContain("no-reply@district.example");
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([emails.ana]);
    expect(mail.text).toContain("Hello Ana ");
    expect(mail.text).toContain("expires on June 16, 2031 (in 30 days)");
    expect(mail.text).toContain("from March 18, 2031 to June 15, 2031");
    expect(mail.text).toContain("http://localhost:3000/login/email?redirectTo=%2Fme%23certificate-");
    expect(mail.text).toContain("http://localhost:3000/login/email?redirectTo=%2Fme%23upcoming&lang=en");
    const unsubscribeUrl = /http:\/\/localhost:3000\/reminders\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
    expect(unsubscribeUrl).toBeDefined();
    expect(mail.html || "").toContain(`href="http://localhost:3000/login/email?redirectTo=%2Fme%23certificate-`);
    expect(mail.html || "").toContain(`href="http://localhost:3000/login/email?redirectTo=%2Fme%23upcoming&amp;lang=en"`);
    expect(mail.html || "").toContain(`href="${unsubscribeUrl}"`);
    expect(mail.html || "").toContain(program.name);
    // One-click unsubscribe headers (RFC 8058), pointing at the same link.
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, " ");
    expect(header("list-unsubscribe")).toBe(`List-Unsubscribe: <${unsubscribeUrl}>`);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("escapes a name in the HTML part", async () => {
    const E = day("2031-11-20");
    const program = await makeProgram();
    const eve = await makePerson({ firstName: "<script>alert(1)</script>" });
    await certify(eve.id, program.id, E);
    await pass(addDays(E, -7));
    const [received] = smtp.to(eve.email!);
    const mail = await parseMail(received.raw);
    expect(mail.html || "").not.toContain("<script>alert(1)");
    expect(mail.html || "").toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.text).toContain("Hello <script>alert(1)</script> ");
  });

  it("a certificate first seen 20 days before expiry gets the 30-day reminder only; one first seen too late for the 90-day one gets nothing until the 30-day one", async () => {
    const program = await makeProgram();
    const E = day("2032-03-10");
    const late = await makePerson();
    const lateCert = await certify(late.id, program.id, E);
    const summary = await pass(addDays(E, -20));
    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    expect(smtp.to(late.email!)).toHaveLength(1);
    expect((await parseMail(smtp.to(late.email!)[0].raw)).subject).toContain("expires in 20 days");
    expect((await rowsOf(lateCert.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SKIPPED"], [30, "SENT"]]);
    await pass(addDays(E, -19));
    expect(smtp.to(late.email!)).toHaveLength(1);

    // 90-day reminder due 40 days ago: past the 14-day catch-up, so it is skipped, not sent.
    const E2 = day("2032-08-20");
    const later = await makePerson();
    const laterCert = await certify(later.id, program.id, E2);
    await pass(addDays(E2, -50));
    expect(smtp.to(later.email!)).toHaveLength(0);
    expect((await rowsOf(laterCert.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SKIPPED"]]);
    await pass(addDays(E2, -30));
    expect(smtp.to(later.email!)).toHaveLength(1);
  });
});

describe("exactly once", () => {
  it("two passes run at the same time send each reminder once", async () => {
    const E = day("2033-09-01");
    const program = await makeProgram();
    const people = await Promise.all(Array.from({ length: 6 }, () => makePerson()));
    const certs = await Promise.all(people.map((p) => certify(p.id, program.id, E)));
    smtp.options.delayMs = 25; // slow replies keep both passes busy at once
    try {
      const [a, b] = await Promise.all([pass(addDays(E, -30)), pass(addDays(E, -30))]);
      expect(a.passId).not.toBe(b.passId);
    } finally {
      smtp.options.delayMs = 0;
    }
    for (const p of people) expect(smtp.to(p.email!)).toHaveLength(1);
    const rows = await prisma.reminderDelivery.findMany({ where: { certificationId: { in: certs.map((c) => c.id) } } });
    expect(rows.filter((r) => r.daysBefore === 30).map((r) => r.status)).toEqual(Array(6).fill("SENT"));
    expect(rows.filter((r) => r.daysBefore === 90).map((r) => r.status)).toEqual(Array(6).fill("SKIPPED"));
    expect(rows).toHaveLength(12);

    // And again: a third pass on the same day has nothing to do for them.
    await pass(addDays(E, -30));
    for (const p of people) expect(smtp.to(p.email!)).toHaveLength(1);
  });

  it("takes over a claim left by a pass that died 15 minutes ago, but not a live one", async () => {
    const E = day("2034-10-10");
    const program = await makeProgram();
    const stan = await makePerson();
    const tess = await makePerson();
    const stanCert = await certify(stan.id, program.id, E);
    const tessCert = await certify(tess.id, program.id, E);
    const due = addDays(E, -90);
    const now = noon(due);
    await prisma.reminderDelivery.createMany({
      data: [
        { certificationId: stanCert.id, daysBefore: 90, dueOn: due, status: "SENDING", claimedBy: "dead-pass", claimedAt: new Date(now.getTime() - 16 * 60_000) },
        { certificationId: tessCert.id, daysBefore: 90, dueOn: due, status: "SENDING", claimedBy: "live-pass", claimedAt: new Date(now.getTime() - 5 * 60_000) },
      ],
    });
    const summary = await pass(due, smtp.transport, now);
    expect(smtp.to(stan.email!)).toHaveLength(1);
    expect(smtp.to(tess.email!)).toHaveLength(0);
    expect((await rowsOf(stanCert.id))[0]).toMatchObject({ status: "SENT", claimedBy: summary.passId });
    expect((await rowsOf(tessCert.id))[0]).toMatchObject({ status: "SENDING", claimedBy: "live-pass" });
    // Later the live claim has gone stale too, and is taken over.
    await pass(due, smtp.transport, new Date(now.getTime() + 11 * 60_000));
    expect(smtp.to(tess.email!)).toHaveLength(1);
  });
});

describe("exactly once, through the outbox", () => {
  const outbox: ReminderTransport = { channel: "outbox" };

  it("two passes at once, paging two rows at a time, write each message once; no address is recorded; a live claim is left alone, a stale one taken over", async () => {
    const E = day("2039-03-03");
    const due = addDays(E, -7);
    const program = await makeProgram();
    const people = await Promise.all(Array.from({ length: 5 }, () => makePerson()));
    const noAddress = await makePerson({ kind: "STUDENT", email: null });
    const [live, stale] = [await makePerson(), await makePerson()];
    const certs = await Promise.all([...people, noAddress].map((p) => certify(p.id, program.id, E)));
    const [liveCert, staleCert] = [await certify(live.id, program.id, E), await certify(stale.id, program.id, E)];
    const now = noon(due);
    await prisma.reminderDelivery.createMany({
      data: [
        { certificationId: liveCert.id, daysBefore: 7, dueOn: due, status: "SENDING", claimedBy: "live-pass", claimedAt: new Date(now.getTime() - 5 * 60_000) },
        { certificationId: staleCert.id, daysBefore: 7, dueOn: due, status: "SENDING", claimedBy: "dead-pass", claimedAt: new Date(now.getTime() - 16 * 60_000) },
      ],
    });
    const run = () => runReminderPass({ now, transport: outbox, log: quiet, batchSize: 2 });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.failed + b.failed).toBe(0);

    const count = (email: string | null) => prisma.outboxMessage.count({ where: { toAddress: email ?? "" } });
    for (const p of [...people, stale]) expect(await count(p.email)).toBe(1);
    expect(await count(live.email)).toBe(0);
    const rows = await prisma.reminderDelivery.findMany({ where: { certificationId: { in: certs.map((c) => c.id) }, daysBefore: 7 } });
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill("SENT"));
    expect(rows.find((r) => r.certificationId === certs[5].id)).toMatchObject({ channel: "none" });
    expect((await rowsOf(liveCert.id)).find((r) => r.daysBefore === 7)).toMatchObject({ status: "SENDING", claimedBy: "live-pass" });
    expect((await rowsOf(staleCert.id)).find((r) => r.daysBefore === 7)).toMatchObject({ status: "SENT", channel: "outbox" });
    // Each message points at its reminder, which points at the person's certificate.
    const messages = await prisma.outboxMessage.findMany({ where: { toAddress: people[0].email ?? "" }, select: { reminderId: true } });
    expect(rows.map((r) => r.id)).toContain(messages[0].reminderId);

    // And again: nothing more for them.
    await run();
    for (const p of [...people, stale]) expect(await count(p.email)).toBe(1);
  });
});

describe("failures", () => {
  it("a refused send is FAILED with the error, retried by the next pass, and given up after 5 attempts", async () => {
    const E = day("2035-05-20");
    const program = await makeProgram();
    const fay = await makePerson();
    const gus = await makePerson();
    const fayCert = await certify(fay.id, program.id, E);
    const gusCert = await certify(gus.id, program.id, E);
    smtp.reject(fay.email!);
    smtp.reject(gus.email!);

    const first = await pass(addDays(E, -90));
    expect(first.failed).toBeGreaterThanOrEqual(2);
    const [fayRow] = await rowsOf(fayCert.id);
    expect(fayRow).toMatchObject({ status: "FAILED", attempts: 1, daysBefore: 90 });
    expect(fayRow.lastError).toMatch(/550|Mailbox unavailable/);
    expect(smtp.to(fay.email!)).toHaveLength(0);

    smtp.accept(fay.email!);
    await pass(addDays(E, -89));
    expect(smtp.to(fay.email!)).toHaveLength(1);
    expect((await rowsOf(fayCert.id))[0]).toMatchObject({ status: "SENT", attempts: 1, channel: "smtp" });

    for (let offset = -88; offset <= -86; offset += 1) await pass(addDays(E, offset));
    expect((await rowsOf(gusCert.id))[0]).toMatchObject({ status: "FAILED", attempts: 5 });
    await pass(addDays(E, -85));
    await pass(addDays(E, -84));
    expect((await rowsOf(gusCert.id))[0]).toMatchObject({ status: "FAILED", attempts: 5 });
    expect(smtp.to(gus.email!)).toHaveLength(0);

    // It stays visible to an administrator, with its error; nobody else sees the page.
    const admin = await signIn("ADMIN");
    const page = await call(() => adminRemindersRoute.loader({ request: makeRequest("/admin/reminders", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(page.status).toBe(200);
    const html = (await renderPage("/admin/reminders", adminRemindersRoute, makeRequest("/admin/reminders", { cookie: admin.cookie }))).html;
    expect(html).toContain(gus.email!);
    expect(html).toContain("gave up");
    expect(html).toContain("Mailbox unavailable");
    smtp.accept(gus.email!);
  });
});

describe("renewal", () => {
  it("a renewed certification gets no more reminders, and its failed one is skipped", async () => {
    const E = day("2036-08-01");
    const program = await makeProgram();
    const rae = await makePerson();
    const old = await certify(rae.id, program.id, E);
    await pass(addDays(E, -90));
    expect(smtp.to(rae.email!)).toHaveLength(1);
    smtp.reject(rae.email!);
    await pass(addDays(E, -30));
    expect((await rowsOf(old.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SENT"], [30, "FAILED"]]);
    smtp.accept(rae.email!);

    const renewed = await certify(rae.id, program.id, addMonths(addDays(E, -25), 36), addDays(E, -25));
    await prisma.certification.update({ where: { id: old.id }, data: { renewedById: renewed.id } });
    for (const offset of [-25, -7, 0, 3]) await pass(addDays(E, offset));
    expect(smtp.to(rae.email!)).toHaveLength(1);
    expect((await rowsOf(old.id)).map((r) => [r.daysBefore, r.status])).toEqual([[90, "SENT"], [30, "SKIPPED"]]);
    expect(await rowsOf(renewed.id)).toEqual([]);
  });
});

describe("unsubscribing", () => {
  it("the link in the email shows a form on GET, opts out on POST, and the next pass emails nothing", async () => {
    const E = day("2037-04-15");
    const program = await makeProgram();
    const quinn = await makePerson({ firstName: "Quinn" });
    const cert = await certify(quinn.id, program.id, E);
    await pass(addDays(E, -90));
    const mail = await parseMail(smtp.to(quinn.email!)[0].raw);
    const url = new URL(/http:\/\/localhost:3000\/reminders\/unsubscribe\/\S+/.exec(mail.text ?? "")?.[0] ?? "http://missing/");
    const token = url.pathname.split("/").pop() ?? "";
    const path = `/reminders/unsubscribe/${token}`;
    const pattern = "/reminders/unsubscribe/:token";

    // GET: a confirm button in a POST form, and nothing changes (link scanners follow GETs).
    const get = await renderPage(pattern, unsubscribeRoute, makeRequest(path));
    expect(get.status).toBe(200);
    expect(get.html).toMatch(/<form method="post"/);
    expect(get.html).toContain("Stop renewal reminder emails");
    expect(get.html).toContain("Quinn");
    expect(get.html).not.toContain(quinn.email!);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: quinn.id } })).remindersOptOutAt).toBeNull();

    // A changed token is a 404, for GET and POST alike, and changes nothing.
    // One character changed near the start (the end of a base64 signature may hold unused bits).
    const bad = `/reminders/unsubscribe/${token.slice(0, 3)}${token[3] === "a" ? "b" : "a"}${token.slice(4)}`;
    expect((await renderPage(pattern, unsubscribeRoute, makeRequest(bad))).status).toBe(404);
    const badPost = await call(() => unsubscribeRoute.action({ request: makeRequest(bad, { method: "POST", form: { intent: "unsubscribe" } }), params: { token: bad.split("/").pop() }, context: {} }));
    expect(badPost.status).toBe(404);
    expect((await call(() => unsubscribeRoute.loader({ request: makeRequest("/reminders/unsubscribe/nope"), params: { token: "nope" }, context: {} }))).status).toBe(404);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: quinn.id } })).remindersOptOutAt).toBeNull();

    // POST: opted out, with a confirmation and a way back.
    const post = await renderPage(pattern, unsubscribeRoute, makeRequest(path, { method: "POST", form: { intent: "unsubscribe" } }));
    expect(post.status).toBe(200);
    expect(post.html).toContain("you will get no more renewal reminder emails");
    expect(post.html).toContain("Send me renewal reminders again");
    expect((await prisma.person.findUniqueOrThrow({ where: { id: quinn.id } })).remindersOptOutAt).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { entityId: quinn.id, action: "person.reminders-unsubscribe" } })).toBe(1);

    await pass(addDays(E, -30));
    expect(smtp.to(quinn.email!)).toHaveLength(1);
    expect((await rowsOf(cert.id)).find((r) => r.daysBefore === 30)).toMatchObject({ status: "SENT", channel: "none" });

    // Re-subscribing turns them back on.
    const again = await renderPage(pattern, unsubscribeRoute, makeRequest(path, { method: "POST", form: { intent: "resubscribe" } }));
    expect(again.html).toContain("renewal reminder emails are on again");
    await pass(addDays(E, -7));
    expect(smtp.to(quinn.email!)).toHaveLength(2);

    // In the person's language: Spanish speakers get the reminder and the page in Spanish.
    await prisma.person.update({ where: { id: quinn.id }, data: { language: "es" } });
    const spanish = await renderPage(pattern, unsubscribeRoute, makeRequest(path));
    expect(spanish.html).toContain('lang="es"');
    expect(spanish.html).toContain("Dejar de recibir recordatorios por correo");
    expect((await renderPage(pattern, unsubscribeRoute, makeRequest(`${path}?lang=en`))).html).toContain("Stop renewal reminder emails");
    await pass(addDays(E, 0));
    const inSpanish = await parseMail(smtp.to(quinn.email!).at(-1)?.raw ?? "");
    expect(inSpanish.subject).toMatch(/^Su certificado de .* venció/);
    await prisma.person.update({ where: { id: quinn.id }, data: { language: "en" } });

    // Mail clients' one-click unsubscribe (RFC 8058) works too.
    const oneClick = await call(() => unsubscribeRoute.action({ request: makeRequest(path, { method: "POST", form: { "List-Unsubscribe": "One-Click" } }), params: { token }, context: {} }));
    expect(oneClick.status).toBe(200);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: quinn.id } })).remindersOptOutAt).not.toBeNull();
    // Anything else is refused.
    const odd = await call(() => unsubscribeRoute.action({ request: makeRequest(path, { method: "POST", form: { intent: "delete-everything" } }), params: { token }, context: {} }));
    expect(odd.status).toBe(400);
  });
});

describe("the outbox and the admin pages", () => {
  it("without SMTP, the message goes to the outbox; an admin lists and reads it, safely", async () => {
    const E = day("2038-02-02");
    const program = await makeProgram();
    const olive = await makePerson({ firstName: "<script>alert(1)</script>" });
    const cert = await certify(olive.id, program.id, E);
    const received = smtp.received.length;
    await pass(addDays(E, -90), { channel: "outbox" });
    expect(smtp.received.length).toBe(received);
    const [row] = await rowsOf(cert.id);
    expect(row).toMatchObject({ status: "SENT", channel: "outbox" });
    const message = await prisma.outboxMessage.findFirstOrThrow({ where: { reminderId: row.id } });
    expect(message.toAddress).toBe(olive.email);
    expect(message.textBody).toContain("http://localhost:3000/login/email?redirectTo=%2Fme%23upcoming");

    const admin = await signIn("ADMIN");
    const list = await call(() => outboxRoute.loader({ request: makeRequest("/admin/outbox", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.data)).toContain(message.id);

    const detail = await renderPage(
      "/admin/outbox/:messageId",
      outboxMessageRoute,
      makeRequest(`/admin/outbox/${message.id}`, { cookie: admin.cookie }),
    );
    expect(detail.status).toBe(200);
    expect(detail.html).toContain(message.subject);
    expect(detail.html).toMatch(/<iframe[^>]*sandbox=""/);
    // The name is text everywhere on the page, never markup.
    expect(detail.html).not.toContain("<script>alert(1)");
    expect(detail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    const missing = await call(() => outboxMessageRoute.loader({ request: makeRequest("/admin/outbox/nope", { cookie: admin.cookie }), params: { messageId: "nope" }, context: {} }));
    expect(missing.status).toBe(404);

    for (const role of ["MEMBER", "COORDINATOR", "PROGRAM_LEAD", "TRAINER"] as const) {
      const { cookie } = await signIn(role);
      expect((await call(() => outboxRoute.loader({ request: makeRequest("/admin/outbox", { cookie }), params: {}, context: {} }))).status).toBe(403);
      expect((await call(() => outboxMessageRoute.loader({ request: makeRequest(`/admin/outbox/${message.id}`, { cookie }), params: { messageId: message.id }, context: {} }))).status).toBe(403);
      expect((await call(() => adminRemindersRoute.loader({ request: makeRequest("/admin/reminders", { cookie }), params: {}, context: {} }))).status).toBe(403);
      expect((await call(() => adminRemindersRoute.action({ request: makeRequest("/admin/reminders", { method: "POST", cookie, form: { intent: "run" } }), params: {}, context: {} }))).status).toBe(403);
    }
  });

  it("an admin runs a pass from the page and sees its summary and the counts by status", async () => {
    const admin = await signIn("ADMIN");
    const run = await call(() => adminRemindersRoute.action({ request: makeRequest("/admin/reminders", { method: "POST", cookie: admin.cookie, form: { intent: "run" } }), params: {}, context: {} }));
    expect(run.status).toBe(200);
    expect(run.data).toMatchObject({
      error: null,
      summary: { candidates: expect.any(Number), sent: expect.any(Number), failed: expect.any(Number), durationMs: expect.any(Number) },
      // The instructors' reminders run in the same pass, as on the schedule.
      instructors: { candidates: expect.any(Number), short: expect.any(Number), sent: expect.any(Number), failed: expect.any(Number) },
    });
    const bad = await call(() => adminRemindersRoute.action({ request: makeRequest("/admin/reminders", { method: "POST", cookie: admin.cookie, form: { intent: "nope" } }), params: {}, context: {} }));
    expect(bad.status).toBe(400);

    const page = await call(() => adminRemindersRoute.loader({ request: makeRequest("/admin/reminders", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ counts: expect.arrayContaining([{ status: "SENT", count: expect.any(Number) }]) });
    const rendered = await renderPage("/admin/reminders", adminRemindersRoute, makeRequest("/admin/reminders", { method: "POST", cookie: admin.cookie, form: { intent: "run" } }));
    expect(rendered.html).toContain("Pass finished");
    expect(rendered.html).toContain("Instructors short of the courses-a-year rule");
  });
});
