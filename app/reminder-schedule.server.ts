import { getEnv } from "~/env.server";

/**
 * The in-server reminder schedule: when REMINDER_SCHEDULE_MINUTES is set, the server runs a
 * reminder pass every N minutes (the first a minute after start). Started once per process:
 * the flag lives on globalThis because dev reloads evaluate this module again. A tick that
 * finds the previous pass still running does nothing. Passes are safe to overlap anyway (each
 * reminder is claimed before it is sent), so running cron as well is harmless.
 */
const FIRST_PASS_DELAY_MS = 60_000;

type ScheduleState = { timer: ReturnType<typeof setInterval>; running: boolean };
declare global {
  // eslint-disable-next-line no-var
  var __reminderSchedule: ScheduleState | undefined;
}
const globalForSchedule = globalThis;

export function startReminderSchedule(): boolean {
  const minutes = getEnv().REMINDER_SCHEDULE_MINUTES;
  if (!minutes || globalForSchedule.__reminderSchedule) return false;

  const tick = async () => {
    const state = globalForSchedule.__reminderSchedule;
    if (!state || state.running) return;
    state.running = true;
    try {
      // Loaded on first use: a server without a schedule never loads the mail code.
      const { runReminderPass } = await import("~/models/reminders.server");
      await runReminderPass();
    } catch (error) {
      console.error("Reminder pass failed:", error);
    } finally {
      state.running = false;
    }
  };

  const timer = setInterval(tick, minutes * 60_000);
  timer.unref();
  globalForSchedule.__reminderSchedule = { timer, running: false };
  setTimeout(tick, Math.min(FIRST_PASS_DELAY_MS, minutes * 60_000)).unref();
  console.log(`Reminder passes scheduled every ${minutes} minute${minutes === 1 ? "" : "s"}.`);
  return true;
}
