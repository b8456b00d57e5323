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
  it.each([
    "//evil.example",
    "https://evil.example",
    "evil",
    "/\\evil.example",
    "\\\\evil.example",
    "",
    // Browsers strip tab and newline from URLs, so each of these becomes "//evil...".
    "/\t/evil.example",
    "/\n/evil",
    "/\r/evil",
    "/\t\\evil",
    // Any other control character is refused outright.
    "/me\u0000",
    "/me\u007f",
    "/\u0085/evil",
    "http:evil",
    "javascript:alert(1)",
    " //evil",
    // Dot segments that collapse to a path starting with "//".
    "/.//evil",
    "/x/..//evil",
    "/%2e%2e//evil",
  ])("does not follow %j after sign-in", (to) => expect(safeRedirectPath(to, "/me")).toBe("/me"));

  it.each([
    ["/admin/schools?q=a", "/admin/schools?q=a"],
    ["/sessions?status=CLOSED#list", "/sessions?status=CLOSED#list"],
    // Encoded slashes and tabs are part of a local path, not a way out of it.
    ["/%2F%2Fevil", "/%2F%2Fevil"],
    ["/%09/evil", "/%09/evil"],
    ["/%5Cevil", "/%5Cevil"],
    // Non-ASCII is percent-encoded, so the Location header never carries it raw.
    ["/people?q=José", "/people?q=Jos%C3%A9"],
    ["/\u3000/x", "/%E3%80%80/x"],
  ])("follows the local path %j as %j", (to, expected) => expect(safeRedirectPath(to, "/me")).toBe(expected));

  it("ignores what is not a string", () => {
    expect(safeRedirectPath(undefined, "/me")).toBe("/me");
    expect(safeRedirectPath(["/admin"], "/me")).toBe("/me");
  });
});
