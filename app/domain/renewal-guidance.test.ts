import { describe, expect, it } from "vitest";
import { certificationStatus } from "~/domain/program-rules";
import { renewalGuidance, type RenewalGuidanceInput } from "~/domain/renewal-guidance";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

// YMHFA-like: 3 years, 90-day renewal window. Issued 2024-03-01, expires 2027-03-01, window opens 2026-12-01.
const ymhfa = { renewalWindowDays: 90 };
const cert = { issuedOn: d("2024-03-01"), expiresOn: d("2027-03-01"), renewedById: null };

function guidanceOn(asOf: string, overrides: Partial<RenewalGuidanceInput> = {}) {
  const status = certificationStatus(cert, ymhfa, d(asOf));
  return renewalGuidance({
    status, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn, renewalWindowDays: 90, programGuidance: "", replacedByIssuedOn: null, ...overrides,
  });
}

describe("renewalGuidance for a program with a renewal window", () => {
  it("active: says until when it is valid and when online renewal is allowed (the window up to the day before expiry)", () => {
    expect(guidanceOn("2025-06-01")).toEqual({
      summary: "Valid until Mar 1, 2027. You can renew online between Dec 1, 2026 and Feb 28, 2027.",
      programGuidance: null,
      suggestSessions: false,
    });
  });

  it("on the day the window opens: tells the member to renew now, or retake the full course after", () => {
    const g = guidanceOn("2026-12-01");
    expect(g.summary).toBe("Renew online between Dec 1, 2026 and Feb 28, 2027, or retake the full course after that.");
    expect(g.suggestSessions).toBe(true);
  });

  it("the day before the window opens is still plain active", () => {
    expect(guidanceOn("2026-11-30").summary).toMatch(/^Valid until Mar 1, 2027\./);
  });

  it("on the expiry date it is expired: retake the full course", () => {
    const g = guidanceOn("2027-03-01");
    expect(g.summary).toBe("Expired on Mar 1, 2027. Retake the full course to be certified again.");
    expect(g.suggestSessions).toBe(true);
  });

  it("expired but certified again since (a retake, not a renewal): says so and suggests nothing", () => {
    const g = guidanceOn("2027-06-01", { replacedByIssuedOn: d("2027-05-10") });
    expect(g.summary).toBe("Expired on Mar 1, 2027. You were certified again on May 10, 2027.");
    expect(g.suggestSessions).toBe(false);
  });

  it("renewed: names the renewal's issue date, without the program's renewal text", () => {
    const g = renewalGuidance({
      status: "renewed", issuedOn: cert.issuedOn, expiresOn: cert.expiresOn, renewalWindowDays: 90,
      programGuidance: "Renew at mhfa.example", replacedByIssuedOn: d("2027-01-20"),
    });
    expect(g).toEqual({ summary: "Replaced by your renewal issued on Jan 20, 2027.", programGuidance: null, suggestSessions: false });
  });

  it("adds the program's own renewal guidance, trimmed, and leaves it out when blank", () => {
    expect(guidanceOn("2025-06-01", { programGuidance: "  Log in to the national platform to renew.  " }).programGuidance).toBe(
      "Log in to the national platform to renew.",
    );
    expect(guidanceOn("2025-06-01", { programGuidance: "   " }).programGuidance).toBeNull();
  });

  it("clamps month ends: a certificate expiring on Mar 1 in a leap year can be renewed until Feb 29", () => {
    const g = renewalGuidance({
      status: "active", issuedOn: d("2025-03-01"), expiresOn: d("2028-03-01"), renewalWindowDays: 90, programGuidance: "", replacedByIssuedOn: null,
    });
    expect(g.summary).toBe("Valid until Mar 1, 2028. You can renew online between Dec 2, 2027 and Feb 29, 2028.");
  });
});

describe("renewalGuidance for other programs", () => {
  it("never-expiring (QPR with a blank validity): does not expire, plus the program's text", () => {
    const status = certificationStatus({ issuedOn: d("2020-01-01"), expiresOn: null, renewedById: null }, { renewalWindowDays: null }, d("2030-01-01"));
    expect(status).toBe("active");
    expect(
      renewalGuidance({ status, issuedOn: d("2020-01-01"), expiresOn: null, renewalWindowDays: null, programGuidance: "A refresher is recommended every two years.", replacedByIssuedOn: null }),
    ).toEqual({ summary: "Does not expire.", programGuidance: "A refresher is recommended every two years.", suggestSessions: false });
  });

  it("expiring but without a renewal window: the full course again is the only path", () => {
    const g = renewalGuidance({
      status: "active", issuedOn: d("2025-01-10"), expiresOn: d("2027-01-10"), renewalWindowDays: null, programGuidance: "", replacedByIssuedOn: null,
    });
    expect(g.summary).toBe("Valid until Jan 10, 2027. Retake the full course before then to stay certified.");
    expect(g.suggestSessions).toBe(false);
  });

  it("without a renewal window: suggests upcoming sessions from 90 days before expiry, not earlier", () => {
    const input: RenewalGuidanceInput = {
      status: "active", issuedOn: d("2025-01-10"), expiresOn: d("2027-01-10"), renewalWindowDays: null, programGuidance: "", replacedByIssuedOn: null,
    };
    expect(renewalGuidance({ ...input, today: d("2026-10-11") }).suggestSessions).toBe(false);
    expect(renewalGuidance({ ...input, today: d("2026-10-12") }).suggestSessions).toBe(true);
    expect(renewalGuidance({ ...input, today: d("2027-01-09") }).suggestSessions).toBe(true);
  });

  it("accepts another date format (the caller's locale)", () => {
    const g = renewalGuidance(
      { status: "expired", issuedOn: d("2020-01-10"), expiresOn: d("2023-01-10"), renewalWindowDays: 90, programGuidance: "", replacedByIssuedOn: null },
      (date) => date.toISOString().slice(0, 10),
    );
    expect(g.summary).toBe("Expired on 2023-01-10. Retake the full course to be certified again.");
  });
});
