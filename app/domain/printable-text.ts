/**
 * The PDF's standard fonts (Helvetica) only know the WinAnsi character set. A name such as
 * "Łukasz" or "王芳" must still print without crashing: characters the font has are kept as
 * they are (é, ñ, ü are in WinAnsi), others lose their accents when that makes them printable,
 * and anything else becomes "?".
 */

// Latin letters with no Unicode decomposition to a plain letter.
const FALLBACKS: Record<string, string> = {
  Ł: "L", ł: "l", Đ: "D", đ: "d", Ħ: "H", ħ: "h", ı: "i", Ŀ: "L", ŀ: "l", Ŧ: "T", ŧ: "t", Ɨ: "I", ƚ: "l",
  Ð: "D", ð: "d", ŋ: "n", Ŋ: "N", ĸ: "k", ſ: "s",
  "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
};

/**
 * @param canPrint whether the font has a glyph for the code point (pdf-lib: font.getCharacterSet()).
 */
export function toPrintableText(text: string, canPrint: (codePoint: number) => boolean): string {
  let out = "";
  for (const char of text.normalize("NFC")) {
    const cp = char.codePointAt(0) ?? 0;
    // Line breaks and other control characters would break the layout.
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      out += " ";
      continue;
    }
    if (canPrint(cp)) {
      out += char;
      continue;
    }
    out += replacement(char, canPrint);
  }
  return out;
}

function replacement(char: string, canPrint: (codePoint: number) => boolean): string {
  const fallback = FALLBACKS[char];
  if (fallback && allPrintable(fallback, canPrint)) return fallback;
  // NFKD splits "ą" into "a" + a combining ogonek and "ﬁ" into "fi"; drop the marks.
  const stripped = char.normalize("NFKD").replace(/\p{M}/gu, "");
  if (stripped !== "" && stripped !== char && allPrintable(stripped, canPrint)) return stripped;
  return "?";
}

function allPrintable(text: string, canPrint: (codePoint: number) => boolean): boolean {
  for (const c of text) if (!canPrint(c.codePointAt(0) ?? 0)) return false;
  return true;
}
