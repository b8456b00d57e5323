import { describe, expect, it } from "vitest";
import {
  certificateEmail, certificateFactLines, formatCertificateDate, formatHours, languageOf, parseLanguageParam,
} from "./certificate-text";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("certificate words", () => {
  it("formats dates as calendar dates in either language", () => {
    expect(formatCertificateDate(day("2025-05-20"), "en")).toBe("May 20, 2025");
    expect(formatCertificateDate(day("2025-05-20"), "es")).toBe("20 de mayo de 2025");
    // Midnight UTC is still the 1st, whatever the server's zone.
    expect(formatCertificateDate(day("2026-01-01"), "en")).toBe("January 1, 2026");
  });

  it("says hours in the singular for one", () => {
    expect(formatHours(6.5, "en")).toBe("6.5 hours");
    expect(formatHours(1, "en")).toBe("1 hour");
    expect(formatHours(1, "es")).toBe("1 hora");
    expect(formatHours(4.5, "es")).toBe("4.5 horas");
  });

  it("lists hours and the lead trainer only when known, and says when a certificate does not expire", () => {
    const full = certificateFactLines({ issuedOn: day("2025-05-20"), expiresOn: day("2028-05-20"), hours: 6.5, leadTrainer: "Dana Whitfield" }, "en");
    expect(full).toEqual([
      { label: "Issued on", value: "May 20, 2025" },
      { label: "Valid until", value: "May 20, 2028" },
      { label: "Hours", value: "6.5 hours" },
      { label: "Lead trainer", value: "Dana Whitfield" },
    ]);
    const bare = certificateFactLines({ issuedOn: day("2025-05-20"), expiresOn: null, hours: null, leadTrainer: null }, "es");
    expect(bare).toEqual([
      { label: "Fecha de emisión", value: "20 de mayo de 2025" },
      { label: "Válido hasta", value: "No vence" },
    ]);
  });

  it("reads a stored language, defaulting to English, and checks ?lang=", () => {
    expect(languageOf("es")).toBe("es");
    expect(languageOf("fr")).toBe("en");
    expect(languageOf(null)).toBe("en");
    expect(parseLanguageParam(null)).toEqual({ ok: true, language: null });
    expect(parseLanguageParam("es")).toEqual({ ok: true, language: "es" });
    const bad = parseLanguageParam("ES-mx");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain(`"lang"`);
  });
});

describe("the certificate email", () => {
  const base = {
    firstName: "Ánh", programName: "Youth Mental Health First Aid", districtName: "Lakeside Unified",
    issuedOn: day("2025-05-20"), expiresOn: day("2028-05-20"),
    verifyUrl: "https://t.example/verify/abc", memberUrl: "https://t.example/me", hasCalendar: true,
  };

  it("carries the check link, the member link and the renewal calendar, in English", () => {
    const mail = certificateEmail({ ...base, language: "en" });
    expect(mail.subject).toBe("Your certificate: Youth Mental Health First Aid");
    expect(mail.text).toContain("Hello Ánh,");
    expect(mail.text).toContain("valid until May 20, 2028");
    expect(mail.text).toContain("https://t.example/verify/abc");
    expect(mail.text).toContain("https://t.example/me");
    expect(mail.text).toContain(".ics");
    expect(mail.html).toContain(`<html lang="en">`);
    expect(mail.html).toContain(`href="https://t.example/me"`);
  });

  it("is in Spanish for a Spanish speaker, without a calendar when the certificate does not expire", () => {
    const mail = certificateEmail({ ...base, language: "es", expiresOn: null, hasCalendar: false });
    expect(mail.subject).toBe("Su certificado: Youth Mental Health First Aid");
    expect(mail.text).toContain("Hola, Ánh:");
    expect(mail.text).toContain("no vence");
    expect(mail.text).not.toContain(".ics");
    expect(mail.html).toContain(`<html lang="es">`);
  });

  it("escapes names in the HTML and keeps the subject on one line", () => {
    const mail = certificateEmail({ ...base, language: "en", firstName: "<b>Eve</b>", programName: "QPR\r\nBcc: x@evil.example" });
    expect(mail.html).toContain("&lt;b&gt;Eve&lt;/b&gt;");
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
