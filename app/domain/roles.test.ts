import { describe, expect, it } from "vitest";
import { homePathFor, isRole, ROLES, safeRedirectPath } from "./roles";

describe("roles", () => {
  it("every role has its own home", () => {
    const homes = ROLES.map(homePathFor);
    expect(new Set(homes).size).toBe(ROLES.length);
  });
  it("recognises roles", () => {
    expect(isRole("TRAINER")).toBe(true);
    expect(isRole("SUPERUSER")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
  it.each(["//evil.example", "https://evil.example", "evil", "/\\evil.example", ""])("does not follow %s after sign-in", (to) =>
    expect(safeRedirectPath(to, "/me")).toBe("/me"));
  it("follows a local path", () => expect(safeRedirectPath("/admin/schools?q=a", "/me")).toBe("/admin/schools?q=a"));
});
