/**
 * Directory import at district scale: a OneRoster 1.2 export of 100,000 people (8,000 staff, 92,000 students
 * in 200 schools, plus 5,000 guardians that are never stored) zipped as a district's system exports it, with
 * roles.csv holding every role (1,000 staff in two schools). Timed as the import page runs it: the job that
 * reads the zip and checks every person into staging rows (the preview), then the commit job, until each says
 * it is done. Two runs: the first into an empty directory (everyone new), the second the next export of the same
 * year (1,000 renamed, 3,000 gone, 4,000 new, 2,000 moved school). The peak resident memory of the process is
 * sampled throughout: the files are streamed, so it should not grow with the file.
 */
import fs from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { BENCH_DATA_DIR, freshBenchDatabase, timed } from "./database";
import { csvCell, firstNameOf, lastNameOf } from "./names";
import type { BenchMetric, BenchSection } from "./types";

const STAFF = 8_000;
const STUDENTS = 92_000;
const GUARDIANS = 5_000;
const SCHOOLS = 200;
const YEAR = 2026;


type Variant = "first" | "second";

/** Writes the export's CSVs and zips them; returns the zip's path and size. */
async function writeExport(dir: string, variant: Variant): Promise<{ zip: string; bytes: number }> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(dir, name), `\uFEFF${lines.join("\r\n")}\r\n`);
  write("manifest.csv", ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.2", "file.users,bulk", "file.orgs,bulk", "file.roles,bulk", "file.academicSessions,bulk"]);
  write("academicSessions.csv", ["sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear", `as-${YEAR + 1},active,,${YEAR}-${YEAR + 1},schoolYear,${YEAR}-08-17,${YEAR + 1}-06-11,,${YEAR + 1}`]);
  const orgs = ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "org-d,active,,Bench District,district,D1,"];
  for (let s = 0; s < SCHOOLS; s++) orgs.push(`org-${s},active,,Bench School ${s},school,BS${String(s).padStart(3, "0")},org-d`);
  orgs.push("org-x,active,,Closed Annex,school,XX999,org-d");
  write("orgs.csv", orgs);

  const users = fs.createWriteStream(path.join(dir, "users.csv"));
  const roles = fs.createWriteStream(path.join(dir, "roles.csv"));
  users.write("\uFEFFsourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\r\n");
  roles.write("\uFEFFsourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\r\n");
  let roleN = 0;
  const role = (user: string, type: string, r: string, org: string, begin = "", end = "") => {
    roleN += 1;
    roles.write(`r-${roleN},active,,${user},${type},${r},${begin},${end},${org},\r\n`);
  };
  const total = STAFF + STUDENTS;
  // The second export: 3,000 gone, 4,000 new, 1,000 renamed, 2,000 moved to the next school.
  const gone = (i: number) => variant === "second" && i % 33 === 5;
  const extra = variant === "second" ? 4_000 : 0;
  for (let i = 0; i < total + extra; i++) {
    if (i < total && gone(i)) continue;
    const staff = i < STAFF || (i >= total && i % 10 === 0);
    const id = staff ? `E${i}` : `S${i}`;
    const renamed = variant === "second" && i % 97 === 3;
    const first = firstNameOf(i);
    const last = renamed ? `${lastNameOf(i)}-Moreno` : lastNameOf(i);
    const moved = variant === "second" && i % 50 === 7 ? 1 : 0;
    const school = (i + moved) % SCHOOLS;
    const email = staff ? `${id.toLowerCase()}@bench.k12.example` : i % 2 ? `${id.toLowerCase()}@students.bench.k12.example` : "";
    const grade = staff ? "" : String((i % 12) + 1).padStart(2, "0");
    users.write(`u-${i},active,,true,${id},,${csvCell(first)},${csvCell(last)},,${id},${email},,,,${grade},,,,,,,org-${school},\r\n`);
    if (staff) {
      role(`u-${i}`, "primary", i % 9 === 0 ? "aide" : "teacher", `org-${school}`, "2015-08-01");
      if (i % 8 === 0) role(`u-${i}`, "secondary", "teacher", `org-${(school + 1) % SCHOOLS}`, `${YEAR}-08-01`, `${YEAR + 1}-06-30`);
    } else role(`u-${i}`, "primary", "student", `org-${school}`, `${YEAR}-08-17`, `${YEAR + 1}-06-11`);
  }
  for (let g = 0; g < GUARDIANS; g++) {
    users.write(`g-${g},active,,true,g${g},,Guardian,Number ${g},,,guardian${g}@example.com,,,,,,,,,,,org-${g % SCHOOLS},\r\n`);
    role(`g-${g}`, "primary", "guardian", `org-${g % SCHOOLS}`);
  }
  await Promise.all([new Promise((r) => users.end(r)), new Promise((r) => roles.end(r))]);

  const zipPath = path.join(dir, "..", `oneroster-${variant}.zip`);
  const zip = new yazl.ZipFile();
  for (const name of fs.readdirSync(dir)) zip.addFile(path.join(dir, name), `export/${name}`);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(zipPath)).on("close", () => resolve()).on("error", reject));
  return { zip: zipPath, bytes: fs.statSync(zipPath).size };
}

const section: BenchSection = {
  name: "directory-import",
  async run(): Promise<BenchMetric[]> {
    process.env.DATABASE_URL = freshBenchDatabase("directory-import");
    process.env.NODE_ENV = "production";
    process.env.SESSION_SECRET ??= "bench-only-secret-0123456789abcdef";
    process.env.DIRECTORY_IMPORT_DIR = path.join(BENCH_DATA_DIR, "directory-imports");
    const { prisma } = await import("~/db.server");
    const { startDirectoryImport, commitDirectoryImport, importJobSettled, newImportId, getDirectoryImport, importRows } = await import("~/models/directory-import.server");
    const { importFolder } = await import("~/models/directory-files.server");

    const region = await prisma.region.create({ data: { code: "BR", name: "Bench region" } });
    await prisma.school.createMany({ data: Array.from({ length: SCHOOLS }, (_, s) => ({ code: `BS${String(s).padStart(3, "0")}`, name: `Bench School ${s}`, level: "HIGH" as const, regionId: region.id })) });
    const admin = await prisma.user.create({ data: { email: "bench-admin@example.org", name: "Bench Admin", passwordHash: "x", role: "ADMIN" } });

    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const baseRss = process.memoryUsage().rss;

    const metrics: BenchMetric[] = [];
    for (const variant of ["first", "second"] as const) {
      const { zip, bytes } = await writeExport(path.join(BENCH_DATA_DIR, `oneroster-${variant}`), variant);
      const id = newImportId();
      fs.mkdirSync(importFolder(id), { recursive: true });
      fs.copyFileSync(zip, path.join(importFolder(id), "1-export.zip"));
      const preview = await timed(async () => {
        const started = await startDirectoryImport({ id, format: "oneroster", schoolYear: YEAR, files: [{ name: "export.zip", storedAs: "1-export.zip", bytes }], actorId: admin.id });
        if (!started.ok) throw new Error(started.error);
        await importJobSettled(id);
      });
      const ready = await prisma.directoryImport.findUniqueOrThrow({ where: { id } });
      if (ready.status !== "READY") throw new Error(`import ${variant}: ${ready.status} ${ready.error ?? ""}`);
      const page = await timed(async () => {
        await getDirectoryImport(id);
        await importRows(id, "NEW", 1);
        await importRows(id, "UPDATED", 20);
      });
      const previewPeak = peakRss;
      const commit = await timed(async () => {
        const started = await commitDirectoryImport(id, admin.id);
        if (!started.ok) throw new Error(started.message);
        await importJobSettled(id);
      });
      const done = await prisma.directoryImport.findUniqueOrThrow({ where: { id } });
      if (done.status !== "COMMITTED") throw new Error(`commit ${variant}: ${done.status} ${done.error ?? ""}`);
      const counts = JSON.parse(done.counts);
      console.error(`directory-import ${variant}: zip ${(bytes / 1e6).toFixed(1)} MB, preview ${preview.ms} ms (peak ${Math.round(previewPeak / 1e6)} MB), commit ${commit.ms} ms (peak ${Math.round(peakRss / 1e6)} MB), counts ${done.counts}`);
      metrics.push(
        { metric: `${variant} run: people in the export (guardians not stored: ${GUARDIANS.toLocaleString("en-US")})`, value: counts.NEW + counts.UPDATED + counts.UNCHANGED + counts.REVIEW + counts.IGNORED, unit: "people" },
        { metric: `${variant} run: new / updated / unchanged`, value: counts.NEW, unit: `new (${counts.UPDATED} updated, ${counts.UNCHANGED} unchanged)` },
        { metric: `${variant} run: memberships added / ended / retitled`, value: counts.membershipsAdded, unit: `added (${counts.membershipsEnded} ended, ${counts.membershipsRetitled} retitled)` },
        { metric: `${variant} run: preview (read the zip, check every person)`, value: preview.ms, unit: "ms" },
        { metric: `${variant} run: commit (one transaction, then reach figures)`, value: commit.ms, unit: "ms" },
        { metric: `${variant} run: preview + commit`, value: preview.ms + commit.ms, unit: "ms (target < 60,000)" },
        { metric: `${variant} run: import page data (counts, a page of rows)`, value: page.ms, unit: "ms" },
      );
    }
    clearInterval(sampler);
    metrics.push({ metric: "peak resident memory of the process (all runs)", value: Math.round(peakRss / 1e6), unit: `MB (${Math.round(baseRss / 1e6)} MB before)` });
    await prisma.$disconnect();
    return metrics;
  },
};

export default section;
