import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { prisma, signIn, makeRequest, call, unique } from "./helpers";
import { addDays, addMonths, startOfDayUtc } from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import type { PersonKind } from "~/generated/prisma/client";
import * as exportRoute from "~/routes/coordinator.expiring[.csv]";

const today = startOfDayUtc(new Date());
const schoolYear = schoolYearOf(today);
const iso = (d: Date) => d.toISOString().slice(0, 10);

let mine: { id: string; name: string };
let alsoMine: { id: string; name: string };
let elsewhere: { id: string; name: string };
let program: { id: string; name: string };

async function school(name: string) {
  const region = await prisma.region.create({ data: { code: unique("R"), name: unique("Region ") } });
  return prisma.school.create({ data: { code: unique("S"), name: unique(name), level: "HIGH", regionId: region.id } });
}

async function personAt(
  schoolIds: string[],
  opts: { kind?: PersonKind; firstName?: string; lastName?: string; email?: string | null; year?: number } = {},
) {
  const person = await prisma.person.create({
    data: {
      firstName: opts.firstName ?? "Ana",
      lastName: opts.lastName ?? unique("Export"),
      kind: opts.kind ?? "STAFF",
      email: opts.email === undefined ? `${unique("ex")}@example.test` : opts.email,
    },
  });
  for (const schoolId of schoolIds) {
    await prisma.affiliation.create({ data: { personId: person.id, schoolId, schoolYear: opts.year ?? schoolYear, title: "Teacher" } });
  }
  return person;
}

async function certify(personId: string, expiresInDays: number, over: { renewedById?: string } = {}) {
  const expiresOn = addDays(today, expiresInDays);
  return prisma.certification.create({
    data: { personId, programId: program.id, issuedOn: addMonths(expiresOn, -36), expiresOn, verificationCode: unique("vc"), ...over },
  });
}

async function download(cookie: string) {
  const res = await exportRoute.loader({ request: makeRequest("/coordinator/expiring.csv", { cookie }), params: {}, context: {} });
  // Bytes, not res.text(): a decoder drops the BOM, and the BOM is what Excel needs.
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return { res, bytes, text, rows: parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), { columns: true }) };
}

beforeAll(async () => {
  mine = await school("Maple High ");
  alsoMine = await school("Oak Middle ");
  elsewhere = await school("Pine Elementary ");
  program = await prisma.program.create({
    data: { code: unique("YMHFA"), name: unique("Youth Mental Health First Aid "), audience: "ADULTS", validityMonths: 36, renewalWindowDays: 90 },
  });
});

describe("coordinator CSV export of expiring certificates", () => {
  it("lists staff and partners at the coordinator's schools expiring in the next 90 days, as Excel-ready CSV", async () => {
    const ana = await personAt([mine.id], { firstName: "Ana", lastName: unique("Álvarez, Jr. \"AJ\"") });
    await certify(ana.id, 10);
    const itinerant = await personAt([mine.id, alsoMine.id], { firstName: "Ivo" });
    await certify(itinerant.id, 45);
    const partner = await personAt([alsoMine.id], { kind: "COMMUNITY", firstName: "Pat", email: null });
    await certify(partner.id, 90);
    const formula = await personAt([mine.id], { firstName: "=HYPERLINK(\"http://evil.example\")" });
    await certify(formula.id, 20);

    // Not in the file:
    const student = await personAt([mine.id], { kind: "STUDENT", firstName: "Stu" });
    await certify(student.id, 10);
    const other = await personAt([elsewhere.id], { firstName: "Otto" });
    await certify(other.id, 10);
    const later = await personAt([mine.id], { firstName: "Lena" });
    await certify(later.id, 91);
    const expired = await personAt([mine.id], { firstName: "Exa" });
    await certify(expired.id, 0);
    const lastYear = await personAt([mine.id], { firstName: "Left", year: schoolYear - 1 });
    await certify(lastYear.id, 10);
    const renewedPerson = await personAt([mine.id], { firstName: "Rene" });
    const newer = await certify(renewedPerson.id, 365 * 3);
    await certify(renewedPerson.id, 15, { renewedById: newer.id });

    const { cookie } = await signIn("COORDINATOR", { schoolIds: [mine.id, alsoMine.id] });
    const { res, bytes, text, rows } = await download(cookie);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="expiring-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect(text.startsWith("\uFEFFLast name,First name,Schools,Program,Expires on,Email\r\n")).toBe(true);

    expect(rows).toEqual([
      { "Last name": ana.lastName, "First name": "Ana", Schools: mine.name, Program: program.name, "Expires on": iso(addDays(today, 10)), Email: ana.email },
      { "Last name": formula.lastName, "First name": `'=HYPERLINK("http://evil.example")`, Schools: mine.name, Program: program.name, "Expires on": iso(addDays(today, 20)), Email: formula.email },
      { "Last name": itinerant.lastName, "First name": "Ivo", Schools: [mine.name, alsoMine.name].sort().join("; "), Program: program.name, "Expires on": iso(addDays(today, 45)), Email: itinerant.email },
      { "Last name": partner.lastName, "First name": "Pat", Schools: alsoMine.name, Program: program.name, "Expires on": iso(addDays(today, 90)), Email: "" },
    ]);
    // A value with a comma and quotes survives the round trip (quoted, quotes doubled).
    expect(text).toContain(`"${ana.lastName.replace(/"/g, '""')}"`);
  });

  it("only the coordinator's own schools: a coordinator elsewhere sees none of them", async () => {
    const person = await personAt([mine.id], { firstName: "Mia" });
    await certify(person.id, 30);
    const { cookie } = await signIn("COORDINATOR", { schoolIds: [elsewhere.id] });
    const { text } = await download(cookie);
    expect(text).not.toContain(person.lastName);
    const none = await signIn("COORDINATOR", { schoolIds: [] });
    const empty = await download(none.cookie);
    expect(empty.rows).toEqual([]);
    expect(empty.text).toBe("\uFEFFLast name,First name,Schools,Program,Expires on,Email\r\n");
  });

  it.each(["ADMIN", "PROGRAM_LEAD", "TRAINER", "MEMBER"] as const)("%s gets 403", async (role) => {
    const { cookie } = await signIn(role);
    const res = await call(() => exportRoute.loader({ request: makeRequest("/coordinator/expiring.csv", { cookie }), params: {}, context: {} }));
    expect(res.status).toBe(403);
  });

  it("signed out: sent to sign in", async () => {
    const res = await call(() => exportRoute.loader({ request: makeRequest("/coordinator/expiring.csv"), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toContain("/login");
  });
});
