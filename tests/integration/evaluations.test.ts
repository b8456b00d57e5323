/**
 * Session evaluations (issue 14): the signed link, the public form and its one-evaluation-per-person
 * rule under real concurrency, refusals, who sees comments, and who reaches each page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma, makeRequest, call, signIn, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import { createEvaluationToken } from "~/domain/evaluation-token";
import { getEnv } from "~/env.server";
import {
  closeEvaluation, EvaluationError, getSessionEvaluation, getTrainerEvaluations, openEvaluation, submitEvaluation, verifyEvaluationLink,
} from "~/models/evaluations.server";
import * as publicPage from "~/routes/evaluate.$token";
import * as trainerPage from "~/routes/sessions.$sessionId.evaluation";
import * as trainerSummary from "~/routes/trainers.$userId.evaluations";
import { renderPage } from "./page-render";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let programId: string;
let programName: string;
let schoolId: string;

beforeAll(async () => {
  schoolId = (await createSchool(prisma)).id;
  const program = await createProgram(prisma, { preset: "QPR", requiresEvaluation: true });
  programId = program.id;
  programName = program.name;
});

/** A session whose only (so last) day began two hours ago, led by a signed-in trainer, with a co-trainer. */
async function heldSession({ startsAt = new Date(Date.now() - 2 * HOUR) } = {}) {
  const { user: trainer, cookie } = await signIn("TRAINER");
  const { user: coTrainer, cookie: coCookie } = await signIn("TRAINER");
  const session = await createSession(prisma, {
    programId, schoolId, leadTrainerId: trainer.id, coTrainerIds: [coTrainer.id],
    days: [{ startsAt, endsAt: new Date(startsAt.getTime() + HOUR) }],
  });
  return { trainer, cookie, coTrainer, coCookie, session };
}

async function enrolled(sessionId: string, overrides: Parameters<typeof createPerson>[1] = {}) {
  const person = await createPerson(prisma, { kind: "STAFF", ...overrides });
  const enrollment = await enroll(prisma, { sessionId, personId: person.id });
  return { person, enrollment };
}

const answers = (districtId: string, extra: Record<string, string> = {}) => ({
  districtId, overall: "5", content: "4", trainers: "5", confidence: "3", recommend: "yes", comment: "Clear and practical.", ...extra,
});

let addressCounter = 0;
function publicAction(token: string, form: Record<string, string>, remoteAddress = `203.0.113.${++addressCounter % 250}`) {
  return call(() => publicPage.action({ request: makeRequest(`/evaluate/${token}`, { method: "POST", form }), params: { token }, context: { remoteAddress } }));
}
function publicLoader(token: string, headers: Record<string, string> = {}, search = "") {
  return call(() => publicPage.loader({ request: makeRequest(`/evaluate/${token}${search}`, { headers }), params: { token }, context: {} }));
}

const evaluationsOf = (sessionId: string) => prisma.sessionEvaluation.findMany({ where: { sessionId } });

describe("the evaluation link", () => {
  it("opens once the last day has begun, verifies, and shows only the program and date", async () => {
    const { trainer, session } = await heldSession();
    const { token, expiresAt } = await openEvaluation(session.id, trainer.id);
    // Two weeks after the last day, to the end of that day.
    expect(expiresAt.getTime()).toBeGreaterThan(session.days[0].startsAt.getTime() + 14 * DAY);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(session.days[0].startsAt.getTime() + 15 * DAY + 2 * HOUR);
    expect(await verifyEvaluationLink(token)).toEqual({ ok: true, session: { id: session.id, programName, lastDayStartsAt: session.days[0].startsAt } });
    const page = await publicLoader(token);
    expect(page.status).toBe(200);
    expect(Object.keys(page.data as object).sort()).toEqual(["date", "errors", "lang", "programName", "state", "values"]);
    expect(page.data).toMatchObject({ state: "open", programName, lang: "en" });
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "evaluation.open", actorId: trainer.id } })).toBe(1);
  });

  it("will not open before the last day, for a cancelled session, or after the two weeks", async () => {
    const { trainer, session } = await heldSession({ startsAt: new Date(Date.now() + 2 * DAY) });
    await expect(openEvaluation(session.id, trainer.id)).rejects.toMatchObject({ code: "not-yet" });
    const old = await heldSession({ startsAt: new Date(Date.now() - 20 * DAY) });
    await expect(openEvaluation(old.session.id, old.trainer.id)).rejects.toBeInstanceOf(EvaluationError);
    const cancelled = await heldSession();
    await prisma.trainingSession.update({ where: { id: cancelled.session.id }, data: { status: "CANCELLED" } });
    await expect(openEvaluation(cancelled.session.id, cancelled.trainer.id)).rejects.toMatchObject({ code: "cancelled" });
    expect(await prisma.trainingSession.count({ where: { id: { in: [session.id, old.session.id, cancelled.session.id] }, evaluationNonce: { not: null } } })).toBe(0);
  });

  it("reopening replaces the link and closing kills it (410); a forged or foreign token is a 404", async () => {
    const { trainer, session } = await heldSession();
    const { person } = await enrolled(session.id);
    const { token: first } = await openEvaluation(session.id, trainer.id);
    const { token: second } = await openEvaluation(session.id, trainer.id);
    expect((await publicLoader(first)).status).toBe(410);
    expect((await publicLoader(second)).status).toBe(200);
    expect(await closeEvaluation(session.id, trainer.id)).toEqual({ wasOpen: true });
    expect(await closeEvaluation(session.id, trainer.id)).toEqual({ wasOpen: false });
    const closed = await publicLoader(second);
    expect(closed.status).toBe(410);
    expect(closed.data).toMatchObject({ state: "closed", programName: null });
    const posted = await publicAction(second, answers(person.districtId ?? ""));
    expect(posted.status).toBe(410);
    // Signed with another secret, or for another session with this one's nonce: not ours (404).
    const { token: third } = await openEvaluation(session.id, trainer.id);
    const nonce = Buffer.from(third.split(".")[0], "base64url").toString("utf8").split(".")[1];
    const other = await heldSession();
    await openEvaluation(other.session.id, other.trainer.id);
    const crossed = createEvaluationToken({ sessionId: other.session.id, nonce, expiresAt: new Date(Date.now() + DAY) }, getEnv().sessionSecrets[0]);
    expect((await publicLoader(crossed)).status).toBe(410);
    const forged = createEvaluationToken({ sessionId: session.id, nonce, expiresAt: new Date(Date.now() + DAY) }, "not-the-server-secret-0123456789");
    for (const bad of [forged, "garbage", third.slice(0, -2)]) {
      const page = await publicLoader(bad);
      expect(page.status).toBe(404);
      expect(page.data).toMatchObject({ state: "invalid" });
    }
    expect(await evaluationsOf(session.id)).toHaveLength(0);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "evaluation.close" } })).toBe(1);
  });

  it("an expired link is refused with 410 and writes nothing", async () => {
    const { trainer, session } = await heldSession();
    const { person, enrollment } = await enrolled(session.id);
    const { token } = await openEvaluation(session.id, trainer.id);
    const nonce = Buffer.from(token.split(".")[0], "base64url").toString("utf8").split(".")[1];
    const expired = createEvaluationToken({ sessionId: session.id, nonce, expiresAt: new Date(Date.now() - 1000) }, getEnv().sessionSecrets[0]);
    expect((await publicLoader(expired)).status).toBe(410);
    expect((await publicAction(expired, answers(person.districtId ?? ""))).status).toBe(410);
    // The real link, after its two weeks: the model's clock says so.
    const later = new Date(session.days[0].startsAt.getTime() + 16 * DAY);
    expect(await verifyEvaluationLink(token, { now: later })).toEqual({ ok: false, reason: "expired" });
    expect(await submitEvaluation(token, {
      identity: { districtId: person.districtId ?? "" }, ratings: { overall: 5, content: 5, trainers: 5, confidence: 5 }, recommend: true, comment: null,
    }, "en", { now: later })).toEqual({ ok: false, reason: "expired" });
    expect(await evaluationsOf(session.id)).toHaveLength(0);
    expect((await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).evaluationCompletedOn).toBeNull();
  });
});

describe("submitting an evaluation", () => {
  it("writes one anonymous evaluation and marks the enrolment done; a repeat says already received", async () => {
    const { trainer, session } = await heldSession();
    const { person, enrollment } = await enrolled(session.id);
    const { token } = await openEvaluation(session.id, trainer.id);
    const first = await publicAction(token, { ...answers(person.districtId ?? ""), lang: "es" });
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ state: "received", lang: "es", programName });
    const rows = await evaluationsOf(session.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ language: "es", overall: 5, content: 4, trainers: 5, confidence: 3, recommend: true, comment: "Clear and practical." });
    // Nothing in the row points at the person: no column for them, and only a date, not a time.
    expect(Object.keys(rows[0]).sort()).toEqual(["comment", "confidence", "content", "id", "language", "overall", "recommend", "sessionId", "submittedAt", "trainers"]);
    expect(rows[0].submittedAt.toISOString()).toMatch(/T00:00:00\.000Z$/);
    const done = await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } });
    expect(done.evaluationCompletedOn?.toISOString()).toMatch(/T00:00:00\.000Z$/);
    // The audit says a participant did it, and names no one.
    const audit = await prisma.auditEvent.findMany({ where: { entityId: session.id, action: "evaluation.submit" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBeNull();
    expect(audit[0].details).not.toContain(person.id);

    const again = await publicAction(token, answers(person.districtId ?? "", { overall: "1" }));
    expect(again.data).toMatchObject({ state: "already-received" });
    expect(await evaluationsOf(session.id)).toHaveLength(1);
  });

  it("two posts at once for the same person write one evaluation", async () => {
    const { trainer, session } = await heldSession();
    const { person } = await enrolled(session.id);
    const { person: other } = await enrolled(session.id);
    const { token } = await openEvaluation(session.id, trainer.id);
    const results = await Promise.all([
      publicAction(token, answers(person.districtId ?? "")),
      publicAction(token, answers(person.districtId ?? "", { overall: "2" })),
      publicAction(token, { ...answers(""), districtId: "", firstName: other.firstName.toUpperCase(), lastName: other.lastName, email: other.email ?? "" }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const states = results.slice(0, 2).map((r) => (r.data as { state: string }).state).sort();
    expect(states).toEqual(["already-received", "received"]);
    expect(results[2].data).toMatchObject({ state: "received" });
    expect(await evaluationsOf(session.id)).toHaveLength(2);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id, evaluationCompletedOn: { not: null } } })).toBe(2);
  });

  it("someone not on the roster, or unknown, is told so and nothing is written", async () => {
    const { trainer, session } = await heldSession();
    const { person: member } = await enrolled(session.id);
    const outsider = await createPerson(prisma, { kind: "STAFF" });
    const { token } = await openEvaluation(session.id, trainer.id);
    for (const form of [
      answers(outsider.districtId ?? ""),
      answers(`NOBODY-${unique()}`),
      { ...answers(""), firstName: outsider.firstName, lastName: outsider.lastName, email: outsider.email ?? "" },
    ]) {
      const result = await publicAction(token, form);
      expect(result.status).toBe(422);
      expect(result.data).toMatchObject({ state: "not-on-roster" });
      // Only what they typed comes back: never anyone on the roster.
      expect(JSON.stringify(result.data)).not.toContain(member.lastName);
      expect(JSON.stringify(result.data)).not.toContain(member.districtId ?? "none");
    }
    expect(await evaluationsOf(session.id)).toHaveLength(0);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "evaluation.submit" } })).toBe(0);
  });

  it("bad answers get a message naming the field, in the page's language, and change nothing", async () => {
    const { trainer, session } = await heldSession();
    const { person, enrollment } = await enrolled(session.id);
    const { token } = await openEvaluation(session.id, trainer.id);
    const result = await publicAction(token, { ...answers(person.districtId ?? "", { overall: "6", recommend: "maybe", comment: "x".repeat(1001) }), content: "", lang: "es" });
    expect(result.status).toBe(400);
    const errors = (result.data as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(["comment", "content", "overall", "recommend"]);
    expect(errors.overall).toContain("En general");
    const none = await publicAction(token, { overall: "5", content: "5", trainers: "5", confidence: "5" });
    expect(none.status).toBe(400);
    expect((none.data as { errors: Record<string, string> }).errors).toHaveProperty("districtId");
    expect(await evaluationsOf(session.id)).toHaveLength(0);
    expect((await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).evaluationCompletedOn).toBeNull();
  });

  it("picks Spanish from Accept-Language or ?lang=es, and renders without JavaScript", async () => {
    const { trainer, session } = await heldSession();
    const { token } = await openEvaluation(session.id, trainer.id);
    expect((await publicLoader(token, { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" })).data).toMatchObject({ lang: "es" });
    expect((await publicLoader(token, { "Accept-Language": "es" }, "?lang=en")).data).toMatchObject({ lang: "en" });
    const page = await renderPage("/evaluate/:token", publicPage, makeRequest(`/evaluate/${token}?lang=es`));
    expect(page.status).toBe(200);
    expect(page.html).toContain("Cuéntenos sobre su capacitación");
    expect(page.html).toContain('method="post"');
    expect(page.html.match(/type="radio"/g)).toHaveLength(22);
  });
});

describe("rate limits", () => {
  it("posts from one address are limited per minute, as check-in's are (429 with Retry-After), and nothing is written", async () => {
    const { trainer, session } = await heldSession();
    const { person } = await enrolled(session.id);
    const { token } = await openEvaluation(session.id, trainer.id);
    const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await publicAction(token, { districtId: "" }, address)).status);
    expect(statuses.slice(0, 40).every((s) => s === 400)).toBe(true);
    const limited = await publicAction(token, answers(person.districtId ?? ""), address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.data).toMatchObject({ state: "error", errors: { form: expect.stringContaining("Too many") } });
    expect(await evaluationsOf(session.id)).toHaveLength(0);
  });
});

describe("summaries and who sees them", () => {
  async function sessionWithAnswers() {
    const held = await heldSession();
    const { token } = await openEvaluation(held.session.id, held.trainer.id);
    const people = await Promise.all([1, 2, 3].map(() => enrolled(held.session.id)));
    const comment = `Secret comment ${unique()}`;
    await publicAction(token, answers(people[0].person.districtId ?? "", { comment }));
    await publicAction(token, answers(people[1].person.districtId ?? "", { overall: "4", recommend: "no", comment: "" }));
    return { ...held, comment };
  }

  it("the trainer's page gives responses of enrolled, averages, recommend share and the comments", async () => {
    const { session, cookie, comment, trainer } = await sessionWithAnswers();
    const page = await call(() => trainerPage.loader({ request: makeRequest(`/sessions/${session.id}/evaluation`, { cookie }), params: { sessionId: session.id }, context: {} }));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      canManage: true, enrolled: 3, completed: 2,
      summary: { responses: 2, ratings: { overall: { average: 4.5 }, confidence: { average: 3 } }, recommend: { yes: 1, answered: 2, percent: 50 } },
    });
    expect((page.data as { comments: Array<{ text: string }> }).comments.map((c) => c.text)).toEqual([comment]);
    expect((page.data as { link: string }).link).toMatch(/\/evaluate\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect((page.data as { qrSvg: string }).qrSvg).toContain("<svg");
    const own = await getTrainerEvaluations(trainer.id);
    expect(own.total.responses).toBe(2);
    expect(own.sessions.map((s) => s.id)).toEqual([session.id]);
    expect(own.sessions[0].comments.map((c) => c.text)).toEqual([comment]);
  });

  it("comments: the session's trainers, leads and admins; a coordinator of the school sees counts only", async () => {
    const { session, coCookie, comment } = await sessionWithAnswers();
    const viewers = {
      co: coCookie,
      lead: (await signIn("PROGRAM_LEAD")).cookie,
      admin: (await signIn("ADMIN")).cookie,
      coordinator: (await signIn("COORDINATOR", { schoolIds: [schoolId] })).cookie,
    };
    for (const [who, cookie] of Object.entries(viewers)) {
      const page = await call(() => trainerPage.loader({ request: makeRequest(`/sessions/${session.id}/evaluation`, { cookie }), params: { sessionId: session.id }, context: {} }));
      expect(page.status, who).toBe(200);
      const shown = page.data as { comments: unknown; link: string | null; summary: { responses: number } };
      expect(shown.summary.responses, who).toBe(2);
      if (who === "coordinator") {
        expect(shown.comments).toBeNull();
        expect(shown.link).toBeNull();
        expect(JSON.stringify(page.data)).not.toContain(comment);
      } else {
        expect(JSON.stringify(shown.comments), who).toContain(comment);
        expect(shown.link, who).not.toBeNull();
      }
    }
  });

  it("other trainers, coordinators elsewhere and members get a 404; the coordinator may not open or close (403)", async () => {
    const { session } = await sessionWithAnswers();
    const outsiders = [
      (await signIn("TRAINER")).cookie,
      (await signIn("COORDINATOR", { schoolIds: [(await createSchool(prisma)).id] })).cookie,
      (await signIn("MEMBER")).cookie,
    ];
    for (const cookie of outsiders) {
      const page = await call(() => trainerPage.loader({ request: makeRequest(`/sessions/${session.id}/evaluation`, { cookie }), params: { sessionId: session.id }, context: {} }));
      expect([403, 404]).toContain(page.status);
      const post = await call(() => trainerPage.action({ request: makeRequest(`/sessions/${session.id}/evaluation`, { method: "POST", cookie, form: { intent: "close" } }), params: { sessionId: session.id }, context: {} }));
      expect([403, 404]).toContain(post.status);
    }
    expect((await call(() => trainerPage.loader({ request: makeRequest(`/sessions/${session.id}/evaluation`), params: { sessionId: session.id }, context: {} }))).status).toBe(302);
    const coordinator = (await signIn("COORDINATOR", { schoolIds: [schoolId] })).cookie;
    const refused = await call(() => trainerPage.action({ request: makeRequest(`/sessions/${session.id}/evaluation`, { method: "POST", cookie: coordinator, form: { intent: "close" } }), params: { sessionId: session.id }, context: {} }));
    expect(refused.status).toBe(403);
    expect(await prisma.trainingSession.count({ where: { id: session.id, evaluationNonce: { not: null } } })).toBe(1);
  });

  it("a program lead can open and close the link from the page; bad intents are a 400", async () => {
    const { session } = await heldSession();
    const { user: lead, cookie } = await signIn("PROGRAM_LEAD");
    const post = (intent: string) =>
      call(() => trainerPage.action({ request: makeRequest(`/sessions/${session.id}/evaluation`, { method: "POST", cookie, form: { intent } }), params: { sessionId: session.id }, context: {} }));
    expect((await post("open")).status).toBe(302);
    expect(await prisma.auditEvent.count({ where: { entityId: session.id, action: "evaluation.open", actorId: lead.id } })).toBe(1);
    expect((await post("explode")).status).toBe(400);
    expect((await post("close")).status).toBe(302);
    expect(await prisma.trainingSession.count({ where: { id: session.id, evaluationNonce: null } })).toBe(1);
    const early = await heldSession({ startsAt: new Date(Date.now() + 3 * DAY) });
    const tooEarly = await call(() => trainerPage.action({ request: makeRequest(`/sessions/${early.session.id}/evaluation`, { method: "POST", cookie, form: { intent: "open" } }), params: { sessionId: early.session.id }, context: {} }));
    expect(tooEarly.status).toBe(409);
  });

  it("a trainer's own summary: the trainer, leads and admins; other trainers, coordinators and members 404", async () => {
    const { trainer, cookie, comment, coTrainer, coCookie } = await sessionWithAnswers();
    const load = (userId: string, c: string | undefined) =>
      call(() => trainerSummary.loader({ request: makeRequest(`/trainers/${userId}/evaluations`, { cookie: c }), params: { userId }, context: {} }));
    for (const c of [cookie, (await signIn("PROGRAM_LEAD")).cookie, (await signIn("ADMIN")).cookie]) {
      const page = await load(trainer.id, c);
      expect(page.status).toBe(200);
      expect(JSON.stringify(page.data)).toContain(comment);
    }
    // The co-trainer sees the session on their own page, not the lead's page.
    expect(JSON.stringify((await load(coTrainer.id, coCookie)).data)).toContain(comment);
    for (const c of [coCookie, (await signIn("TRAINER")).cookie, (await signIn("COORDINATOR", { schoolIds: [schoolId] })).cookie, (await signIn("MEMBER")).cookie]) {
      expect((await load(trainer.id, c)).status).toBe(404);
    }
    expect((await load("no-such-user", (await signIn("ADMIN")).cookie)).status).toBe(404);
    // Session evaluation pages for coordinators show no comment: the model leaves them out.
    const viewer = { id: "x", role: "COORDINATOR" as const, schoolIds: [schoolId] };
    const { session } = await sessionWithAnswers();
    expect((await getSessionEvaluation(session.id, viewer)).comments).toBeNull();
  });
});
