import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

/*
 * Issue 14, the certificates export, in the browser against the production build and the demo district: a program
 * lead fills the filter form (a bad date first: the message names the field), then downloads the CSV and finds a
 * staff member's certificate of that day in it. axe scans the filter page, with and without the error.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);

type DemoCertificate = { verificationCode: string; issuedOn: string | number | Date; firstName: string; lastName: string };

/** The newest YMHFA certificate a staff member holds in the demo district (a lead may see staff by name). */
async function aStaffCertificate(): Promise<{ code: string; day: string; name: string }> {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    const [row] = await db.all<DemoCertificate>(`
      SELECT c."verificationCode", c."issuedOn", p."firstName", p."lastName" FROM "Certification" c
      JOIN "Person" p ON p."id" = c."personId" JOIN "Program" g ON g."id" = c."programId"
      WHERE g."code" = 'YMHFA' AND p."kind" = 'STAFF' AND c."revokedAt" IS NULL
      ORDER BY c."issuedOn" DESC, c."id" LIMIT 1`);
    if (!row) throw new Error("no YMHFA certificate held by staff in the demo district");
    return { code: row.verificationCode, day: new Date(row.issuedOn).toISOString().slice(0, 10), name: `${row.lastName}, ${row.firstName}` };
  } finally {
    await db.close();
  }
}

test("a program lead downloads the certificates of a program and a day from the filter page", async ({ page }) => {
  const wanted = await aStaffCertificate();
  await signInAs(page, "PROGRAM_LEAD");
  await page.goto("/reports/certificates");
  await expect(page.getByRole("heading", { level: 1, name: "Certificates export" })).toBeVisible();
  await expectNoAxeViolations(page);

  const program = page.getByLabel("Program");
  const ymhfa = await program.locator("option", { hasText: "(YMHFA)" }).getAttribute("value");
  await program.selectOption(ymhfa ?? "");
  await page.getByLabel("Issued from").fill("2026-02-30");
  await page.getByLabel("Issued to").fill(wanted.day);
  await page.getByRole("button", { name: "Check filters" }).click();
  await expect(page.getByRole("alert")).toContainText("Issued from: 2026-02-30 is not a real date");
  await expect(page.getByRole("link", { name: "Download certificates CSV" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByLabel("Issued from").fill(wanted.day);
  await page.getByRole("button", { name: "Check filters" }).click();
  const link = page.getByRole("link", { name: "Download certificates CSV" });
  await expect(link).toBeVisible();
  await expectNoAxeViolations(page);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(`certificates-ymhfa-${wanted.day}-to-${wanted.day}.csv`);
  const text = await readFile(await download.path(), "utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  const [header, ...rows]: string[][] = parse(text.replace(/^\uFEFF/, ""), {});
  expect(header).toEqual(["Name", "District ID", "Program", "Issued on", "Expires on", "Status", "Source", "Verification code"]);
  const row = rows.find((r) => r[7] === wanted.code);
  expect(row?.[0]).toBe(wanted.name);
  expect(row?.[2]).toBe("Youth Mental Health First Aid");
  expect(row?.[3]).toBe(wanted.day);
  expect(["current", "expiring", "expired", "renewed", "not yet issued"]).toContain(row?.[5]);
  expect(rows.every((r) => r[3] === wanted.day)).toBe(true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filter form answers a period that ends before it starts, then offers the file", async ({ page }) => {
    await signInAs(page, "PROGRAM_LEAD");
    await page.goto("/reports/certificates");
    const program = page.getByLabel("Program");
    await program.selectOption((await program.locator("option", { hasText: "(QPR)" }).getAttribute("value")) ?? "");
    await page.getByLabel("Issued from").fill("2025-02-01");
    await page.getByLabel("Issued to").fill("2025-01-01");
    await page.getByRole("button", { name: "Check filters" }).click();
    await expect(page.getByRole("alert")).toContainText("Issued to (2025-01-01) is before issued from (2025-02-01)");
    await page.getByLabel("Issued to").fill("2025-03-01");
    await page.getByRole("button", { name: "Check filters" }).click();
    await expect(page.getByRole("link", { name: "Download certificates CSV" })).toHaveAttribute("href", /^\/reports\/certificates\/export\.csv\?program=[^&]+&from=2025-02-01&to=2025-03-01$/);
  });
});
