import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { codeFromInput, isVerificationCode } from "~/domain/verification-code";

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
