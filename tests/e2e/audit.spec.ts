import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * The audit trail in plain words (issue 14), against the production build and the demo district:
 * an administrator runs a session for today, adds someone to its roster and marks them present,
 * then opens the audit page, filters by that person's district ID (a plain GET form) and reads
 * what happened as sentences. The page is scanned with axe.
 */

test.use({ locale: "en-US", timezoneId: "America/Los_Angeles" });

const DISTRICT_TIME_ZONE = "America/Los_Angeles"; // the demo district's (scripts/e2e-server.ts uses the default)

function todayInDistrict(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** A calendar day as the app writes it in a sentence: "Dec 6, 2026". */
function dayWords(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

test("an administrator reads a real change in plain words, filtered by the person", async ({ page }) => {
  const tag = Date.now().toString(36);
  const title = `E2E audit ${tag}`;
  const person = { id: `AUD-${tag}`, first: "Marisol", last: `Quintero ${tag}` };
  const name = `${person.first} ${person.last}`;
  const today = todayInDistrict();

  await signInAs(page, "ADMIN");
  // The admin home links to the audit page.
  await expect(page.getByRole("link", { name: "Audit trail" })).toBeVisible();

  // A session for today, with one person added on the spot and marked present.
  await page.goto("/sessions/new");
  await page.getByLabel("Program").selectOption({ label: "Youth Mental Health First Aid" });
  await page.getByLabel("Title (optional)").fill(title);
  await page.getByLabel("Format").selectOption("IN_PERSON");
  await page.getByLabel("Audience").selectOption("STAFF");
  await page.getByLabel("School").selectOption({ index: 1 });
  // An administrator names the lead trainer.
  await page.getByLabel("Lead trainer").selectOption({ index: 1 });
  await page.getByLabel("Day 1 date").fill(today);
  await page.getByLabel("Day 1 starts").fill("00:05");
  await page.getByLabel("Day 1 ends").fill("23:55");
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const sessionPath = new URL(page.url()).pathname;

  await page.goto(`${sessionPath}/roster`);
  await page.getByLabel("District ID (optional)").fill(person.id);
  await page.getByLabel("First name").fill(person.first);
  await page.getByLabel("Last name").fill(person.last);
  await page.getByRole("button", { name: "Create and add" }).click();
  await expect(page.getByText("1 enrolled")).toBeVisible();

  await page.goto(`${sessionPath}/attendance`);
  await page.getByRole("group", { name: `${name}, day 1` }).getByLabel("Present").check();
  await page.getByRole("button", { name: "Save attendance" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved:" })).toContainText("Saved: 1 change recorded.");

  // The session's own history tells it too, in words.
  await page.goto(sessionPath);
  await expect(page.getByRole("list", { name: "Changes to this session, newest first" })).toContainText(`marked ${name} present on ${dayWords(today)}`);

  // The audit page, filtered by the person's district ID through the form.
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit trail" })).toBeVisible();
  await page.getByLabel("Person").fill(person.id);
  await page.getByRole("button", { name: "Show events" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]person=${person.id}`));
  const trail = page.getByRole("list", { name: "Audit events, newest first" });
  await expect(trail.getByRole("listitem").first()).toContainText(`marked ${name} present on ${dayWords(today)} in the session “${title}” on the attendance sheet`);
  await expect(trail).toContainText(`added ${name} to the roster of the session “${title}” by hand`);
  await expect(trail).toContainText(`added ${name} to the directory (staff)`);
  // Only this person's events.
  await expect(trail.getByRole("listitem")).toHaveCount(await trail.getByRole("listitem").filter({ hasText: name }).count());
  await expect(page.getByRole("link", { name: "Download these events (CSV)" })).toHaveAttribute("href", new RegExp(`person=${person.id}`));
  await expectNoAxeViolations(page);

  // A bad filter is named, on the page, and scanned too.
  await page.goto("/admin/audit?from=2026-02-30");
  await expect(page.getByRole("alert")).toContainText("From date: 2026-02-30 is not a real date");
  await expectNoAxeViolations(page);
});

test("other roles are refused the audit page", async ({ page }) => {
  await signInAs(page, "COORDINATOR");
  const res = await page.goto("/admin/audit");
  expect(res?.status()).toBe(403);
});
