import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, unique } from "./helpers";
import { createUser, TEST_PASSWORD } from "./session-helpers";
import { startSmtpServer } from "./smtp-helpers";
import { sessionTodayAndTomorrow } from "./check-in-session";
import { createPerson, createProgram, createSchool, enroll } from "../../prisma/seed/factories";
import { openCheckIn } from "~/models/check-in.server";
import { dateInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import { isPostgres } from "~/db/dialect.server";
import { freePort } from "../../scripts/lib/free-port";

/*
 * Two app servers (the production build, scripts/serve.ts, as `npm start` runs it) on this worker's
 * database, a request to each in turn, as behind a load balancer: on SQLite two processes on one file,
 * on PostgreSQL two instances on one server (docs/decisions/016-postgresql.md). Needs the build
 * (`npx remix vite:build`; npm test builds before it runs the suites).
 */
const BUILD_DIR = path.resolve(process.env.REMIX_BUILD_DIR ?? "build");
const DAY = 24 * 3600_000;

type Instance = { url: string; child: ChildProcess; output: () => string };

async function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    cwd: path.resolve("."),
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${output}`);
    if (waited > 30_000) throw new Error(`instance did not answer in 30 s: ${output}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { url, child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function cookieFrom(response: Response): string {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

describe("two app instances on one database", () => {
  let a: Instance;
  let b: Instance;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const reminderEmails: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(BUILD_DIR, "server/index.js"))) {
      throw new Error(`No production build in ${BUILD_DIR}: run \`npx remix vite:build\` first (npm test does).`);
    }
    // Certificates whose 7-day reminder is due today: both instances' schedules will try to send them.
    const today = new Date(`${dateInZone(new Date(), getEnv().DISTRICT_TIME_ZONE)}T00:00:00Z`);
    const program = await prisma.program.create({
      data: { code: unique("MI"), name: unique("Two instances "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, reminderDays: "7" },
    });
    for (let i = 0; i < 25; i++) {
      const email = `${unique("twice")}@example.test`;
      const person = await prisma.person.create({ data: { firstName: "Remi", lastName: unique("Nder"), kind: "STAFF", email } });
      await prisma.certification.create({
        data: {
          personId: person.id, programId: program.id, verificationCode: unique("mivc"),
          issuedOn: new Date(today.getTime() - 3 * 365 * DAY), expiresOn: new Date(today.getTime() + 7 * DAY),
        },
      });
      reminderEmails.push(email);
    }
    smtp = await startSmtpServer();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      REMIX_BUILD_DIR: BUILD_DIR,
      // The same secret as this test process, which signs the check-in link.
      SESSION_SECRET: process.env.SESSION_SECRET,
      SECURE_COOKIES: "false",
      // Check-ins come "from" many addresses through the load balancer on this machine.
      TRUST_PROXY: "127.0.0.1",
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      // Both instances run the schedule; each minute's window is claimed by one of them.
      REMINDER_SCHEDULE_MINUTES: "1",
      REMINDER_SCHEDULE_FIRST_PASS_SECONDS: "2",
    };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 90_000);

  afterAll(async () => {
    for (const instance of [a, b]) instance?.child.kill("SIGTERM");
    await smtp?.close();
  });

  it("a trainer signs in on one instance and works on the other; signing out on the other ends it on both", async () => {
    const user = await createUser("TRAINER", { email: `${unique("lb")}@school.test` });
    const school = await createSchool(prisma);
    const program = await createProgram(prisma, { preset: "QPR" });
    const { session } = await sessionTodayAndTomorrow({ programId: program.id, schoolId: school.id });
    await prisma.sessionTrainer.create({ data: { sessionId: session.id, userId: user.id, role: "CO" } });

    const signedIn = await fetch(`${a.url}/login`, {
      method: "POST", redirect: "manual", body: new URLSearchParams({ email: user.email ?? "", password: TEST_PASSWORD }),
    });
    expect(signedIn.status).toBe(302);
    const cookie = cookieFrom(signedIn);
    expect(cookie).toMatch(/=/);

    const onB = await fetch(`${b.url}/sessions/${session.id}`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(program.name);

    const signedOut = await fetch(`${b.url}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(signedOut.status).toBe(302);
    const onA = await fetch(`${a.url}/sessions/${session.id}`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onA.status).toBe(302);
    expect(onA.headers.get("location")).toMatch(/^\/login/);
  });

  // PostgreSQL only: several instances are a PostgreSQL deployment (docs/decisions/016-postgresql.md). On one
  // SQLite file two processes take turns at the write lock, and a burst of 200 outlasts a transaction's timeout;
  // one process's 200 concurrent check-ins are proven in check-in.test.ts.
  it.runIf(isPostgres())("200 concurrent check-ins spread across both instances are each recorded once (180 people, 20 repeats)", async () => {
    const school = await createSchool(prisma);
    const program = await createProgram(prisma, { preset: "YMHFA", maxParticipants: 200 });
    const { trainer, session, dayA } = await sessionTodayAndTomorrow({ programId: program.id, schoolId: school.id });
    const { token } = await openCheckIn(dayA.id, trainer.id);
    const tag = unique("lbcrowd");
    const ids: string[] = [];
    for (let i = 0; i < 180; i++) {
      const person = await createPerson(prisma, { kind: "STAFF", districtId: `${tag}-${i}` });
      await enroll(prisma, { sessionId: session.id, personId: person.id });
      ids.push(person.districtId ?? "");
    }
    const scans = [...ids, ...ids.slice(0, 20)];
    const results = await Promise.all(
      scans.map(async (districtId, i) => {
        const instance = i % 2 === 0 ? a : b;
        const response = await fetch(`${instance.url}/check-in/${encodeURIComponent(token)}`, {
          method: "POST",
          body: new URLSearchParams({ districtId }),
          headers: { "X-Forwarded-For": `203.0.113.${i % 50}` },
          redirect: "manual",
        });
        return { status: response.status, text: await response.text() };
      }),
    );
    const failed = results.filter((r) => r.status !== 200);
    const problems = (i: Instance) => i.output().split("\n").filter((line) => !/ (200|302) - /.test(line)).join("\n").slice(-4000);
    expect(failed.map((r) => r.status), `${problems(a)}\n${problems(b)}`).toEqual([]);
    expect(await prisma.attendance.count({ where: { sessionDayId: dayA.id } })).toBe(180);
    const perEnrollment = await prisma.attendance.groupBy({ by: ["enrollmentId"], where: { sessionDayId: dayA.id }, _count: { _all: true } });
    expect(perEnrollment).toHaveLength(180);
    expect(perEnrollment.every((g) => g._count._all === 1)).toBe(true);
    expect(await prisma.enrollment.count({ where: { sessionId: session.id } })).toBe(180);
  }, 120_000);

  it("both instances run the reminder schedule, and each reminder is sent once", async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const sent = await prisma.reminderDelivery.count({ where: { status: "SENT", certification: { person: { email: { in: reminderEmails } } } } });
      if (sent === reminderEmails.length) break;
      if (Date.now() > deadline) throw new Error(`only ${sent} of ${reminderEmails.length} reminders sent:\n${a.output()}\n${b.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Let any second pass that was going to happen run, then count what reached the SMTP server.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const email of reminderEmails) expect(smtp.to(email)).toHaveLength(1);
    const scheduled = await prisma.scheduledRun.findMany({ where: { job: "reminders" }, orderBy: { windowStart: "desc" }, take: 1 });
    expect(scheduled).toHaveLength(1);
    // Both started their schedule; one of them ran the window's pass.
    for (const instance of [a, b]) expect(instance.output()).toMatch(/Reminder passes scheduled every 1 minute/);
  }, 90_000);
});
