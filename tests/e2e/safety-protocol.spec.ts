import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * Teen MHFA readiness needs a safety protocol as well as 10% of staff with YMHFA (../shared/docs/domain.md):
 * the demo coordinator opens their school from their home, records the day its protocol was adopted (a bad
 * day first: told which field), then clears it; without JavaScript too; the page passes axe.
 */
test.describe.configure({ mode: "serial" });

async function openMySchool(page: import("@playwright/test").Page) {
  await signInAs(page, "COORDINATOR");
  await page.getByRole("table", { name: "YMHFA staff reach" }).getByRole("link").first().click();
  const readiness = page.getByRole("region", { name: "Teen MHFA readiness" });
  await expect(readiness).toBeVisible();
  // Start from no protocol on record, whatever the demo gave the school.
  const clear = readiness.getByRole("button", { name: "Clear: no protocol in place" });
  if (await clear.count()) await clear.click();
  await expect(readiness).toContainText("Safety protocol: not recorded.");
  return readiness;
}

test("the coordinator records their school's safety protocol and clears it, and the page passes axe", async ({ page }) => {
  const readiness = await openMySchool(page);
  await expect(readiness).toContainText("Not yet");
  await expectNoAxeViolations(page);

  await readiness.getByLabel("Safety protocol in place since").fill("2999-01-01");
  await readiness.getByRole("button", { name: "Save the safety protocol" }).click();
  await expect(readiness.getByText(/^In place since: /)).toBeVisible();
  await expect(readiness.getByLabel("Safety protocol in place since")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page);

  await readiness.getByLabel("Safety protocol in place since").fill("2024-08-19");
  await readiness.getByRole("button", { name: "Save the safety protocol" }).click();
  await expect(readiness).toContainText("Safety protocol: in place since Aug 19, 2024.");
  await expectNoAxeViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same form posts and the page says so", async ({ page }) => {
    const readiness = await openMySchool(page);
    await readiness.getByLabel("Safety protocol in place since").fill("2025-01-06");
    await readiness.getByRole("button", { name: "Save the safety protocol" }).click();
    await expect(readiness).toContainText("Safety protocol: in place since Jan 6, 2025.");
  });
});
