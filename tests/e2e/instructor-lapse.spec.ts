import fs from "node:fs";
import type { Page } from "@playwright/test";
import { test, expect, signInAs, expectNoAxeViolations, DEMO_PASSWORD } from "./fixtures";
import { e2eDatabaseUrl } from "./e2e-database";
import { openReadOnly } from "../../scripts/lib/read-only-query";

/*
 * Issue 14, a lapsed instructor, in the browser against the production build and the demo district: an administrator
 * links a demo trainer's account to their person record and imports an expired YMHFA instructor certification for
 * them from a CSV; the trainer then creates a YMHFA session, sees the lapse on the form beforehand, and the new
 * session's page warns that the certification does not cover day 1. axe scans every page on the way.
 * It uses a trainer other specs leave alone (the last demo trainer without a current YMHFA instructor certification)
 * and a staff member away from the people other specs take.
 */
test.use({ locale: "en-US", timezoneId: "America/Los_Angeles" });

const PORT = Number(process.env.E2E_PORT ?? 3100);
const DISTRICT_TIME_ZONE = "America/Los_Angeles";
const SHOTS = process.env.E2E_SCREENSHOTS; // a folder: screenshots to look at, when set

type Trainer = { id: string; email: string; name: string; personId: string | null };
type Staff = { id: string; districtId: string; firstName: string; lastName: string };

async function query<T>(sql: string, params: string[] = []): Promise<T[]> {
  const db = await openReadOnly(e2eDatabaseUrl(PORT));
  try {
    return await db.all<T>(sql, params);
  } finally {
    await db.close();
  }
}

/** A demo trainer with no YMHFA instructor certification covering `dayIso`, and a staff member to link when unlinked. */
async function setUp(dayIso: string): Promise<{ trainer: Trainer; staff: Staff | null; program: { id: string; code: string; name: string } }> {
  const [program] = await query<{ id: string; code: string; name: string }>(`SELECT "id", "code", "name" FROM "Program" WHERE "name" = 'Youth Mental Health First Aid'`);
  if (!program) throw new Error("the demo district has no YMHFA program");
  const trainers = await query<Trainer>(
    `SELECT u."id", u."email", u."name", u."personId" FROM "User" u
     WHERE u."role" = 'TRAINER' AND u."email" LIKE 'trainer_%@demo.k12.example'
       AND NOT EXISTS (SELECT 1 FROM "InstructorCertification" c WHERE c."personId" = u."personId" AND c."programId" = $1
                       AND c."issuedOn" <= $2 AND (c."expiresOn" IS NULL OR c."expiresOn" > $2))
     ORDER BY u."email" DESC`,
    [program.id, `${dayIso}T00:00:00.000Z`],
  );
  const trainer = trainers[0];
  if (!trainer) throw new Error("no demo trainer without a YMHFA instructor certification covering the session day");
  if (trainer.personId) return { trainer, staff: null, program };
  const staff = await query<Staff>(
    `SELECT p."id", p."districtId", p."firstName", p."lastName" FROM "Person" p
     WHERE p."kind" = 'STAFF' AND p."mergedIntoId" IS NULL AND p."districtId" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."personId" = p."id")
       AND NOT EXISTS (SELECT 1 FROM "Affiliation" a JOIN "School" s ON s."id" = a."schoolId" WHERE a."personId" = p."id" AND s."code" IN ('S001', 'S002'))
     ORDER BY p."id" DESC`,
  );
  // From the far end of the list other specs walk from the start (certificate-records.spec takes the 1500th on).
  const person = staff[7];
  if (!person) throw new Error("no demo staff member to link");
  return { trainer, staff: person, program };
}

/** The expiry the warning names: the YMHFA instructor certification of the trainer that expired last. */
async function lastExpiry(userId: string, programId: string): Promise<string> {
  const rows = await query<{ expiresOn: string | Date | null }>(
    `SELECT c."expiresOn" FROM "InstructorCertification" c JOIN "User" u ON u."personId" = c."personId" WHERE u."id" = $1 AND c."programId" = $2`,
    [userId, programId],
  );
  const days = rows.flatMap((r) => (r.expiresOn ? [new Date(r.expiresOn).getTime()] : []));
  if (days.length === 0) throw new Error("the trainer has no expired YMHFA instructor certification");
  return new Date(Math.max(...days)).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

function inDistrict(days: number): { iso: string; words: string } {
  const when = new Date(Date.now() + days * 86_400_000);
  const iso = new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(when);
  const words = new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  return { iso, words };
}

test("a trainer whose YMHFA instructor certification has lapsed creates a YMHFA session and is warned", async ({ page }) => {
  const day1 = inDistrict(21);
  const { trainer, staff, program } = await setUp(day1.iso);

  // The administrator links the account to its person (when the demo has not) and imports the lapsed certification.
  await signInAs(page, "ADMIN");
  // The person as the CSV names them: by district ID, or by email for a partner without one.
  let who: string;
  if (staff) {
    await page.goto(`/admin/users/${trainer.id}`);
    await page.getByLabel("District ID or email of the person").fill(staff.districtId);
    await page.getByRole("button", { name: "Link person" }).click();
    await expect(page.getByText("Person record linked.")).toBeVisible();
    who = `${staff.districtId},`;
  } else {
    const [person] = await query<{ districtId: string | null; email: string | null }>(`SELECT "districtId", "email" FROM "Person" WHERE "id" = $1`, [trainer.personId ?? ""]);
    if (person?.districtId) who = `${person.districtId},`;
    else if (person?.email) who = `,${person.email}`;
    else throw new Error("the demo trainer's person has neither a district ID nor an email");
  }

  await page.goto("/instructors/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import instructor certifications from CSV" })).toBeVisible();
  await expectNoAxeViolations(page);
  await shot(page, "instructors-import");
  const csv = ["district_id,email,program_code,issued_on,expires_on,source", `${who},${program.code},2020-01-01,2023-01-01,MHFA USA instructor training`, `NO-SUCH-ID-E2E,,${program.code},2020-01-01,2023-01-01,MHFA USA instructor training`].join("\n");
  // A bad row first: the preview names its line and column, and offers no commit.
  await page.getByLabel("Or paste the CSV text").fill(csv);
  await page.getByRole("button", { name: "Preview instructor certification import" }).click();
  await expect(page.getByRole("alert")).toContainText('Line 3: district_id "NO-SUCH-ID-E2E" is not anyone\'s district ID');
  await expect(page.getByRole("button", { name: "Commit import" })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await shot(page, "instructors-import-errors");
  await page.getByRole("link", { name: "upload it again" }).click();
  await page.getByLabel("CSV file").setInputFiles({ name: "instructors.csv", mimeType: "text/csv", buffer: Buffer.from(csv.split("\n").slice(0, 2).join("\r\n")) });
  await page.getByRole("button", { name: "Preview instructor certification import" }).click();
  await expect(page.getByRole("heading", { name: "Preview of instructors.csv" })).toBeVisible();
  await expectNoAxeViolations(page);
  await shot(page, "instructors-import-preview");
  await page.getByRole("button", { name: "Commit import" }).click();
  await expect(page.getByRole("status")).toContainText("Recorded 1, already on record 0 from instructors.csv");
  await expectNoAxeViolations(page);

  // The trainer: the form shows the lapse before anything is created, and creating is not blocked.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(trainer.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/trainer$/);
  // The trainer's own calendar feed, turned on from their home.
  await page.getByRole("button", { name: "Create my feed address" }).click();
  await expect(page.getByRole("status")).toContainText("Your calendar feed address is ready.");
  await expect(page.getByLabel("Your feed address")).toHaveValue(/\/calendar\/[A-Za-z0-9_-]{43}$/);
  await expectNoAxeViolations(page);
  await shot(page, "trainer-home-feed");
  await page.locator("#main").getByRole("link", { name: "New session" }).click();
  const expired = await lastExpiry(trainer.id, program.id);
  const notice = page.locator("#instructor-status");
  await expect(notice).toContainText(`${program.name} (${program.code}): expired on ${expired}`);
  await expectNoAxeViolations(page);
  await shot(page, "sessions-new-instructor-notice");

  await page.getByLabel("Program").selectOption({ label: program.name });
  await page.getByLabel("Title (optional)").fill(`Lapse check ${Date.now().toString(36)}`);
  await page.getByLabel("Format").selectOption("IN_PERSON");
  await page.getByLabel("Audience").selectOption("STAFF");
  await page.getByLabel("School").selectOption({ index: 1 });
  await page.getByLabel("Day 1 date").fill(day1.iso);
  await page.getByLabel("Day 1 starts").fill("08:30");
  await page.getByLabel("Day 1 ends").fill("15:00");
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
  const warning = page.locator("#instructor-lapse[role=alert]");
  await expect(warning).toContainText(
    `${trainer.name}'s ${program.code} instructor certification expired on ${expired} — it does not cover day 1 (${day1.words}).`,
  );
  await expectNoAxeViolations(page);
  await shot(page, "session-lapse-warning");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "session-lapse-warning-phone");
});
