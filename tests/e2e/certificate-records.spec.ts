import type { Page } from "@playwright/test";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

/*
 * Issue 14, correcting the certificate record, in the browser against the production build and the demo district:
 * an administrator records a certificate earned elsewhere for a staff member, then revokes it with a reason, and the
 * public certificate check says it was revoked (never why). axe scans both new pages. The staff member is one away
 * from the coordinator's schools (S001, S002), which other specs look at, and past the people sign-in.spec takes.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);

type DemoStaff = { id: string; firstName: string; lastName: string };

async function staffAwayFromOtherSpecs(position: number): Promise<DemoStaff> {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    const rows = await db.all<DemoStaff>(`
      SELECT p."id", p."firstName", p."lastName" FROM "Person" p
      WHERE p."kind" = 'STAFF' AND p."mergedIntoId" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."personId" = p."id")
        AND NOT EXISTS (SELECT 1 FROM "Affiliation" a JOIN "School" s ON s."id" = a."schoolId" WHERE a."personId" = p."id" AND s."code" IN ('S001', 'S002'))
        AND EXISTS (SELECT 1 FROM "Affiliation" a WHERE a."personId" = p."id")
      ORDER BY p."id"`);
    // Well down the list: sign-in.spec.ts takes demo staff from the 500th on, in the same order.
    const row = rows[Math.max(0, Math.min(1500 + position, rows.length - 1 - position))];
    if (!row) throw new Error("no demo staff member away from the other specs");
    return row;
  } finally {
    await db.close();
  }
}

async function verificationCodeOf(certificationId: string): Promise<string> {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    const [row] = await db.all<{ verificationCode: string }>(`SELECT "verificationCode" FROM "Certification" WHERE "id" = $1`, [certificationId]);
    if (!row) throw new Error(`no certification ${certificationId}`);
    return row.verificationCode;
  } finally {
    await db.close();
  }
}

/** `scan`: axe runs in the page, so only with JavaScript on. */
async function recordThenRevoke(page: Page, position: number, scan: boolean) {
  const expectNoViolations = scan ? expectNoAxeViolations : async () => undefined;
  const person = await staffAwayFromOtherSpecs(position);
  const reason = "Issued in error: recorded for the wrong person";
  await signInAs(page, "ADMIN");
  await page.goto(`/people/${person.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(person.lastName);

  // Record one earned elsewhere: a refused post first (no evidence), then the real one.
  await page.getByRole("link", { name: "Record a certificate earned elsewhere" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Record a certificate earned elsewhere" })).toBeVisible();
  await expectNoViolations(page);
  const program = page.getByLabel("Program");
  const firstProgram = await program.locator("option").nth(1).getAttribute("value");
  const programName = (await program.locator("option").nth(1).innerText()).trim();
  await program.selectOption(firstProgram ?? "");
  await page.getByLabel("Issued on").fill("2025-11-03");
  await page.getByLabel("Source").fill("Official MHFA platform");
  await page.getByRole("button", { name: "Record certificate" }).click();
  await expect(page.getByText("Evidence is required").first()).toBeVisible();
  await expectNoViolations(page);
  await page.getByLabel("Evidence").fill("Certificate PDF emailed by the holder");
  await page.getByRole("button", { name: "Record certificate" }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.id}#certificate-`));
  const certificationId = new URL(page.url()).hash.replace("#certificate-", "");
  const row = page.locator(`tr#certificate-${certificationId}`);
  await expect(row).toContainText("Recorded from Official MHFA platform.");
  await expect(row).toContainText(programName);

  // Revoke it.
  await row.getByRole("link", { name: /^Revoke:/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Revoke a certificate" })).toBeVisible();
  await expectNoViolations(page);
  await page.getByRole("button", { name: "Revoke certificate" }).click();
  await expect(page.getByText("Reason is required").first()).toBeVisible();
  await page.getByLabel("Reason").fill(reason);
  await page.getByRole("button", { name: "Revoke certificate" }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.id}#certificate-${certificationId}$`));
  await expect(row).toContainText("Revoked");
  await expect(row).toContainText(reason);
  await expect(row.getByRole("link", { name: /^Revoke:/ })).toHaveCount(0);

  // The certificate's own page: revoked, with the reason, and its history in plain words.
  await row.getByRole("link", { name: programName }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.id}/certificates/${certificationId}$`));
  await expect(page.getByRole("heading", { level: 1, name: `${programName} certificate` })).toBeVisible();
  await expect(page.locator("dl.facts")).toContainText("Revoked");
  await expect(page.locator("dl.facts")).toContainText(reason);
  await expect(page.locator("dl.facts")).toContainText("Recorded from Official MHFA platform. Evidence: Certificate PDF emailed by the holder");
  await expect(page.getByRole("link", { name: /^Revoke:/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Download PDF:/ })).toHaveCount(0);
  const history = page.getByRole("list", { name: /^Changes about this .+ certificate, newest first$/ });
  const holder = `${person.firstName} ${person.lastName}`;
  await expect(history.getByRole("listitem").first()).toContainText(new RegExp(`revoked certificate \\S+ \\(issued Nov 3, 2025\\) for ${holder}: ${reason}$`));
  await expect(history.getByRole("listitem").nth(1)).toContainText(`certificate for ${holder} earned elsewhere (Official MHFA platform), issued Nov 3, 2025`);
  await expectNoViolations(page);

  // The public check: revoked, with the date, never the reason.
  const code = await verificationCodeOf(certificationId);
  await page.goto(`/verify/${code}`);
  await expect(page.getByRole("heading", { level: 1, name: "Certificate check" })).toBeVisible();
  await expect(page.getByText("Revoked (no longer valid)")).toBeVisible();
  await expect(page.getByText(/This certificate was revoked on .+ and is no longer valid\./)).toBeVisible();
  await expect(page.locator("body")).not.toContainText("wrong person");
  await expectNoViolations(page);
}

test("an administrator records a certificate earned elsewhere, revokes it with a reason, and the public check says revoked", async ({ page }) => {
  await recordThenRevoke(page, 0, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the same walk works with plain form posts", async ({ page }) => {
    await recordThenRevoke(page, 1, false);
  });
});
