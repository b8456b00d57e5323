import { readFile } from "node:fs/promises";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * Instructors (issue 14), against the production build and the demo district (prisma/seed/demo-instructors.ts):
 * an administrator records a trainer's instructor certification through the form and sees it on the person page
 * and, in plain words, on the audit page; a program lead finds Terry Trainer short of the YMHFA courses-a-year
 * rule in the standings table, filters it and downloads the CSV; Terry opens their own standing from their home.
 * Every page is scanned with axe.
 */

test.use({ locale: "en-US", timezoneId: "America/Los_Angeles" });

const DISTRICT_TIME_ZONE = "America/Los_Angeles";

/** A day `offset` days from today in the district, as YYYY-MM-DD. */
function districtDay(offset: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return new Date(new Date(`${today}T00:00:00Z`).getTime() + offset * 86_400_000).toISOString().slice(0, 10);
}

function dayWords(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

test("an administrator records a trainer's instructor certification and reads it on the person and audit pages", async ({ page }) => {
  // A different issue date each run, so a retry against the same database is not refused as a duplicate.
  const issuedOn = districtDay(-(Date.now() % 900) - 30);
  const expiresOn = `${Number(issuedOn.slice(0, 4)) + 3}${issuedOn.slice(4)}`;
  await signInAs(page, "ADMIN");

  // The trainer's account page links to their person record.
  await page.goto("/admin/users?q=Dana");
  await page.getByRole("link", { name: "Dana Ortiz" }).first().click();
  await page.getByRole("link", { name: "Open Dana Ortiz's record" }).click();
  await expect(page).toHaveURL(/\/people\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dana Ortiz" })).toBeVisible();
  const personPath = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Record an instructor certification" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Record an instructor certification" })).toBeVisible();
  await expectNoAxeViolations(page);

  // A bad expiry first: the message names the field and nothing is recorded.
  await page.getByLabel("Program they may teach").selectOption({ label: "QPR Gatekeeper Training (QPR)" });
  await page.getByLabel("Issued on").fill(issuedOn);
  await page.getByLabel("Expires on (optional)").fill(issuedOn);
  await page.getByLabel("Source").fill("QPR Institute instructor training");
  await page.getByLabel("Evidence (optional)").fill("Instructor certificate seen");
  await page.getByRole("button", { name: "Record instructor certification" }).click();
  await expect(page.getByText("Expires on: must be after the issue date").first()).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Expires on (optional)").fill(expiresOn);
  await page.getByRole("button", { name: "Record instructor certification" }).click();
  await expect(page).toHaveURL(new RegExp(`${personPath}#instructor-certification-`));
  const table = page.getByRole("table", { name: "Programs this person is certified to teach" });
  const row = table.getByRole("row").filter({ hasText: dayWords(issuedOn) });
  await expect(row).toContainText("QPR Gatekeeper Training instructor");
  await expect(row).toContainText(dayWords(expiresOn));
  await expect(row).toContainText("Current");
  await expectNoAxeViolations(page);

  // The audit page says it in plain words.
  await page.goto("/admin/audit?kind=instructor");
  await expect(page.getByRole("list", { name: "Audit events, newest first" })).toContainText(
    `recorded Dana Ortiz's QPR instructor certification (issued ${dayWords(issuedOn)}, expires ${dayWords(expiresOn)}); source: QPR Institute instructor training`,
  );
  await expectNoAxeViolations(page);
});

test("a program lead sees Terry Trainer short of the YMHFA courses-a-year rule and downloads the table", async ({ page }) => {
  await signInAs(page, "PROGRAM_LEAD");
  await page.getByRole("link", { name: "Instructors' standing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Instructors' standing" })).toBeVisible();
  const table = page.getByRole("table");
  const terry = table.getByRole("row").filter({ hasText: "Trainer, Terry" }).filter({ hasText: "YMHFA" });
  await expect(terry).toContainText(/Short: needs [1-3] more by [A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await expect(terry).toContainText(/[0-2] of 3/);
  await expect(table.getByRole("row").filter({ hasText: "Whitfield, Sam" })).toContainText("Expired on");
  // A YMHFA instructor also holds a current YMHFA certificate: Kim Nguyen's is not on record.
  const kim = table.getByRole("row").filter({ hasText: "Nguyen, Kim" }).filter({ hasText: "YMHFA" });
  await expect(kim).toContainText("No current YMHFA certificate of their own");
  await expectNoAxeViolations(page);

  // Only those short of courses, by the plain GET form.
  await page.getByLabel("Status").selectOption({ label: "Short of courses" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/[?&]status=short/);
  await expect(table.getByRole("row").filter({ hasText: "Whitfield, Sam" })).toHaveCount(0);
  await expect(terry).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^instructors-short-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile(await download.path(), "utf8");
  const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(lines[0]).toContain("Courses still needed");
  expect(lines.find((l) => l.startsWith("Trainer,Terry,"))).toMatch(/Youth Mental Health First Aid,"Short: needs [1-3] more by/);

  // Terry's own standing page, from the table.
  await terry.getByRole("link", { name: "Trainer, Terry" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Terry Trainer: instructor standing" })).toBeVisible();
  await expect(page.getByText(/Needs [1-3] more courses? by/)).toBeVisible();
  await expectNoAxeViolations(page);
});

test("a trainer opens their own instructor standing from their home", async ({ page }) => {
  await signInAs(page, "TRAINER");
  await page.getByRole("link", { name: "Your instructor standing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your instructor standing" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Youth Mental Health First Aid (YMHFA)" })).toBeVisible();
  await expect(page.getByText(/You need [1-3] more courses? by/)).toBeVisible();
  await expectNoAxeViolations(page);
  // The standings table is not theirs.
  const response = await page.goto("/instructors");
  expect(response?.status()).toBe(403);
});

test("a program lead opens the standing of an instructor without a current YMHFA certificate of their own and reads what is needed", async ({ page }) => {
  await signInAs(page, "PROGRAM_LEAD");
  await page.goto("/instructors?status=needs-certificate");
  const table = page.getByRole("table");
  await expect(table.getByRole("row").filter({ hasText: "Trainer, Terry" })).toHaveCount(0);
  await table.getByRole("link", { name: "Nguyen, Kim" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kim Nguyen: instructor standing" })).toBeVisible();
  await expect(page.getByText("None current. A YMHFA instructor also holds a current YMHFA certificate")).toBeVisible();
  await expectNoAxeViolations(page);
});
