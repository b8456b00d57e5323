import { describe, expect, it } from "vitest";
import {
  addMonths, certificationStatus, evaluateCompletion, expiresOn, isCurrentOn, parseReminderDays,
  renewalWindowOpens, renewsPrevious, type ProgramRules,
} from "./program-rules";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const YMHFA: ProgramRules = { validityMonths: 36, renewalWindowDays: 90, requiresAttendance: true, requiresPostWork: true, requiresEvaluation: false };
const QPR: ProgramRules = { validityMonths: null, renewalWindowDays: null, requiresAttendance: true, requiresPostWork: false, requiresEvaluation: false };

describe("expiry", () => {
  it("YMHFA certificates are valid three years", () => {
    expect(expiresOn(d("2024-03-15"), YMHFA)).toEqual(d("2027-03-15"));
  });
  it("a blank validity never expires (QPR by default)", () => {
    expect(expiresOn(d("2024-03-15"), QPR)).toBeNull();
  });
  it("clamps to the end of a shorter month", () => {
    expect(addMonths(d("2024-01-31"), 1)).toEqual(d("2024-02-29"));
    expect(addMonths(d("2023-02-28"), 36)).toEqual(d("2026-02-28"));
    expect(expiresOn(d("2024-02-29"), YMHFA)).toEqual(d("2027-02-28"));
  });
  it("ignores the time of day of the issue date", () => {
    expect(expiresOn(new Date("2024-03-15T23:59:00Z"), YMHFA)).toEqual(d("2027-03-15"));
  });
});

describe("renewal window", () => {
  it("opens 90 days before expiry", () => {
    expect(renewalWindowOpens(d("2027-03-15"), YMHFA)).toEqual(d("2026-12-15"));
  });
  it("does not exist without an expiry or a window", () => {
    expect(renewalWindowOpens(null, YMHFA)).toBeNull();
    expect(renewalWindowOpens(d("2027-03-15"), QPR)).toBeNull();
  });
});

describe("certification status", () => {
  const cert = { issuedOn: d("2024-03-15"), expiresOn: d("2027-03-15"), renewedById: null };
  it("is active before the window", () => expect(certificationStatus(cert, YMHFA, d("2026-12-14"))).toBe("active"));
  it("is in the renewal window from 90 days before", () => expect(certificationStatus(cert, YMHFA, d("2026-12-15"))).toBe("renewal-window"));
  it("is still in the window the day before expiry", () => expect(certificationStatus(cert, YMHFA, d("2027-03-14"))).toBe("renewal-window"));
  it("is expired on the expiry day", () => expect(certificationStatus(cert, YMHFA, d("2027-03-15"))).toBe("expired"));
  it("is renewed when a newer one replaced it, whatever the date", () =>
    expect(certificationStatus({ ...cert, renewedById: "x" }, YMHFA, d("2030-01-01"))).toBe("renewed"));
  it("a never-expiring certificate stays active", () =>
    expect(certificationStatus({ issuedOn: d("2015-01-01"), expiresOn: null, renewedById: null }, QPR, d("2040-01-01"))).toBe("active"));
});

describe("current on a day", () => {
  const cert = { issuedOn: d("2024-03-15"), expiresOn: d("2027-03-15") };
  it("is not current before it was issued", () => expect(isCurrentOn(cert, d("2024-03-14"))).toBe(false));
  it("is current on the issue day", () => expect(isCurrentOn(cert, d("2024-03-15"))).toBe(true));
  it("is not current on the expiry day", () => expect(isCurrentOn(cert, d("2027-03-15"))).toBe(false));
});

describe("completion rule", () => {
  it("needs post-work for YMHFA: attended is not certified", () => {
    expect(evaluateCompletion(YMHFA, { attendance: ["PRESENT"], postWorkDone: false, evaluationDone: false })).toEqual({
      completed: false, reasons: ["Post-work not complete"],
    });
    expect(evaluateCompletion(YMHFA, { attendance: ["PRESENT"], postWorkDone: true, evaluationDone: false })).toEqual({ completed: true });
  });
  it("needs every day of a multi-day session, and names the day missed", () => {
    const tmhfa = { ...QPR };
    expect(evaluateCompletion(tmhfa, { attendance: ["PRESENT", null, "PARTIAL"], postWorkDone: false, evaluationDone: false })).toEqual({
      completed: false, reasons: ["Absent on day 2", "Partial attendance on day 3"],
    });
  });
  it("refuses a session with no attendance recorded", () => {
    expect(evaluateCompletion(QPR, { attendance: [], postWorkDone: false, evaluationDone: false })).toEqual({
      completed: false, reasons: ["No attendance recorded"],
    });
  });
  it("checks the evaluation only where the program asks for it", () => {
    const withEval = { ...QPR, requiresEvaluation: true };
    expect(evaluateCompletion(withEval, { attendance: ["PRESENT"], postWorkDone: false, evaluationDone: false }).completed).toBe(false);
    expect(evaluateCompletion(QPR, { attendance: ["PRESENT"], postWorkDone: false, evaluationDone: false }).completed).toBe(true);
  });
});

describe("renewal", () => {
  const previous = { issuedOn: d("2024-03-15"), expiresOn: d("2027-03-15"), renewedById: null };
  it("a new certificate inside the window renews the old one", () => expect(renewsPrevious(previous, d("2027-01-10"))).toBe(true));
  it("an early retake supersedes the old one", () => expect(renewsPrevious(previous, d("2025-06-01"))).toBe(true));
  it("after expiry it is the full course again, not a renewal", () => expect(renewsPrevious(previous, d("2027-03-15"))).toBe(false));
  it("a certificate already renewed is not renewed twice", () =>
    expect(renewsPrevious({ ...previous, renewedById: "y" }, d("2027-01-10"))).toBe(false));
  it("a never-expiring certificate is not renewed", () =>
    expect(renewsPrevious({ ...previous, expiresOn: null }, d("2027-01-10"))).toBe(false));
});

describe("reminder days setting", () => {
  it("parses, dedupes and orders", () => expect(parseReminderDays("7, 90,30,0,30")).toEqual([90, 30, 7, 0]));
  it("blank means no reminders", () => expect(parseReminderDays("  ")).toEqual([]));
  it("rejects anything but whole days", () => {
    expect(parseReminderDays("90,x")).toBeNull();
    expect(parseReminderDays("-5")).toBeNull();
    expect(parseReminderDays("9999")).toBeNull();
  });
});
