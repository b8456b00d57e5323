import { describe, expect, it } from "vitest";
import { certificateRow, exportStatus, parseCertificateFilters, schoolYearSlices, whyNoCertificate } from "./record-exports";

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const input = (over: Partial<Record<"program" | "school" | "region" | "from" | "to", string>>) => ({ program: "p1", school: "", region: "", from: "2025-01-01", to: "2025-12-31", ...over });

describe("parseCertificateFilters", () => {
  it("reads a good filter, the last day included", () => {
    expect(parseCertificateFilters(input({ school: "s1" }))).toEqual({ ok: true, filters: { programId: "p1", schoolId: "s1", regionId: null, from: d("2025-01-01"), to: d("2025-12-31") } });
  });
  it("names each bad field", () => {
    expect(parseCertificateFilters(input({ from: "2025-02-30", to: "" }))).toEqual({ ok: false, errors: { from: "Issued from: 2025-02-30 is not a real date", to: "Issued to is required (YYYY-MM-DD)" } });
    expect(parseCertificateFilters(input({ from: "2025-03-02", to: "2025-03-01" }))).toEqual({ ok: false, errors: { to: "Issued to (2025-03-01) is before issued from (2025-03-02)" } });
    expect(parseCertificateFilters(input({ program: "", school: "s", region: "r" }))).toMatchObject({ ok: false, errors: { program: "Choose a program", region: "Choose a school or a region, not both" } });
  });
});

describe("schoolYearSlices", () => {
  it("cuts a period at 1 July, each part with its school year", () => {
    expect(schoolYearSlices(d("2024-03-15"), d("2025-08-31"))).toEqual([
      { schoolYear: 2023, start: d("2024-03-15"), end: d("2024-07-01") },
      { schoolYear: 2024, start: d("2024-07-01"), end: d("2025-07-01") },
      { schoolYear: 2025, start: d("2025-07-01"), end: d("2025-09-01") },
    ]);
    expect(schoolYearSlices(d("2025-07-01"), d("2025-07-01"))).toEqual([{ schoolYear: 2025, start: d("2025-07-01"), end: d("2025-07-02") }]);
  });
});

describe("statuses and reasons", () => {
  it("words the certificate's status for the export", () => {
    expect(exportStatus("active")).toBe("current");
    expect(exportStatus("renewal-window")).toBe("expiring");
    expect(exportStatus("revoked")).toBe("revoked");
  });
  it("never gives the code of a person the viewer may not see", () => {
    const base = {
      hiddenLabel: "Student (not shown)", program: "QPR", issuedOn: d("2025-01-10"), expiresOn: null, renewedById: null, revokedAt: null,
      renewalWindowDays: null, sessionLabel: null, source: "Official MHFA platform", verificationCode: "CODE123",
    };
    expect(certificateRow({ ...base, person: null }, d("2025-06-01"))).toEqual(["Student (not shown)", "", "QPR", "2025-01-10", "Never", "current", "Recorded from Official MHFA platform", ""]);
    expect(certificateRow({ ...base, person: { name: "Doe, Jo", districtId: "E1" }, revokedAt: d("2025-02-01") }, d("2025-06-01"))[5]).toBe("revoked");
  });
  it("says why a person holds no certificate", () => {
    const rules = { validityMonths: 36, renewalWindowDays: 90, requiresAttendance: true, requiresPostWork: true, requiresEvaluation: false };
    const learner = { attendance: ["PRESENT", "ABSENT"] as Array<"PRESENT" | "ABSENT">, postWorkDone: false, evaluationDone: false };
    expect(whyNoCertificate("CLOSED", rules, learner, false)).toBe("Absent on day 2; Post-work not complete");
    expect(whyNoCertificate("SCHEDULED", rules, learner, false)).toBe("Session not closed yet: Absent on day 2; Post-work not complete");
    expect(whyNoCertificate("CANCELLED", rules, learner, false)).toBe("Session cancelled");
    expect(whyNoCertificate("CLOSED", rules, learner, true)).toBe("Certificate revoked");
  });
});
