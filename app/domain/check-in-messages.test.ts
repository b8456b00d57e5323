import { describe, expect, it } from "vitest";
import { CHECK_IN_MESSAGES, formatCheckInDate, pickCheckInLanguage } from "./check-in-messages";

describe("check-in page language", () => {
  it.each([
    ["es", null, "es"],
    ["en", "es-MX,es;q=0.9", "en"],
    [null, "es-MX,es;q=0.9,en;q=0.8", "es"],
    [null, "en-US,en;q=0.9,es;q=0.8", "en"],
    [null, "fr-FR,es;q=0.5,en;q=0.4", "es"],
    [null, "en;q=0.2,es;q=0.8", "es"],
    [null, "es;q=0", "en"],
    [null, "zh-CN", "en"],
    ["de", null, "en"],
    [null, null, "en"],
  ])("?lang=%s with Accept-Language %s → %s", (requested, header, expected) => {
    expect(pickCheckInLanguage(requested, header)).toBe(expected);
  });

  it("has every message in both languages", () => {
    expect(Object.keys(CHECK_IN_MESSAGES.es).sort()).toEqual(Object.keys(CHECK_IN_MESSAGES.en).sort());
    expect(Object.keys(CHECK_IN_MESSAGES.es.errors).sort()).toEqual(Object.keys(CHECK_IN_MESSAGES.en.errors).sort());
  });

  it("formats the date in the district's zone and the chosen language", () => {
    // 23:30 on Nov 22 in Los Angeles is already Nov 23 in UTC.
    const instant = new Date("2026-11-23T07:30:00Z");
    expect(formatCheckInDate(instant, "en", "America/Los_Angeles")).toBe("Sunday, November 22, 2026");
    expect(formatCheckInDate(instant, "es", "America/Los_Angeles")).toMatch(/domingo, 22 de noviembre de 2026/);
  });
});

describe("what the check-in page may say about a person", () => {
  it("has no message that tells whether a district ID exists", () => {
    // One answer for an unknown ID and for someone not on the roster: a walk-in for the trainer.
    for (const lang of ["en", "es"] as const) {
      const m = CHECK_IN_MESSAGES[lang];
      expect(Object.keys(m.errors)).not.toContain("unknownDistrictId");
      expect(JSON.stringify(m)).not.toMatch(/could not find|not found|No encontramos/i);
      expect(m.walkInTitle).toBeTruthy();
      expect(m.walkInBody("Program", "Monday")).toContain("Program");
    }
  });

  it("says when to try again after too many check-ins, in both languages", () => {
    expect(CHECK_IN_MESSAGES.en.errors.tooManyTries).toMatch(/try again in a minute/);
    expect(CHECK_IN_MESSAGES.es.errors.tooManyTries).toMatch(/en un minuto/);
  });
});
