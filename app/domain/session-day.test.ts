import { describe, expect, it } from "vitest";
import { attendanceRefusal, chooseSessionDay, closingRefusal, completionDateRefusal, dayHasStarted } from "./session-day";

const LA = "America/Los_Angeles";
const days = [
  { id: "d1", startsAt: new Date("2026-12-01T16:30:00Z") },
  { id: "d2", startsAt: new Date("2026-12-02T16:30:00Z") },
];

describe("choosing the session day a page shows", () => {
  it("uses the requested day when it belongs to the session", () => {
    expect(chooseSessionDay(days, "d2", new Date("2026-12-01T18:00:00Z"), LA)?.id).toBe("d2");
  });
  it("falls back to the first day for an unknown ?day", () => {
    expect(chooseSessionDay(days, "nope", new Date("2026-12-02T18:00:00Z"), LA)?.id).toBe("d1");
    expect(chooseSessionDay(days, "", new Date("2026-12-02T18:00:00Z"), LA)?.id).toBe("d1");
  });
  it("defaults to today's day in the district's zone", () => {
    // 2026-12-03 05:00 UTC is still Dec 2 in Los Angeles.
    expect(chooseSessionDay(days, null, new Date("2026-12-03T05:00:00Z"), LA)?.id).toBe("d2");
  });
  it("defaults to the first day when no day is today", () => {
    expect(chooseSessionDay(days, null, new Date("2027-01-10T18:00:00Z"), LA)?.id).toBe("d1");
  });
  it("has nothing to choose from a session without days", () => {
    expect(chooseSessionDay([], "d1", new Date(), LA)).toBeNull();
  });
});

describe("may this day be recorded now? (attendanceRefusal)", () => {
  // Day 2 starts 2026-12-02 08:30 in Los Angeles (16:30 UTC).
  const day2 = days[1];
  it("refuses a day whose date has not begun in the district, naming the day", () => {
    // 2026-12-02 07:59 UTC is still 1 December in Los Angeles, though already 2 December in UTC.
    expect(attendanceRefusal(day2, new Date("2026-12-02T07:59:00Z"), LA)).toBe(
      "Wednesday, December 2, 2026 has not started yet: attendance for that day can be recorded from that day on",
    );
    expect(dayHasStarted(day2, new Date("2026-12-02T07:59:00Z"), LA)).toBe(false);
  });
  it("allows the day from midnight in the district, before its start time (the door list, QR check-in)", () => {
    expect(attendanceRefusal(day2, new Date("2026-12-02T08:00:00Z"), LA)).toBeNull();
    expect(attendanceRefusal(day2, new Date("2026-12-02T16:29:00Z"), LA)).toBeNull();
  });
  it("allows past days", () => {
    expect(attendanceRefusal(day2, new Date("2027-05-01T12:00:00Z"), LA)).toBeNull();
  });
  it("reads the date in the zone it is given", () => {
    const tokyoMorning = { startsAt: new Date("2026-12-01T23:30:00Z") }; // 2 December 08:30 in Tokyo
    expect(dayHasStarted(tokyoMorning, new Date("2026-12-01T15:00:00Z"), "Asia/Tokyo")).toBe(true); // midnight 2 Dec in Tokyo
    expect(dayHasStarted(tokyoMorning, new Date("2026-12-01T14:59:00Z"), "Asia/Tokyo")).toBe(false);
  });
});

describe("may this session be closed now? (closingRefusal)", () => {
  it("refuses before the last day has begun, naming it", () => {
    expect(closingRefusal(days, new Date("2026-12-01T20:00:00Z"), LA)).toBe(
      "This session's last day, Wednesday, December 2, 2026, has not started yet: close the session on or after that day",
    );
  });
  it("allows closing from the last day's date on: a trainer closes right after the last class", () => {
    expect(closingRefusal(days, new Date("2026-12-02T08:00:00Z"), LA)).toBeNull();
    expect(closingRefusal(days, new Date("2026-12-02T23:30:00Z"), LA)).toBeNull();
  });
  it("finds the last day whatever the order, and refuses a session without days", () => {
    expect(closingRefusal([...days].reverse(), new Date("2026-12-01T20:00:00Z"), LA)).toMatch(/December 2, 2026/);
    expect(closingRefusal([], new Date(), LA)).toBe("This session has no days.");
  });
});

describe("completion dates (completionDateRefusal)", () => {
  it("refuses a date after the district's today, naming the field", () => {
    expect(completionDateRefusal("Post-work date", "2026-12-03", "2026-12-02")).toBe("Post-work date: 2026-12-03 is in the future (today is 2026-12-02 in the district)");
  });
  it("allows today and earlier", () => {
    expect(completionDateRefusal("Post-work date", "2026-12-02", "2026-12-02")).toBeNull();
    expect(completionDateRefusal("Evaluation date", "2025-01-01", "2026-12-02")).toBeNull();
  });
});
