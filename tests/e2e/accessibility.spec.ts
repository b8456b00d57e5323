import { test, expect, signInAs, expectNoAxeViolations, type DemoRole } from "./fixtures";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

// Every page each role can reach, scanned with axe. Detail pages are found by following
// the first link of their list, so the scan covers real records.
const PAGES: Record<DemoRole, string[]> = {
  ADMIN: [
    "/admin", "/admin/schools", "/admin/schools/new", "/admin/schools/import", "/admin/regions",
    "/admin/programs", "/admin/programs/new", "/admin/users", "/admin/users/new", "/admin/headcounts", "/admin/headcounts/import",
    "/admin/reminders", "/admin/outbox", "/lead", "/people", "/people/duplicates", "/people/duplicates?show=imports",
    "/admin/directory", "/admin/directory/import", "/admin/audit", "/account/password", "/instructors",
  ],
  PROGRAM_LEAD: ["/lead", "/lead/goals", "/lead/goals/new", "/lead/growth", "/lead/report", "/sessions", "/verify", "/people", "/instructors"],
  TRAINER: ["/trainer", "/sessions", "/sessions/new"],
  COORDINATOR: ["/coordinator", "/sessions", "/people"],
  MEMBER: ["/me", "/account/password"],
};

const DETAIL_LINKS: Array<{ list: string; link: RegExp }> = [
  { list: "/admin/schools", link: /^\/admin\/schools\/(?!new|import)[^/]+$/ },
  { list: "/admin/regions", link: /^\/admin\/regions\/[^/]+$/ },
  { list: "/admin/programs", link: /^\/admin\/programs\/(?!new)[^/]+$/ },
  { list: "/admin/users", link: /^\/admin\/users\/(?!new)[^/]+$/ },
  { list: "/people", link: /^\/people\/[^/]+$/ },
  { list: "/people/duplicates", link: /^\/people\/duplicates\/compare\?a=/ },
];

test("the sign-in page passes axe", async ({ page }) => {
  await page.goto("/login");
  await expectNoAxeViolations(page);
});

test("the sign-in pages pass axe, in English and Spanish", async ({ page }) => {
  for (const path of ["/login?lang=es", "/login/email", "/login/email?lang=es", "/login/reset", "/login/reset?lang=es", "/login/link/no-such-link-0123456789abc", "/login/reset/no-such-link-0123456789abc"]) {
    await page.goto(path);
    await expectNoAxeViolations(page);
  }
});

test("an error page passes axe", async ({ page }) => {
  await signInAs(page, "MEMBER");
  await page.goto("/admin");
  await expectNoAxeViolations(page);
});

const PAGE_LIST_TIMEOUT_MS = 180_000;

for (const [role, paths] of Object.entries(PAGES) as Array<[DemoRole, string[]]>) {
  test(`every ${role} page passes axe`, async ({ page }) => {
    // Many pages, each scanned: more than one test's default time on a busy 2-core machine.
    test.setTimeout(PAGE_LIST_TIMEOUT_MS);
    await signInAs(page, role);
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(page);
    }
  });
}

test("every admin detail page passes axe", async ({ page }) => {
  test.setTimeout(PAGE_LIST_TIMEOUT_MS);
  await signInAs(page, "ADMIN");
  for (const { list, link } of DETAIL_LINKS) {
    await page.goto(list);
    const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    const detail = hrefs.find((h) => link.test(h));
    expect(detail, `a detail link on ${list}`).toBeTruthy();
    const response = await page.goto(detail!);
    expect(response?.status(), detail).toBe(200);
    await expectNoAxeViolations(page);
  }
});

test("a certificate's page passes axe for every role that opens it", async ({ page }) => {
  test.setTimeout(PAGE_LIST_TIMEOUT_MS);
  // The demo member's newest certificate: a teacher at the coordinator's school, whom leads and administrators see too.
  const db = await openReadOnly(e2eDatabaseUrl(Number(process.env.E2E_PORT ?? 3100)));
  const [cert] = await db.all<{ id: string; personId: string }>(`
    SELECT c."id", c."personId" FROM "Certification" c JOIN "Person" p ON p."id" = c."personId"
    WHERE p."email" = 'member@demo.k12.example' ORDER BY c."issuedOn" DESC, c."id" LIMIT 1`).finally(() => db.close());
  expect(cert, "a certificate of the demo member").toBeTruthy();
  for (const role of ["ADMIN", "PROGRAM_LEAD", "COORDINATOR"] as const) {
    await page.context().clearCookies();
    await signInAs(page, role);
    await page.goto(`/people/${cert.personId}`);
    await page.locator(`tr#certificate-${cert.id} th a`).click();
    await expect(page).toHaveURL(new RegExp(`/people/${cert.personId}/certificates/${cert.id}$`));
    await expect(page.getByRole("heading", { level: 2, name: "History" })).toBeVisible();
    await expectNoAxeViolations(page);
  }
});

test("the sign-in form works by keyboard alone", async ({ page }) => {
  await page.goto("/login");
  // Tab from the top: the skip link first, then through to the form.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.getByLabel("Email").focus();
  await page.keyboard.type("lead@demo.k12.example");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type("demo-password-2026");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/lead$/);
});
