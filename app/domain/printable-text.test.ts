import { beforeAll, describe, expect, it } from "vitest";
import { PDFDocument, StandardFonts, type PDFFont } from "pdf-lib";
import { toPrintableText } from "~/domain/printable-text";

let font: PDFFont;
let canPrint: (cp: number) => boolean;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  font = await doc.embedFont(StandardFonts.Helvetica);
  const supported = new Set(font.getCharacterSet());
  canPrint = (cp) => supported.has(cp);
});

describe("toPrintableText with Helvetica's WinAnsi set", () => {
  it.each([
    ["José Núñez", "José Núñez"],
    ["Zoë Müller-Øberg", "Zoë Müller-Øberg"],
    ["François Œuvre", "François Œuvre"],
    ["Ana O’Brien", "Ana O’Brien"],
  ])("keeps %s as it is (every character is in WinAnsi)", (input, expected) => {
    expect(toPrintableText(input, canPrint)).toBe(expected);
  });

  it.each([
    ["Łukasz Wałęsa", "Lukasz Walesa"],
    ["Đorđe Ćosić", "Dorde Cosic"],
    ["Nguyễn Thị Ánh", "Nguyen Thi Ánh"],
    ["Ştefan Ţurcanu", "Stefan Turcanu"],
  ])("strips only the accents WinAnsi lacks: %s → %s", (input, expected) => {
    expect(toPrintableText(input, canPrint)).toBe(expected);
  });

  it("replaces characters with no Latin form by ?", () => {
    expect(toPrintableText("王芳 Wang", canPrint)).toBe("?? Wang");
    expect(toPrintableText("Ольга", canPrint)).toBe("?????");
  });

  it("turns line breaks and control characters into spaces", () => {
    expect(toPrintableText("Ana\nLopez\t\u0007", canPrint)).toBe("Ana Lopez  ");
  });

  it("the result always encodes in the standard font (encoding used to throw on Ł)", () => {
    expect(() => font.widthOfTextAtSize("Łukasz", 12)).toThrow();
    for (const name of ["Łukasz", "王芳", "Nguyễn", "🙂 Emoji", "Ǆemal"]) {
      const printable = toPrintableText(name, canPrint);
      expect(() => font.widthOfTextAtSize(printable, 12)).not.toThrow();
    }
  });
});
