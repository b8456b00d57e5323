import { describe, expect, it } from "vitest";
import { lapseWarningText, ownCertificateWarningText } from "./instructor-lapse";
import { teachingLapse } from "./instructor-standing";

const day = (s: string) => new Date(`${s}T00:00:00Z`);
const days = [day("2026-12-10"), day("2026-12-12")];

describe("lapseWarningText", () => {
  it("names the lead, the program, the expiry and the first day not covered", () => {
    const lapse = teachingLapse([{ issuedOn: day("2023-11-01"), expiresOn: day("2026-11-01") }], days);
    expect(lapse).not.toBeNull();
    expect(lapseWarningText({ lapse: lapse!, leadName: "Terry Trainer", programCode: "YMHFA", sessionDays: days, today: day("2026-12-07") })).toBe(
      "Terry Trainer's YMHFA instructor certification expired on Nov 1, 2026 — it does not cover day 1 (Dec 10, 2026).",
    );
  });

  it("says it will have expired by a later day when it still holds today", () => {
    const lapse = teachingLapse([{ issuedOn: day("2023-12-11"), expiresOn: day("2026-12-11") }], days);
    expect(lapseWarningText({ lapse: lapse!, leadName: "Terry Trainer", programCode: "YMHFA", sessionDays: days, today: day("2026-12-07") })).toBe(
      "Terry Trainer's YMHFA instructor certification expires on Dec 11, 2026 — it will have expired by day 2 (Dec 12, 2026).",
    );
  });

  it("says when none is on record, and when one is not yet in force", () => {
    expect(lapseWarningText({ lapse: { kind: "none-on-record" }, leadName: null, programCode: "QPR", sessionDays: days, today: day("2026-12-07") })).toBe(
      "No QPR instructor certification on record for the lead trainer.",
    );
    const lapse = teachingLapse([{ issuedOn: day("2026-12-11"), expiresOn: day("2029-12-11") }], days);
    expect(lapseWarningText({ lapse: lapse!, leadName: "Lee", programCode: "YMHFA", sessionDays: days, today: day("2026-12-07") })).toBe(
      "Lee's YMHFA instructor certification is not yet in force on day 1 (Dec 10, 2026).",
    );
  });

  it("is not needed when a certification covers every day", () => {
    expect(teachingLapse([{ issuedOn: day("2025-01-01"), expiresOn: null }], days)).toBeNull();
  });
});

describe("ownCertificateWarningText", () => {
  const input = { leadName: "Terry Trainer", programCode: "YMHFA", sessionDays: days, today: day("2026-12-07") };
  it("none on record, expired, and expiring before a later day", () => {
    expect(ownCertificateWarningText({ ...input, lapse: { kind: "none-on-record" } })).toBe(
      "No current YMHFA certificate of their own on record for the lead trainer (Terry Trainer): a YMHFA instructor also holds a current YMHFA certificate.",
    );
    expect(ownCertificateWarningText({ ...input, lapse: teachingLapse([{ issuedOn: day("2023-11-01"), expiresOn: day("2026-11-01") }], days)! })).toBe(
      "Terry Trainer's own YMHFA certificate expired on Nov 1, 2026 — a YMHFA instructor also holds a current YMHFA certificate, and it does not cover day 1 (Dec 10, 2026).",
    );
    expect(ownCertificateWarningText({ ...input, lapse: teachingLapse([{ issuedOn: day("2023-12-11"), expiresOn: day("2026-12-11") }], days)! })).toBe(
      "Terry Trainer's own YMHFA certificate expires on Dec 11, 2026 — a YMHFA instructor also holds a current YMHFA certificate, and it will have expired by day 2 (Dec 12, 2026).",
    );
  });
});
