import { describe, expect, it } from "vitest";
import { dateInZone, endOfDayInZone, isValidTimeZone, timeInZone, wallTimeToUtc } from "./time";

const LA = "America/Los_Angeles";

describe("district time", () => {
  it("converts a winter wall time (PST, UTC-8)", () => {
    expect(wallTimeToUtc("2026-01-15", "09:00", LA).toISOString()).toBe("2026-01-15T17:00:00.000Z");
  });
  it("converts a summer wall time (PDT, UTC-7)", () => {
    expect(wallTimeToUtc("2026-07-15", "09:00", LA).toISOString()).toBe("2026-07-15T16:00:00.000Z");
  });
  it("round-trips date and time", () => {
    const instant = wallTimeToUtc("2026-03-08", "15:45", LA);
    expect(dateInZone(instant, LA)).toBe("2026-03-08");
    expect(timeInZone(instant, LA)).toBe("15:45");
  });
  it("finds the end of the local day", () => {
    const instant = wallTimeToUtc("2026-11-22", "23:30", LA);
    expect(endOfDayInZone(instant, LA).toISOString()).toBe("2026-11-23T08:00:00.000Z");
  });
  it("validates zone names", () => {
    expect(isValidTimeZone(LA)).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("wallTimeToUtc refuses impossible input rather than rolling it over", () => {
  it.each([["2026-02-30", "09:00"], ["2026-13-01", "09:00"], ["2026-02-01", "24:00"], ["2026-02-01", "09:75"]])("%s %s throws", (date, time) => {
    expect(() => wallTimeToUtc(date, time, "America/Los_Angeles")).toThrow(RangeError);
  });
});
