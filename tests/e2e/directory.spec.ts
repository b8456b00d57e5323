import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";
import { planSampleExport, readDirectorySnapshot, zipExport, type SampleExport } from "../../scripts/sample-directory-export";
import { formatSchoolYear, schoolYearOf } from "../../app/domain/school-year";
import { e2eDatabaseUrl } from "./e2e-database";

// The administrator's walk through issue 10: upload the district's OneRoster 1.2 export, watch it checked, review the
// preview, commit; decide a held row in the duplicates queue; merge a likely duplicate pair and undo the merge. axe
// scans every page on the way. The export is built by `npm run sample:oneroster`'s own planner from the e2e server's
// database (scripts/e2e-server.ts, the demo district; tests/e2e/e2e-database.ts), read-only.
// The coordinator's schools (S001, S002) are left alone: other specs look at their people.

const PORT = process.env.E2E_PORT ?? "3100";
const DB_URL = e2eDatabaseUrl(PORT);
const SHOTS = "/tmp/shots";
const YEAR = schoolYearOf(new Date());
const LEAVE_ALONE = ["S001", "S002"];

// One import at a time: the walk's counts assume the no-JavaScript upload before it was discarded.
test.describe.configure({ mode: "serial" });

async function exportFile(options: { newStaff?: number; newStudents?: number } = {}) {
  const sample = planSampleExport(await readDirectorySnapshot(DB_URL, YEAR), { schoolYear: YEAR, leaveAlone: LEAVE_ALONE, ...options });
  return { sample, file: { name: "oneroster-demo-1.2.zip", mimeType: "application/zip", buffer: await zipExport(sample.files) } };
}

/** Phone-size and desktop screenshots of the page as it is, for a human to look at. */
async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const desktop = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(desktop);
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
}

/** The preview's figures ("280 new people", "2 held for review"...) match what the file was built to do. */
async function expectCounts(page: Page, sample: SampleExport) {
  const e = sample.expected;
  const cards = page.locator("ul.cards li.card");
  await expect(cards.filter({ hasText: /new people$/ })).toHaveText(`${e.NEW.toLocaleString("en-US")} new people`);
  await expect(cards.filter({ hasText: /\supdated$/ })).toHaveText(`${e.UPDATED} updated`);
  await expect(cards.filter({ hasText: /\sunchanged$/ })).toHaveText(`${e.UNCHANGED} unchanged`);
  await expect(cards.filter({ hasText: /held for review$/ })).toHaveText(`${e.REVIEW} held for review`);
  await expect(cards.filter({ hasText: /\signored$/ })).toHaveText(`${e.IGNORED} ignored`);
  await expect(cards.filter({ hasText: /never stored$/ })).toHaveText(`${e.guardians} guardians and parents, never stored`);
  await expect(cards.filter({ hasText: /\sadded$/ })).toHaveText(`${e.membershipsAdded.toLocaleString("en-US")} added`);
  await expect(cards.filter({ hasText: /new job or grade$/ })).toHaveText(`${e.membershipsRetitled} new job or grade`);
}

async function upload(page: Page, file: Awaited<ReturnType<typeof exportFile>>["file"]) {
  await page.goto("/admin/directory/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import people files" })).toBeVisible();
  await expect(page.getByLabel("A OneRoster CSV export (1.1 or 1.2)")).toBeChecked();
  await expect(page.getByLabel("School year the files describe")).toHaveValue(String(YEAR));
  await page.getByLabel("Files", { exact: true }).setInputFiles(file);
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page).toHaveURL(/\/admin\/directory\/[^/?]+$/);
}

test("without JavaScript: upload, the progress page reloads itself, then the preview", async ({ browser, page }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await context.newPage();
  await signInAs(noScript, "ADMIN");
  // axe cannot run where scripts are off: the progress page is scanned in an ordinary page too.
  await signInAs(page, "ADMIN");
  // Large enough that checking it takes several seconds: the progress page is what the upload lands on, and stays.
  const { sample, file } = await exportFile({ newStaff: 500, newStudents: 20_000 });
  await upload(noScript, file);
  await expect(noScript.getByRole("heading", { level: 2, name: "Working" })).toBeVisible();
  await expect(noScript.locator('meta[http-equiv="refresh"]')).toHaveCount(1);
  await page.goto(noScript.url());
  await expect(page.getByRole("heading", { level: 2, name: "Working" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Nothing but the page's own refresh brings the preview.
  await noScript.waitForEvent("load");
  await expect(noScript.getByText("Ready to review; nothing written yet")).toBeVisible({ timeout: 90_000 });
  await expect(noScript.getByRole("heading", { level: 1, name: `OneRoster 1.2 import for ${formatSchoolYear(YEAR)}` })).toBeVisible();
  await expectCounts(noScript, sample);
  await expect(noScript.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  // Leave nothing behind for the walk below.
  await noScript.getByRole("button", { name: "Discard" }).click();
  await expect(noScript.getByText("This import was discarded")).toBeVisible();
  await context.close();
});

test("an administrator imports the district's OneRoster export, reviews it, commits, decides a held row, merges and undoes", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, "ADMIN");
  const { sample, file } = await exportFile();
  expect(sample.held).toHaveLength(2);
  expect(sample.renamed.length).toBeGreaterThanOrEqual(5);

  // The list of imports, then the upload page.
  await page.goto("/admin/directory");
  await expect(page.getByRole("heading", { level: 1, name: "Directory imports" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Import people files" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import people files" })).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "directory-upload");

  // Checking: progress (when the page is quick enough to see it), then the preview, with no reload of ours.
  await upload(page, file);
  await expect(page.getByRole("heading", { level: 2, name: "Working" }).or(page.getByRole("heading", { level: 2, name: "People" }))).toBeVisible();
  await expect(page.getByText("Ready to review; nothing written yet")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: `OneRoster 1.2 import for ${formatSchoolYear(YEAR)}` })).toBeVisible();
  await expect(page.getByText("Nothing has been written yet.")).toBeVisible();
  await expectCounts(page, sample);
  await expect(page.getByText(/users\.csv is a delta file/)).toBeVisible();
  const unmatched = page.getByRole("table", { name: /^Orgs that match no school \(1\)/ });
  await expect(unmatched).toContainText(sample.unmatchedOrg.identifier);
  await expect(unmatched).toContainText(sample.unmatchedOrg.name);

  // The rows held for review are shown first: the file's name against the record holding the ID.
  const held = page.getByRole("table", { name: `To review rows: ${sample.held.length}` });
  await expect(held).toBeVisible();
  for (const h of sample.held) {
    const row = held.getByRole("row").filter({ hasText: h.districtId });
    await expect(row).toContainText(h.fileName);
    await expect(row).toContainText(`District ID ${h.districtId} belongs to ${h.recordName}; the file names ${h.fileName}.`);
  }
  await expectNoAxeViolations(page);
  await shoot(page, "directory-preview");

  // The updated rows say what changes (a name, with its accents put right).
  await page.getByRole("link", { name: `Updated (${sample.expected.UPDATED})` }).click();
  await expect(page).toHaveURL(/\?show=UPDATED$/);
  const updated = page.getByRole("table", { name: `Updated rows: ${sample.expected.UPDATED}` });
  const renamed = sample.renamed[0];
  await expect(updated.getByRole("row").filter({ hasText: renamed.districtId })).toContainText(renamed.after);
  await expectNoAxeViolations(page);

  // Commit: everything in one step; the page follows the writing and says "Committed".
  await page.getByRole("button", { name: "Commit this import" }).click();
  await expect(page.locator(".tag").getByText("Committed", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/committed by Alex Admin/)).toBeVisible();
  await expectNoAxeViolations(page);

  // The renamed person's record carries the file's name now.
  const importUrl = page.url();
  await page.getByRole("link", { name: `Updated (${sample.expected.UPDATED})` }).click();
  await updated.getByRole("row").filter({ hasText: renamed.districtId }).getByRole("link", { name: renamed.after }).click();
  await expect(page.getByRole("heading", { level: 1, name: renamed.after })).toBeVisible();
  await expectNoAxeViolations(page);

  // The held rows wait in the duplicates queue. The first is a typo in an ID: not the same person.
  await page.goto(importUrl);
  await page.locator(".notice").getByRole("link", { name: "Likely duplicates" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Likely duplicates" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: `Import rows to review (${sample.held.length})` }).click();
  await expect(page.getByRole("heading", { level: 2, name: `${sample.held.length} import rows held for review` })).toBeVisible();
  await expectNoAxeViolations(page);
  const [typo, other] = sample.held;
  await page.getByRole("link", { name: new RegExp(`^Compare the file's ${typo.fileName} \\(line \\d+\\) with the record$`) }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Compare records" })).toBeVisible();
  await expect(page.getByRole("region", { name: "The file's row" })).toContainText(typo.fileName);
  await expect(page.getByRole("region", { name: "The file's row" })).toContainText(typo.districtId);
  await expect(page.getByText(typo.recordName).first()).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "duplicates-compare-row");
  await page.getByRole("button", { name: "Not the same person" }).click();
  await expect(page).toHaveURL(/\/people\/duplicates\?show=imports$/);
  await expect(page.getByRole("heading", { level: 2, name: "1 import row held for review" })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`^Compare the file's ${typo.fileName} `) })).toHaveCount(0);
  await expect(page.getByRole("link", { name: new RegExp(`^Compare the file's ${other.fileName} `) })).toBeVisible();
  await expectNoAxeViolations(page);

  // A likely duplicate pair (partners entered twice in the demo): compare, merge, see it merged, undo.
  await page.getByRole("link", { name: /^Pairs of records \(\d+\)$/ }).click();
  const pairs = page.getByRole("table", { name: /^Pairs of records, by name/ });
  await expect(pairs).toBeVisible();
  await expectNoAxeViolations(page);
  // The last pair on the page: the accessibility spec opens the first.
  await pairs.getByRole("link", { name: /^Compare / }).last().click();
  await expect(page.getByRole("heading", { level: 1, name: "Compare records" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Record A" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Record B" })).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, "duplicates-compare");
  await page.getByRole("button", { name: "Merge B into A (keep A)" }).click();
  await expect(page).toHaveURL(/\/people\/merges\/[^/]+$/);
  const mergeUrl = page.url();
  await expect(page.getByText(/^Merged: /)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /^Merge of .+ into .+$/ })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.locator("dt", { hasText: "Record merged into it" }).locator("+ dd").getByRole("link").click();
  await expect(page).toHaveURL(/\/people\/[^/]+$/);
  const mergedRecordUrl = page.url();
  await expect(page.getByText(/This record was merged into/)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "See or undo the merge" }).click();
  await expect(page).toHaveURL(mergeUrl);
  await page.getByRole("button", { name: "Undo this merge" }).click();
  await expect(page.getByText(/the two records are separate again/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo this merge" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto(mergedRecordUrl);
  await expect(page.getByText("This record was merged into")).toHaveCount(0);
  await expectNoAxeViolations(page);
});
