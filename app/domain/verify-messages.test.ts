import { describe, expect, it } from "vitest";
import { formatVerifyDate, pickVerifyLanguage, VERIFY_MESSAGES } from "~/domain/verify-messages";

describe("pickVerifyLanguage", () => {
  it.each([
    ["es", null, "es"],
    ["ES", "en-US", "es"],
    ["es-MX", null, "es"],
    ["en", "es-MX,es;q=0.9", "en"],
    ["fr", "es", "es"],
    [null, "es-MX,es;q=0.9,en;q=0.8", "es"],
    [null, "en-US,en;q=0.9,es;q=0.8", "en"],
    [null, "fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "es"],
    [null, "en;q=0.2, es;q=0.7", "es"],
    [null, "es;q=0", "en"],
    [null, "de", "en"],
    [null, null, "en"],
    [null, "garbage;;;", "en"],
  ])("lang=%s, Accept-Language %s → %s", (param, header, expected) => {
    expect(pickVerifyLanguage(param, header)).toBe(expected);
  });
});

describe("messages", () => {
  it("both languages have every message, and they differ", () => {
    expect(Object.keys(VERIFY_MESSAGES.es).sort()).toEqual(Object.keys(VERIFY_MESSAGES.en).sort());
    expect(VERIFY_MESSAGES.es.notFound).not.toBe(VERIFY_MESSAGES.en.notFound);
    expect(VERIFY_MESSAGES.en.statuses["renewal-due"]).toBe("Active (renewal due)");
  });

  it("formats calendar dates in UTC in each language", () => {
    const d = new Date("2027-03-01T00:00:00Z");
    expect(formatVerifyDate(d, "en")).toBe("March 1, 2027");
    expect(formatVerifyDate(d, "es")).toBe("1 de marzo de 2027");
  });
});
