import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { codeFromInput, isVerificationCode, newVerificationCode } from "~/domain/verification-code";

describe("newVerificationCode", () => {
  it("draws codes the check accepts, never starting with a character a spreadsheet reads as a formula or a printed page hides", () => {
    // One draw in 32 of randomBytes(16).toString("base64url") starts with "-" or "_": 2,000 draws meet one
    // with a chance of 1 - (31/32)^2000, all but certain.
    const codes = Array.from({ length: 2000 }, () => newVerificationCode());
    for (const code of codes) {
      expect(isVerificationCode(code)).toBe(true);
      expect(code).toMatch(/^[A-Za-z0-9]/);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("isVerificationCode", () => {
  it("accepts 128-bit base64url codes", () => {
    for (let i = 0; i < 20; i++) expect(isVerificationCode(randomBytes(16).toString("base64url"))).toBe(true);
  });

  it.each(["", "short", "a".repeat(21), "a".repeat(23), "abc/def+ghijklmnopqrstu", "abcdefghijklmnopqrstu=", "abcdefghijklmnopqrst%2F", " abcdefghijklmnopqrstuv"])(
    "rejects %j",
    (code) => expect(isVerificationCode(code)).toBe(false),
  );
});

describe("codeFromInput", () => {
  it("trims what was typed", () => expect(codeFromInput("  Ab-_Cd  ")).toBe("Ab-_Cd"));
  it("takes the code out of a pasted check address", () => {
    expect(codeFromInput("https://training.example.org/verify/AbCdEfGhIjKlMnOpQrStUv")).toBe("AbCdEfGhIjKlMnOpQrStUv");
    expect(codeFromInput(" http://localhost:3000/verify/AbCdEfGhIjKlMnOpQrStUv?lang=es ")).toBe("AbCdEfGhIjKlMnOpQrStUv");
  });
});
