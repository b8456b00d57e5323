/**
 * The teacher's side of renewals, in the browser, on the demo district: the member's page,
 * certificate PDF, calendars and feed, the public check (EN/ES), a reminder pass run by an
 * admin, the member's reminders and the unsubscribe link, and the coordinator's export.
 * Every page visited gets an axe scan.
 */
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { test, expect, signInAs, expectNoAxeViolations, DEMO_EMAIL } from "./fixtures";
import { mailTo } from "./mailbox";

const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Jan 5, 2027" (how the member page prints a date) as 00:00 UTC that day. */
function parseShortDate(text: string): Date {
  const match = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})$/.exec(text.trim());
  if (!match) throw new Error(`Not a date: ${text}`);
  return new Date(Date.UTC(Number(match[3]), MONTHS.indexOf(match[1]), Number(match[2])));
}
const shortDate = (d: Date) => d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const icsDate = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);

function certificateTable(page: Page) {
  return page.getByRole("table", { name: "Certificates you hold or held, and what to do next" });
}
function certificateRow(page: Page, program: string) {
  return certificateTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: program, exact: true }) });
}

test("the member sees a certificate expiring soon, downloads it, adds its dates to a calendar and checks it publicly in English and Spanish", async ({ page, request }) => {
  await signInAs(page, "MEMBER");
  await expect(page.getByRole("heading", { level: 1, name: "My trainings" })).toBeVisible();
  await expectNoAxeViolations(page);

  // YMHFA: expires within 90 days, renewal window open, with the dates to renew in plain words.
  const ymhfa = certificateRow(page, "Youth Mental Health First Aid");
  await expect(ymhfa).toHaveCount(1);
  const cells = ymhfa.getByRole("cell");
  const expiresOn = parseShortDate(await cells.nth(1).innerText());
  const todayUtc = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const daysLeft = Math.round((expiresOn.getTime() - todayUtc) / DAY_MS);
  expect(daysLeft).toBeGreaterThan(0);
  expect(daysLeft).toBeLessThanOrEqual(90);
  await expect(cells.nth(2)).toHaveText("Renewal window open");
  await expect(cells.nth(3)).toContainText(
    `Renew online between ${shortDate(addDays(expiresOn, -90))} and ${shortDate(addDays(expiresOn, -1))}, or retake the full course after that.`,
  );
  // The history: an expired adult MHFA certificate says to retake the course.
  const mhfa = certificateRow(page, "Mental Health First Aid (Adult)");
  await expect(mhfa.getByRole("cell").nth(2)).toHaveText("Expired");
  await expect(mhfa.getByRole("cell").nth(3)).toContainText("Retake the full course to be certified again.");

  // Upcoming YMHFA sessions to join, under the anchor the reminder emails link to (/me#upcoming).
  const upcoming = page.getByRole("region", { name: "Sessions you can join" });
  await expect(upcoming).toHaveAttribute("aria-labelledby", "upcoming");
  const ymhfaSessions = upcoming.getByRole("region", { name: "Youth Mental Health First Aid" });
  expect(await ymhfaSessions.getByRole("listitem").count()).toBeGreaterThan(0);

  // The certificate PDF: a real download, a PDF, under 200 KB.
  const pdfLink = ymhfa.getByRole("link", { name: /^Download PDF/ });
  const downloading = page.waitForEvent("download");
  await pdfLink.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(bytes.length).toBeLessThan(200 * 1024);
  const pdf = await page.request.get((await pdfLink.getAttribute("href")) ?? "");
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).length).toBeLessThan(200 * 1024);

  // The renewal deadline as an .ics file: the expiry date, all day.
  const deadline = await page.request.get((await ymhfa.getByRole("link", { name: /^Add renewal deadline to calendar/ }).getAttribute("href")) ?? "");
  expect(deadline.status()).toBe(200);
  expect(deadline.headers()["content-type"]).toMatch(/^text\/calendar/);
  const deadlineText = await deadline.text();
  expect(deadlineText).toContain("BEGIN:VCALENDAR");
  expect(deadlineText).toContain(`DTSTART;VALUE=DATE:${icsDate(expiresOn)}`);

  // Each of the member's sessions as an .ics file.
  const sessionLinks = page.getByRole("table", { name: "Sessions you are enrolled in" }).getByRole("link", { name: /^Add to calendar \(\.ics\)/ });
  const sessionHrefs = await sessionLinks.evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  expect(sessionHrefs.length).toBeGreaterThan(0);
  for (const href of sessionHrefs) {
    const ics = await page.request.get(href);
    expect(ics.status(), href).toBe(200);
    expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain("BEGIN:VEVENT");
  }

  // The personal feed: a secret address that works without signing in, and can be replaced or turned off.
  await page.getByRole("button", { name: "Create my feed address" }).click();
  await expect(page.getByRole("status")).toContainText("Your calendar feed address is ready");
  const feedBox = page.getByRole("textbox", { name: "Your feed address" });
  const feedUrl = await feedBox.inputValue();
  expect(feedUrl).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("link", { name: "Open in your calendar app" })).toHaveAttribute("href", /^webcal:\/\/.+\/calendar\/[A-Za-z0-9_-]{43}$/);
  await expectNoAxeViolations(page);
  const feed = await request.get(feedUrl); // no cookie: calendar apps cannot sign in
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toMatch(/^text\/calendar/);
  const feedText = await feed.text();
  expect(feedText).toContain("X-WR-CALNAME:My trainings");
  expect(feedText).toContain(`DTSTART;VALUE=DATE:${icsDate(expiresOn)}`);

  await page.getByRole("button", { name: "Replace the address" }).click();
  await expect(page.getByRole("status")).toContainText("The old address no longer works");
  await expect(feedBox).not.toHaveValue(feedUrl);
  const newFeedUrl = await feedBox.inputValue();
  expect(newFeedUrl).not.toBe(feedUrl);
  expect((await request.get(feedUrl)).status()).toBe(404);
  expect((await request.get(newFeedUrl)).status()).toBe(200);
  await page.getByRole("button", { name: "Turn off the feed" }).click();
  await expect(page.getByRole("status")).toContainText("Your calendar feed is turned off");
  expect((await request.get(newFeedUrl)).status()).toBe(404);
  await expect(page.getByRole("button", { name: "Create my feed address" })).toBeVisible();

  // The public check, from the link on the page: name, program, dates, status; never an email.
  const checkHref = (await ymhfa.getByRole("link", { name: /^Public check/ }).getAttribute("href")) ?? "";
  const code = /^\/verify\/([A-Za-z0-9_-]{22})$/.exec(checkHref)?.[1];
  expect(code, checkHref).toBeTruthy();
  await ymhfa.getByRole("link", { name: /^Public check/ }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${code}$`));
  const facts = page.locator("main dl.facts");
  await expect(facts).toContainText("Morgan Member");
  await expect(facts).toContainText("Youth Mental Health First Aid");
  await expect(facts).toContainText("Active (renewal due)");
  await expect(facts.locator("time")).toHaveCount(2);
  expect(await page.locator("main").innerText()).not.toContain("@");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Español" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${code}\\?lang=es$`));
  await expect(page.getByRole("heading", { level: 1, name: "Verificación de certificado" })).toBeVisible();
  await expect(facts).toContainText("Nombre");
  await expect(facts).toContainText("Morgan Member");
  await expect(facts).toContainText("Vigente (renovación pendiente)");
  expect(await page.locator("main").innerText()).not.toContain("@");
  await expectNoAxeViolations(page);
});

test("the public check form finds a certificate by its code, in English and Spanish, and answers a wrong code with 404", async ({ page }) => {
  // The code, as the member would read it from the certificate.
  await signInAs(page, "MEMBER");
  const checkHref = (await certificateRow(page, "Youth Mental Health First Aid").getByRole("link", { name: /^Public check/ }).getAttribute("href")) ?? "";
  const code = checkHref.split("/").pop() ?? "";
  await page.context().clearCookies();

  await page.goto("/verify");
  await expect(page.getByRole("heading", { level: 1, name: "Check a certificate" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Certificate code").fill(code);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${code}$`));
  await expect(page.locator("main dl.facts")).toContainText("Morgan Member");

  await page.goto("/verify?lang=es");
  await expect(page.getByRole("heading", { level: 1, name: "Verificar un certificado" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Código del certificado").fill(code);
  await page.getByRole("button", { name: "Verificar" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${code}\\?lang=es$`));
  await expect(page.locator("main dl.facts")).toContainText("Vigente (renovación pendiente)");

  const wrong = await page.goto(`/verify/${"A".repeat(22)}`);
  expect(wrong?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("No certificate matches this code");
  await expectNoAxeViolations(page);
});

test("an admin runs a reminder pass; the member's reminder is emailed and on the member's page; its unsubscribe link works", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, "ADMIN");
  await admin.getByRole("link", { name: "Renewal reminders" }).click();
  await expect(admin).toHaveURL(/\/admin\/reminders$/);
  await expectNoAxeViolations(admin);
  await admin.getByRole("button", { name: "Run a pass now" }).click();
  await expect(admin.getByRole("heading", { name: "Pass finished" })).toBeVisible();
  await expectNoAxeViolations(admin);
  await admin.context().close();

  // The e2e server sends through a real SMTP server (scripts/e2e-server.ts), which kept the message.
  const [mail] = await mailTo(DEMO_EMAIL.MEMBER, { subject: /^Your Youth Mental Health First Aid certificate expires in \d+ days \(/ });
  const text = mail.text ?? "";
  expect(text).toContain("Hello Morgan Member,");
  // Its links land on the member's page through the email-link sign-in.
  expect(text).toContain("/login/email?redirectTo=%2Fme%23upcoming");
  const unsubscribePath = /\/reminders\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  expect(unsubscribePath, "the unsubscribe link in the email").toBeTruthy();

  // The member sees the reminder on their page, and the same link to stop the emails.
  const member = await (await browser.newContext()).newPage();
  await signInAs(member, "MEMBER");
  const reminders = member.getByRole("table", { name: "Reminders about your certificates, newest first" });
  const reminder = reminders.getByRole("row").filter({ has: member.getByRole("rowheader", { name: /^Youth Mental Health First Aid, expires / }) });
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toContainText("30 days before it expires");
  await expect(reminder).toContainText("Emailed to you");
  await expect(member.getByRole("region", { name: "Renewal reminders" })).toContainText(`We email renewal reminders to ${DEMO_EMAIL.MEMBER}`);
  await expect(member.getByRole("link", { name: "Stop reminder emails" })).toHaveAttribute("href", unsubscribePath ?? "");
  await expectNoAxeViolations(member);

  // The link from the email: a button on GET (link scanners change nothing), the switch on POST.
  await member.goto(unsubscribePath ?? "");
  await expect(member.getByRole("heading", { level: 1, name: "Renewal reminder emails" })).toBeVisible();
  await expectNoAxeViolations(member);
  await member.getByRole("button", { name: "Stop renewal reminder emails" }).click();
  await expect(member.getByRole("status")).toContainText("Done, Morgan: you will get no more renewal reminder emails.");
  await expectNoAxeViolations(member);

  await member.goto("/me");
  await expect(member.getByRole("region", { name: "Renewal reminders" })).toContainText("Reminder emails are off");
  await member.getByRole("link", { name: "Turn reminder emails back on" }).click();
  await member.getByRole("button", { name: "Send me renewal reminders again" }).click();
  await expect(member.getByRole("status")).toContainText("renewal reminder emails are on again");
  await member.goto("/me");
  await expect(member.getByRole("region", { name: "Renewal reminders" })).toContainText(`We email renewal reminders to ${DEMO_EMAIL.MEMBER}`);
  await member.context().close();
});

test("the coordinator sees who at their schools expires in the next 90 days and exports it as CSV", async ({ page }) => {
  await signInAs(page, "COORDINATOR");
  await expectNoAxeViolations(page);
  const expiring = page.getByRole("table", { name: "Staff and partners whose certificate expires soon" });
  await expect(expiring.getByRole("row").filter({ hasText: "Member, Morgan" })).toContainText("Youth Mental Health First Aid");

  const link = page.getByRole("link", { name: /^Export CSV/ });
  const downloading = page.waitForEvent("download");
  await link.click();
  expect((await downloading).suggestedFilename()).toMatch(/^expiring-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await page.request.get((await link.getAttribute("href")) ?? "");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  const body = await csv.text();
  expect(body).toContain("Last name,First name,Schools,Program,Expires on,Email");
  expect(body).toMatch(/\r\nMember,Morgan,[^\r\n]*,Youth Mental Health First Aid,\d{4}-\d{2}-\d{2},member@demo\.k12\.example\r\n/);
});
