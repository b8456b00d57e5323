/**
 * Single sign-on (OpenID Connect): which claims identify a person, whose email domain may sign in, and which account
 * a first sign-in links to. Pure: the flow is in app/models/sso.server.ts; the choices are in
 * docs/decisions/013-single-sign-on.md.
 */

export type SsoSettings = {
  /** The claim carrying the district/employee ID (e.g. "employee_id", Entra's "employeeId"); null: none is read. */
  employeeIdClaim: string | null;
  /** The claim carrying the email address ("email" unless configured). */
  emailClaim: string;
  /** Lower-case domains an email must belong to; empty: any domain. */
  allowedDomains: readonly string[];
};

export type SsoIdentity = {
  /** "<issuer>|<sub>": what User.ssoSubject stores. */
  subject: string;
  employeeId: string | null;
  email: string | null;
  /** Whether the email may link to a record (see emailIsTrusted). */
  emailVerified: boolean;
};

export type SsoRefusal =
  | "no-subject"
  | "domain-not-allowed"
  | "no-email-for-domain"
  | "no-match"
  | "unverified-email"
  | "email-ambiguous"
  | "inactive"
  | "linked-elsewhere"
  | "failed";

/** A claim as text: a non-empty string (trimmed) or a number (some directories send employee numbers as numbers). */
export function claimText(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  return at > 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : null;
}

/** The comma list of OIDC_ALLOWED_DOMAINS, lower-cased, a leading "@" tolerated. */
export function parseAllowedDomains(value: string | undefined): string[] {
  return (value ?? "").split(",").map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean);
}

/**
 * Whether an email the provider asserts may link to a record. `email_verified: true` is trusted and `false` never is.
 * Microsoft Entra ID sends no `email_verified`: an absent claim is trusted only when OIDC_ALLOWED_DOMAINS is set, so
 * the address is one of the district's own domains, whose mailboxes its own tenant issues.
 */
export function emailIsTrusted(claims: Record<string, unknown>, allowedDomains: readonly string[]): boolean {
  const verified = claims.email_verified;
  if (verified === true || verified === "true") return true;
  if (verified === undefined) return allowedDomains.length > 0;
  return false;
}

/** Who signed in, read from validated ID-token claims; or why they may not sign in at all. */
export function identityFrom(claims: Record<string, unknown>, settings: SsoSettings): SsoIdentity | { refused: SsoRefusal } {
  const issuer = claimText(claims, "iss");
  const sub = claimText(claims, "sub");
  if (!issuer || !sub) return { refused: "no-subject" };
  const rawEmail = claimText(claims, settings.emailClaim);
  const email = rawEmail && emailDomain(rawEmail) ? rawEmail.toLowerCase() : null;
  if (settings.allowedDomains.length > 0) {
    // With a domain list, the email is what says this is the district's account: without one nobody signs in.
    if (!email) return { refused: "no-email-for-domain" };
    const domain = emailDomain(email);
    if (!domain || !settings.allowedDomains.includes(domain)) return { refused: "domain-not-allowed" };
  }
  return {
    subject: `${issuer}|${sub}`,
    employeeId: settings.employeeIdClaim ? claimText(claims, settings.employeeIdClaim) : null,
    email,
    emailVerified: email !== null && emailIsTrusted(claims, settings.allowedDomains),
  };
}

export type SsoAccount = { userId: string; active: boolean; ssoSubject: string | null };

/** What the database holds for an identity: every record it could link to (merged people left out). */
export type SsoCandidates = {
  /** The account already linked to this identity. */
  bySubject: SsoAccount | null;
  /** The unmerged person whose district ID is the employee-ID claim, and their account if they have one. */
  byEmployeeId: { personId: string; account: SsoAccount | null } | null;
  /** The account whose own sign-in address (User.email) is the email. */
  userByEmail: SsoAccount | null;
  /** Unmerged people with the email, and their accounts. */
  peopleByEmail: Array<{ personId: string; account: SsoAccount | null }>;
};

export type SsoLinkDecision =
  | { outcome: "sign-in"; userId: string }
  | { outcome: "link-user"; userId: string; via: "employee-id" | "email" }
  | { outcome: "link-person"; personId: string; via: "employee-id" | "email" }
  | { outcome: "refuse"; reason: SsoRefusal };

function linkAccount(account: SsoAccount, subject: string, via: "employee-id" | "email"): SsoLinkDecision {
  if (!account.active) return { outcome: "refuse", reason: "inactive" };
  // Another identity already signs in to this account: a second one taking it over is refused, not overwritten.
  if (account.ssoSubject && account.ssoSubject !== subject) return { outcome: "refuse", reason: "linked-elsewhere" };
  return { outcome: "link-user", userId: account.userId, via };
}

function linkPerson(person: { personId: string; account: SsoAccount | null }, subject: string, via: "employee-id" | "email"): SsoLinkDecision {
  return person.account ? linkAccount(person.account, subject, via) : { outcome: "link-person", personId: person.personId, via };
}

/**
 * The account a sign-in opens: the one already linked to the identity; else the person with the employee ID; else,
 * for a trusted email, the account whose sign-in address it is (an administrator set it, and it is unique), else the
 * one person with that email. Never a new empty account: no match is a refusal.
 */
export function decideSsoLink(identity: SsoIdentity, found: SsoCandidates): SsoLinkDecision {
  if (found.bySubject) {
    return found.bySubject.active ? { outcome: "sign-in", userId: found.bySubject.userId } : { outcome: "refuse", reason: "inactive" };
  }
  if (found.byEmployeeId) return linkPerson(found.byEmployeeId, identity.subject, "employee-id");
  if (!identity.email) return { outcome: "refuse", reason: "no-match" };
  const emailMatches = found.userByEmail !== null || found.peopleByEmail.length > 0;
  if (!identity.emailVerified) return { outcome: "refuse", reason: emailMatches ? "unverified-email" : "no-match" };
  if (found.userByEmail) return linkAccount(found.userByEmail, identity.subject, "email");
  if (found.peopleByEmail.length > 1) return { outcome: "refuse", reason: "email-ambiguous" };
  if (found.peopleByEmail.length === 1) return linkPerson(found.peopleByEmail[0], identity.subject, "email");
  return { outcome: "refuse", reason: "no-match" };
}

/** The page a refusal shows: a plain sentence, and the HTTP status. */
export function ssoRefusalMessage(reason: SsoRefusal, providerName: string): { status: 400 | 403; message: string } {
  switch (reason) {
    case "failed":
    case "no-subject":
      return { status: 400, message: `Sign-in with ${providerName} did not complete; try again.` };
    case "domain-not-allowed":
      return { status: 403, message: `This ${providerName} account is not one of the district's. Sign in with your district account.` };
    case "no-email-for-domain":
      return { status: 403, message: `${providerName} did not tell us your email address, so we cannot tell whether this is a district account. Ask your administrator.` };
    case "no-match":
      return {
        status: 403,
        message: `We could not find your record. Sign-in with ${providerName} worked, but no one in the district's directory has your employee ID or email address. Ask your administrator to add you or correct your record.`,
      };
    case "unverified-email":
      return { status: 403, message: `${providerName} has not confirmed your email address, so we cannot match it to your record. Sign in by email link or ask your administrator.` };
    case "email-ambiguous":
      return { status: 403, message: "More than one record has this email; sign in by email link or ask your administrator." };
    case "inactive":
      return { status: 403, message: "This account is turned off. Ask your administrator." };
    case "linked-elsewhere":
      return { status: 403, message: `Your record is already linked to another ${providerName} account. Ask your administrator.` };
  }
}
