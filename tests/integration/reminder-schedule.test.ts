/**
 * REMINDER_SCHEDULE_MINUTES: the server's own reminder passes. Timers are Vitest's fake ones,
 * advanced by hand, so nothing here waits on the clock; the passes themselves are real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma, unique } from "./helpers";
import { addDays } from "~/domain/program-rules";
import { dateInZone } from "~/domain/time";
import { reminderScheduleStatus, startReminderSchedule, stopReminderSchedule } from "~/reminder-schedule.server";
import { claimScheduledRun } from "~/models/scheduled-run.server";
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

// Read once, when the server's environment is first parsed: before any app module asks for it.
vi.hoisted(() => {
  process.env.REMINDER_SCHEDULE_MINUTES = "30";
  delete process.env.SMTP_URL;
});

const MINUTE = 60_000;
const quiet = () => {};
/** The timers here are fake but the clock is real, so every tick falls in one real window: these tests claim each. */
const always = async () => ({ claimed: true, finish: async () => {} });

beforeAll(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
});
afterEach(() => {
  stopReminderSchedule();
});
afterAll(() => {
  vi.useRealTimers();
});

describe("the in-server reminder schedule", () => {
  it("starts when the server's entry module loads, and its first pass (a minute later) sends what is due", async () => {
    // A certificate whose 30-day reminder is due today in the district.
    const today = new Date(`${dateInZone(new Date(), "America/Los_Angeles")}T00:00:00Z`);
    const program = await prisma.program.create({
      data: { code: unique("SCH"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90, reminderDays: "90,30,7,0" },
    });
    const person = await prisma.person.create({ data: { firstName: "Sched", lastName: unique("Uled"), kind: "STAFF", email: `${unique("sch")}@example.test` } });
    const expiresOn = addDays(today, 30);
    await prisma.certification.create({
      data: { personId: person.id, programId: program.id, issuedOn: addDays(expiresOn, -1095), expiresOn, verificationCode: unique("vc") },
    });

    const lines: unknown[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(line));
    try {
      await import("~/entry.server");
      expect(reminderScheduleStatus()).toMatchObject({ minutes: 30, passes: 0, running: null });
      expect(lines).toContain("Reminder passes scheduled every 30 minutes.");

      await vi.advanceTimersByTimeAsync(MINUTE - 1);
      expect(reminderScheduleStatus()?.passes).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      // The tick claims its window in the database first, then runs the pass.
      await reminderScheduleStatus()?.running;
      expect(reminderScheduleStatus()?.passes).toBe(1);
    } finally {
      log.mockRestore();
    }
    // No SMTP_URL: the reminder is in the outbox, and the pass printed its summary.
    const message = await prisma.outboxMessage.findFirst({ where: { toAddress: person.email ?? "" } });
    // (29 should the district's midnight pass between the setup and the pass.)
    expect(message?.subject).toMatch(/certificate expires in (30|29) days/);
    expect(lines).toContainEqual(expect.stringMatching(/^Reminder pass .*: 1 candidates, 1 created, 1 sent \(0 without email\), 0 failed/));
  });

  it("runs every N minutes, once per process, and never two of its passes at once", async () => {
    let finish: () => void = () => {};
    const runPass = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(startReminderSchedule({ minutes: 5, runPass, log: quiet, claimWindow: always })).toBe(true);
    expect(startReminderSchedule({ minutes: 5, runPass, log: quiet, claimWindow: always })).toBe(false);

    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runPass).toHaveBeenCalledTimes(1);
    // Still running at the 5-minute tick: that tick does nothing.
    await vi.advanceTimersByTimeAsync(4 * MINUTE);
    expect(runPass).toHaveBeenCalledTimes(1);
    finish();
    await reminderScheduleStatus()?.running;
    expect(reminderScheduleStatus()?.running).toBeNull();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(runPass).toHaveBeenCalledTimes(2);
    finish();

    stopReminderSchedule();
    expect(reminderScheduleStatus()).toBeNull();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(runPass).toHaveBeenCalledTimes(2);
  });

  it("a pass that throws is logged and the next tick runs again", async () => {
    const runPass = vi.fn(() => Promise.reject(new Error("database is locked")));
    const error = vi.spyOn(console, "error").mockImplementation(quiet);
    try {
      expect(startReminderSchedule({ minutes: 2, runPass, log: quiet, claimWindow: always })).toBe(true);
      await vi.advanceTimersByTimeAsync(MINUTE);
      expect(error).toHaveBeenCalledWith("Reminder pass failed:", expect.objectContaining({ message: "database is locked" }));
      await vi.advanceTimersByTimeAsync(MINUTE);
      expect(runPass).toHaveBeenCalledTimes(2);
    } finally {
      error.mockRestore();
    }
  });

  it("a one-minute schedule makes one pass a minute, the first a minute after start", async () => {
    const runPass = vi.fn(() => Promise.resolve());
    expect(startReminderSchedule({ minutes: 1, runPass, log: quiet, claimWindow: always })).toBe(true);
    await vi.advanceTimersByTimeAsync(MINUTE - 1);
    expect(runPass).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runPass).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(runPass).toHaveBeenCalledTimes(3);
  });
});

describe("one pass per window, however many instances run the schedule", () => {
  const WINDOW = 30 * MINUTE;

  it("a window is claimed once by five claims at once; the next window is free", async () => {
    const job = unique("job");
    const now = new Date("2031-03-04T10:07:00Z");
    const claims = await Promise.all(Array.from({ length: 5 }, (_, i) => claimScheduledRun(job, WINDOW, now, `instance-${i}`)));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    expect(claims[0].windowStart.toISOString()).toBe("2031-03-04T10:00:00.000Z");
    expect((await claimScheduledRun(job, WINDOW, new Date("2031-03-04T10:29:59Z"))).claimed).toBe(false);
    expect((await claimScheduledRun(job, WINDOW, new Date("2031-03-04T10:30:00Z"))).claimed).toBe(true);
  });

  it("holds across processes: two other processes and this one claim the same window, one wins", async () => {
    const job = unique("job-procs");
    const now = "2031-03-04T11:15:00.000Z";
    const script = `
      const { claimScheduledRun } = await import(${JSON.stringify(path.resolve("app/models/scheduled-run.server.ts"))});
      const { claimed } = await claimScheduledRun(process.argv[1], ${WINDOW}, new Date(process.argv[2]), "child-" + process.pid);
      process.stdout.write(claimed ? "won" : "lost");
      process.exit(0);`;
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, job, now], { cwd: path.resolve("."), env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (chunk) => (out += String(chunk)));
      return once(child, "exit").then(() => out);
    });
    const mine = await claimScheduledRun(job, WINDOW, new Date(now), "parent");
    const outcomes = [...(await Promise.all(children)), mine.claimed ? "won" : "lost"];
    expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
    expect(await prisma.scheduledRun.count({ where: { job } })).toBe(1);
  }, 60_000);

  it("a tick whose window another instance already ran skips its pass", async () => {
    const runPass = vi.fn(() => Promise.resolve());
    let claimed = false;
    const claimWindow = async () => ({ claimed, finish: async () => {} });
    expect(startReminderSchedule({ minutes: 1, runPass, log: quiet, claimWindow })).toBe(true);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runPass).toHaveBeenCalledTimes(0);
    expect(reminderScheduleStatus()?.skipped).toBe(1);
    claimed = true;
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runPass).toHaveBeenCalledTimes(1);
  });
});
