/**
 * Everyone signs in (issue 11), in a real browser: a staff member with no account asks for a link, opens it from the
 * message the e2e server's SMTP server captured, and sees their certificates; another signs in through the test
 * OpenID provider; the link request works without JavaScript. axe on every page.
 */
import { test, expect, expectNoAxeViolations } from "./fixtures";
import { mailTo } from "./mailbox";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

const PORT = Number(process.env.E2E_PORT ?? 3100);


type DemoStaff = { id: string; firstName: string; lastName: string; email: string; districtId: string };

/**
 * Demo staff members who hold a certificate, have an email no one else has and no account yet, read from the e2e
 * server's database. Each test takes its own (by position) so tests never share a person.
 */
async function staffWithoutAccount(position: number): Promise<DemoStaff> {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    const [row] = await db.all<DemoStaff>(`
      SELECT p."id", p."firstName", p."lastName", p."email", p."districtId" FROM "Person" p
      WHERE p."kind" = 'STAFF' AND p."email" IS NOT NULL AND p."districtId" IS NOT NULL AND p."mergedIntoId" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."personId" = p."id" OR u."email" = p."email")
        AND EXISTS (SELECT 1 FROM "Certification" c WHERE c."personId" = p."id")
        AND (SELECT COUNT(*) FROM "Person" q WHERE q."email" = p."email") = 1
      ORDER BY p."id" LIMIT 1 OFFSET $1`, [500 + position]);
    if (!row) throw new Error("no demo staff member to sign in as");
    return row;
  } finally {
    await db.close();
  }
}

test("a staff member with no account signs in by email link and sees their certificates", async ({ page }) => {
  const person = await staffWithoutAccount(0);
  await page.goto("/login");
  await page.getByRole("link", { name: "No password? Get a sign-in link by email" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with a link by email" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Your email address").fill(person.email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
  await expectNoAxeViolations(page);

  const [mail] = await mailTo(person.email, { subject: /^Your sign-in link$/ });
  const link = /http:\/\/localhost:\d+\/login\/link\/[A-Za-z0-9_-]+/.exec(mail.text ?? "")?.[0];
  expect(link, "the link in the email").toBeTruthy();
  await page.goto(link ?? "");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: `Continue as ${person.firstName} ${person.lastName}` }).click();

  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { level: 2, name: "Welcome" })).toBeVisible();
  const certificates = page.getByRole("table", { name: "Certificates you hold or held, and what to do next" });
  await expect(certificates.getByRole("row")).not.toHaveCount(1);
  await expectNoAxeViolations(page);

  // The link worked once.
  await page.context().clearCookies();
  await page.goto(link ?? "");
  await expect(page.getByRole("heading", { level: 1, name: "This link no longer works" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("the sign-in link request works without JavaScript, in Spanish too", async ({ browser }) => {
  const person = await staffWithoutAccount(1);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login/email?lang=es");
  await expect(page.getByRole("heading", { level: 1, name: "Iniciar sesión con un enlace por correo" })).toBeVisible();
  await page.getByLabel("Su correo electrónico").fill(person.email);
  await page.getByRole("button", { name: "Enviarme un enlace" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Revise su correo" })).toBeVisible();
  const [mail] = await mailTo(person.email, { subject: /^Su enlace para iniciar sesión$/ });
  expect(mail.text).toContain("Funciona una vez");
  await context.close();
});

test("a staff member signs in through the district's OpenID provider", async ({ page }) => {
  const person = await staffWithoutAccount(2);
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with Test District" }).click();
  // The test provider's own page (tests/integration/oidc-test-provider.ts): the employee ID is who signs in.
  await expect(page.getByRole("heading", { name: "Test district sign-in" })).toBeVisible();
  await page.getByLabel("Employee ID").fill(person.districtId);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByText(`${person.firstName} ${person.lastName}`).first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Certificates you hold or held, and what to do next" })).toBeVisible();
  await expectNoAxeViolations(page);
});
