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
  /** When the certificate was revoked (issued by mistake); only with status "revoked". */
  revokedAt?: Date | null;
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

/** The sentences of the guidance, in the member's language (dates come formatted). */
export type GuidanceWords = {
  replacedBy: (issued: string) => string;
  replaced: string;
  noExpiry: string;
  expiredCertifiedAgain: (expired: string, again: string) => string;
  expiredRetake: (expired: string) => string;
  validFromUntil: (from: string, until: string) => string;
  validRetake: (until: string) => string;
  renewBetween: (opens: string, last: string) => string;
  validRenewBetween: (until: string, opens: string, last: string) => string;
  revoked: (on: string | null) => string;
};

export const GUIDANCE_WORDS: Record<"en" | "es", GuidanceWords> = {
  en: {
    replacedBy: (d) => `Replaced by your renewal issued on ${d}.`,
    replaced: "Replaced by your renewal.",
    noExpiry: "Does not expire.",
    expiredCertifiedAgain: (e, r) => `Expired on ${e}. You were certified again on ${r}.`,
    expiredRetake: (e) => `Expired on ${e}. Retake the full course to be certified again.`,
    validFromUntil: (f, u) => `Valid from ${f} until ${u}.`,
    validRetake: (u) => `Valid until ${u}. Retake the full course before then to stay certified.`,
    renewBetween: (o, l) => `Renew online between ${o} and ${l}, or retake the full course after that.`,
    validRenewBetween: (u, o, l) => `Valid until ${u}. You can renew online between ${o} and ${l}.`,
    revoked: (d) => `${d ? `Revoked on ${d}` : "Revoked"}: this certificate is no longer valid. Ask the district wellness office if you think this is a mistake.`,
  },
  es: {
    replacedBy: (d) => `Reemplazado por su renovación emitida el ${d}.`,
    replaced: "Reemplazado por su renovación.",
    noExpiry: "No vence.",
    expiredCertifiedAgain: (e, r) => `Venció el ${e}. Se certificó de nuevo el ${r}.`,
    expiredRetake: (e) => `Venció el ${e}. Vuelva a tomar el curso completo para certificarse de nuevo.`,
    validFromUntil: (f, u) => `Válido del ${f} al ${u}.`,
    validRetake: (u) => `Válido hasta el ${u}. Vuelva a tomar el curso completo antes de esa fecha para seguir certificado.`,
    renewBetween: (o, l) => `Renueve en línea entre el ${o} y el ${l}, o vuelva a tomar el curso completo después.`,
    validRenewBetween: (u, o, l) => `Válido hasta el ${u}. Puede renovarlo en línea entre el ${o} y el ${l}.`,
    revoked: (d) => `${d ? `Revocado el ${d}` : "Revocado"}: este certificado ya no es válido. Consulte a la oficina de bienestar del distrito si cree que es un error.`,
  },
};

export function renewalGuidance(input: RenewalGuidanceInput, formatDate: (d: Date) => string = formatGuidanceDate, words: GuidanceWords = GUIDANCE_WORDS.en): RenewalGuidance {
  const extra = input.programGuidance.trim() || null;
  const { status, expiresOn } = input;

  if (status === "revoked") {
    return { summary: words.revoked(input.revokedAt ? formatDate(input.revokedAt) : null), programGuidance: null, suggestSessions: false };
  }
  if (status === "renewed") {
    const summary = input.replacedByIssuedOn ? words.replacedBy(formatDate(input.replacedByIssuedOn)) : words.replaced;
    return { summary, programGuidance: null, suggestSessions: false };
  }
  if (expiresOn == null) {
    return { summary: words.noExpiry, programGuidance: extra, suggestSessions: false };
  }

  const opens = renewalWindowOpens(expiresOn, input);
  // The certificate lapses on its expiry date, so the last day to renew is the day before.
  const lastRenewalDay = addDays(expiresOn, -1);

  if (status === "expired") {
    if (input.replacedByIssuedOn) {
      return {
        summary: words.expiredCertifiedAgain(formatDate(expiresOn), formatDate(input.replacedByIssuedOn)),
        programGuidance: null,
        suggestSessions: false,
      };
    }
    return {
      summary: words.expiredRetake(formatDate(expiresOn)),
      programGuidance: extra,
      suggestSessions: true,
    };
  }

  if (status === "not-yet-issued") {
    return { summary: words.validFromUntil(formatDate(input.issuedOn), formatDate(expiresOn)), programGuidance: extra, suggestSessions: false };
  }

  if (opens == null) {
    // The program has no short renewal: the only way to stay certified is the full course again.
    return {
      summary: words.validRetake(formatDate(expiresOn)),
      programGuidance: extra,
      suggestSessions: input.today != null && daysBetween(input.today, expiresOn) <= RETAKE_LEAD_DAYS,
    };
  }

  if (status === "renewal-window") {
    return {
      summary: words.renewBetween(formatDate(opens), formatDate(lastRenewalDay)),
      programGuidance: extra,
      suggestSessions: true,
    };
  }

  return {
    summary: words.validRenewBetween(formatDate(expiresOn), formatDate(opens), formatDate(lastRenewalDay)),
    programGuidance: extra,
    suggestSessions: false,
  };
}
