import { test, expect, DEMO_EMAIL, DEMO_PASSWORD } from "./fixtures";

// Core forms post as plain HTML forms: the server validates and answers with field errors.
test.use({ javaScriptEnabled: false });

test("sign in without JavaScript, with a field error first", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter an email address like name@school.org").first()).toBeVisible();
  await page.getByLabel("Email").fill(DEMO_EMAIL.ADMIN);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
});

test("create a region without JavaScript: errors name the field, then it saves", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL.ADMIN);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/regions");
  const code = `NJ${Date.now().toString(36).slice(-4).toUpperCase()}`;
  await page.getByLabel(/^Region code/).fill(code);
  await page.getByRole("button", { name: "Add region" }).click();
  await expect(page.getByText(/name is required/i).first()).toBeVisible();
  await page.getByLabel(/^Region code/).fill(code);
  await page.getByLabel("Name", { exact: true }).fill(`No-JS Region ${code}`);
  await page.getByRole("button", { name: "Add region" }).click();
  await expect(page.getByText(`No-JS Region ${code}`).first()).toBeVisible();
});

test("ask for a password reset without JavaScript: a field error, then the same answer for any address", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Your email address").fill("not-an-email");
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByText("Enter an email address like name@school.org").first()).toBeVisible();
  await page.getByLabel("Your email address").fill(`nobody-${Date.now()}@demo.k12.example`);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
});
