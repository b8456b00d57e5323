/**
 * The production server (scripts/serve.ts) as a browser and a script meet it: bounded bodies,
 * security headers, a CSP that still lets the app hydrate, and cross-origin posts refused.
 */
import { test, expect, signInAs, DEMO_EMAIL, DEMO_PASSWORD } from "./fixtures";

const FORM_MESSAGE = "This form sent more than 64 KB, the most this server accepts from one form.";

test.describe("bounded input", () => {
  test("an oversized post to /login gets a 413 with a clear message", async ({ request }) => {
    const res = await request.post("/login", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      data: `email=${"a".repeat(200 * 1024)}&password=x`,
    });
    expect(res.status()).toBe(413);
    expect(await res.text()).toContain(FORM_MESSAGE);
  });

  test("a browser without JavaScript sees a readable page for a form that sent too much", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill("a".repeat(100 * 1024));
    await page.getByLabel("Password").fill("x");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Too much was sent" })).toBeVisible();
    await expect(page.getByText(FORM_MESSAGE)).toBeVisible();
    await context.close();
  });
});

test.describe("security headers", () => {
  test("every page carries the CSP, nosniff and Referrer-Policy; signed-in pages are not stored", async ({ page }) => {
    const login = await page.goto("/login");
    const headers = login?.headers() ?? {};
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    // Served over plain http in the tests: no HSTS.
    expect(headers["strict-transport-security"]).toBeUndefined();

    await signInAs(page, "TRAINER");
    const trainer = await page.goto("/trainer");
    expect(trainer?.headers()["cache-control"]).toBe("private, no-store");
    const asset = await page.request.get((await page.locator('link[rel="stylesheet"]').first().getAttribute("href")) ?? "");
    expect(asset.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("every script carries the response's nonce, nothing is blocked, and the page hydrates", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const res = await page.goto("/login");
    const nonce = /'nonce-([^']+)'/.exec(res?.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    // The browser hides a nonce attribute from the DOM; the served HTML shows it.
    const html = (await res?.text()) ?? "";
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    // Hydrated: Remix's router is running, and a sign-in goes through it without a full page load.
    await page.waitForFunction(() => "__remixRouter" in window);
    await page.evaluate(() => Object.assign(window, { beforeNavigation: true }));
    await page.getByLabel("Email").fill(DEMO_EMAIL.TRAINER);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/trainer$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => "beforeNavigation" in window)).toBe(true);
    expect(violations).toEqual([]);
  });
});

test.describe("cross-origin posts", () => {
  test("a form posted from another site gets a 403, not a 500", async ({ request }) => {
    const res = await request.post("/login", {
      headers: { Origin: "https://evil.example" },
      form: { email: "trainer@demo.k12.example", password: "demo-password-2026" },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain("This form was sent from another website, so it was refused and nothing was changed.");
  });
});
