/**
 * The words of a certificate and of the email that carries it, in English and Spanish. Pure: the
 * PDF (app/models/certificate-pdf.server.ts) and the email (app/models/certificate-mail.server.ts)
 * lay them out. Dates are calendar dates (stored as UTC midnight), so they are formatted in UTC.
 */
import { escapeHtml } from "~/domain/reminders";

export const CERTIFICATE_LANGUAGES = ["en", "es"] as const;
export type CertificateLanguage = (typeof CERTIFICATE_LANGUAGES)[number];

export function isCertificateLanguage(value: unknown): value is CertificateLanguage {
  return value === "en" || value === "es";
}

/** A person's stored preference; anything unexpected reads as English. */
export function languageOf(value: string | null | undefined): CertificateLanguage {
  return isCertificateLanguage(value) ? value : "en";
}

/**
 * The `lang` query parameter of a certificate download: absent means the holder's own language;
 * a value other than en or es is an error that names the parameter.
 */
export function parseLanguageParam(value: string | null): { ok: true; language: CertificateLanguage | null } | { ok: false; error: string } {
  if (value === null || value === "") return { ok: true, language: null };
  if (isCertificateLanguage(value)) return { ok: true, language: value };
  return { ok: false, error: `The "lang" parameter must be "en" (English) or "es" (Spanish).` };
}

const LOCALE: Record<CertificateLanguage, string> = { en: "en-US", es: "es-US" };

export function formatCertificateDate(date: Date, language: CertificateLanguage): string {
  return date.toLocaleDateString(LOCALE[language], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

/** "6.5 hours" / "6,5 horas"; one hour is singular in both. */
export function formatHours(hours: number, language: CertificateLanguage): string {
  const number = hours.toLocaleString(LOCALE[language], { maximumFractionDigits: 2 });
  if (language === "es") return `${number} ${hours === 1 ? "hora" : "horas"}`;
  return `${number} ${hours === 1 ? "hour" : "hours"}`;
}

export type CertificateFacts = {
  issuedOn: Date;
  expiresOn: Date | null;
  hours: number | null;
  leadTrainer: string | null;
};

/** Every phrase the certificate prints, in one language. */
export function certificateWords(language: CertificateLanguage) {
  if (language === "es") {
    return {
      title: "Certificado de finalización",
      certifies: "Se certifica que",
      completed: "ha completado la capacitación",
      issuedOn: "Fecha de emisión",
      validUntil: "Válido hasta",
      doesNotExpire: "No vence",
      hours: "Duración",
      leadTrainer: "Capacitador/a principal",
      checkAt: "Verifique este certificado en",
      code: "Código",
      documentSubject: (program: string) => `Certificado de finalización: ${program}`,
    };
  }
  return {
    title: "Certificate of Completion",
    certifies: "This certifies that",
    completed: "has successfully completed",
    issuedOn: "Issued on",
    validUntil: "Valid until",
    doesNotExpire: "Does not expire",
    hours: "Hours",
    leadTrainer: "Lead trainer",
    checkAt: "Check this certificate at",
    code: "Code",
    documentSubject: (program: string) => `Certificate of completion, ${program}`,
  };
}

/** The facts printed under the program, label and value, in order; those the certificate lacks are left out. */
export function certificateFactLines(facts: CertificateFacts, language: CertificateLanguage): Array<{ label: string; value: string }> {
  const w = certificateWords(language);
  const lines = [
    { label: w.issuedOn, value: formatCertificateDate(facts.issuedOn, language) },
    { label: w.validUntil, value: facts.expiresOn ? formatCertificateDate(facts.expiresOn, language) : w.doesNotExpire },
  ];
  if (facts.hours != null) lines.push({ label: w.hours, value: formatHours(facts.hours, language) });
  if (facts.leadTrainer) lines.push({ label: w.leadTrainer, value: facts.leadTrainer });
  return lines;
}

export type CertificateEmailInput = {
  language: CertificateLanguage;
  firstName: string;
  programName: string;
  districtName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  verifyUrl: string;
  /** Where the recipient signs in (by email link) and sees their certificates. */
  memberUrl: string;
  /** Whether an .ics of the renewal dates is attached. */
  hasCalendar: boolean;
};

const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ").trim();

/** The email that carries a new certificate: subject, plain text and HTML. */
export function certificateEmail(input: CertificateEmailInput): { subject: string; text: string; html: string } {
  const program = oneLine(input.programName);
  const district = oneLine(input.districtName);
  const name = oneLine(input.firstName);
  const issued = formatCertificateDate(input.issuedOn, input.language);
  const expires = input.expiresOn ? formatCertificateDate(input.expiresOn, input.language) : null;
  const es = input.language === "es";

  const subject = es ? `Su certificado: ${program}` : `Your certificate: ${program}`;
  const greeting = es ? `Hola, ${name}:` : `Hello ${name},`;
  const congratulations = es
    ? `¡Felicitaciones! Completó ${program} y su certificado, emitido el ${issued}, va adjunto en PDF.`
    : `Congratulations: you completed ${program}. Your certificate, issued on ${issued}, is attached as a PDF.`;
  const validity = expires
    ? es ? `Es válido hasta el ${expires}.` : `It is valid until ${expires}.`
    : es ? "Este certificado no vence." : "This certificate does not expire.";
  const calendar = input.hasCalendar
    ? es ? "El archivo .ics adjunto agrega la fecha de renovación a su calendario." : "The attached .ics file adds the renewal dates to your calendar."
    : null;
  const check = es ? "Cualquier persona puede verificar el certificado en:" : "Anyone can check the certificate at:";
  const member = es
    ? "Vea todos sus certificados (inicie sesión con un enlace enviado a su correo):"
    : "See all your certificates (sign in with a link sent to your email):";
  const footer = es ? `${district}: registros de capacitación en salud mental` : `${district} mental-health training records`;

  const text = [
    greeting, "", congratulations, validity, ...(calendar ? [calendar] : []), "",
    check, input.verifyUrl, "", member, input.memberUrl, "", "--", footer, "",
  ].join("\n");

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${input.language}">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1d2733;">
<p>${e(greeting)}</p>
<p>${e(congratulations)} ${e(validity)}</p>
${calendar ? `<p>${e(calendar)}</p>\n` : ""}<p>${e(check)} <a href="${e(input.verifyUrl)}">${e(input.verifyUrl)}</a></p>
<p><a href="${e(input.memberUrl)}">${e(es ? "Ver mis certificados" : "See your certificates")}</a></p>
<hr>
<p style="font-size: 0.9em; color: #55606e;">${e(footer)}</p>
</body>
</html>
`;
  return { subject, text, html };
}
