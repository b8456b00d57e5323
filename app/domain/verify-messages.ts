/**
 * The public certificate check in English and Spanish. Anyone may open it (an employer,
 * a parent, a partner organisation), so it speaks both of the district's main languages.
 */
export const VERIFY_LANGUAGES = ["en", "es"] as const;
export type VerifyLanguage = (typeof VERIFY_LANGUAGES)[number];

/** What the public check says about a certificate: the renewal window is shown as still active. */
export type PublicCertificateStatus = "active" | "renewal-due" | "expired" | "renewed" | "not-yet-valid" | "revoked";

export type VerifyMessages = {
  metaTitle: string;
  formTitle: string;
  formIntro: string;
  codeLabel: string;
  codeHint: string;
  submit: string;
  emptyCode: string;
  resultTitle: string;
  notFound: string;
  notFoundHelp: string;
  name: string;
  program: string;
  issuedOn: string;
  expiresOn: string;
  neverExpires: string;
  status: string;
  statuses: Record<PublicCertificateStatus, string>;
  /** A revoked certificate: the date only, never the reason (the public page says what is needed, no more). */
  revokedOn: string;
  revokedNotice: (date: string) => string;
  privacyNote: string;
  checkAnother: string;
  otherLanguage: { lang: VerifyLanguage; label: string };
};

export const VERIFY_MESSAGES: Record<VerifyLanguage, VerifyMessages> = {
  en: {
    metaTitle: "Certificate check",
    formTitle: "Check a certificate",
    formIntro: "Type the code printed on the certificate, or scan its QR code.",
    codeLabel: "Certificate code",
    codeHint: "22 letters, digits, hyphens or underscores, as printed under the QR code. Capital letters matter.",
    submit: "Check",
    emptyCode: "Enter the code printed on the certificate.",
    resultTitle: "Certificate check",
    notFound: "No certificate matches this code",
    notFoundHelp: "Check the code and try again. Capital and small letters are different.",
    name: "Name",
    program: "Program",
    issuedOn: "Issued on",
    expiresOn: "Expires on",
    neverExpires: "Does not expire",
    status: "Status",
    statuses: {
      active: "Active",
      "renewal-due": "Active (renewal due)",
      expired: "Expired",
      renewed: "Renewed (superseded by a newer certificate)",
      "not-yet-valid": "Not yet valid",
      revoked: "Revoked (no longer valid)",
    },
    revokedOn: "Revoked on",
    revokedNotice: (d) => `This certificate was revoked on ${d} and is no longer valid.`,
    privacyNote: "This page shows only what is needed to confirm the certificate.",
    checkAnother: "Check another code",
    otherLanguage: { lang: "es", label: "Español" },
  },
  es: {
    metaTitle: "Verificación de certificado",
    formTitle: "Verificar un certificado",
    formIntro: "Escriba el código impreso en el certificado o escanee su código QR.",
    codeLabel: "Código del certificado",
    codeHint: "22 letras, cifras, guiones o guiones bajos, tal como aparece bajo el código QR. Se distinguen mayúsculas y minúsculas.",
    submit: "Verificar",
    emptyCode: "Escriba el código impreso en el certificado.",
    resultTitle: "Verificación de certificado",
    notFound: "Ningún certificado coincide con este código",
    notFoundHelp: "Revise el código e inténtelo de nuevo. Las mayúsculas y las minúsculas son distintas.",
    name: "Nombre",
    program: "Programa",
    issuedOn: "Fecha de emisión",
    expiresOn: "Fecha de vencimiento",
    neverExpires: "No vence",
    status: "Estado",
    statuses: {
      active: "Vigente",
      "renewal-due": "Vigente (renovación pendiente)",
      expired: "Vencido",
      renewed: "Renovado (reemplazado por un certificado más reciente)",
      "not-yet-valid": "Aún no vigente",
      revoked: "Revocado (ya no es válido)",
    },
    revokedOn: "Fecha de revocación",
    revokedNotice: (d) => `Este certificado fue revocado el ${d} y ya no es válido.`,
    privacyNote: "Esta página muestra solo lo necesario para confirmar el certificado.",
    checkAnother: "Verificar otro código",
    otherLanguage: { lang: "en", label: "English" },
  },
};

function asLanguage(tag: string): VerifyLanguage | null {
  const primary = tag.trim().toLowerCase().split("-")[0];
  return VERIFY_LANGUAGES.find((l) => l === primary) ?? null;
}

/**
 * ?lang= wins; otherwise the browser's Accept-Language (highest q first, the listed order
 * breaking ties); otherwise English.
 */
export function pickVerifyLanguage(langParam: string | null, acceptLanguage: string | null): VerifyLanguage {
  const asked = langParam ? asLanguage(langParam) : null;
  if (asked) return asked;
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.split(";");
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: asLanguage(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r): r is { lang: VerifyLanguage; q: number; index: number } => r.lang !== null && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang ?? "en";
}

/** Calendar dates kept at 00:00 UTC, spelled out in the page's language. */
export function formatVerifyDate(date: Date, lang: VerifyLanguage): string {
  return date.toLocaleDateString(lang === "es" ? "es-US" : "en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}
