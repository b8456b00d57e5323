import { spawn } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, unique } from "./helpers";
import { createPerson, createProgram, createSchool, createSession, enroll } from "../../prisma/seed/factories";
import { createPrismaClient } from "~/db.server";
import { refreshPlannerStatistics } from "~/db/dialect.server";
import { sqliteAdapter } from "~/db/sqlite-adapter.server";
import { PrismaClient } from "~/generated/prisma/client";
import { dateInZone } from "~/domain/time";
import { getEnv } from "~/env.server";
import * as attendanceRoute from "~/routes/sessions.$sessionId.attendance";

// Each worker's database (a SQLite file, or on the PostgreSQL run a database), which a second process opens too.
const databaseUrl = process.env.DATABASE_URL ?? "";
const onSqlite = databaseUrl.startsWith("file:");
const databaseFile = databaseUrl.replace(/^file:/, "");
const DAY = 24 * 3600_000;

class RolledBack extends Error {}

/** A promise with its resolve function, to hold a transaction open until the test lets it go. */
function signal() {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fired, fire };
}

/** A second OS process that takes SQLite's write lock on the file, writes a row, and keeps the lock for `holdMs`. */
async function holdWriteLock(holdMs: number, email: string) {
  const child = spawn(process.execPath, [
    "-e",
    `const Database = require("better-sqlite3");
     const db = new Database(process.argv[1]);
     db.exec("BEGIN IMMEDIATE");
     db.prepare("INSERT INTO SignInFailure (id, email, ip, createdAt) VALUES (?, ?, '192.0.2.99', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))")
       .run("child-" + process.pid, process.argv[3]);
     process.stdout.write("locked\\n");
     setTimeout(() => { db.exec("COMMIT"); db.close(); }, Number(process.argv[2]));`,
    databaseFile,
    String(holdMs),
    email,
  ], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = await once(child.stdout, "data");
  expect(String(chunk)).toContain("locked");
  return { exited: once(child, "exit") };
}

describe("one connection, shared by every request", () => {
  it("a query that runs while another request's transaction is open neither sees its rows nor is rolled back with it", async () => {
    const insideEmail = `${unique("tx")}@example.test`;
    const outsideEmail = `${unique("outside")}@example.test`;
    const opened = signal();
    const finish = signal();
    const transaction = prisma.$transaction(async (tx) => {
      await tx.signInFailure.create({ data: { email: insideEmail, ip: "198.51.100.7" } });
      opened.fire();
      await finish.fired;
      throw new RolledBack();
    });
    await opened.fired;

    // Another request, meanwhile: a sign-in failure recorded, and a count of the transaction's rows.
    // (A Prisma query starts when awaited or then-ed, so start both now.)
    const outsideWrite = prisma.signInFailure.create({ data: { email: outsideEmail, ip: "198.51.100.8" } }).then((row) => row);
    const outsideRead = prisma.signInFailure.count({ where: { email: insideEmail } }).then((n) => n);
    await sleep(50);
    finish.fire();

    await expect(transaction).rejects.toBeInstanceOf(RolledBack);
    expect(await outsideRead).toBe(0);
    await outsideWrite;
    expect(await prisma.signInFailure.count({ where: { email: outsideEmail } })).toBe(1);
    expect(await prisma.signInFailure.count({ where: { email: insideEmail } })).toBe(0);
  });

  it("a transaction callback that uses the global client instead of its tx fails at once, naming the fix", async () => {
    const email = `${unique("nested")}@example.test`;
    const started = Date.now();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.signInFailure.create({ data: { email, ip: "192.0.2.1" } });
        await prisma.signInFailure.count({ where: { email } });
      }),
    ).rejects.toThrow(/inside a prisma\.\$transaction callback.*pass `tx` down/s);
    // At once, not after the transaction's 5-second timeout; and the transaction was rolled back.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await prisma.signInFailure.count({ where: { email } })).toBe(0);
    // The array form and plain queries outside a callback still work.
    const [count] = await prisma.$transaction([prisma.signInFailure.count({ where: { email } })]);
    expect(count).toBe(0);
  });
});

describe.runIf(onSqlite)("SQLite settings", () => {
  it("runs in WAL mode with the configured busy timeout and foreign keys enforced", async () => {
    const read = async (pragma: string) => {
      const rows = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${pragma}`);
      return String(Object.values(rows[0] ?? {})[0]);
    };
    expect(await read("journal_mode")).toBe("wal");
    expect(await read("busy_timeout")).toBe(String(getEnv().SQLITE_BUSY_TIMEOUT_MS));
    expect(await read("foreign_keys")).toBe("1");
  });

  it("a client made with another busy timeout reads it back", async () => {
    const other = createPrismaClient(process.env.DATABASE_URL ?? "", 1234);
    try {
      const rows = await other.$queryRawUnsafe<Array<Record<string, unknown>>>("PRAGMA busy_timeout");
      expect(String(Object.values(rows[0] ?? {})[0])).toBe("1234");
    } finally {
      await other.$disconnect();
    }
  });
});

describe.runIf(onSqlite)("SQLite's planner statistics", () => {
  /** A copy of this worker's database without statistics, and a client of the app's on it. */
  async function copyWithoutStatistics() {
    const file = path.join(os.tmpdir(), `${unique("stats")}.db`);
    await prisma.$executeRawUnsafe(`VACUUM INTO '${file}'`);
    const raw = new Database(file);
    raw.exec("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4");
    raw.close();
    return { file, client: createPrismaClient(`file:${file}`) };
  }
  const statistics = (file: string) => {
    const raw = new Database(file, { readonly: true });
    try {
      return raw.prepare("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx").all() as Array<{ tbl: string; idx: string; stat: string }>;
    } finally {
      raw.close();
    }
  };

  it("a database never analyzed is analyzed when the app opens it", async () => {
    await createPerson(prisma, { kind: "STAFF" });
    const { file, client } = await copyWithoutStatistics();
    try {
      await client.person.count();
      const person = statistics(file).find((r) => r.idx === "Person_lastName_firstName_idx");
      expect(Number(person?.stat.split(" ")[0])).toBe(await prisma.person.count());
    } finally {
      await client.$disconnect();
      await rm(file, { force: true });
    }
  });

  it("after a large write, a table that grew a lot is analyzed again", async () => {
    const { file, client } = await copyWithoutStatistics();
    try {
      await client.signInFailure.count();
      const rowsOf = () => Number(statistics(file).find((r) => r.idx === "SignInFailure_createdAt_idx")?.stat.split(" ")[0] ?? 0);
      const before = await client.signInFailure.count();
      await client.$executeRaw`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
        INSERT INTO "SignInFailure" ("id", "email", "ip", "createdAt") SELECT 'grow-' || i, 'grow@example.test', '192.0.2.1', ${new Date()} FROM n`;
      expect(rowsOf()).toBeLessThan(before + 3000);
      await refreshPlannerStatistics(client);
      expect(rowsOf()).toBe(before + 3000);
    } finally {
      await client.$disconnect();
      await rm(file, { force: true });
    }
  });
});

describe.runIf(onSqlite)("a second process on the same database file", () => {
  it("a transaction that reads before it writes waits while another process holds the write lock, then commits", async () => {
    const email = `${unique("locked")}@example.test`;
    const { exited } = await holdWriteLock(300, email);
    const started = Date.now();
    const [inTransaction, plain] = await Promise.all([
      prisma.$transaction(async (tx) => {
        const before = await tx.signInFailure.count({ where: { email } });
        expect(before).toBe(1); // the other process had committed by the time BEGIN IMMEDIATE got the lock
        return tx.signInFailure.create({ data: { email, ip: `192.0.2.${before}` } });
      }),
      prisma.signInFailure.create({ data: { email, ip: "192.0.2.200" } }),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(inTransaction.email).toBe(email);
    expect(plain.email).toBe(email);
    await exited;
    // The other process's row, and both of ours.
    expect(await prisma.signInFailure.count({ where: { email } })).toBe(3);
  });

  it("a busy error that gets past the busy timeout is retried, not turned into a failure", async () => {
    // With no busy timeout at all, every wait for the other process's lock is a retry.
    const url = `file:${databaseFile}`;
    const clientWith = (busyRetries: number) => new PrismaClient({ adapter: sqliteAdapter(url, { busyTimeoutMs: 0, busyRetries }) });
    const readThenWrite = (db: PrismaClient, email: string) =>
      db.$transaction(async (tx) => {
        const before = await tx.signInFailure.count({ where: { email } });
        return tx.signInFailure.create({ data: { email, ip: `192.0.2.${before}` } });
      });

    // The control: without retries the same moment fails with "database is locked".
    const unretried = clientWith(0);
    const controlEmail = `${unique("busy0")}@example.test`;
    try {
      await unretried.$connect();
      const { exited } = await holdWriteLock(100, controlEmail);
      const failure = await readThenWrite(unretried, controlEmail).then(() => null, (error: unknown) => error);
      expect(failure).toMatchObject({ code: "P1008", meta: { driverAdapterError: { cause: { originalCode: "SQLITE_BUSY" } } } });
      await exited;
    } finally {
      await unretried.$disconnect();
    }

    const retrying = clientWith(8);
    const email = `${unique("busy8")}@example.test`;
    try {
      await retrying.$connect();
      const { exited } = await holdWriteLock(100, email);
      const [row, plain] = await Promise.all([
        readThenWrite(retrying, email),
        retrying.signInFailure.create({ data: { email, ip: "192.0.2.250" } }),
      ]);
      expect([row.email, plain.email]).toEqual([email, email]);
      await exited;
      expect(await prisma.signInFailure.count({ where: { email } })).toBe(3);
    } finally {
      await retrying.$disconnect();
    }
  });

});

describe("a second process on the same database", () => {
  it("a reminder pass run by `npm run reminders` while this process saves attendance: no request fails, every reminder is sent", async () => {
    const env = getEnv();
    // Reminders due today: certificates expiring in 7 days (a reminder day), in the district's calendar.
    const today = new Date(`${dateInZone(new Date(), env.DISTRICT_TIME_ZONE)}T00:00:00Z`);
    const program = await prisma.program.create({
      data: { code: unique("DBR"), name: unique("Reminder load "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, reminderDays: "90,30,7,0" },
    });
    const certIds: string[] = [];
    for (let i = 0; i < 120; i++) {
      const person = await prisma.person.create({
        data: { firstName: "Rae", lastName: unique("Load"), kind: "STAFF", email: `${unique("load")}@example.test` },
      });
      const cert = await prisma.certification.create({
        data: {
          personId: person.id, programId: program.id, verificationCode: unique("dbvc"),
          issuedOn: new Date(today.getTime() - 3 * 365 * DAY), expiresOn: new Date(today.getTime() + 7 * DAY),
        },
      });
      certIds.push(cert.id);
    }

    // A session that happened yesterday, with four staff on its roster, led by a signed-in trainer.
    const { user: trainer, cookie } = await signIn("TRAINER");
    const school = await createSchool(prisma);
    const attendanceProgram = await createProgram(prisma, { preset: "QPR", requiresPostWork: false, requiresEvaluation: false });
    const yesterday = new Date(today.getTime() - DAY + 17 * 3600_000);
    const session = await createSession(prisma, {
      programId: attendanceProgram.id, schoolId: school.id, leadTrainerId: trainer.id,
      days: [{ startsAt: yesterday, endsAt: new Date(yesterday.getTime() + 2 * 3600_000) }],
    });
    const enrollmentIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const person = await createPerson(prisma, { kind: "STAFF", firstName: "Lee", lastName: unique("Row") });
      enrollmentIds.push((await enroll(prisma, { sessionId: session.id, personId: person.id })).id);
    }
    const sessionDay = session.days[0];
    const pathname = `/sessions/${session.id}/attendance`;

    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
    delete childEnv.SMTP_URL; // into the outbox
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/reminders.ts"], {
      cwd: path.resolve("."), env: childEnv, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += String(chunk)));
    child.stderr.on("data", (chunk) => (output += String(chunk)));
    let running = true;
    const exited = once(child, "exit").finally(() => (running = false));

    // Four "users" saving the sheet over and over until the pass has ended (each save a transaction
    // that reads, then writes), so saves are in flight for the whole of the other process's pass.
    const failures: string[] = [];
    let saves = 0;
    const user = async (worker: number) => {
      for (let round = 0; running || round < 5; round++) {
        const status = (round + worker) % 2 === 0 ? "PRESENT" : "ABSENT";
        const form = { dayId: sessionDay.id, ...Object.fromEntries(enrollmentIds.map((id) => [`status:${id}`, status])) };
        try {
          const result = await attendanceRoute.action({
            request: makeRequest(pathname, { method: "POST", cookie, form }), params: { sessionId: session.id }, context: {},
          });
          if (result instanceof Response || (result && typeof result === "object" && "init" in result)) failures.push(`save answered ${JSON.stringify(result)}`);
          else saves += 1;
          await attendanceRoute.loader({ request: makeRequest(`${pathname}?day=${sessionDay.id}`, { cookie }), params: { sessionId: session.id }, context: {} });
        } catch (error) {
          failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
        // Let I/O in between, as a server does between requests (and so the child's exit is seen).
        await nextTurn();
      }
    };
    await Promise.all([0, 1, 2, 3].map(user));
    const [code] = await exited;

    expect(failures).toEqual([]);
    expect(output).not.toMatch(/stopped|locked|busy/i);
    expect(code).toBe(0);
    expect(saves).toBeGreaterThanOrEqual(20);
    const sent = await prisma.reminderDelivery.count({ where: { certificationId: { in: certIds }, daysBefore: 7, status: "SENT" } });
    expect(sent).toBe(certIds.length);
  }, 120_000);
});
