import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

/*
 * Issue 14, the MHFA platform export onto a roster the trainer already built, in the browser against the
 * production build: three people added from a roster CSV, one of them marked absent on the attendance
 * sheet, then the platform's export (two of them Completed, plus a learner from a course that ran on other
 * dates). The preview recognises both roster members without a question, flags the other course by line and
 * name, lists the third roster member as missing from the export, and asks about the absence; keeping it
 * leaves the absence recorded. axe scans the preview.
 */
test.use({ locale: "en-US", timezoneId: "America/Los_Angeles" });

const DISTRICT_TIME_ZONE = "America/Los_Angeles";
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

test("the MHFA export: roster members recognised, a course on other dates flagged, an absence kept by choice", async ({ page }) => {
  const tag = Date.now().toString(36);
  const day = today();
  const people = [
    { first: "Ana", last: `Li ${tag}`, email: `ana.${tag}@example.org` },
    { first: "Bo", last: `Chen ${tag}`, email: `bo.${tag}@example.org` },
    { first: "Ed", last: `Moss ${tag}`, email: `ed.${tag}@example.org` },
  ];
  const full = (p: { first: string; last: string }) => `${p.first} ${p.last}`;
  await signInAs(page, "TRAINER");

  // A session today (its one day has begun, so marks can be recorded).
  const title = `E2E MHFA import ${tag}`;
  await page.goto("/sessions/new");
  await page.getByLabel("Program").selectOption({ label: "Youth Mental Health First Aid" });
  await page.getByLabel("Title (optional)").fill(title);
  await page.getByLabel("Format").selectOption("IN_PERSON");
  await page.getByLabel("Audience").selectOption("STAFF");
  await page.getByLabel("School").selectOption({ index: 1 });
  await page.getByLabel("Day 1 date").fill(day);
  await page.getByLabel("Day 1 starts").fill("00:00");
  await page.getByLabel("Day 1 ends").fill("23:30");
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const sessionPath = new URL(page.url()).pathname;

  // The roster by hand (a CSV of three), then Bo marked absent.
  await page.goto(`${sessionPath}/roster/import`);
  await page.getByLabel("Or paste the CSV text").fill(["First Name,Last Name,Email", ...people.map((p) => `${p.first},${p.last},${p.email}`)].join("\n"));
  await page.getByRole("button", { name: "Next: match the columns" }).click();
  await page.getByRole("button", { name: "Next: preview every row" }).click();
  await page.getByRole("button", { name: "Import 3 people to the roster" }).click();
  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await page.goto(`${sessionPath}/attendance`);
  await page.getByRole("group", { name: `${full(people[1])}, day 1` }).getByLabel("Absent").check();
  await page.getByRole("button", { name: "Save attendance" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved:" })).toBeVisible();

  // The platform's export: Ana and Bo completed; Gus took an October course.
  const exportText = [
    `"Learner First Name","Learner Last Name","Learner Email","Course Name","Course Start Date","Course End Date","Completion Status"`,
    `"Ana","${people[0].last}","${people[0].email}","YMHFA ${tag}","${us(day)}","${us(day)}","Completed"`,
    `"Bo","${people[1].last}","${people[1].email}","YMHFA ${tag}","${us(day)}","${us(day)}","Completed"`,
    `"Gus","Ray ${tag}","gus.${tag}@example.org","YMHFA October cohort","10/01/2025","10/01/2025","Completed"`,
  ].join("\r\n");
  await page.goto(`${sessionPath}/roster`);
  await page.getByRole("link", { name: "Import an MHFA platform export" }).click();
  await page.getByLabel("CSV file").setInputFiles({ name: "mhfa-export.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${exportText}\r\n`, "utf8") });
  await page.getByRole("button", { name: "Next: preview every learner" }).click();

  await expect(page.getByRole("heading", { name: /Step 2 of 3: check every learner in mhfa-export\.csv/ })).toBeVisible();
  await expect(page.locator(".card").filter({ hasText: "already on the roster" })).toHaveText(/^2 already on the roster$/);
  await expect(page.locator(".card").filter({ hasText: "possible duplicates" })).toHaveText(/^0 possible duplicates/);
  await expect(page.getByRole("region", { name: /ran outside this session's days/ })).toContainText(`Line 4: the course "YMHFA October cohort" ran Oct 1, 2025`);
  await expect(page.getByRole("region", { name: /On the roster, not in the export \(1\)/ })).toContainText(full(people[2]));
  const conflict = page.getByRole("group", { name: new RegExp(`^Line 3: ${full(people[1])}, marked absent on .*; the platform says Completed$`) });
  await expect(conflict).toBeVisible();
  await expectNoAxeViolations(page);

  // Importing without a choice is refused; keeping the absence imports the rest.
  await page.getByRole("button", { name: "Import 3 learners" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was imported" })).toContainText(`Choose "keep absent" or "take the platform's" for line 3`);
  await page.getByRole("group", { name: /^Line 3: / }).getByLabel(/^Keep absent on /).check();
  await page.getByRole("button", { name: "Import 3 learners" }).click();
  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await expect(page.getByText(/Added 1 to the roster: 0 matched to people already known, 1 new people\. 2 were already on the roster/)).toBeVisible();

  await page.goto(`${sessionPath}/attendance`);
  await expect(page.getByRole("group", { name: `${full(people[1])}, day 1` }).getByLabel("Absent")).toBeChecked();
  await expect(page.getByRole("group", { name: `${full(people[0])}, day 1` }).getByLabel("Present")).toBeChecked();
});
