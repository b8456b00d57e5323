import { test, expect, signInAs, HOME, type DemoRole } from "./fixtures";

const ROLES: DemoRole[] = ["ADMIN", "PROGRAM_LEAD", "TRAINER", "COORDINATOR", "MEMBER"];

// Pages that belong to one role (or a few); every other role is refused.
const GUARDED: Array<{ path: string; allowed: DemoRole[] }> = [
  { path: "/admin", allowed: ["ADMIN"] },
  { path: "/admin/schools", allowed: ["ADMIN"] },
  { path: "/admin/schools/new", allowed: ["ADMIN"] },
  { path: "/admin/schools/import", allowed: ["ADMIN"] },
  { path: "/admin/regions", allowed: ["ADMIN"] },
  { path: "/admin/programs", allowed: ["ADMIN"] },
  { path: "/admin/users", allowed: ["ADMIN"] },
  { path: "/admin/users/new", allowed: ["ADMIN"] },
  { path: "/admin/headcounts", allowed: ["ADMIN"] },
  { path: "/admin/headcounts/import", allowed: ["ADMIN"] },
  { path: "/admin/reminders", allowed: ["ADMIN"] },
  { path: "/admin/outbox", allowed: ["ADMIN"] },
  { path: "/lead", allowed: ["PROGRAM_LEAD", "ADMIN"] },
  { path: "/lead/goals", allowed: ["PROGRAM_LEAD", "ADMIN"] },
  { path: "/lead/goals/new", allowed: ["PROGRAM_LEAD", "ADMIN"] },
  { path: "/lead/growth", allowed: ["PROGRAM_LEAD", "ADMIN"] },
  { path: "/lead/report", allowed: ["PROGRAM_LEAD", "ADMIN"] },
  { path: "/trainer", allowed: ["TRAINER"] },
  { path: "/coordinator", allowed: ["COORDINATOR"] },
  { path: "/me", allowed: ["MEMBER"] },
  { path: "/sessions", allowed: ["ADMIN", "PROGRAM_LEAD", "TRAINER", "COORDINATOR"] },
  { path: "/sessions/new", allowed: ["TRAINER", "ADMIN"] },
  { path: "/people", allowed: ["ADMIN", "PROGRAM_LEAD", "COORDINATOR"] },
  { path: "/people/duplicates", allowed: ["ADMIN"] },
];

test("signed out, every guarded page sends you to sign in", async ({ page }) => {
  for (const { path } of GUARDED) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/login\?redirectTo=/);
  }
});

for (const role of ROLES) {
  test.describe(`${role}`, () => {
    test("signs in and lands on its own home page", async ({ page }) => {
      await signInAs(page, role);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    });

    test("is refused on other roles' pages", async ({ page }) => {
      await signInAs(page, role);
      for (const { path, allowed } of GUARDED) {
        const response = await page.goto(path);
        const status = response?.status();
        if (allowed.includes(role)) expect(status, `${role} may open ${path}`).toBe(200);
        else {
          expect(status, `${role} must be refused ${path}`).toBe(403);
          await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
        }
      }
    });
  });
}

test("a person's page and their certificate PDF: the coordinator of their school opens both; trainers and members are refused", async ({ browser }) => {
  // A person of the coordinator's schools who holds a certificate, found the way a coordinator would.
  const coordinator = await browser.newPage();
  await signInAs(coordinator, "COORDINATOR");
  await coordinator.goto("/people?kind=staff");
  const people = await coordinator.locator("main table a[href^='/people/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  let personPath = "";
  let pdfPath = "";
  for (const href of people.slice(0, 20)) {
    await coordinator.goto(href);
    pdfPath = (await coordinator.locator("a[href$='/pdf']").first().getAttribute("href").catch(() => null)) ?? "";
    if (pdfPath) {
      personPath = href;
      break;
    }
  }
  expect(pdfPath, "a staff member of the coordinator's schools with a certificate").toBeTruthy();
  const pdf = await coordinator.request.get(pdfPath);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  await coordinator.close();
  for (const role of ["TRAINER", "MEMBER"] as const) {
    const page = await browser.newPage();
    await signInAs(page, role);
    for (const path of [personPath, pdfPath]) expect((await page.request.get(path)).status(), `${role} ${path}`).toBe(403);
    await page.close();
  }
});

test("signing out ends the session: the old cookie no longer works", async ({ page, context }) => {
  await signInAs(page, "MEMBER");
  const cookies = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // Replaying the old cookie finds a revoked database session.
  await context.addCookies(cookies);
  await page.goto(HOME.MEMBER);
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("member@demo.k12.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Email or password is incorrect");
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login/);
});
