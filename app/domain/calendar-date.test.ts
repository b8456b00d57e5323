import { describe, expect, it } from "vitest";
import { calendarDateError, calendarDateToUtc, calendarDay, parseCalendarDate, parseClockTime } from "./calendar-date";

describe("parseCalendarDate: the one strict reading of a typed date", () => {
  it.each(["2026-02-30", "2026-02-29", "2025-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"])("refuses %s as not a real date, never rolling it over", (text) => {
    expect(parseCalendarDate(text)).toEqual({ ok: false, problem: `${text} is not a real date` });
  });

  it("accepts real days, leap days included, at 00:00 UTC", () => {
    expect(parseCalendarDate("2028-02-29")).toEqual({ ok: true, iso: "2028-02-29", date: new Date("2028-02-29T00:00:00Z") });
    expect(parseCalendarDate("2000-02-29").ok).toBe(true);
    expect(parseCalendarDate(" 2026-12-31 ")).toMatchObject({ ok: true, iso: "2026-12-31" });
  });

  it.each(["", "2026-2-3", "02/03/2026", "2026-02-03T00:00", "20260203", "yesterday", "2026-02-03x", "+02026-02-03"])("refuses %j as not written YYYY-MM-DD", (text) => {
    const parsed = parseCalendarDate(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/is not a date written as YYYY-MM-DD/);
  });

  it("refuses dates outside the bounds, naming the bound", () => {
    expect(parseCalendarDate("1899-12-31")).toEqual({ ok: false, problem: "1899-12-31 is before 1900-01-01" });
    expect(parseCalendarDate("2024-01-01", { earliest: "2025-01-01" })).toEqual({ ok: false, problem: "2024-01-01 is before 2025-01-01" });
    expect(parseCalendarDate("2101-01-01", { latest: "2100-12-31" })).toEqual({ ok: false, problem: "2101-01-01 is after 2100-12-31" });
  });

  it("quotes a long bad value briefly", () => {
    const parsed = parseCalendarDate("x".repeat(500));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.length).toBeLessThan(100);
  });

  it("names the field in the message", () => {
    expect(calendarDateError("Deadline", "2026-02-30")).toBe("Deadline: 2026-02-30 is not a real date");
    expect(calendarDateError("Deadline", "2026-02-28")).toBeNull();
  });

  it("calendarDay does not read years 0-99 as 19xx, and refuses impossible parts", () => {
    expect(calendarDay(26, 1, 1)?.getUTCFullYear()).toBe(26);
    expect(calendarDay(2026, 2, 30)).toBeNull();
    expect(calendarDay(2026, 2.5, 1)).toBeNull();
  });

  it("calendarDateToUtc throws on a date that was not checked", () => {
    expect(calendarDateToUtc("2026-03-02").toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(() => calendarDateToUtc("2026-02-30")).toThrow(RangeError);
  });
});

describe("parseClockTime", () => {
  it("reads HH:MM from 00:00 to 23:59", () => {
    expect(parseClockTime("00:00")).toEqual({ ok: true, hhmm: "00:00", minutes: 0 });
    expect(parseClockTime("23:59")).toEqual({ ok: true, hhmm: "23:59", minutes: 1439 });
    expect(parseClockTime("08:30")).toMatchObject({ minutes: 510 });
  });
  it.each(["24:00", "9:30", "09:60", "25:00", "0930", "09:30:00", "", "noon"])("refuses %j", (text) => {
    expect(parseClockTime(text)).toMatchObject({ ok: false, problem: expect.stringMatching(/is not a time written as HH:MM/) });
  });
});
