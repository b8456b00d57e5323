import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export type DemoRole = "ADMIN" | "PROGRAM_LEAD" | "TRAINER" | "COORDINATOR" | "MEMBER";

// The demo district's logins (prisma/seed/demo-district.ts); the e2e server loads it.
export const DEMO_PASSWORD = "demo-password-2026";
export const DEMO_EMAIL: Record<DemoRole, string> = {
  ADMIN: "admin@demo.k12.example",
  PROGRAM_LEAD: "lead@demo.k12.example",
  TRAINER: "trainer@demo.k12.example",
  COORDINATOR: "coordinator@demo.k12.example",
  MEMBER: "member@demo.k12.example",
};
export const HOME: Record<DemoRole, string> = {
  ADMIN: "/admin",
  PROGRAM_LEAD: "/lead",
  TRAINER: "/trainer",
  COORDINATOR: "/coordinator",
  MEMBER: "/me",
};

export async function signInAs(page: Page, role: DemoRole) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL[role]);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${HOME[role]}$`));
}

/** An axe scan of the page as it is now: WCAG 2.1 A and AA rules, no violations allowed. */
export async function expectNoAxeViolations(page: Page) {
  // A page with frames (the outbox shows an email in a sandboxed frame) is scanned frame by frame in
  // the page itself: axe's default opens a helper tab to merge frame results, which a sandboxed frame refuses.
  const hasFrames = (await page.locator("iframe").count()) > 0;
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .setLegacyMode(hasFrames)
    .analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export const test = base;
export { expect };
