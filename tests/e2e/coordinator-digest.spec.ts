import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * The coordinator's monthly digest switch on their home (issue 14), against the production build and the demo
 * district, whose coordinator is opted in: they turn it off and on again with JavaScript off (a plain form post),
 * and with it on; the page passes axe in both states, and the audit page tells it in plain words. The digest itself
 * is an email: tests/integration/coordinator-digest.test.ts reads it.
 */

// Both tests switch the same demo account: one after the other.
test.describe.configure({ mode: "serial" });

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the coordinator turns the monthly digest off and on again", async ({ page }) => {
    await signInAs(page, "COORDINATOR");
    const section = page.getByRole("region", { name: "Monthly digest" });
    await expect(section).toContainText("The digest is on; it goes to coordinator@demo.k12.example.");

    await section.getByRole("button", { name: "Turn off the monthly digest" }).click();
    await expect(page.getByRole("status")).toHaveText("The monthly digest is off.");
    await expect(section).toContainText("The digest is off");

    await section.getByRole("button", { name: "Email me a monthly digest of my schools" }).click();
    await expect(page.getByRole("status")).toHaveText("The monthly digest is on.");
    await expect(section.getByRole("button", { name: "Turn off the monthly digest" })).toBeVisible();
  });
});

test("the switch passes axe off and on, and the audit page tells an administrator in plain words", async ({ browser, page }) => {
  const coordinator = page;
  await signInAs(coordinator, "COORDINATOR");
  const section = coordinator.getByRole("region", { name: "Monthly digest" });
  await expectNoAxeViolations(coordinator);
  await section.getByRole("button", { name: "Turn off the monthly digest" }).click();
  await expect(coordinator.getByRole("status")).toHaveText("The monthly digest is off.");
  await expect(section).toContainText("The digest is off");
  await expectNoAxeViolations(coordinator);
  await section.getByRole("button", { name: "Email me a monthly digest of my schools" }).click();
  await expect(coordinator.getByRole("status")).toHaveText("The monthly digest is on.");
  await expect(section).toContainText("The digest is on");

  const context = await browser.newContext();
  const admin = await context.newPage();
  await signInAs(admin, "ADMIN");
  await admin.goto("/admin/audit?kind=account");
  await expect(admin.getByText("Casey Coordinator turned off the monthly digest email of their schools").first()).toBeVisible();
  await expect(admin.getByText("Casey Coordinator turned on the monthly digest email of their schools").first()).toBeVisible();
  await expectNoAxeViolations(admin);
  await context.close();
});
