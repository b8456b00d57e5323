import { test, expect, signInAs, expectNoAxeViolations } from "./fixtures";

// The program lead's journey (issue #5): dashboard → filter by region and program → region → school
// → set a goal for the school → its progress and chart → edit it → the goal list → the printable
// report → growth over time → CSV export from the dashboard. axe scans every page on the way.
// The demo district (prisma/seed/demo-district.ts): Roosevelt High School (S001) is in Central.

const PROGRAM = "QPR Gatekeeper Training";
const REGION = "Central";
const SCHOOL = "Roosevelt High School";

test("a program lead follows reach from the district to a school, sets a goal, and reports on it", async ({ page }) => {
  // A long journey (dashboard, region, school, goal, chart, report), with axe on every page: about 45 s alone on two
  // cores, so the default 60 s left too little room on a busy machine.
  test.setTimeout(120_000);
  await signInAs(page, "PROGRAM_LEAD");
  await expect(page.getByRole("heading", { level: 1, name: "Reach dashboard" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Filter by region and program.
  await page.getByLabel("Program", { exact: true }).selectOption({ label: PROGRAM });
  await page.getByLabel("Region", { exact: true }).selectOption({ label: REGION });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]program=QPR\b/);
  await expect(page).toHaveURL(/[?&]region=/);
  await expect(page.getByText(new RegExp(`schools in ${REGION}`))).toBeVisible();
  await expect(page.getByRole("table", { name: `Reach by region, ${PROGRAM}` }).getByRole("row")).toHaveCount(2);
  await expectNoAxeViolations(page);
  const filteredDashboard = page.url();

  // Drill down: the region, then the school.
  await page.getByRole("table", { name: `Reach by region, ${PROGRAM}` }).getByRole("link", { name: REGION }).click();
  await expect(page.getByRole("heading", { level: 1, name: REGION })).toBeVisible();
  await expect(page).toHaveURL(/program=QPR/);
  await expectNoAxeViolations(page);
  await page.getByRole("table", { name: `Reach by school in ${REGION}` }).getByRole("link", { name: SCHOOL }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(SCHOOL) })).toBeVisible();
  await expectNoAxeViolations(page);

  // Set a goal for the school: the form starts from the school and program.
  await page.getByRole("link", { name: `Set a goal for ${SCHOOL}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New goal" })).toBeVisible();
  await expect(page.getByLabel("Scope")).toHaveValue("SCHOOL");
  await expect(page.getByLabel("School code")).toHaveValue("S001");
  await expect(page.locator("#field-programId option:checked")).toHaveText(PROGRAM);
  await expectNoAxeViolations(page);

  // A missing target is named before anything is saved; the page with errors passes axe too.
  await page.getByRole("button", { name: "Create goal" }).click();
  await expect(page.getByText("Target is required").first()).toBeVisible();
  await expect(page).toHaveURL(/\/lead\/goals\/new/);
  await expectNoAxeViolations(page);

  await page.getByLabel("Target").fill("40");
  await page.getByRole("button", { name: "Create goal" }).click();
  await expect(page.getByRole("status")).toHaveText("Goal created.");
  await expect(page.getByRole("heading", { level: 1, name: /^40 people trained by / })).toBeVisible();
  const goalUrl = page.url();
  expect(goalUrl).toMatch(/\/lead\/goals\/[^/?]+\?created=1$/);

  // Progress, pace and status; the chart (drawn in the browser) and the table with the same numbers.
  const facts = page.locator("dl.facts");
  await expect(facts).toContainText(`School: ${SCHOOL} (S001)`);
  await expect(facts).toContainText(PROGRAM);
  await expect(page.getByRole("list", { name: "Goal figures" })).toContainText("trained since the start");
  await expect(page.getByRole("list", { name: "Goal figures" })).toContainText("pace needed to reach the target by the deadline");
  await expect(page.locator(".tag").first()).toHaveText(/^(On track|At risk|Reached)$/);
  const chart = page.getByRole("img", { name: /^Chart of people trained per month/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(chart.locator(".recharts-bar-rectangle, .recharts-bar").first()).toBeAttached();
  await expect(chart.locator(".recharts-line")).toHaveCount(2);
  const table = page.getByRole("table", { name: /^People trained month by month against the goal line/ });
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Goal line (people)" })).toBeVisible();
  await expect(table.getByRole("row").last().getByRole("cell").last()).toHaveText("40");
  await expectNoAxeViolations(page);

  // Edit it.
  await page.getByRole("link", { name: "Edit goal" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit goal" })).toBeVisible();
  await expect(page.getByLabel("Target")).toHaveValue("40");
  await expectNoAxeViolations(page);
  await page.getByLabel("Target").fill("45");
  await page.getByRole("button", { name: "Save goal" }).click();
  await expect(page.getByRole("status")).toHaveText("Goal saved.");
  await expect(page.getByRole("heading", { level: 1, name: /^45 people trained by / })).toBeVisible();
  await expect(page.getByRole("region", { name: "History" })).toContainText("Changed the goal, by Lee Program-Lead");

  // The goal list shows it with its status.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Goals" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Goals" })).toBeVisible();
  const row = page.getByRole("table", { name: /^Active goals/ }).getByRole("row").filter({ hasText: `School: ${SCHOOL} (S001)` }).filter({ hasText: "45 people trained" });
  await expect(row).toHaveCount(1);
  await expect(row.locator(".tag")).toHaveText(/^(On track|At risk|Reached)$/);
  await expectNoAxeViolations(page);

  // The printable report for the goal's scope.
  await page.goto(goalUrl);
  await page.getByRole("link", { name: "Printable report for this scope" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Training report: School: ${SCHOOL} (S001)` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Active QPR Gatekeeper Training goals in this scope/ })).toContainText("45 people trained");
  await expect(page.getByRole("table", { name: /^People trained per month, School:/ })).toBeVisible();
  await expectNoAxeViolations(page);
  // On paper: the report only, no menus, form or buttons.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(page.getByRole("form", { name: "Scope and period" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: /^Training report/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Reach by school/ })).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  // Growth over time with a scope picker: the region, staff reach as the line.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Growth" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Growth over time" })).toBeVisible();
  await page.getByLabel("Scope", { exact: true }).selectOption("region");
  await page.getByLabel("Region", { exact: true }).selectOption({ label: REGION });
  await page.getByLabel("Line shows").selectOption("reach");
  await page.getByRole("button", { name: "Show growth" }).click();
  await expect(page).toHaveURL(/scope=region/);
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(`^Region: ${REGION}`) })).toBeVisible();
  await expect(page.getByRole("img", { name: /staff reach \(%\) \(line\)/ }).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Staff reach at month end" })).toBeVisible();
  await expectNoAxeViolations(page);

  // Export CSV from the filtered dashboard: the schools table as a download, with the page's filters and figures.
  await page.goto(filteredDashboard);
  const schoolsTable = page.getByRole("table", { name: new RegExp(`^Reach by school, ${PROGRAM}`) });
  const pageRow = schoolsTable.getByRole("row").filter({ has: page.getByRole("link", { name: SCHOOL, exact: true }) });
  const pageCells = (await pageRow.getByRole("cell").allInnerTexts()).map((t) => t.trim());
  const csvLink = page.getByRole("link", { name: "Download CSV of reach by school (every page)" });
  const href = await csvLink.getAttribute("href");
  expect(href).toMatch(/^\/lead\/export\.csv\?/);
  expect(href).toMatch(/[?&]program=QPR\b/);
  expect(href).toMatch(/[?&]region=/);
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="reach-schools-.*qpr.*\.csv"$/);
  const [download] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^reach-schools-.*\.csv$/);
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(await download.path());
  // Excel's byte-order mark, then CRLF lines.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
  expect(lines[0]).toBe(
    "School,Code,Region,Staff headcount,Staff current,Staff reach (%),Students trained this year,\"Students trained, all time\",Community partners trained," +
      "Expiring in 90 days,Staff with a current YMHFA certificate,Staff with YMHFA (%),Teen MHFA readiness",
  );
  // Every school the page lists (one page here), every one of them in the region.
  const schoolCount = Number((await page.getByText(new RegExp(`schools in ${REGION}`)).innerText()).match(/^(\d+)/)?.[1]);
  expect(lines).toHaveLength(schoolCount + 1);
  for (const line of lines.slice(1)) expect(line).toContain(`,${REGION},`);
  // Roosevelt's line has the figures its row on the page shows.
  const line = lines.find((l) => l.startsWith(`${SCHOOL},S001,${REGION},`));
  expect(line).toBeTruthy();
  const cells = line!.split(",");
  const percent = (text: string) => (text === "no headcount" ? text : text.replace("%", ""));
  expect([cells[3], cells[4], percent(cells[5])]).toEqual([pageCells[2].replace(/,/g, ""), pageCells[3], percent(pageCells[4])]);
  expect(line).not.toMatch(/NaN|undefined/);
});

test("goals can be archived and restored, and the list page passes axe with archived goals", async ({ page }) => {
  await signInAs(page, "PROGRAM_LEAD");
  await page.goto("/lead/goals");
  // The demo district's district-wide Teen MHFA goal.
  await page.getByRole("table", { name: /^Active goals/ }).getByRole("link", { name: /^400 people trained by / }).click();
  await expect(page.getByRole("img", { name: /^Chart of people trained per month/ }).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await page.getByRole("button", { name: "Archive goal" }).click();
  await expect(page).toHaveURL(/\/lead\/goals\?archived=1$/);
  await expect(page.getByRole("status")).toContainText("Goal archived.");
  const archived = page.getByRole("table", { name: /^Archived goals/ });
  await expect(archived.getByRole("link", { name: /^400 people trained by / })).toBeVisible();
  await expectNoAxeViolations(page);
  await archived.getByRole("link", { name: /^400 people trained by / }).click();
  await page.getByRole("button", { name: "Restore goal" }).click();
  await expect(page.getByRole("status")).toHaveText("Goal restored.");
  await expect(page.getByRole("region", { name: "History" })).toContainText("Archived the goal");
});

test("the people behind the figures: region and school lists, their CSV, and the coordinator's view pass axe", async ({ page }) => {
  await signInAs(page, "PROGRAM_LEAD");
  await page.getByRole("table", { name: /^Reach by region, / }).getByRole("link", { name: REGION }).click();
  await expect(page.getByRole("heading", { level: 1, name: REGION })).toBeVisible();
  await page.getByRole("link", { name: "Staff holding a current certificate", exact: true }).click();
  const regionList = page.getByRole("table", { name: /^Staff holding a current certificate, Central: / });
  await expect(regionList).toBeVisible();
  await expectNoAxeViolations(page);
  // The list's CSV has every person the caption counts, on every page of the list.
  const caption = await regionList.locator("caption").innerText();
  const total = Number(caption.match(/: ([\d,]+) (?:person|people)/)?.[1].replace(/,/g, ""));
  expect(total).toBeGreaterThan(0);
  const href = await page.getByRole("link", { name: /^Download CSV of Staff holding a current certificate/ }).getAttribute("href");
  expect(href).toMatch(/^\/lead\/regions\/[^/]+\/export\.csv\?.*table=people&list=staff-current/);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("Name,District ID,Kind,School,Latest certificate issued,Current until");
  expect(lines).toHaveLength(total + 1);

  // Students across a region: counts only for a program lead, and no export of their names.
  await page.getByRole("link", { name: "Students trained this school year", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Students are shown as counts only for your role");
  await expect(page.getByRole("link", { name: /^Download CSV of Students/ })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole("table", { name: `Reach by school in ${REGION}` }).getByRole("link", { name: SCHOOL }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(SCHOOL) })).toBeVisible();
  await page.getByRole("link", { name: "Staff whose certificate expires in the next 90 days", exact: true }).click();
  await expect(page.getByRole("table", { name: /^Staff whose certificate expires in the next 90 days, / })).toBeVisible();
  await expectNoAxeViolations(page);

  // The school's coordinator (S001 is theirs) sees the same page, students' names included, and may export them.
  const schoolUrl = new URL(page.url());
  schoolUrl.searchParams.set("list", "students-year");
  await page.context().clearCookies();
  await signInAs(page, "COORDINATOR");
  const response = await page.goto(schoolUrl.pathname + schoolUrl.search);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(SCHOOL) })).toBeVisible();
  await expect(page.locator("#main").getByRole("link", { name: "My schools" })).toBeVisible();
  const students = page.getByRole("table", { name: /^Students trained this school year, / });
  await expect(students).toBeVisible();
  await expect(page.getByRole("link", { name: /^Download CSV of Students trained this school year/ })).toBeVisible();
  await expectNoAxeViolations(page);
  // The district dashboard is not theirs.
  const refused = await page.goto("/lead");
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "You do not have access to this page" })).toBeVisible();
});

test("a long people list pages by Next, Previous, Last and First, from the keyboard, and each way shows the same people", async ({ page }) => {
  await signInAs(page, "ADMIN");
  await page.goto("/lead");
  await page.getByRole("table", { name: /^Reach by region, / }).getByRole("link", { name: REGION }).click();
  await expect(page.getByRole("heading", { level: 1, name: REGION })).toBeVisible();
  const regionUrl = new URL(page.url());
  regionUrl.searchParams.set("program", "QPR");
  regionUrl.searchParams.set("list", "students-all");
  await page.goto(regionUrl.pathname + regionUrl.search);
  const table = page.getByRole("table", { name: /^Students trained while at the school, all time, / });
  await expect(table).toBeVisible();
  const caption = await table.locator("caption").innerText();
  const pages = Number(caption.match(/page 1 of ([\d,]+)/)?.[1].replace(/,/g, ""));
  expect(pages, caption).toBeGreaterThan(2);
  const names = () => table.locator("tbody th").allInnerTexts();
  const pager = page.getByRole("navigation", { name: /^Pages of Students trained while at the school, all time/ });
  const follow = async (name: string, expected: number) => {
    // From the keyboard: focus the link and press Enter.
    await pager.getByRole("link", { name, exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect(table.locator("caption")).toContainText(`page ${expected} of ${pages}`);
    return names();
  };
  const byNumber = async (n: number) => {
    const url = new URL(regionUrl);
    url.searchParams.set("listPage", String(n));
    await page.goto(url.pathname + url.search);
    await expect(table.locator("caption")).toContainText(`page ${n} of ${pages}`);
    return names();
  };

  const first = await names();
  const second = await follow("Next page", 2);
  expect(await follow("Previous page", 1)).toEqual(first);
  const last = await follow("Last page", pages);
  const beforeLast = await follow("Previous page", pages - 1);
  expect(await byNumber(pages - 1)).toEqual(beforeLast);
  expect(await byNumber(pages)).toEqual(last);
  expect(await byNumber(2)).toEqual(second);
  await expectNoAxeViolations(page);
  expect(await follow("First page", 1)).toEqual(first);
});
