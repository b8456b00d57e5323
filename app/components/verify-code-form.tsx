import type { VerifyLanguage, VerifyMessages } from "~/domain/verify-messages";

/**
 * The public check's code form: a plain GET form (no JavaScript needed); /verify turns
 * ?code= into /verify/<code>.
 */
export function VerifyCodeForm({ t, lang, error, headingLevel }: { t: VerifyMessages; lang: VerifyLanguage; error?: string | null; headingLevel?: "h2" }) {
  const Heading = headingLevel;
  return (
    <form method="get" action="/verify" className="panel" aria-labelledby={Heading ? "check-another" : undefined}>
      {Heading ? <Heading id="check-another">{t.checkAnother}</Heading> : null}
      {lang !== "en" ? <input type="hidden" name="lang" value={lang} /> : null}
      <div className={`field${error ? " field-invalid" : ""}`}>
        <label htmlFor="verify-code">{t.codeLabel}</label>
        <p id="verify-code-hint" className="hint">{t.codeHint}</p>
        {error ? <p id="verify-code-error" className="field-error">{error}</p> : null}
        <input
          id="verify-code"
          name="code"
          type="text"
          required
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "verify-code-hint verify-code-error" : "verify-code-hint"}
        />
      </div>
      <button type="submit">{t.submit}</button>
    </form>
  );
}

/** A link to the same page in the other language, marked with that language for screen readers. */
export function LanguageSwitch({ t }: { t: VerifyMessages }) {
  const other = t.otherLanguage;
  return (
    <p className="actions">
      <a href={`?lang=${other.lang}`} lang={other.lang} hrefLang={other.lang}>
        {other.label}
      </a>
    </p>
  );
}
