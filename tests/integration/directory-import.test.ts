/**
 * Directory imports (issue 10): an admin uploads the district's OneRoster export (1.1 as loose files, 1.2 as a
 * zip) or a plain staff/student CSV for one school year, sees the preview, commits, and the program lead's
 * dashboard counts the people it brought in. Real route actions and loaders, a real SQLite file, the real
 * fixture files under tests/fixtures/oneroster, and the import's background job awaited.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { expectAdminOnly } from "./admin-import-helpers";
import { createPerson, createProgram, createRegion, createSchool, issueCertification } from "../../prisma/seed/factories";
import * as uploadRoute from "~/routes/admin.directory.import";
import * as importRoute from "~/routes/admin.directory.$importId";
import * as listRoute from "~/routes/admin.directory._index";
import * as dashboardRoute from "~/routes/lead._index";
import * as personRoute from "~/routes/people.$personId";
import { commitDirectoryImport, discardDirectoryImport, getDirectoryImport, importJobSettled, newImportId } from "~/models/directory-import.server";
import { importFolder, keepImportFiles, restoreImportFiles } from "~/models/directory-files.server";
import { mappingField } from "~/forms/directory-import";
import { formatSchoolYear } from "~/domain/school-year";

type SignedIn = Awaited<ReturnType<typeof signIn>>;
const FIXTURES = path.resolve("tests/fixtures/oneroster");
/** The fixtures' school year (academicSessions: 2026-2027). */
const YEAR = 2026;

let admin: SignedIn;
let lead: SignedIn;
let programCode: string;
let programId: string;
let schools: Record<"E101" | "M201" | "H301", { id: string; code: string }>;

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}

beforeAll(async () => {
  admin = await signIn("ADMIN");
  lead = await signIn("PROGRAM_LEAD");
  const region = await createRegion(prisma);
  const school = (code: string) => createSchool(prisma, { regionId: region.id, code, name: `Fixture ${code}` });
  schools = { E101: await school("E101"), M201: await school("M201"), H301: await school("H301") };
  const program = await createProgram(prisma, { preset: "QPR" });
  programCode = program.code;
  programId = program.id;
});

function fixtureFiles(version: "1.1" | "1.2"): File[] {
  const dir = path.join(FIXTURES, version);
  return readdirSync(dir).map((name) => new File([readFileSync(path.join(dir, name))], name, { type: "text/csv" }));
}

function zipOf(version: "1.1" | "1.2"): Promise<File> {
  const dir = path.join(FIXTURES, version);
  const zip = new yazl.ZipFile();
  for (const name of readdirSync(dir)) zip.addFile(path.join(dir, name), `oneroster/${name}`);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(new File([Buffer.concat(chunks)], "export.zip", { type: "application/zip" }))).on("error", reject);
  });
}

function uploadForm(format: string, files: File[], schoolYear: string = String(YEAR)) {
  const form = new FormData();
  form.append("format", format);
  form.append("schoolYear", schoolYear);
  if (files.length === 0) form.append("files", new File([], ""));
  for (const f of files) form.append("files", f);
  return form;
}

async function upload(format: string, files: File[], schoolYear?: string) {
  const res = await call(() => uploadRoute.action({ request: makeRequest("/admin/directory/import", { method: "POST", cookie: admin.cookie, form: uploadForm(format, files, schoolYear) }), params: {}, context: {} }));
  return res;
}

/** Uploads, waits for the check, and returns the import's id. */
async function uploaded(format: string, files: File[]) {
  const res = await upload(format, files);
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  const importId = (res.headers.get("Location") ?? "").split("/").pop() ?? "";
  await importJobSettled(importId);
  return importId;
}

async function page(importId: string, query = "") {
  const res = await call(() => importRoute.loader({ request: makeRequest(`/admin/directory/${importId}${query}`, { cookie: admin.cookie }), params: { importId }, context: {} }));
  return res;
}

async function post(importId: string, form: Record<string, string>, who: SignedIn = admin) {
  return call(() => importRoute.action({ request: makeRequest(`/admin/directory/${importId}`, { method: "POST", cookie: who.cookie, form }), params: { importId }, context: {} }));
}

async function commit(importId: string) {
  const res = await post(importId, { intent: "commit" });
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  await importJobSettled(importId);
  return prisma.directoryImport.findUniqueOrThrow({ where: { id: importId } });
}

const rowOf = (importId: string, districtIdOrLast: string) =>
  prisma.directoryImportRow.findFirst({ where: { importId, OR: [{ districtId: districtIdOrLast }, { lastName: districtIdOrLast }] } });

const membershipsOf = (districtId: string, schoolYear = YEAR) =>
  prisma.affiliation.findMany({ where: { person: { districtId }, schoolYear }, select: { schoolId: true, title: true }, orderBy: { schoolId: "asc" } });

async function staffCurrentAt(schoolId: string) {
  const res = await call(() => dashboardRoute.loader({ request: makeRequest(`/lead?program=${encodeURIComponent(programCode)}&year=${formatSchoolYear(YEAR)}`, { cookie: lead.cookie }), params: {}, context: {} }));
  expect(res.status).toBe(200);
  const list = record(res.data).schools;
  if (!Array.isArray(list)) throw new Error("no schools on the dashboard");
  const row = list.map(record).find((s) => s.id === schoolId);
  return Number(row?.staffCurrent ?? NaN);
}

describe("a OneRoster 1.1 export, loose files", () => {
  let importId: string;
  let heldId: string;
  let partnerId: string;

  beforeAll(async () => {
    // Known before the import: an ID held by someone else, a partner with no ID, a certified teacher with no
    // school yet (spelled without the umlaut), a teacher who left, and the tobedeleted teacher's membership.
    heldId = (await createPerson(prisma, { districtId: "T10003", firstName: "Zed", lastName: "Quimby", email: null })).id;
    partnerId = (await createPerson(prisma, { kind: "COMMUNITY", firstName: "Grace", lastName: "Liu", email: "grace.liu@riverside.k12.ca.us" })).id;
    const hannah = await createPerson(prisma, { districtId: "T10019", firstName: "Hannah", lastName: "Schafer-Ortiz", email: "hannah.schafer-ortiz@riverside.k12.ca.us" });
    await issueCertification(prisma, { personId: hannah.id, programId, expiresOn: null });
    await createPerson(prisma, { districtId: "T99999", firstName: "Lee", lastName: "Leaver", affiliations: [{ schoolId: schools.E101.id, schoolYear: YEAR }, { schoolId: schools.E101.id, schoolYear: YEAR - 1 }] });
    await createPerson(prisma, { districtId: "T10013", firstName: "Gary", lastName: "Walsh", affiliations: [{ schoolId: schools.M201.id, schoolYear: YEAR }] });
    importId = await uploaded("oneroster", fixtureFiles("1.1"));
  });

  it("previews every person, writing nothing to people or memberships", async () => {
    const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId } });
    expect(imp.status, imp.error ?? "").toBe("READY");
    expect(imp.format).toBe("oneroster-1.1");
    expect(await prisma.person.count({ where: { districtId: "T10001" } })).toBe(0);
    const res = await page(importId, "?show=NEW");
    expect(res.status).toBe(200);
    const data = record(res.data);
    const counts = record(record(data.imp).counts);
    expect(counts.guardians).toBe(3);
    expect(counts.REVIEW).toBe(2);
    expect(counts.UPDATED).toBe(1);
    const unmatched = record(data.imp).unmatchedOrgs;
    expect(JSON.stringify(unmatched)).toContain("X999");
    expect(JSON.stringify(unmatched)).not.toContain("D001");
  });

  it("says why each left-out row is left out, and never stores a guardian", async () => {
    expect((await rowOf(importId, "T10013"))?.reason).toMatch(/tobedeleted|deleted/i);
    expect((await rowOf(importId, "T10014"))?.reason).toMatch(/disabled/i);
    expect((await rowOf(importId, "T10015"))?.reason).toMatch(/X999/);
    expect((await rowOf(importId, "Foster"))?.reason).toMatch(/district ID|identifier/i);
    expect((await rowOf(importId, "T10005"))?.reason).toMatch(/no school/i);
    for (const guardian of ["Patricia", "Miguel", "Helen"]) {
      expect(await prisma.directoryImportRow.count({ where: { importId, firstName: guardian } }), guardian).toBe(0);
    }
  });

  it("holds an ID that belongs to a clearly different name, and a partner matched on name and email", async () => {
    const held = await rowOf(importId, "T10003");
    expect(held?.outcome).toBe("REVIEW");
    expect(held?.personId).toBe(heldId);
    expect(held?.reason).toContain("Zed Quimby");
    const suggested = await rowOf(importId, "T10017");
    expect(suggested?.outcome).toBe("REVIEW");
    expect(suggested?.personId).toBe(partnerId);
  });

  it("reads quoted commas, accents and several orgs", async () => {
    expect((await rowOf(importId, "T10002"))?.lastName).toBe("Núñez, Jr.");
    const okafor = await prisma.directoryImportRow.findFirstOrThrow({ where: { importId, districtId: "T10004" } });
    expect(await prisma.directoryImportMembership.count({ where: { importId, personId: okafor.personId ?? "" } })).toBe(2);
  });

  it("commits all at once; memberships, titles and the dashboard's staff reach follow", async () => {
    const before = await staffCurrentAt(schools.M201.id);
    const imp = await commit(importId);
    expect(imp.status, imp.error ?? "").toBe("COMMITTED");
    expect(await membershipsOf("T10004")).toHaveLength(2);
    expect((await membershipsOf("T10004"))[0].title).toBe("Counselor");
    expect((await membershipsOf("S20001"))[0]).toMatchObject({ schoolId: schools.E101.id, title: "Kindergarten" });
    expect(await prisma.person.findUnique({ where: { districtId: "T10002" }, select: { email: true } })).toEqual({ email: "jose.nunez@riverside.k12.ca.us" });
    // The certified teacher now belongs to M201: its staff reach counts her.
    expect(await staffCurrentAt(schools.M201.id)).toBe(before + 1);
    const hannah = await prisma.person.findUniqueOrThrow({ where: { districtId: "T10019" } });
    expect(hannah.lastName).toBe("Schäfer-Ortiz");
    const audit = await prisma.auditEvent.findFirst({ where: { entityType: "Person", entityId: hannah.id, action: "person.update" } });
    expect(JSON.parse(audit?.details ?? "{}").changes.lastName).toEqual(["Schafer-Ortiz", "Schäfer-Ortiz"]);
  });

  it("ends this year's membership of people absent or deleted, keeps last year's, and leaves held rows unwritten", async () => {
    expect(await membershipsOf("T99999")).toHaveLength(0);
    expect(await membershipsOf("T99999", YEAR - 1)).toHaveLength(1);
    expect(await membershipsOf("T10013")).toHaveLength(0);
    expect(await prisma.person.findUniqueOrThrow({ where: { id: heldId } })).toMatchObject({ firstName: "Zed", lastName: "Quimby" });
    expect(await prisma.affiliation.count({ where: { personId: heldId } })).toBe(0);
    expect((await rowOf(importId, "T10003"))?.reviewState).toBe("OPEN");
    expect(await prisma.person.count({ where: { firstName: { in: ["Patricia", "Miguel", "Helen"] } } })).toBe(0);
  });

  it("shows on each person's page what the import did to them", async () => {
    const hannah = await prisma.person.findUniqueOrThrow({ where: { districtId: "T10019" } });
    const res = await call(() => personRoute.loader({ request: makeRequest(`/people/${hannah.id}`, { cookie: admin.cookie }), params: { personId: hannah.id }, context: {} }));
    const imports = record(res.data).imports;
    expect(JSON.stringify(imports)).toContain(importId);
    expect(JSON.stringify(imports)).toContain("Fixture M201: membership added");
    expect(JSON.stringify(imports)).toMatch(/last name: Schafer-Ortiz → Schäfer-Ortiz/);
  });

  it("is written once: a second commit is refused, and the record lists the import", async () => {
    const again = await post(importId, { intent: "commit" });
    expect(again.status).toBe(409);
    expect(await prisma.person.count({ where: { districtId: "T10001" } })).toBe(1);
    const list = await call(() => listRoute.loader({ request: makeRequest("/admin/directory", { cookie: admin.cookie }), params: {}, context: {} }));
    expect(JSON.stringify(list.data)).toContain(importId);
  });
});

describe("a OneRoster 1.2 export in a zip, the next run", () => {
  let importId: string;
  beforeAll(async () => {
    importId = await uploaded("oneroster", [await zipOf("1.2")]);
  });

  it("reads roles.csv: roles of other years do not count, a move changes the school", async () => {
    const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId } });
    expect(imp.status, imp.error ?? "").toBe("READY");
    expect(imp.format).toBe("oneroster-1.2");
    expect((await rowOf(importId, "T10024"))?.outcome).toBe("IGNORED");
    expect((await rowOf(importId, "S20007"))?.outcome).toBe("IGNORED");
    const olivia = await rowOf(importId, "T10022");
    expect(olivia?.outcome).toBe("NEW");
    expect(JSON.parse(olivia?.memberships ?? "[]")).toEqual([{ schoolId: schools.M201.id, title: "Teacher" }]);
    // Daniel Okoro (T10021 in 1.1) has no role this year in 1.2: his memberships end on commit.
    const ended = await prisma.directoryImportMembership.count({ where: { importId, change: "END", personId: (await prisma.person.findUniqueOrThrow({ where: { districtId: "T10021" } })).id } });
    expect(ended).toBe(2);
    await commit(importId);
    expect(await membershipsOf("T10021")).toHaveLength(0);
    expect(await membershipsOf("T10022")).toEqual([{ schoolId: schools.M201.id, title: "Teacher" }]);
  });
});

describe("a OneRoster delta file", () => {
  it("ends only the memberships of users it marks tobedeleted or disabled; people absent from it keep theirs", async () => {
    const gary = await prisma.person.findUniqueOrThrow({ where: { districtId: "T10013" } });
    await prisma.affiliation.upsert({ where: { personId_schoolId_schoolYear: { personId: gary.id, schoolId: schools.M201.id, schoolYear: YEAR } }, create: { personId: gary.id, schoolId: schools.M201.id, schoolYear: YEAR }, update: {} });
    await createPerson(prisma, { districtId: "T88888", firstName: "Absent", lastName: "Butkept", affiliations: [{ schoolId: schools.E101.id, schoolYear: YEAR }] });
    const files = fixtureFiles("1.1").map((f) =>
      f.name === "manifest.csv" ? new File([readFileSync(path.join(FIXTURES, "1.1/manifest.csv"), "utf8").replace("file.users,bulk", "file.users,delta")], "manifest.csv") : f,
    );
    const importId = await uploaded("oneroster", files);
    const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: importId } });
    expect(imp.endsAbsent).toBe(false);
    expect(imp.notes).toMatch(/delta/);
    const ended = await prisma.directoryImportMembership.findMany({ where: { importId, change: "END" }, select: { personId: true } });
    expect(ended.map((e) => e.personId)).toEqual([gary.id]);
    await commit(importId);
    expect(await membershipsOf("T10013")).toHaveLength(0);
    expect(await membershipsOf("T88888")).toHaveLength(1);
  });
});

describe("a plain staff CSV", () => {
  const csv = (rows: string[]) => new File([["Employee ID,Last Name,First Name,Work Email,Building,Job Title", ...rows].join("\n")], "hr-staff.csv", { type: "text/csv" });

  it("asks for the columns (guessed, then remembered), previews, commits, and a later file ends only that year's memberships", async () => {
    const first = await uploaded("staff-csv", [csv(["P-1,Abel,Ann,ann.abel@d.example,E101,Teacher", "P-2,Baker,Bo,,Fixture M201,Nurse"])]);
    const mapStep = await page(first);
    const columns = record(record(mapStep.data).columns);
    expect(columns.mapping).toEqual(["district_id", "last_name", "first_name", "email", "school", "title"]);
    // The admin swaps two columns by mistake and fixes it: the choice is remembered for the next file.
    const missing = await post(first, { intent: "map", ...Object.fromEntries(["ignore", "last_name", "first_name", "email", "school", "title"].map((f, i) => [mappingField(i), f])) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.data)).toMatch(/district ID/);
    const mapped = await post(first, { intent: "map", ...Object.fromEntries(["district_id", "last_name", "first_name", "email", "school", "title"].map((f, i) => [mappingField(i), f])) });
    expect(mapped.status).toBe(302);
    await importJobSettled(first);
    expect((await commit(first)).status).toBe("COMMITTED");
    expect(await membershipsOf("P-2")).toEqual([{ schoolId: schools.M201.id, title: "Nurse" }]);
    await prisma.affiliation.create({ data: { personId: (await prisma.person.findUniqueOrThrow({ where: { districtId: "P-2" } })).id, schoolId: schools.M201.id, schoolYear: YEAR - 1 } });

    const second = await uploaded("staff-csv", [csv(["P-1,Abel,Ann,ann.abel@d.example,E101,Principal"])]);
    expect(record(record((await page(second)).data).columns).mapping).toEqual(["district_id", "last_name", "first_name", "email", "school", "title"]);
    await post(second, { intent: "map", ...Object.fromEntries(["district_id", "last_name", "first_name", "email", "school", "title"].map((f, i) => [mappingField(i), f])) });
    await importJobSettled(second);
    const counts = JSON.parse((await prisma.directoryImport.findUniqueOrThrow({ where: { id: second } })).counts);
    // Bo Baker is absent, but this file names only E101: his M201 membership stays. Ann's title changes.
    expect(counts).toMatchObject({ UPDATED: 0, UNCHANGED: 1, membershipsRetitled: 1, membershipsEnded: 0 });
    await commit(second);
    expect(await membershipsOf("P-1")).toEqual([{ schoolId: schools.E101.id, title: "Principal" }]);
    expect(await membershipsOf("P-2")).toHaveLength(1);
  });

  it("an upload is kept in the database: a request that reaches an instance without the files restores them, and commit removes both copies", async () => {
    const id = await uploaded("staff-csv", [csv(["P-5,Ever,Eli,eli.ever@d.example,E101,Teacher"])]);
    expect(await prisma.directoryImportFileChunk.count({ where: { importId: id } })).toBe(1);
    // Another app instance: this import's folder is not on its disk.
    rmSync(importFolder(id), { recursive: true, force: true });
    const columns = record(record((await page(id)).data).columns);
    expect(columns.mapping).toEqual(["district_id", "last_name", "first_name", "email", "school", "title"]);
    expect(existsSync(importFolder(id))).toBe(true);
    rmSync(importFolder(id), { recursive: true, force: true });
    const mapped = await post(id, { intent: "map", ...Object.fromEntries(["district_id", "last_name", "first_name", "email", "school", "title"].map((f, i) => [mappingField(i), f])) });
    expect(mapped.status).toBe(302);
    await importJobSettled(id);
    expect(JSON.parse((await prisma.directoryImport.findUniqueOrThrow({ where: { id } })).counts)).toMatchObject({ NEW: 1 });
    expect((await commit(id)).status).toBe("COMMITTED");
    expect(await prisma.person.count({ where: { districtId: "P-5" } })).toBe(1);
    expect(await prisma.directoryImportFileChunk.count({ where: { importId: id } })).toBe(0);
    expect(existsSync(importFolder(id))).toBe(false);
  });

  it("a file larger than one stored chunk comes back byte for byte", async () => {
    const id = newImportId();
    await prisma.directoryImport.create({ data: { id, format: "staff-csv", schoolYear: YEAR, fileNames: "big.bin", status: "MAPPING", createdById: admin.user.id } });
    const bytes = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
    mkdirSync(importFolder(id), { recursive: true });
    writeFileSync(path.join(importFolder(id), "1-big.bin"), bytes);
    await keepImportFiles(id, [{ name: "big.bin", storedAs: "1-big.bin", bytes: bytes.length }]);
    expect(await prisma.directoryImportFileChunk.count({ where: { importId: id } })).toBe(3);
    rmSync(importFolder(id), { recursive: true, force: true });
    await restoreImportFiles(id);
    expect(readFileSync(path.join(importFolder(id), "1-big.bin")).equals(bytes)).toBe(true);
    expect(readdirSync(importFolder(id))).toEqual(["1-big.bin"]);
    expect(await discardDirectoryImport(id)).toBe(true);
    expect(await prisma.directoryImportFileChunk.count({ where: { importId: id } })).toBe(0);
  });

  it("blocks the commit on a row that cannot be read, naming the file, line and column", async () => {
    const id = await uploaded("staff-csv", [csv(["P-3,Cole,Cy,not-an-email,E101,Teacher", "P-4,Dunn,Di,,E101,Teacher"])]);
    await post(id, { intent: "map", ...Object.fromEntries(["district_id", "last_name", "first_name", "email", "school", "title"].map((f, i) => [mappingField(i), f])) });
    await importJobSettled(id);
    const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id } });
    expect(imp.problemCount).toBe(1);
    expect(imp.problems).toContain("hr-staff.csv line 2, column Work Email");
    const refused = await post(id, { intent: "commit" });
    expect(refused.status).toBe(409);
    expect(await prisma.person.count({ where: { districtId: { in: ["P-3", "P-4"] } } })).toBe(0);
  });
});

describe("bad uploads and bad addresses", () => {
  it("names the field or file, and keeps nothing", async () => {
    const before = await prisma.directoryImport.count();
    const noFormat = await upload("", fixtureFiles("1.1"));
    expect(noFormat.status).toBe(400);
    expect(JSON.stringify(noFormat.data)).toMatch(/Choose what the files are/);
    const badYear = await upload("oneroster", fixtureFiles("1.1"), "next year");
    expect(JSON.stringify(badYear.data)).toMatch(/school year/);
    const noFiles = await upload("oneroster", []);
    expect(JSON.stringify(noFiles.data)).toMatch(/Choose the export/);
    const noUsers = await upload("oneroster", fixtureFiles("1.1").filter((f) => f.name !== "users.csv"));
    expect(noUsers.status).toBe(400);
    expect(JSON.stringify(noUsers.data)).toMatch(/missing users\.csv/);
    const twoFiles = await upload("staff-csv", fixtureFiles("1.1").slice(0, 2));
    expect(JSON.stringify(twoFiles.data)).toMatch(/one CSV file/);
    expect(await prisma.directoryImport.count()).toBe(before);
  });

  it("stops on a malformed or non-UTF-8 file with the file and line, writing nothing", async () => {
    const files = fixtureFiles("1.1").map((f) => (f.name === "users.csv" ? new File([readFileSync(path.join(FIXTURES, "1.1/users.csv"), "utf8").replace("u-003,", 'u-003,"')], "users.csv") : f));
    const broken = await uploaded("oneroster", files);
    const imp = await prisma.directoryImport.findUniqueOrThrow({ where: { id: broken } });
    expect(imp.status).toBe("FAILED");
    expect(imp.error).toMatch(/users\.csv line \d+/);
    const latin1 = fixtureFiles("1.1").map((f) => (f.name === "users.csv" ? new File([Buffer.from(readFileSync(path.join(FIXTURES, "1.1/users.csv"), "utf8").replace(/^\uFEFF/, ""), "latin1")], "users.csv") : f));
    const garbled = await prisma.directoryImport.findUniqueOrThrow({ where: { id: await uploaded("oneroster", latin1) } });
    expect(garbled.error).toMatch(/not UTF-8/);
    expect(await prisma.directoryImportRow.count({ where: { importId: { in: [broken, garbled.id] } } })).toBe(0);
  });

  it("answers 404 for an unknown import and 400 for a bad query string", async () => {
    expect((await page("no-such-import")).status).toBe(404);
    const any = await prisma.directoryImport.findFirstOrThrow({ where: { status: "COMMITTED" } });
    expect((await page(any.id, "?show=EVERYONE")).status).toBe(400);
    expect((await page(any.id, "?page=0")).status).toBe(400);
  });

  it("is for administrators only", async () => {
    const any = await prisma.directoryImport.findFirstOrThrow();
    await expectAdminOnly([
      { name: "list", path: "/admin/directory", fn: listRoute.loader, method: "GET" },
      { name: "upload page", path: "/admin/directory/import", fn: uploadRoute.loader, method: "GET" },
      { name: "upload", path: "/admin/directory/import", fn: uploadRoute.action, method: "POST", form: { format: "oneroster" } },
      { name: "import page", path: `/admin/directory/${any.id}`, params: { importId: any.id }, fn: importRoute.loader, method: "GET" },
      { name: "commit", path: `/admin/directory/${any.id}`, params: { importId: any.id }, fn: importRoute.action, method: "POST", form: { intent: "commit" } },
    ]);
  });
});

describe("commits at the same time", () => {
  it("write an import once, and a stale preview writes nothing", async () => {
    const file = (id: string) => new File([`Employee ID,Last Name,First Name,Building\n${id},Race,Rita,E101\n`], "race.csv", { type: "text/csv" });
    const mapping = { intent: "map", [mappingField(0)]: "district_id", [mappingField(1)]: "last_name", [mappingField(2)]: "first_name", [mappingField(3)]: "school" };
    const id = await uploaded("staff-csv", [file("R-1")]);
    await post(id, mapping);
    await importJobSettled(id);
    const results = await Promise.all([commitDirectoryImport(id, admin.user.id), commitDirectoryImport(id, admin.user.id), commitDirectoryImport(id, admin.user.id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await importJobSettled(id);
    expect(await prisma.person.count({ where: { districtId: "R-1" } })).toBe(1);
    expect(await prisma.affiliation.count({ where: { person: { districtId: "R-1" } } })).toBe(1);

    // Previewed, then someone else is given the same ID before the commit: nothing of the import is written.
    const stale = await uploaded("staff-csv", [file("R-2")]);
    await post(stale, mapping);
    await importJobSettled(stale);
    await createPerson(prisma, { districtId: "R-2", firstName: "Other", lastName: "Person" });
    const res = await commit(stale);
    expect(res.status).toBe("READY");
    expect(res.error).toMatch(/R-2/);
    expect(await prisma.person.count({ where: { districtId: "R-2" } })).toBe(1);
    expect(await prisma.affiliation.count({ where: { person: { districtId: "R-2" } } })).toBe(0);

    // Checked again, the row meets the other person's ID: held for review, and the commit writes nothing of it.
    expect((await post(stale, { intent: "recheck" })).status).toBe(302);
    await importJobSettled(stale);
    const rechecked = await rowOf(stale, "R-2");
    expect(rechecked).toMatchObject({ outcome: "REVIEW" });
    expect(rechecked?.reason).toContain("Other Person");
    expect((await commit(stale)).status).toBe("COMMITTED");
    expect(await prisma.person.findUniqueOrThrow({ where: { districtId: "R-2" } })).toMatchObject({ firstName: "Other" });
  });
});

describe("discarding", () => {
  const file = () => new File(["Employee ID,Last Name,First Name,Building\nD-1,Drop,Dee,E101\n"], "drop.csv", { type: "text/csv" });
  const mapping = { intent: "map", [mappingField(0)]: "district_id", [mappingField(1)]: "last_name", [mappingField(2)]: "first_name", [mappingField(3)]: "school" };

  it("drops a previewed import's rows and files, keeps its record, and it can no longer be committed", async () => {
    const id = await uploaded("staff-csv", [file()]);
    await post(id, mapping);
    await importJobSettled(id);
    expect(await prisma.directoryImportRow.count({ where: { importId: id } })).toBe(1);
    expect((await post(id, { intent: "discard" })).status).toBe(302);
    expect(await prisma.directoryImport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "DISCARDED" });
    expect(await prisma.directoryImportRow.count({ where: { importId: id } })).toBe(0);
    expect((await post(id, { intent: "commit" })).status).toBe(409);
    expect(await prisma.person.count({ where: { districtId: "D-1" } })).toBe(0);
  });

  it("shows a job that stopped with its server as interrupted, and lets the admin discard it", async () => {
    const id = await uploaded("staff-csv", [file()]);
    const old = new Date(Date.now() - 10 * 60_000);
    await prisma.$executeRaw`UPDATE "DirectoryImport" SET "status" = 'STAGING', "updatedAt" = ${old} WHERE "id" = ${id}`;
    expect(await getDirectoryImport(id)).toMatchObject({ running: true, interrupted: true });
    expect(await discardDirectoryImport(id)).toBe(true);
    // A running one (fresh progress) is not dropped.
    const running = await uploaded("staff-csv", [file()]);
    await prisma.directoryImport.update({ where: { id: running }, data: { status: "STAGING" } });
    expect(await getDirectoryImport(running)).toMatchObject({ running: true, interrupted: false });
    expect(await discardDirectoryImport(running)).toBe(false);
  });
});
