import { describe, expect, it } from "vitest";
import { chooseSessionDay } from "./session-day";

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
