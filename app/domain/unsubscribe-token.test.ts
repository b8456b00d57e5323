import { describe, expect, it } from "vitest";
import { createUnsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe-token";

const SECRET = "a-long-enough-secret-for-tests-1";
const OLD = "an-older-secret-still-verifying-2";

describe("unsubscribe token", () => {
  it("round-trips the person id", () => {
    const token = createUnsubscribeToken("cm123abc", SECRET);
    expect(token.startsWith("cm123abc.")).toBe(true);
    expect(verifyUnsubscribeToken(token, [SECRET])).toBe("cm123abc");
  });

  it("is URL-safe and deterministic", () => {
    const token = createUnsubscribeToken("cm123abc", SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(createUnsubscribeToken("cm123abc", SECRET)).toBe(token);
  });

  it("keeps working after the secret is rotated (old secret still in the list)", () => {
    const token = createUnsubscribeToken("cm123abc", OLD);
    expect(verifyUnsubscribeToken(token, [SECRET, OLD])).toBe("cm123abc");
    expect(verifyUnsubscribeToken(token, [SECRET])).toBeNull();
  });

  it("cannot be moved to another person", () => {
    const token = createUnsubscribeToken("cm123abc", SECRET);
    const signature = token.split(".")[1];
    expect(verifyUnsubscribeToken(`cm999xyz.${signature}`, [SECRET])).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["no signature", "cm123abc"],
    ["three parts", "a.b.c"],
    ["bad id characters", "cm 123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["short signature", "cm123abc.AAAA"],
    ["wrong signature", "cm123abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["too long", `${"a".repeat(200)}.x`],
  ])("refuses a %s token", (_label, token) => {
    expect(verifyUnsubscribeToken(token, [SECRET])).toBeNull();
  });

  it("refuses to sign without a secret or with an odd id", () => {
    expect(() => createUnsubscribeToken("cm123abc", "")).toThrow();
    expect(() => createUnsubscribeToken("../etc", SECRET)).toThrow();
  });
});
