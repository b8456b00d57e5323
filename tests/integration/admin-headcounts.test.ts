import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { DoneResult, FormProblemResult, detailsOf, expectAdminOnly, importForm, previewResult, type Endpoint } from "./admin-import-helpers";
import * as headcountsIndex from "~/routes/admin.headcounts._index";
import * as headcountsImport from "~/routes/admin.headcounts.import";

let admin: { user: { id: string }; cookie: string };
let region: { id: string };

beforeAll(async () => {
  admin = await signIn("ADMIN");
  region = await prisma.region.create({ data: { code: unique("HR"), name: unique("Headcount Region ") } });
});

const args = (request: Request) => ({ request, params: {}, context: {} });
const importAction = (form: FormData | Record<string, string>) =>
  call(() => headcountsImport.action(args(makeRequest("/admin/headcounts/import", { method: "POST", cookie: admin.cookie, form }))));

function makeSchool(name = unique("School ")) {
  return prisma.school.create({ data: { code: unique("HC"), name, level: "HIGH", regionId: region.id } });
}

const Row = z.object({
  line: z.number(),
  action: z.enum(["new", "change", "unchanged", "error"]),
  schoolCode: z.string(),
  schoolName: z.string().nullable(),
  schoolYear: z.string(),
  staff: z.object({ from: z.number().nullable(), to: z.number() }).nullable(),
  students: z.object({ from: z.number().nullable(), to: z.number() }).nullable(),
  errors: z.array(z.string()),
});
const Preview = previewResult(Row);

const HEADER = "school_code,school_year,staff_count,student_count";

describe("access to the headcount screens", () => {
  it("refuses every non-admin role with 403 and sends signed-out visitors to sign in, writing nothing", async () => {
    const school = await makeSchool();
    const csv = `${HEADER}\n${school.code},2025,10,100\n`;
    const endpoints: Endpoint[] = [
      { name: "headcounts list", path: "/admin/headcounts", method: "GET", fn: headcountsIndex.loader },
      { name: "headcount import", path: "/admin/headcounts/import", method: "GET", fn: headcountsImport.loader },
      { name: "headcount import preview", path: "/admin/headcounts/import", method: "POST", fn: headcountsImport.action, form: { intent: "preview", csvText: csv } },
      { name: "headcount import commit", path: "/admin/headcounts/import", method: "POST", fn: headcountsImport.action, form: { intent: "commit", csvText: csv } },
    ];
    await expectAdminOnly(endpoints);
    expect(await prisma.headcount.count({ where: { schoolId: school.id } })).toBe(0);
  });
});

describe("the headcount list", () => {
  const ListResult = z.object({
    years: z.array(z.number()),
    schoolYear: z.number().nullable(),
    notices: z.array(z.string()),
    list: z
      .object({
        total: z.number(),
        page: z.number(),
        headcounts: z.array(z.object({ staffCount: z.number(), school: z.object({ id: z.string() }) })),
      })
      .nullable(),
  });
  const list = async (query: string) => {
    const res = await call(() => headcountsIndex.loader(args(makeRequest(`/admin/headcounts${query}`, { cookie: admin.cookie }))));
    expect(res.status).toBe(200);
    return ListResult.parse(res.data);
  };

  it("filters by school year, in either spelling", async () => {
    const school = await makeSchool();
    await prisma.headcount.createMany({
      data: [
        { schoolId: school.id, schoolYear: 2031, staffCount: 31, studentCount: 310 },
        { schoolId: school.id, schoolYear: 2030, staffCount: 30, studentCount: 300 },
      ],
    });
    const y2030 = await list("?year=2030-31");
    expect(y2030.schoolYear).toBe(2030);
    expect(y2030.years).toEqual(expect.arrayContaining([2030, 2031]));
    expect(y2030.list?.headcounts.find((h) => h.school.id === school.id)?.staffCount).toBe(30);
    const y2031 = await list("?year=2031");
    expect(y2031.list?.headcounts.find((h) => h.school.id === school.id)?.staffCount).toBe(31);
  });

  it("does not crash on a bad year or page: it shows the newest year and says so", async () => {
    const result = await list("?year=someday&page=abc");
    expect(result.schoolYear).toBe(result.years[0]);
    expect(result.list?.page).toBe(1);
    expect(result.notices[0]).toMatch(/^"someday" is not a school year, so \d{4}-\d{2} is shown\.$/);
    expect(result.notices[1]).toBe('"abc" is not a page number, so the first page is shown.');
  });
});

describe("importing headcounts from CSV", () => {
  it("previews, then commits, a file with a BOM, CRLF endings, quoted cells and accented school names", async () => {
    const a = await makeSchool(unique("École Sainte-Thérèse "));
    const b = await makeSchool(unique("Escuela Niño, Annex "));
    const file = `\uFEFFSchool Code,School-Year,Staff Count,STUDENT_COUNT\r\n"${a.code}","2025-26","48","512"\r\n\r\n${b.code},2025,131,2210\r\n`;

    const preview = await importAction(importForm({ file, fileName: "headcounts.csv" }));
    expect(preview.status).toBe(200);
    const shown = Preview.parse(preview.data);
    expect(shown.preview.counts).toEqual({ new: 2, change: 0, unchanged: 0, error: 0 });
    expect(shown.preview.rows).toEqual([
      expect.objectContaining({ line: 2, action: "new", schoolName: a.name, schoolYear: "2025-26", staff: { from: null, to: 48 }, students: { from: null, to: 512 } }),
      expect.objectContaining({ line: 4, action: "new", schoolName: b.name, schoolYear: "2025-26", staff: { from: null, to: 131 } }),
    ]);
    expect(await prisma.headcount.count({ where: { schoolId: { in: [a.id, b.id] } } })).toBe(0);

    const commit = await importAction(importForm({ csvText: shown.csvText, intent: "commit" }));
    expect(commit.status).toBe(200);
    expect(DoneResult.parse(commit.data).counts).toEqual({ new: 2, change: 0, unchanged: 0, error: 0 });
    const saved = await prisma.headcount.findMany({ where: { schoolId: { in: [a.id, b.id] } } });
    expect(saved.map((h) => [h.schoolId, h.schoolYear, h.staffCount, h.studentCount]).sort()).toEqual(
      [[a.id, 2025, 48, 512], [b.id, 2025, 131, 2210]].sort(),
    );
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "headcount.import", actorId: admin.user.id }, orderBy: { createdAt: "desc" } });
    expect(detailsOf(event)).toMatchObject({ created: 2, changed: 0, unchanged: 0 });
  });

  it("shows old → new counts for a changed year and leaves unchanged rows alone, upserting on school and year", async () => {
    const school = await makeSchool();
    const before = await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2024, staffCount: 10, studentCount: 100 } });
    const kept = await prisma.headcount.create({ data: { schoolId: school.id, schoolYear: 2023, staffCount: 9, studentCount: 90 } });
    const csv = [HEADER, `${school.code},2024-25,12,100`, `${school.code},2023,9,90`, `${school.code},2025,14,130`].join("\n");

    const shown = Preview.parse((await importAction({ intent: "preview", csvText: csv })).data);
    expect(shown.preview.counts).toEqual({ new: 1, change: 1, unchanged: 1, error: 0 });
    expect(shown.preview.rows[0]).toMatchObject({ action: "change", staff: { from: 10, to: 12 }, students: { from: 100, to: 100 } });
    expect(shown.preview.rows[1]).toMatchObject({ action: "unchanged" });
    expect(shown.preview.rows[2]).toMatchObject({ action: "new", schoolYear: "2025-26" });

    const done = await importAction({ intent: "commit", csvText: csv });
    expect(DoneResult.parse(done.data).counts).toEqual({ new: 1, change: 1, unchanged: 1, error: 0 });
    const rows = await prisma.headcount.findMany({ where: { schoolId: school.id }, orderBy: { schoolYear: "asc" } });
    expect(rows.map((h) => [h.schoolYear, h.staffCount, h.studentCount])).toEqual([[2023, 9, 90], [2024, 12, 100], [2025, 14, 130]]);
    expect(rows[1].id).toBe(before.id); // updated in place, not duplicated
    expect(rows[0].updatedAt).toEqual(kept.updatedAt);
  });

  it("lists row errors by line and field (bad numbers, bad year, unknown school, repeated rows) and writes nothing", async () => {
    const school = await makeSchool();
    const other = await makeSchool();
    const csv = [
      HEADER,
      `${school.code},2025,12a,100`, // 2
      `${school.code},2024,-3,1.5`, // 3
      `${school.code},2023,1000001,`, // 4
      `${school.code},2025-27,1,1`, // 5
      `NOSUCH-${unique("X")},2025,1,1`, // 6
      `${other.code},2025,5,50`, // 7: fine
      `${other.code},2025-26,6,60`, // 8: same school and year as line 7
    ].join("\r\n");

    const preview = await importAction({ intent: "preview", csvText: csv });
    expect(preview.status).toBe(400);
    const shown = Preview.parse(preview.data);
    expect(shown.preview.counts).toEqual({ new: 1, change: 0, unchanged: 0, error: 6 });
    const errors = shown.preview.rows.flatMap((r) => r.errors);
    expect(errors).toEqual([
      `Line 2: staff_count "12a" is not a whole number`,
      `Line 3: staff_count "-3" is negative; counts must be 0 or more`,
      `Line 3: student_count "1.5" is not a whole number`,
      `Line 4: staff_count "1000001" is more than 1,000,000`,
      "Line 4: student_count is blank",
      `Line 5: school_year "2025-27" is not a school year like 2025 or 2025-26`,
      expect.stringMatching(/^Line 6: school_code "NOSUCH-.*" is not the code of a school$/),
      `Line 8: school_code "${other.code}" with school_year 2025-26 is repeated (first on line 7)`,
    ]);

    const commit = await importAction({ intent: "commit", csvText: csv });
    expect(commit.status).toBe(400);
    expect(Preview.parse(commit.data).errors.form).toBe("Nothing was imported because some rows have errors.");
    expect(await prisma.headcount.count({ where: { schoolId: { in: [school.id, other.id] } } })).toBe(0);
  });

  it("writes none of a file in which only one row is bad, not even the rows that would change", async () => {
    const schools = await Promise.all([makeSchool(), makeSchool(), makeSchool()]);
    await prisma.headcount.create({ data: { schoolId: schools[0].id, schoolYear: 2025, staffCount: 1, studentCount: 1 } });
    const csv = [HEADER, `${schools[0].code},2025,2,2`, `${schools[1].code},2025,3,3`, `${schools[2].code},2025,three,3`].join("\n");
    const res = await importAction({ intent: "commit", csvText: csv });
    expect(res.status).toBe(400);
    expect(Preview.parse(res.data).preview.rows.flatMap((r) => r.errors)).toEqual(['Line 4: staff_count "three" is not a whole number']);
    const rows = await prisma.headcount.findMany({ where: { schoolId: { in: schools.map((s) => s.id) } } });
    expect(rows.map((h) => [h.schoolId, h.staffCount])).toEqual([[schools[0].id, 1]]);
  });

  it.each([
    ["an empty file", "", "The file headcounts.csv is empty."],
    ["a file of blank lines", "\n\n \n", "The file is empty."],
    ["missing columns", "school_code,school_year,staff\nX,2025,1\n", "The file is missing the columns staff_count, student_count."],
    ["an unclosed quote", `${HEADER}\nX,2025,1,1\nY,"2025,1,1\n`, "Line 3: a quoted value is never closed"],
    ["a row with too few values", `${HEADER}\nX,2025,1\n`, "Line 2: has 3 values but the header row has 4 columns"],
    ["a header without rows", `${HEADER}\r\n`, "The file has a header row but no data rows."],
  ])("refuses %s with a message on the file field", async (_label, file, message) => {
    const res = await importAction(importForm({ file, fileName: "headcounts.csv" }));
    expect(res.status).toBe(400);
    expect(FormProblemResult.parse(res.data).errors.file).toContain(message);
  });

  it("refuses a file that is not UTF-8", async () => {
    // "École" in Latin-1, as an old Excel export would write it.
    const latin1 = new Uint8Array([...new TextEncoder().encode(`${HEADER}\nX,2025,1,1\n`), 0xc9, 0x63, 0x6f, 0x6c, 0x65, 0x0a]);
    const res = await importAction(importForm({ file: latin1, fileName: "headcounts.csv" }));
    expect(res.status).toBe(400);
    expect(FormProblemResult.parse(res.data).errors.file).toContain("not UTF-8");
  });
});
