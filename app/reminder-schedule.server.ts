import { getEnv } from "~/env.server";

/**
 * The in-server reminder schedule: when REMINDER_SCHEDULE_MINUTES is set, the server runs a
 * reminder pass every N minutes, the first a minute after start (REMINDER_SCHEDULE_FIRST_PASS_SECONDS). Each tick first claims the schedule's
 * window (app/models/scheduled-run.server.ts): however many app instances run the schedule, one pass runs per
 * window.
 * Started once per process, from entry.server.tsx: the state lives on globalThis because dev
 * reloads evaluate this module again. A tick that finds the previous pass still running does
 * nothing. Passes are safe to overlap anyway (each reminder is claimed before it is sent), so
 * running cron as well is harmless.
 */
type ScheduleState = {
  minutes: number;
  timers: Array<ReturnType<typeof setTimeout>>;
  /** The pass in progress, if any. */
  running: Promise<void> | null;
  /** Ticks that started a pass. */
  passes: number;
  /** Ticks that found another instance (or an earlier tick) had the window. */
  skipped: number;
};
declare global {
  // eslint-disable-next-line no-var
  var __reminderSchedule: ScheduleState | undefined;
}
const globalForSchedule = globalThis;

export type ReminderScheduleOptions = {
  /** Defaults to REMINDER_SCHEDULE_MINUTES; no schedule when absent. */
  minutes?: number;
  /** Seconds from start to the first pass; defaults to REMINDER_SCHEDULE_FIRST_PASS_SECONDS (60). */
  firstPassSeconds?: number;
  /** Defaults to one reminder pass (runReminderPass, loaded on first use). */
  runPass?: () => Promise<unknown>;
  /** Claims the current window for this instance; defaults to a ScheduledRun row in the database. */
  claimWindow?: (windowMs: number) => Promise<{ claimed: boolean; finish: () => Promise<void> }>;
  log?: (line: string) => void;
};

async function defaultPass() {
  // Loaded on first use: a server without a schedule never loads the mail code.
  const { runReminderPass } = await import("~/models/reminders.server");
  await runReminderPass();
  // Instructors short of their program's courses-a-year rule (the same claim-then-send safety).
  const { runInstructorReminderPass } = await import("~/models/instructor-reminders.server");
  await runInstructorReminderPass();
  // Session mail its request could not send (a refused address, a lost process, a very large roster) waits in the outbox.
  const { relaySessionMail } = await import("~/models/session-mail.server");
  await relaySessionMail(undefined, { limit: 5000 });
  // The coordinators' monthly digest: in the first days of a month it sends the month before's, once per coordinator
  // (and retries failures); on other days it does nothing.
  const { runDigestPass } = await import("~/models/coordinator-digest.server");
  await runDigestPass();
}

async function defaultClaim(windowMs: number) {
  const { claimScheduledRun, finishScheduledRun, purgeScheduledRuns } = await import("~/models/scheduled-run.server");
  const { claimed, windowStart } = await claimScheduledRun("reminders", windowMs);
  return {
    claimed,
    finish: async () => {
      await finishScheduledRun("reminders", windowStart);
      await purgeScheduledRuns("reminders", windowMs);
    },
  };
}

/** Starts the schedule; false when there is none to start (no minutes set) or it already runs. */
export function startReminderSchedule(options: ReminderScheduleOptions = {}): boolean {
  const minutes = options.minutes ?? getEnv().REMINDER_SCHEDULE_MINUTES;
  if (!minutes || globalForSchedule.__reminderSchedule) return false;
  const runPass = options.runPass ?? defaultPass;
  const claimWindow = options.claimWindow ?? defaultClaim;
  const log = options.log ?? ((line: string) => console.log(line));
  const state: ScheduleState = { minutes, timers: [], running: null, passes: 0, skipped: 0 };
  const intervalMs = minutes * 60_000;
  const firstPassMs = (options.firstPassSeconds ?? getEnv().REMINDER_SCHEDULE_FIRST_PASS_SECONDS) * 1000;

  const tick = () => {
    if (state.running) return;
    state.running = (async () => {
      try {
        const window = await claimWindow(intervalMs);
        if (!window.claimed) {
          state.skipped += 1;
          return;
        }
        state.passes += 1;
        await runPass();
        await window.finish();
      } catch (error) {
        console.error("Reminder pass failed:", error);
      } finally {
        state.running = null;
      }
    })();
  };

  state.timers.push(setInterval(tick, intervalMs));
  // The first pass comes sooner than a whole interval (a minute after start unless configured).
  if (firstPassMs < intervalMs) state.timers.push(setTimeout(tick, firstPassMs));
  // The schedule alone never keeps a process alive (the HTTP server does).
  for (const timer of state.timers) timer.unref();
  globalForSchedule.__reminderSchedule = state;
  log(`Reminder passes scheduled every ${minutes} minute${minutes === 1 ? "" : "s"}.`);
  return true;
}

/** Whether a schedule runs in this process, its interval, the pass in progress, and how many passes it started. */
export function reminderScheduleStatus(): { minutes: number; passes: number; skipped: number; running: Promise<void> | null } | null {
  const state = globalForSchedule.__reminderSchedule;
  return state ? { minutes: state.minutes, passes: state.passes, skipped: state.skipped, running: state.running } : null;
}

/** Stops the schedule (tests; a graceful shutdown). A pass in progress finishes. */
export function stopReminderSchedule(): void {
  const state = globalForSchedule.__reminderSchedule;
  if (!state) return;
  for (const timer of state.timers) clearTimeout(timer);
  globalForSchedule.__reminderSchedule = undefined;
}
