import fs from "node:fs";
import type { Download } from "@playwright/test";
import { PDFParse } from "pdf-parse";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * Certificates in hand, in the browser against the production build and the demo district: a
 * coordinator downloads a staff member's certificate from the person page, and a trainer downloads
 * a closed session's certificates as one PDF (one page each) from the closing summary.
 */

async function pdfOf(download: Download): Promise<{ text: string; pages: number }> {
  const file = await download.path();
  const parser = new PDFParse({ data: new Uint8Array(fs.readFileSync(file)) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total };
  } finally {
    await parser.destroy();
  }
}

test("a coordinator downloads a school staff member's certificate from their page", async ({ page }) => {
  await signInAs(page, "COORDINATOR");
  // Someone at the coordinator's schools whose certificate expires soon: they hold one.
  const firstRow = page.getByRole("table", { name: "Staff and partners whose certificate expires soon" }).getByRole("row").nth(1);
  const listed = (await firstRow.getByRole("cell").first().innerText()).trim();
  const [lastName, firstName] = listed.split(", ");
  await page.goto(`/people?q=${encodeURIComponent(lastName)}`);
  await page.getByRole("link", { name: new RegExp(`${firstName}.*${lastName}|${lastName}.*${firstName}`) }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(lastName);
  await expectNoAxeViolations(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Download PDF:/ }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^certificate-[a-z0-9-]+\.pdf$/);
  const { text, pages } = await pdfOf(download);
  expect(pages).toBe(1);
  expect(text).toContain(`${firstName} ${lastName}`);
  expect(text).toContain("Certificate of Completion");
});

test("a trainer downloads a closed session's certificates as one PDF, one page each", async ({ page }) => {
  await signInAs(page, "TRAINER");
  await page.goto("/sessions?status=CLOSED");
  const sessionLink = page.locator('main table a[href^="/sessions/"]').first();
  const href = await sessionLink.getAttribute("href");
  expect(href).toBeTruthy();
  await page.goto(`${href}/close`);
  await expect(page.getByRole("heading", { level: 1, name: /^Closing summary/ })).toBeVisible();
  const completed = await page.getByRole("region", { name: "Completed" }).getByRole("listitem").allInnerTexts();
  expect(completed.length).toBeGreaterThan(0);
  await expectNoAxeViolations(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /^Download all certificates/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^certificates-[a-z0-9-]+\.pdf$/);
  const { text, pages } = await pdfOf(download);
  expect(pages).toBe(completed.length);
  for (const name of completed) expect(text).toContain(name.trim());
});
