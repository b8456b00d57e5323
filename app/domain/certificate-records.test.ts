import { describe, expect, it } from "vitest";
import { recordedCertificateDates } from "./certificate-records";
import { certificationStatus } from "./program-rules";
import { statesOf } from "./reach-rollup";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const YMHFA = { validityMonths: 36 };

describe("the dates of a certificate recorded from elsewhere", () => {
  it("takes the program's validity when no expiry is given, none when the program's certificates never expire", () => {
    expect(recordedCertificateDates({ issuedOn: "2025-11-03", expiresOn: undefined, today: "2026-03-01", rules: YMHFA }))
      .toEqual({ ok: true, issuedOn: d("2025-11-03"), expiresOn: d("2028-11-03"), expiryFromProgram: true });
    expect(recordedCertificateDates({ issuedOn: "2024-01-31", expiresOn: undefined, today: "2026-03-01", rules: { validityMonths: 1 } }))
      .toMatchObject({ ok: true, expiresOn: d("2024-02-29") });
    expect(recordedCertificateDates({ issuedOn: "2025-11-03", expiresOn: undefined, today: "2026-03-01", rules: { validityMonths: null } }))
      .toMatchObject({ ok: true, expiresOn: null });
  });

  it("keeps a given expiry after the issue date", () => {
    expect(recordedCertificateDates({ issuedOn: "2025-11-03", expiresOn: "2025-11-04", today: "2026-03-01", rules: YMHFA }))
      .toEqual({ ok: true, issuedOn: d("2025-11-03"), expiresOn: d("2025-11-04"), expiryFromProgram: false });
  });

  it("refuses an issue date after today (today itself is fine) and an expiry on or before the issue date, naming the field", () => {
    expect(recordedCertificateDates({ issuedOn: "2026-03-01", expiresOn: undefined, today: "2026-03-01", rules: YMHFA })).toMatchObject({ ok: true });
    expect(recordedCertificateDates({ issuedOn: "2026-03-02", expiresOn: undefined, today: "2026-03-01", rules: YMHFA }))
      .toEqual({ ok: false, field: "issuedOn", message: "Issued on: 2026-03-02 is in the future; give the date the certificate was issued" });
    for (const expiresOn of ["2025-11-03", "2025-11-02"]) {
      expect(recordedCertificateDates({ issuedOn: "2025-11-03", expiresOn, today: "2026-03-01", rules: YMHFA }))
        .toEqual({ ok: false, field: "expiresOn", message: "Expires on: must be after the issue date (2025-11-03)" });
    }
  });
});

describe("a revoked certificate", () => {
  it("is revoked whatever its dates or renewal say", () => {
    const rules = { renewalWindowDays: 90 };
    const cert = { issuedOn: d("2025-01-01"), expiresOn: d("2028-01-01"), renewedById: null };
    expect(certificationStatus(cert, rules, d("2026-03-01"))).toBe("active");
    expect(certificationStatus({ ...cert, revokedAt: d("2026-02-01") }, rules, d("2026-03-01"))).toBe("revoked");
    expect(certificationStatus({ ...cert, renewedById: "x", revokedAt: d("2026-02-01") }, rules, d("2026-03-01"))).toBe("revoked");
    expect(certificationStatus({ ...cert, expiresOn: d("2025-06-01"), revokedAt: d("2026-02-01") }, rules, d("2026-03-01"))).toBe("revoked");
  });

  it("counts for nothing in reach: the person's state is as if it had never been issued", () => {
    const records = [{ id: "p", kind: "STAFF", mergedIntoId: null }];
    const affiliations = [{ personId: "p", schoolYear: 2025, schoolId: "s", regionId: "r" }];
    const kept = { personId: "p", programId: "w", issuedOn: d("2025-09-01"), expiresOn: d("2028-09-01") };
    const wrong = { personId: "p", programId: "w", issuedOn: d("2025-08-01"), expiresOn: d("2028-08-01"), revokedAt: d("2026-01-05") };
    expect(statesOf(["p"], records, affiliations, [kept, wrong])).toEqual(statesOf(["p"], records, affiliations, [kept]));
    expect(statesOf(["p"], records, affiliations, [wrong]).size).toBe(0);
    expect(statesOf(["p"], records, affiliations, [{ ...wrong, revokedAt: null }]).size).toBe(1);
  });
});
