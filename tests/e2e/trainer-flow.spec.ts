import { devices, type Page } from "@playwright/test";
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { PDFParse } from "pdf-parse";
import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";
import { mailTo } from "./mailbox";

/*
 * The trainer's whole job in one browser run, against the production build and the demo
 * district: create a session for today, import its roster from a CSV file (BOM, CRLF, accented
 * names, a quoted comma), let one attendee check in on a phone through the QR code's link without
 * signing in, approve a walk-in who is not on the roster, mark the rest present with post-work on
 * the attendance page (by keyboard alone), close the session and see the certificates. Every page
 * on the way is scanned with axe.
 */

// Dates are typed into date fields in the en-US order (month, day, year).
test.use({ locale: "en-US", timezoneId: "America/Los_Angeles" });

const DISTRICT_TIME_ZONE = "America/Los_Angeles"; // the demo district's (scripts/e2e-server.ts uses the default)

/** Today's date in the district, as the session form and date inputs want it (YYYY-MM-DD). */
function todayInDistrict(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

const tag = `${Date.now().toString(36)}`;
const PEOPLE = [
  { id: `E2E-${tag}-1`, first: "José", last: "Núñez", email: `jose.nunez.${tag}@example.org`, kind: "staff" },
  // Certificates print names exactly: Vietnamese diacritics here, Chinese characters below.
  { id: `E2E-${tag}-2`, first: "Thị Ánh", last: "Nguyễn", email: `anh.nguyen.${tag}@example.org`, kind: "Staff" },
  { id: `E2E-${tag}-3`, first: "Zoë", last: "O'Brien, Jr.", email: `zoe.obrien.${tag}@example.org`, kind: "staff" },
  { id: `E2E-${tag}-4`, first: "Søren", last: "Đặng", email: "", kind: "staff" },
  { id: "", first: "小明", last: "王", email: `xiaoming.wang.${tag}@example.org`, kind: "community partner" },
];
/** Not on the roster: checks in by name and email, and is added only when the trainer approves. */
const WALK_IN = { first: "Lupe", last: `Ramírez ${tag}`, email: `lupe.ramirez.${tag}@example.org` };
const fullName = (p: { first: string; last: string }) => `${p.first} ${p.last}`;
/** Everyone who ends up on the roster. */
const EVERYONE = [...PEOPLE, WALK_IN];
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The file as Excel on Windows saves "CSV UTF-8": a byte-order mark and CRLF line ends. */
function rosterFile(): Buffer {
  const lines = [
    ["Employee ID", "First Name", "Last Name", "Email Address", "Type", "School"],
    ...PEOPLE.map((p) => [p.id, p.first, p.last, p.email, p.kind, "Lakeside High, main campus"]),
  ].map((cells) => cells.map(cell).join(","));
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** Reads the QR code drawn on the page, as a phone's camera would. */
async function decodeQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.locator(".qr-code").screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error("No QR code could be read from the check-in screen");
  return code.data;
}

/**
 * The attendance sheet with the keyboard alone, from the top of a freshly loaded page: Tab to
 * each control; the arrow keys move an unmarked person to "Present"; the post-work date is typed into its
 * date field (month, day, year: the en-US order); Enter on "Save attendance" saves.
 */
async function fillSheetByKeyboard(page: Page, isoDate: string) {
  const [year, month, day] = isoDate.split("-");
  for (let presses = 0; presses < 300; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (el instanceof HTMLInputElement && el.type === "radio" && el.name.startsWith("status:")) {
        return { kind: "radio", label: el.labels?.[0]?.textContent?.trim() ?? "" } as const;
      }
      if (el instanceof HTMLInputElement && el.type === "date" && el.name.startsWith("postWork:")) return { kind: "date", empty: el.value === "" } as const;
      if (el instanceof HTMLButtonElement && el.textContent?.trim() === "Save attendance") return { kind: "save" } as const;
      return { kind: "other" } as const;
    });
    if (focused.kind === "radio" && focused.label === "Not marked") {
      // Tab lands on a group's checked radio; the arrow keys move the choice, wrapping from the last to the first.
      await page.keyboard.press("ArrowRight");
      expect(await page.evaluate(() => (document.activeElement instanceof HTMLInputElement && document.activeElement.checked ? document.activeElement.labels?.[0]?.textContent?.trim() : null))).toBe("Present");
    } else if (focused.kind === "date" && focused.empty) {
      await page.keyboard.type(`${month}${day}${year}`);
    } else if (focused.kind === "save") {
      await page.keyboard.press("Enter");
      return;
    }
  }
  throw new Error("Save attendance was never reached with Tab");
}

test("a trainer runs a session from creation to certificates, with a roster CSV and a phone check-in", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const today = todayInDistrict();
  const title = `E2E trainer flow ${tag}`;

  await signInAs(page, "TRAINER");

  // 1. A one-day Youth MHFA session today: it asks for post-work, so completion needs both.
  await page.goto("/sessions/new");
  await page.getByLabel("Program").selectOption({ label: "Youth Mental Health First Aid" });
  await page.getByLabel("Title (optional)").fill(title);
  await page.getByLabel("Format").selectOption("IN_PERSON");
  await page.getByLabel("Audience").selectOption("STAFF");
  await page.getByLabel("School").selectOption({ index: 1 });
  await page.getByLabel("Day 1 date").fill(today);
  await page.getByLabel("Day 1 starts").fill("08:30");
  await page.getByLabel("Day 1 ends").fill("15:00");
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveURL(/\/sessions\/(?!new$)[^/]+$/);
  const sessionPath = new URL(page.url()).pathname;
  await expectNoAxeViolations(page);

  // 2. The roster, then its CSV import: upload, match the columns, preview, import.
  await page.getByRole("link", { name: "Roster", exact: true }).click();
  await expect(page).toHaveURL(`${sessionPath}/roster`);
  await expect(page.getByText("Nobody is enrolled yet.")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Import an MHFA platform export" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Import an MHFA platform export/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Back to the roster" }).click();

  await page.getByRole("link", { name: "Import a roster CSV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Import a roster CSV/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("CSV file").setInputFiles({ name: "lakeside-roster.csv", mimeType: "text/csv", buffer: rosterFile() });
  await page.getByRole("button", { name: "Next: match the columns" }).click();

  await expect(page.getByRole("heading", { name: "Step 2 of 4: match the columns of lakeside-roster.csv" })).toBeVisible();
  await expect(page.getByText("5 rows.")).toBeVisible();
  // Guessed from the header names; the extra School column is left out.
  await expect(page.getByLabel("Column employee_id holds")).toHaveValue("district_id");
  await expect(page.getByLabel("Column first_name holds")).toHaveValue("first_name");
  await expect(page.getByLabel("Column last_name holds")).toHaveValue("last_name");
  await expect(page.getByLabel("Column email_address holds")).toHaveValue("email");
  await expect(page.getByLabel("Column type holds")).toHaveValue("kind");
  await expect(page.getByLabel("Column school holds")).toHaveValue("ignore");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Next: preview every row" }).click();

  await expect(page.getByRole("heading", { name: /Step 3 of 4: check every row/ })).toBeVisible();
  const preview = page.getByRole("table", { name: /What the import will do/ });
  for (const p of PEOPLE) await expect(preview.getByRole("rowheader", { name: fullName(p), exact: true })).toBeVisible();
  await expect(preview.getByText("New person")).toHaveCount(5);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Import 5 people to the roster" }).click();

  await expect(page.getByRole("heading", { name: "Import complete" })).toBeVisible();
  await expect(page.getByText(/Added 5 to the roster: 0 matched to people already known, 5 new people\./)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "See the roster" }).click();
  await expect(page.getByText("5 enrolled")).toBeVisible();
  const roster = page.getByRole("table", { name: "5 people on this roster" });
  // Accents, the apostrophe and the quoted comma all survive the trip.
  for (const p of PEOPLE) await expect(roster.getByRole("rowheader", { name: `${p.last}, ${p.first}`, exact: true })).toBeVisible();
  await expect(roster.getByRole("row", { name: new RegExp(fullName(PEOPLE[4])) })).toContainText("Community partner");

  // 3. Paper entry and the printable sign-in sheet (looked at, not used, in this run).
  await page.goto(`${sessionPath}/paper`);
  await expect(page.getByRole("heading", { level: 1, name: /Enter a paper sign-in sheet/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`${sessionPath}/sign-in-sheet`);
  await expect(page.getByRole("heading", { level: 1, name: /Sign-in sheet/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // 4. QR check-in: open it for today, read the link from the screen and from the QR code itself.
  await page.goto(sessionPath);
  await page.getByRole("link", { name: "QR check-in" }).click();
  await page.getByRole("button", { name: "Open check-in" }).click();
  await expect(page.getByText(/Check-in is\s+open/)).toBeVisible();
  const link = (await page.locator(".check-in-link code").textContent())?.trim() ?? "";
  expect(link).toMatch(new RegExp(`^${baseURL}/check-in/[A-Za-z0-9_.-]+$`));
  expect(await decodeQr(page)).toBe(link);
  await expectNoAxeViolations(page);

  // 5. A phone, not signed in, checks José in with his district ID.
  const iPhone = devices["iPhone 13"];
  const phone = await browser.newContext({
    viewport: iPhone.viewport, userAgent: iPhone.userAgent,
    deviceScaleFactor: iPhone.deviceScaleFactor, isMobile: true, hasTouch: true,
  });
  try {
    const mobile = await phone.newPage();
    await mobile.goto(link);
    await expect(mobile.getByRole("heading", { level: 1, name: "Check in to your training" })).toBeVisible();
    await expect(mobile.getByText(`Youth Mental Health First Aid,`)).toBeVisible();
    // Fits the phone: nothing to scroll sideways.
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectNoAxeViolations(mobile);
    await mobile.getByLabel("District ID").fill(PEOPLE[0].id);
    await mobile.getByRole("button", { name: "Check in" }).tap();
    await expect(mobile.getByRole("status")).toContainText("You're checked in for Youth Mental Health First Aid");
    // Nobody else's name on the public page.
    for (const p of PEOPLE) await expect(mobile.getByText(p.last)).toHaveCount(0);
    await expectNoAxeViolations(mobile);

    // Someone not on the roster: thanked and told the trainer will confirm, never enrolled by the page itself.
    const walkIn = await phone.newPage();
    await walkIn.goto(link);
    await walkIn.getByLabel("First name").fill(WALK_IN.first);
    await walkIn.getByLabel("Last name").fill(WALK_IN.last);
    await walkIn.getByLabel("Email").fill(WALK_IN.email);
    await walkIn.getByRole("button", { name: "Check in" }).tap();
    await expect(walkIn.getByRole("heading", { level: 1, name: "Thanks: your trainer will confirm your check-in" })).toBeVisible();
    await expect(walkIn.getByRole("status")).toContainText("We passed your details to your trainer for Youth Mental Health First Aid");
    await expect(walkIn.getByText(WALK_IN.last)).toHaveCount(0);
    await expectNoAxeViolations(walkIn);
  } finally {
    await phone.close();
  }

  // The trainer's screen counts José (the Refresh link, as without JavaScript) and lists the walk-in.
  await page.getByRole("link", { name: "Refresh" }).click();
  await expect(page.locator(".live-count")).toHaveText("1 by QR");
  await expect(page.getByRole("table", { name: /People who checked in by QR/ }).getByRole("rowheader")).toHaveText([fullName(PEOPLE[0])]);
  await expect(page.locator(".walk-in-count")).toHaveText("1 walk-in waiting");
  await expect(page.getByRole("table", { name: /Walk-ins waiting for you/ })).toContainText(WALK_IN.email);
  await expectNoAxeViolations(page);
  // One click: on the roster as a new community partner, and present by QR.
  await page.getByRole("button", { name: `Approve ${fullName(WALK_IN)}` }).click();
  await expect(page.locator(".walk-in-count")).toHaveText("0 walk-ins waiting");
  await expect(page.locator(".live-count")).toHaveText("2 by QR");
  await expect(page.getByRole("table", { name: /People who checked in by QR/ }).getByRole("rowheader")).toHaveText([fullName(WALK_IN), fullName(PEOPLE[0])]);

  // 6. Attendance, by keyboard alone: everyone else marked present, everyone's post-work date typed in.
  await page.getByRole("link", { name: "Attendance" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Attendance:/ })).toBeVisible();
  await page.reload(); // focus starts at the top of the document, as after opening the page
  await expect(page.getByRole("group", { name: `${fullName(PEOPLE[0])}, day 1` }).getByLabel("Present")).toBeChecked();
  await expect(page.getByRole("group", { name: `${fullName(WALK_IN)}, day 1` }).getByLabel("Present")).toBeChecked();
  await expectNoAxeViolations(page);
  await fillSheetByKeyboard(page, today);
  // Four marks (José and the walk-in are present already) and six post-work dates.
  await expect(page.getByRole("status").filter({ hasText: "Saved:" })).toHaveText("Saved: 10 changes recorded.");
  for (const p of EVERYONE) {
    await expect(page.getByRole("group", { name: `${fullName(p)}, day 1` }).getByLabel("Present")).toBeChecked();
    await expect(page.getByLabel(`${fullName(p)}, post-work done on (blank: not done)`)).toHaveValue(today);
  }

  // 7. Close: the preview names all six; closing issues six certificates.
  await page.goto(sessionPath);
  await page.getByRole("link", { name: "Close session" }).click();
  const willIssue = page.getByRole("region", { name: "Will receive a certificate" });
  for (const p of EVERYONE) await expect(willIssue.getByText(fullName(p), { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Not completed" })).toContainText("Nobody.");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Close session and issue certificates" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Session closed" })).toContainText("6 certificates issued (0 renewals), 0 not completed.");
  await expect(page.getByRole("heading", { level: 1, name: /^Closing summary/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Completed" }).getByRole("listitem")).toHaveCount(6);
  await expectNoAxeViolations(page);

  // 8. Each holder with an email got one message with their certificate (the e2e server's SMTP server kept it),
  // whose PDF carries their exact name; the trainer sees who was sent what.
  const emails = page.getByRole("table", { name: "Who was sent their certificate" });
  for (const p of EVERYONE) {
    const row = emails.getByRole("row").filter({ has: page.getByRole("rowheader", { name: fullName(p), exact: true }) });
    await expect(row).toContainText(p.email ? p.email : "no email");
    if (!p.email) continue;
    const mails = await mailTo(p.email, { subject: /^Your certificate: Youth Mental Health First Aid/ });
    expect(mails, `certificate emails to ${p.email}`).toHaveLength(1);
    const pdf = mails[0].attachments.find((a) => a.contentType === "application/pdf");
    expect(pdf, `the PDF attached for ${fullName(p)}`).toBeTruthy();
    const parser = new PDFParse({ data: new Uint8Array(pdf?.content ?? []) });
    try {
      expect((await parser.getText()).text).toContain(fullName(p));
    } finally {
      await parser.destroy();
    }
  }

  // The session page lists a certificate for each of the six.
  await page.goto(sessionPath);
  const enrolled = page.getByRole("table", { name: "6 people enrolled" });
  await expect(enrolled.getByRole("row").filter({ hasText: "Issued" })).toHaveCount(6);
  await expect(page.locator("main .tag").first()).toHaveText("Closed");
});
