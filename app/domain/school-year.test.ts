import { describe, expect, it } from "vitest";
import { formatSchoolYear, parseSchoolYear, schoolYearOf } from "./school-year";

describe("school years", () => {
  it("start in July", () => {
    expect(schoolYearOf(new Date("2026-06-30T12:00:00Z"))).toBe(2025);
    expect(schoolYearOf(new Date("2026-07-01T00:00:00Z"))).toBe(2026);
  });
  it("format as 2025-26", () => expect(formatSchoolYear(2025)).toBe("2025-26"));
  it("format across a century", () => expect(formatSchoolYear(2099)).toBe("2099-00"));
  it.each([["2025", 2025], ["2025-26", 2025], ["2025-2026", 2025], ["2025/26", 2025], [" 2025 ", 2025]])("parse %s", (text, year) =>
    expect(parseSchoolYear(text)).toBe(year));
  it.each(["", "25", "2025-27", "2025-2027", "abcd", "1800", "2025-26-27"])("refuse %s", (text) => expect(parseSchoolYear(text)).toBeNull());
});
