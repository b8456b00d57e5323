import { describe, expect, it } from "vitest";
import {
  claimText, decideSsoLink, emailDomain, emailIsTrusted, identityFrom, parseAllowedDomains, ssoRefusalMessage,
  type SsoAccount, type SsoCandidates, type SsoIdentity, type SsoSettings,
} from "./sso";

const settings: SsoSettings = { employeeIdClaim: "employee_id", emailClaim: "email", allowedDomains: [] };
const base = { iss: "https://idp.example", sub: "abc" };

describe("claimText", () => {
  it("reads a trimmed string or a number, nothing else", () => {
    expect(claimText({ a: " E12 " }, "a")).toBe("E12");
    expect(claimText({ a: 12345 }, "a")).toBe("12345");
    expect(claimText({ a: "  " }, "a")).toBeNull();
    expect(claimText({ a: ["E1"] }, "a")).toBeNull();
    expect(claimText({ a: true }, "a")).toBeNull();
    expect(claimText({}, "a")).toBeNull();
  });
});

describe("email domains", () => {
  it("takes the domain after the last @, lower-cased", () => {
    expect(emailDomain("Pat@District.Example")).toBe("district.example");
    expect(emailDomain("no-at-sign")).toBeNull();
    expect(emailDomain("trailing@")).toBeNull();
  });

  it("parses OIDC_ALLOWED_DOMAINS as a trimmed lower-case list", () => {
    expect(parseAllowedDomains(" District.example, @students.district.example ,,")).toEqual(["district.example", "students.district.example"]);
    expect(parseAllowedDomains(undefined)).toEqual([]);
  });
});

describe("emailIsTrusted", () => {
  it("trusts email_verified true, never false, and an absent claim (Entra) only with allowed domains", () => {
    expect(emailIsTrusted({ email_verified: true }, [])).toBe(true);
    expect(emailIsTrusted({ email_verified: "true" }, [])).toBe(true);
    expect(emailIsTrusted({ email_verified: false }, ["district.example"])).toBe(false);
    expect(emailIsTrusted({}, [])).toBe(false);
    expect(emailIsTrusted({}, ["district.example"])).toBe(true);
  });
});

describe("identityFrom", () => {
  it("makes the subject from issuer and sub, and reads the configured claims", () => {
    const identity = identityFrom({ ...base, employeeId: "E7", mail: "Pat@District.example", email_verified: true }, { ...settings, employeeIdClaim: "employeeId", emailClaim: "mail" });
    expect(identity).toEqual({ subject: "https://idp.example|abc", employeeId: "E7", email: "pat@district.example", emailVerified: true });
  });

  it("reads no employee ID when no claim is configured", () => {
    expect(identityFrom({ ...base, employee_id: "E7" }, { ...settings, employeeIdClaim: null })).toMatchObject({ employeeId: null });
  });

  it("refuses a token without issuer or subject", () => {
    expect(identityFrom({ iss: "https://idp.example" }, settings)).toEqual({ refused: "no-subject" });
  });

  it("with allowed domains: refuses another domain and a missing email; without: any domain", () => {
    const allowed = { ...settings, allowedDomains: ["district.example"] };
    expect(identityFrom({ ...base, email: "pat@gmail.com", email_verified: true }, allowed)).toEqual({ refused: "domain-not-allowed" });
    expect(identityFrom({ ...base, email: "pat@sub.district.example", email_verified: true }, allowed)).toEqual({ refused: "domain-not-allowed" });
    expect(identityFrom({ ...base, employee_id: "E7" }, allowed)).toEqual({ refused: "no-email-for-domain" });
    expect(identityFrom({ ...base, email: "pat@District.Example" }, allowed)).toMatchObject({ email: "pat@district.example", emailVerified: true });
    expect(identityFrom({ ...base, email: "pat@gmail.com", email_verified: true }, settings)).toMatchObject({ email: "pat@gmail.com" });
  });

  it("ignores an email claim that is not an address", () => {
    expect(identityFrom({ ...base, email: "not an address", email_verified: true }, settings)).toMatchObject({ email: null, emailVerified: false });
  });
});

describe("decideSsoLink", () => {
  const identity: SsoIdentity = { subject: "iss|abc", employeeId: "E7", email: "pat@district.example", emailVerified: true };
  const none: SsoCandidates = { bySubject: null, byEmployeeId: null, userByEmail: null, peopleByEmail: [] };
  const account = (over: Partial<SsoAccount> = {}): SsoAccount => ({ userId: "u1", active: true, ssoSubject: null, ...over });

  it("an identity already linked signs in to its account, unless it is turned off", () => {
    expect(decideSsoLink(identity, { ...none, bySubject: account({ ssoSubject: "iss|abc" }) })).toEqual({ outcome: "sign-in", userId: "u1" });
    expect(decideSsoLink(identity, { ...none, bySubject: account({ active: false }) })).toEqual({ outcome: "refuse", reason: "inactive" });
  });

  it("the employee ID comes before the email", () => {
    const found = { ...none, byEmployeeId: { personId: "p-id", account: null }, peopleByEmail: [{ personId: "p-mail", account: null }] };
    expect(decideSsoLink(identity, found)).toEqual({ outcome: "link-person", personId: "p-id", via: "employee-id" });
  });

  it("a person with an account links that account; turned off or linked to another identity is refused", () => {
    expect(decideSsoLink(identity, { ...none, byEmployeeId: { personId: "p", account: account() } })).toEqual({ outcome: "link-user", userId: "u1", via: "employee-id" });
    expect(decideSsoLink(identity, { ...none, byEmployeeId: { personId: "p", account: account({ active: false }) } })).toEqual({ outcome: "refuse", reason: "inactive" });
    expect(decideSsoLink(identity, { ...none, byEmployeeId: { personId: "p", account: account({ ssoSubject: "iss|other" }) } })).toEqual({ outcome: "refuse", reason: "linked-elsewhere" });
  });

  it("a verified email: the account whose sign-in address it is, before people with it", () => {
    const found = { ...none, userByEmail: account({ userId: "admin" }), peopleByEmail: [{ personId: "p1", account: null }, { personId: "p2", account: null }] };
    expect(decideSsoLink(identity, found)).toEqual({ outcome: "link-user", userId: "admin", via: "email" });
  });

  it("a verified email of exactly one person links it; of more than one is refused as ambiguous", () => {
    expect(decideSsoLink(identity, { ...none, peopleByEmail: [{ personId: "p1", account: null }] })).toEqual({ outcome: "link-person", personId: "p1", via: "email" });
    expect(decideSsoLink(identity, { ...none, peopleByEmail: [{ personId: "p1", account: null }, { personId: "p2", account: null }] })).toEqual({ outcome: "refuse", reason: "email-ambiguous" });
  });

  it("an unverified email links nothing", () => {
    const unverified = { ...identity, emailVerified: false };
    expect(decideSsoLink(unverified, { ...none, peopleByEmail: [{ personId: "p1", account: null }] })).toEqual({ outcome: "refuse", reason: "unverified-email" });
    expect(decideSsoLink(unverified, { ...none, userByEmail: account() })).toEqual({ outcome: "refuse", reason: "unverified-email" });
    expect(decideSsoLink(unverified, none)).toEqual({ outcome: "refuse", reason: "no-match" });
  });

  it("no match is a refusal, never a new account", () => {
    expect(decideSsoLink(identity, none)).toEqual({ outcome: "refuse", reason: "no-match" });
    expect(decideSsoLink({ ...identity, email: null, emailVerified: false }, none)).toEqual({ outcome: "refuse", reason: "no-match" });
  });
});

describe("ssoRefusalMessage", () => {
  it("names the provider where it helps and uses 400 for a flow that failed, 403 for a refusal", () => {
    expect(ssoRefusalMessage("failed", "Google")).toEqual({ status: 400, message: "Sign-in with Google did not complete; try again." });
    expect(ssoRefusalMessage("no-match", "Google").message).toMatch(/^We could not find your record\./);
    expect(ssoRefusalMessage("email-ambiguous", "Google")).toEqual({ status: 403, message: "More than one record has this email; sign in by email link or ask your administrator." });
    expect(ssoRefusalMessage("domain-not-allowed", "Microsoft").status).toBe(403);
  });
});
