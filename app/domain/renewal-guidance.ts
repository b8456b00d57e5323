/**
 * What a member should do next about one certificate, in plain words. Pure: the member page,
 * the calendar files and the feed all say the same thing.
 */
import { addDays, daysBetween, renewalWindowOpens, type CertificationStatus } from "~/domain/program-rules";

/**
 * A program without a short renewal can only be retaken: from this many days before expiry (the
 * lead time of the first default reminder) the member is shown its upcoming sessions.
 */
export const RETAKE_LEAD_DAYS = 90;

export type RenewalGuidanceInput = {
  status: CertificationStatus;
  issuedOn: Date;
  expiresOn: Date | null;
  /** The program's setting: days before expiry in which a short renewal is allowed (null: none). */
  renewalWindowDays: number | null;
  /** The program's own renewal text (Program.renewalGuidance); blank when unset. */
  programGuidance: string;
  /** When a newer certificate of the same program replaced this one: the renewal (renewed) or a retake (expired). */
  replacedByIssuedOn: Date | null;
  /** The day the guidance is for; without it a program with no renewal window never suggests sessions. */
  today?: Date;
};

export type RenewalGuidance = {
  /** The sentence about dates and what to do. */
  summary: string;
  /** The program's own guidance, when set and still useful for this certificate. */
  programGuidance: string | null;
  /** True when the member should take (or renew in) a session: show the sessions they can join. */
  suggestSessions: boolean;
};

/** Dates are calendar days kept at 00:00 UTC: format in UTC so no zone shifts a day. */
export function formatGuidanceDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

export function renewalGuidance(input: RenewalGuidanceInput, formatDate: (d: Date) => string = formatGuidanceDate): RenewalGuidance {
  const extra = input.programGuidance.trim() || null;
  const { status, expiresOn } = input;

  if (status === "renewed") {
    const summary = input.replacedByIssuedOn
      ? `Replaced by your renewal issued on ${formatDate(input.replacedByIssuedOn)}.`
      : "Replaced by your renewal.";
    return { summary, programGuidance: null, suggestSessions: false };
  }
  if (expiresOn == null) {
    return { summary: "Does not expire.", programGuidance: extra, suggestSessions: false };
  }

  const opens = renewalWindowOpens(expiresOn, input);
  // The certificate lapses on its expiry date, so the last day to renew is the day before.
  const lastRenewalDay = addDays(expiresOn, -1);

  if (status === "expired") {
    if (input.replacedByIssuedOn) {
      return {
        summary: `Expired on ${formatDate(expiresOn)}. You were certified again on ${formatDate(input.replacedByIssuedOn)}.`,
        programGuidance: null,
        suggestSessions: false,
      };
    }
    return {
      summary: `Expired on ${formatDate(expiresOn)}. Retake the full course to be certified again.`,
      programGuidance: extra,
      suggestSessions: true,
    };
  }

  if (status === "not-yet-issued") {
    return { summary: `Valid from ${formatDate(input.issuedOn)} until ${formatDate(expiresOn)}.`, programGuidance: extra, suggestSessions: false };
  }

  if (opens == null) {
    // The program has no short renewal: the only way to stay certified is the full course again.
    return {
      summary: `Valid until ${formatDate(expiresOn)}. Retake the full course before then to stay certified.`,
      programGuidance: extra,
      suggestSessions: input.today != null && daysBetween(input.today, expiresOn) <= RETAKE_LEAD_DAYS,
    };
  }

  if (status === "renewal-window") {
    return {
      summary: `Renew online between ${formatDate(opens)} and ${formatDate(lastRenewalDay)}, or retake the full course after that.`,
      programGuidance: extra,
      suggestSessions: true,
    };
  }

  return {
    summary: `Valid until ${formatDate(expiresOn)}. You can renew online between ${formatDate(opens)} and ${formatDate(lastRenewalDay)}.`,
    programGuidance: extra,
    suggestSessions: false,
  };
}
