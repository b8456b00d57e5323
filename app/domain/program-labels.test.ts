import { describe, expect, it } from "vitest";
import { describeCompletion, describeRenewalWindow, describeValidity } from "./program-labels";

describe("describeValidity", () => {
  it("reads whole years as years and the rest as months", () => {
    expect(describeValidity(36)).toBe("3 years");
    expect(describeValidity(12)).toBe("1 year");
    expect(describeValidity(18)).toBe("18 months");
    expect(describeValidity(1)).toBe("1 month");
  });
  it("reads a blank validity as never expiring", () => {
    expect(describeValidity(null)).toBe("Never expires");
  });
});

describe("describeRenewalWindow", () => {
  it("names the days before expiry, or says there is no renewal path", () => {
    expect(describeRenewalWindow(90)).toBe("90 days before expiry");
    expect(describeRenewalWindow(1)).toBe("1 day before expiry");
    expect(describeRenewalWindow(null)).toBe("No renewal path");
  });
});

describe("describeCompletion", () => {
  it("lists what a learner must do", () => {
    expect(describeCompletion({ requiresAttendance: true, requiresPostWork: true, requiresEvaluation: true })).toBe(
      "Attendance, post-work and evaluation",
    );
    expect(describeCompletion({ requiresAttendance: true, requiresPostWork: false, requiresEvaluation: false })).toBe("Attendance");
    expect(describeCompletion({ requiresAttendance: false, requiresPostWork: true, requiresEvaluation: true })).toBe(
      "Post-work and evaluation",
    );
    expect(describeCompletion({ requiresAttendance: false, requiresPostWork: false, requiresEvaluation: false })).toBe("Enrolment only");
  });
});
