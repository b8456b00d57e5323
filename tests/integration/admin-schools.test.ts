import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import {
  DoneResult,
  FormProblemResult,
  detailsOf,
  errorsOf,
  expectAdminOnly,
  importForm,
  previewResult,
  type Endpoint,
} from "./admin-import-helpers";
import * as schoolsIndex from "~/routes/admin.schools._index";
import * as schoolsNew from "~/routes/admin.schools.new";
import * as schoolEdit from "~/routes/admin.schools.$schoolId";
import * as schoolsImport from "~/routes/admin.schools.import";
import * as regionsIndex from "~/routes/admin.regions._index";
import * as regionEdit from "~/routes/admin.regions.$regionId";

let admin: { user: { id: string }; cookie: string };
let north: { id: string; code: string; name: string };
let south: { id: string; code: string; name: string };

beforeAll(async () => {
  admin = await signIn("ADMIN");
  north = await prisma.region.create({ data: { code: unique("N"), name: unique("North Region ") } });
  south = await prisma.region.create({ data: { code: unique("S"), name: unique("South Region ") } });
});

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const get = (path: string, cookie = admin.cookie) => makeRequest(path, { cookie });
const post = (path: string, form: Record<string, string> | FormData, cookie = admin.cookie) => makeRequest(path, { method: "POST", cookie, form });

async function makeSchool(overrides: { code?: string; name?: string; regionId?: string } = {}) {
  return prisma.school.create({
    data: { code: overrides.code ?? unique("SC"), name: overrides.name ?? unique("School "), level: "HIGH", regionId: overrides.regionId ?? north.id },
  });
}

describe("access to the school and region screens", () => {
  it("refuses every non-admin role with 403 and sends signed-out visitors to sign in, writing nothing", async () => {
    const school = await makeSchool();
    const region = await prisma.region.create({ data: { code: unique("R"), name: "Guarded" } });
    const newCode = unique("NOPE");
    const schoolForm = { code: newCode, name: "Sneaky", regionId: north.id, level: "HIGH", active: "on" };
    const csv = `code,name,region,level\n${newCode},Sneaky,${north.code},high\n`;
    const endpoints: Endpoint[] = [
      { name: "schools list", path: "/admin/schools", method: "GET", fn: schoolsIndex.loader },
      { name: "new school", path: "/admin/schools/new", method: "GET", fn: schoolsNew.loader },
      { name: "new school", path: "/admin/schools/new", method: "POST", fn: schoolsNew.action, form: schoolForm },
      { name: "edit school", path: `/admin/schools/${school.id}`, params: { schoolId: school.id }, method: "GET", fn: schoolEdit.loader },
      { name: "edit school", path: `/admin/schools/${school.id}`, params: { schoolId: school.id }, method: "POST", fn: schoolEdit.action, form: { ...schoolForm, code: school.code } },
      { name: "school import", path: "/admin/schools/import", method: "GET", fn: schoolsImport.loader },
      { name: "school import preview", path: "/admin/schools/import", method: "POST", fn: schoolsImport.action, form: { intent: "preview", csvText: csv } },
      { name: "school import commit", path: "/admin/schools/import", method: "POST", fn: schoolsImport.action, form: { intent: "commit", csvText: csv } },
      { name: "regions", path: "/admin/regions", method: "GET", fn: regionsIndex.loader },
      { name: "regions", path: "/admin/regions", method: "POST", fn: regionsIndex.action, form: { code: unique("RX"), name: "Sneaky" } },
      { name: "edit region", path: `/admin/regions/${region.id}`, params: { regionId: region.id }, method: "GET", fn: regionEdit.loader },
      { name: "edit region", path: `/admin/regions/${region.id}`, params: { regionId: region.id }, method: "POST", fn: regionEdit.action, form: { code: region.code, name: "Renamed" } },
    ];
    await expectAdminOnly(endpoints);

    expect(await prisma.school.count({ where: { code: newCode } })).toBe(0);
    expect(await prisma.school.findUniqueOrThrow({ where: { id: school.id } })).toMatchObject({ name: school.name });
    expect(await prisma.region.findUniqueOrThrow({ where: { id: region.id } })).toMatchObject({ name: "Guarded" });
    expect(await prisma.region.count({ where: { name: "Sneaky" } })).toBe(0);
  });

  it("lets an administrator open every screen", async () => {
    const school = await makeSchool();
    const screens: Array<[string, (request: Request) => Promise<unknown>]> = [
      ["/admin/schools", (request) => schoolsIndex.loader(args(request))],
      ["/admin/schools/new", (request) => schoolsNew.loader(args(request))],
      [`/admin/schools/${school.id}`, (request) => schoolEdit.loader(args(request, { schoolId: school.id }))],
      ["/admin/schools/import", (request) => schoolsImport.loader(args(request))],
      ["/admin/regions", (request) => regionsIndex.loader(args(request))],
      [`/admin/regions/${north.id}`, (request) => regionEdit.loader(args(request, { regionId: north.id }))],
    ];
    for (const [path, load] of screens) {
      expect((await call(() => load(get(path)))).status, path).toBe(200);
    }
  });
});

describe("the school list", () => {
  const ListResult = z.object({
    schools: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), region: z.object({ name: z.string() }) })),
    total: z.number(),
    page: z.number(),
    pageCount: z.number(),
    notices: z.array(z.string()),
    filters: z.object({ q: z.string(), region: z.string(), level: z.string() }),
  });
  const list = async (query: string) => {
    const res = await call(() => schoolsIndex.loader(args(get(`/admin/schools${query}`))));
    expect(res.status).toBe(200);
    return ListResult.parse(res.data);
  };

  it("searches by code or name and filters by region and level, with the region's name", async () => {
    const word = unique("Zebra");
    const a = await makeSchool({ name: `${word} Elementary`, regionId: north.id });
    const b = await prisma.school.create({ data: { code: unique("SC"), name: `${word} Middle`, level: "MIDDLE", regionId: south.id } });

    expect((await list(`?q=${word}`)).schools.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect((await list(`?q=${a.code}`)).schools.map((s) => s.id)).toEqual([a.id]);
    // Typed in another case, on either engine.
    expect((await list(`?q=${word.toLowerCase()}`)).schools.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect((await list(`?q=${a.code.toLowerCase()}`)).schools.map((s) => s.id)).toEqual([a.id]);
    const inSouth = await list(`?q=${word}&region=${south.id}`);
    expect(inSouth.schools).toEqual([expect.objectContaining({ id: b.id, region: { name: south.name } })]);
    expect((await list(`?q=${word}&region=${north.code}`)).schools.map((s) => s.id)).toEqual([a.id]);
    expect((await list(`?q=${word}&level=MIDDLE`)).schools.map((s) => s.id)).toEqual([b.id]);
    expect((await list(`?q=${word}&level=high`)).schools.map((s) => s.id)).toEqual([a.id]);
  });

  it("pages 50 schools at a time", async () => {
    const word = unique("Paged");
    const data: Prisma.SchoolCreateManyInput[] = Array.from({ length: 51 }, (_, i) => ({
      code: unique("PG"), name: `${word} ${String(i).padStart(2, "0")}`, level: "HIGH", regionId: north.id,
    }));
    await prisma.school.createMany({ data });
    const first = await list(`?q=${word}`);
    expect(first).toMatchObject({ total: 51, page: 1, pageCount: 2 });
    expect(first.schools).toHaveLength(50);
    const second = await list(`?q=${word}&page=2`);
    expect(second.schools.map((s) => s.name)).toEqual([`${word} 50`]);
  });

  it("does not crash on bad query values: it falls back and says so", async () => {
    const result = await list("?page=abc&level=bogus&region=nowhere");
    expect(result.page).toBe(1);
    expect(result.filters).toEqual({ q: "", region: "", level: "" });
    expect(result.notices).toEqual([
      'There is no region "nowhere", so schools in every region are shown.',
      '"bogus" is not a school level, so schools at every level are shown.',
      '"abc" is not a page number, so the first page is shown.',
    ]);
    // A page past the end shows the last page.
    const far = await list(`?q=${unique("nothing")}&page=999`);
    expect(far).toMatchObject({ page: 1, pageCount: 1, total: 0, schools: [] });
    expect((await list("?page=-3")).page).toBe(1);
  });
});

describe("adding and editing a school", () => {
  const validForm = () => ({ code: unique("NEW"), name: "Ánimo Jefferson Charter, Middle", regionId: north.id, level: "MIDDLE" });

  it("adds a school, audits it and redirects to its page", async () => {
    const form = validForm();
    const res = await call(() => schoolsNew.action(args(post("/admin/schools/new", form))));
    expect(res.status).toBe(302);
    const school = await prisma.school.findUniqueOrThrow({ where: { code: form.code } });
    expect(school).toMatchObject({ name: form.name, regionId: north.id, level: "MIDDLE", active: true });
    expect(res.headers.get("Location")).toBe(`/admin/schools/${school.id}?created=1`);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityType: "School", entityId: school.id, action: "school.create" } });
    expect(event.actorId).toBe(admin.user.id);
  });

  it.each([
    [{ code: "" }, "code", "Code is required"],
    [{ code: "has space" }, "code", "Code may only use letters"],
    [{ code: "x".repeat(33) }, "code", "at most 32"],
    [{ name: "   " }, "name", "Name is required"],
    [{ regionId: "" }, "regionId", "Choose a region"],
    [{ regionId: "no-such-region" }, "regionId", "Choose a region from the list"],
    [{ level: "COLLEGE" }, "level", "Choose a level"],
  ])("refuses %o with 400 naming %s, and writes nothing", async (overrides, field, message) => {
    const form = { ...validForm(), ...overrides };
    const before = await prisma.school.count();
    const res = await call(() => schoolsNew.action(args(post("/admin/schools/new", form))));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)[field]).toContain(message);
    expect(await prisma.school.count()).toBe(before);
  });

  it("refuses a code another school has, naming it", async () => {
    const existing = await makeSchool();
    const res = await call(() => schoolsNew.action(args(post("/admin/schools/new", { ...validForm(), code: existing.code }))));
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)).toEqual({ code: `A school with code ${existing.code} already exists` });
    expect(await prisma.school.count({ where: { code: existing.code } })).toBe(1);
  });

  it("edits a school, closes it and records what changed", async () => {
    const school = await makeSchool();
    const form = { code: school.code, name: "Renamed School", regionId: south.id, level: "K12" };
    const res = await call(() => schoolEdit.action(args(post(`/admin/schools/${school.id}`, form), { schoolId: school.id })));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/schools/${school.id}?saved=1`);
    expect(await prisma.school.findUniqueOrThrow({ where: { id: school.id } })).toMatchObject({
      name: "Renamed School", regionId: south.id, level: "K12", active: false,
    });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityType: "School", entityId: school.id, action: "school.update" } });
    expect(detailsOf(event)).toMatchObject({ name: { from: school.name, to: "Renamed School" }, active: { from: true, to: false } });
  });

  it("refuses an edit that takes another school's code or blanks the name, and changes nothing", async () => {
    const school = await makeSchool();
    const other = await makeSchool();
    const base = { code: school.code, name: school.name, regionId: north.id, level: "HIGH", active: "on" };

    const clash = await call(() => schoolEdit.action(args(post(`/admin/schools/${school.id}`, { ...base, code: other.code, name: "Changed" }), { schoolId: school.id })));
    expect(clash.status).toBe(400);
    expect(errorsOf(clash.data)).toEqual({ code: `A school with code ${other.code} already exists` });

    const blank = await call(() => schoolEdit.action(args(post(`/admin/schools/${school.id}`, { ...base, name: "" }), { schoolId: school.id })));
    expect(blank.status).toBe(400);
    expect(errorsOf(blank.data)).toEqual({ name: "Name is required" });

    expect(await prisma.school.findUniqueOrThrow({ where: { id: school.id } })).toMatchObject({ code: school.code, name: school.name });
    expect(await prisma.auditEvent.count({ where: { entityId: school.id, action: "school.update" } })).toBe(0);
  });

  it("answers 404 for a school that does not exist", async () => {
    const loaded = await call(() => schoolEdit.loader(args(get("/admin/schools/nope"), { schoolId: "nope" })));
    expect(loaded.status).toBe(404);
    const form = { code: unique("X"), name: "X", regionId: north.id, level: "HIGH" };
    const saved = await call(() => schoolEdit.action(args(post("/admin/schools/nope", form), { schoolId: "nope" })));
    expect(saved.status).toBe(404);
    expect(await prisma.school.count({ where: { code: form.code } })).toBe(0);
  });

  it("shows the school's headcounts by year, newest first", async () => {
    const school = await makeSchool();
    await prisma.headcount.createMany({
      data: [
        { schoolId: school.id, schoolYear: 2023, staffCount: 10, studentCount: 100 },
        { schoolId: school.id, schoolYear: 2025, staffCount: 12, studentCount: 120 },
      ],
    });
    const res = await call(() => schoolEdit.loader(args(get(`/admin/schools/${school.id}`), { schoolId: school.id })));
    const loaded = z.object({ school: z.object({ headcounts: z.array(z.object({ schoolYear: z.number(), staffCount: z.number() })) }) }).parse(res.data);
    expect(loaded.school.headcounts.map((h) => [h.schoolYear, h.staffCount])).toEqual([[2025, 12], [2023, 10]]);
  });
});

describe("regions", () => {
  const RegionList = z.object({ regions: z.array(z.object({ id: z.string(), code: z.string(), _count: z.object({ schools: z.number() }) })) });

  it("lists regions with their school counts", async () => {
    const region = await prisma.region.create({ data: { code: unique("RC"), name: "Counted" } });
    await makeSchool({ regionId: region.id });
    await makeSchool({ regionId: region.id });
    const res = await call(() => regionsIndex.loader(args(get("/admin/regions"))));
    const found = RegionList.parse(res.data).regions.find((r) => r.id === region.id);
    expect(found?._count.schools).toBe(2);
  });

  it("creates a region and audits it", async () => {
    const code = unique("RN");
    const res = await call(() => regionsIndex.action(args(post("/admin/regions", { code, name: "Central" }))));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/regions?created=${code}`);
    const region = await prisma.region.findUniqueOrThrow({ where: { code } });
    expect(await prisma.auditEvent.count({ where: { entityType: "Region", entityId: region.id, action: "region.create", actorId: admin.user.id } })).toBe(1);
  });

  it("refuses a taken code, a blank name and a bad code with 400, writing nothing", async () => {
    const before = await prisma.region.count();
    const taken = await call(() => regionsIndex.action(args(post("/admin/regions", { code: north.code, name: "Again" }))));
    expect(taken.status).toBe(400);
    expect(errorsOf(taken.data)).toEqual({ code: `A region with code ${north.code} already exists` });
    const blank = await call(() => regionsIndex.action(args(post("/admin/regions", { code: unique("RB"), name: "" }))));
    expect(blank.status).toBe(400);
    expect(errorsOf(blank.data)).toEqual({ name: "Name is required" });
    const bad = await call(() => regionsIndex.action(args(post("/admin/regions", { code: "no/slash", name: "Bad" }))));
    expect(bad.status).toBe(400);
    expect(errorsOf(bad.data).code).toContain("Code may only use letters");
    expect(await prisma.region.count()).toBe(before);
  });

  it("edits a region, refusing another region's code", async () => {
    const region = await prisma.region.create({ data: { code: unique("RE"), name: "Before" } });
    const clash = await call(() => regionEdit.action(args(post(`/admin/regions/${region.id}`, { code: south.code, name: "After" }), { regionId: region.id })));
    expect(clash.status).toBe(400);
    expect(errorsOf(clash.data)).toEqual({ code: `A region with code ${south.code} already exists` });
    expect(await prisma.region.findUniqueOrThrow({ where: { id: region.id } })).toMatchObject({ name: "Before" });

    const ok = await call(() => regionEdit.action(args(post(`/admin/regions/${region.id}`, { code: region.code, name: "After" }), { regionId: region.id })));
    expect(ok.status).toBe(302);
    expect(await prisma.region.findUniqueOrThrow({ where: { id: region.id } })).toMatchObject({ name: "After" });
    expect(await prisma.auditEvent.count({ where: { entityType: "Region", entityId: region.id, action: "region.update" } })).toBe(1);
  });

  it("answers 404 for a region that does not exist", async () => {
    expect((await call(() => regionEdit.loader(args(get("/admin/regions/nope"), { regionId: "nope" })))).status).toBe(404);
    const res = await call(() => regionEdit.action(args(post("/admin/regions/nope", { code: unique("RZ"), name: "Z" }), { regionId: "nope" })));
    expect(res.status).toBe(404);
  });
});

describe("importing schools from CSV", () => {
  const Row = z.object({
    line: z.number(),
    action: z.enum(["create", "update", "unchanged", "error"]),
    code: z.string(),
    name: z.string(),
    region: z.string(),
    changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
    errors: z.array(z.string()),
  });
  const Preview = previewResult(Row);
  const importAction = (form: FormData | Record<string, string>) => call(() => schoolsImport.action(args(post("/admin/schools/import", form))));
  const schoolCount = (codes: string[]) => prisma.school.count({ where: { code: { in: codes } } });

  it("previews, then commits, a file with a BOM, CRLF line endings, quoted commas and accented names", async () => {
    const [a, b, c] = [unique("IM"), unique("IM"), unique("IM")];
    const file =
      "\uFEFFCode,Name,Region,Level\r\n" +
      `${a},"Lincoln High School, North Campus",${north.code},HIGH\r\n` +
      `${b},École Élémentaire Saint-Jean,${north.name.toUpperCase()},Elementary\r\n` +
      "\r\n" +
      `${c},"Escuela ""La Esperanza"" Niño",${south.code},k-12\r\n`;

    const preview = await importAction(importForm({ file, fileName: "schools.csv" }));
    expect(preview.status).toBe(200);
    const shown = Preview.parse(preview.data);
    expect(shown.fileName).toBe("schools.csv");
    expect(shown.preview.counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    expect(shown.preview.rows.map((r) => [r.line, r.action, r.name])).toEqual([
      [2, "create", "Lincoln High School, North Campus"],
      [3, "create", "École Élémentaire Saint-Jean"],
      [5, "create", 'Escuela "La Esperanza" Niño'],
    ]);
    expect(await schoolCount([a, b, c])).toBe(0); // a preview writes nothing

    // The preview page carries the text in a hidden field; committing re-reads it.
    const commit = await importAction(importForm({ csvText: shown.csvText, intent: "commit" }));
    expect(commit.status).toBe(200);
    expect(DoneResult.parse(commit.data).counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 0 });
    const saved = await prisma.school.findMany({ where: { code: { in: [a, b, c] } }, orderBy: { code: "asc" } });
    expect(saved.map((s) => [s.code, s.name, s.regionId, s.level])).toEqual([
      [a, "Lincoln High School, North Campus", north.id, "HIGH"],
      [b, "École Élémentaire Saint-Jean", north.id, "ELEMENTARY"],
      [c, 'Escuela "La Esperanza" Niño', south.id, "K12"],
    ]);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "school.import", actorId: admin.user.id }, orderBy: { createdAt: "desc" } });
    expect(detailsOf(event)).toMatchObject({ created: 3, updated: 0, unchanged: 0, createdCodes: [a, b, c] });
  });

  it("shows updates with what changed, and unchanged rows, then writes only the changes", async () => {
    const same = await makeSchool({ name: "Stays the Same" });
    const moved = await makeSchool({ name: "Old Name" });
    const csv = [
      "code,name,region,level",
      `${same.code},Stays the Same,${north.code},high`,
      `${moved.code},New Name,${south.code},middle`,
    ].join("\n");
    const shown = Preview.parse((await importAction({ intent: "preview", csvText: csv })).data);
    expect(shown.preview.counts).toEqual({ create: 0, update: 1, unchanged: 1, error: 0 });
    expect(shown.preview.rows[0].action).toBe("unchanged");
    expect(shown.preview.rows[1]).toMatchObject({
      action: "update",
      changes: [
        { field: "name", from: "Old Name", to: "New Name" },
        { field: "region", from: `${north.name} (${north.code})`, to: `${south.name} (${south.code})` },
        { field: "level", from: "High (high)", to: "Middle (middle)" },
      ],
    });

    const done = DoneResult.parse((await importAction({ intent: "commit", csvText: csv })).data);
    expect(done.counts).toEqual({ create: 0, update: 1, unchanged: 1, error: 0 });
    expect(await prisma.school.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ name: "New Name", regionId: south.id, level: "MIDDLE" });
    expect((await prisma.school.findUniqueOrThrow({ where: { id: same.id } })).updatedAt).toEqual(same.updatedAt);
  });

  it("the same new file committed twice at once (two administrators, two app instances) creates each school once", async () => {
    const codes = [unique("TW"), unique("TW")];
    const csv = ["code,name,region,level", ...codes.map((c) => `${c},Twice ${c},${north.code},high`)].join("\n");
    const results = await Promise.all([importAction({ intent: "commit", csvText: csv }), importAction({ intent: "commit", csvText: csv })]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const counts = results.map((r) => DoneResult.parse(r.data).counts);
    expect(counts).toContainEqual({ create: 2, update: 0, unchanged: 0, error: 0 });
    expect(counts).toContainEqual({ create: 0, update: 0, unchanged: 2, error: 0 });
    expect(await schoolCount(codes)).toBe(2);
  });

  it.each([
    ["an empty file", "", "The file schools.csv is empty."],
    ["a file of blank lines", "\r\n\r\n", "The file is empty."],
    ["a header without rows", "code,name,region,level\r\n", "The file has a header row but no data rows."],
    ["missing columns", "code,name\nX1,Somewhere\n", "The file is missing the columns region, level."],
    ["an unclosed quote", 'code,name,region,level\nX1,"Unclosed,N,high\nX2,Fine,N,high\n', 'Line 2: a quoted value is never closed'],
    ["a row with too many values", "code,name,region,level\nX1,Lincoln High, North,N,high\n", "Line 2: has 5 values but the header row has 4 columns"],
    ["an Excel workbook", "PK\u0003\u0004", "Excel workbook"],
  ])("refuses %s with a message on the file field", async (_label, file, message) => {
    const fileName = _label === "an Excel workbook" ? "schools.xlsx" : "schools.csv";
    const res = await importAction(importForm({ file, fileName }));
    expect(res.status).toBe(400);
    expect(FormProblemResult.parse(res.data).errors.file).toContain(message);
  });

  it("asks for a file or text when neither is given", async () => {
    const res = await importAction(importForm({}));
    expect(res.status).toBe(400);
    expect(FormProblemResult.parse(res.data).errors).toEqual({ file: "Choose a CSV file or paste the CSV text" });
  });

  it("lists row errors by line (unknown region, bad level, repeated code, blank name) and commits none of the file", async () => {
    const [good, dup, badRegion, badLevel] = [unique("OK"), unique("DU"), unique("BR"), unique("BL")];
    const csv = [
      "code,name,region,level",
      `${good},Good School,${north.code},high`,
      `${dup},First Copy,${north.code},high`,
      `${badRegion},Lost School,Atlantis,high`,
      `${badLevel},Odd School,${north.code},university`,
      `${dup},Second Copy,${north.code},high`,
      `${unique("NN")},,${north.code},high`,
    ].join("\r\n");

    const preview = await importAction({ intent: "preview", csvText: csv });
    expect(preview.status).toBe(400);
    const shown = Preview.parse(preview.data);
    expect(shown.preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, error: 4 });
    expect(shown.preview.rows.flatMap((r) => r.errors)).toEqual([
      'Line 4: region "Atlantis" is not the code or name of a region',
      'Line 5: level "university" is not one of elementary, middle, high, k12, center, other',
      `Line 6: code "${dup}" is repeated (first on line 3)`,
      "Line 7: name is blank",
    ]);

    // Committing the same text (as a hand-made POST could) re-validates and writes none of it.
    const commit = await importAction({ intent: "commit", csvText: csv });
    expect(commit.status).toBe(400);
    const refused = Preview.parse(commit.data);
    expect(refused.errors.form).toBe("Nothing was imported because some rows have errors.");
    expect(refused.preview.counts.error).toBe(4);
    expect(await schoolCount([good, dup, badRegion, badLevel])).toBe(0);
  });

  it("writes none of a file in which only one row is bad", async () => {
    const codes = Array.from({ length: 5 }, () => unique("ONE"));
    const lines = codes.map((code, i) => `${code},School ${i},${north.code},${i === 3 ? "kindergarten" : "middle"}`);
    const csv = ["code,name,region,level", ...lines].join("\n");
    const res = await importAction({ intent: "commit", csvText: csv });
    expect(res.status).toBe(400);
    expect(Preview.parse(res.data).preview.rows.flatMap((r) => r.errors)).toEqual([
      'Line 5: level "kindergarten" is not one of elementary, middle, high, k12, center, other',
    ]);
    expect(await schoolCount(codes)).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "school.import", details: { contains: codes[0] } } })).toBe(0);
  });

  it("refuses a region name that two regions share, asking for the code", async () => {
    const shared = unique("Twin Region ");
    await prisma.region.create({ data: { code: unique("T1"), name: shared } });
    await prisma.region.create({ data: { code: unique("T2"), name: shared } });
    const code = unique("TW");
    const res = await importAction({ intent: "commit", csvText: `code,name,region,level\n${code},Twin School,${shared},high\n` });
    expect(res.status).toBe(400);
    expect(Preview.parse(res.data).preview.rows[0].errors).toEqual([`Line 2: region "${shared}" matches 2 regions by name; use the exact region code`]);
    expect(await schoolCount([code])).toBe(0);
  });
});
