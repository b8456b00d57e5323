import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { call, makeRequest, prisma, signIn } from "./helpers";
import { makeCertificate, makePerson, makeProgram, makeSchool, makeSession, signInMember } from "./member-fixtures";
import * as pdfRoute from "~/routes/me.certificates.$certificationId.pdf";
import * as personPdfRoute from "~/routes/people.$personId.certificates.$certificationId.pdf";
import { getEnv } from "~/env.server";
import fontkit from "@pdf-lib/fontkit";
import { woffToTrueType } from "~/models/certificate-pdf.server";

async function loadPdf(certificationId: string, cookie: string, query = "") {
  const result = await pdfRoute.loader({ request: makeRequest(`/me/certificates/${certificationId}/pdf${query}`, { cookie }), params: { certificationId }, context: {} });
  return result;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  // A copy: pdf.js takes over (detaches) the buffer it is given.
  const parser = new PDFParse({ data: bytes.slice() });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** Renders page 1 with poppler's pdftoppm and decodes the QR code in it. */
function decodeQr(bytes: Uint8Array): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cert-pdf-"));
  try {
    const file = path.join(dir, "certificate.pdf");
    fs.writeFileSync(file, bytes);
    execFileSync("pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", file, path.join(dir, "page")]);
    const pngFile = fs.readdirSync(dir).find((f) => f.endsWith(".png"));
    if (!pngFile) throw new Error("pdftoppm wrote no PNG");
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, pngFile)));
    return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data ?? null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the certificate PDF", () => {
  let member: Awaited<ReturnType<typeof signInMember>>;
  let cert: Awaited<ReturnType<typeof makeCertificate>>;
  let programName: string;
  let bytes: Uint8Array;
  let response: Response;

  beforeAll(async () => {
    const person = await makePerson({ firstName: "José", lastName: "Núñez" });
    member = await signInMember(person);
    const program = await makeProgram("ymhfa");
    await prisma.program.update({ where: { id: program.id }, data: { hours: 6.5 } });
    const session = await makeSession({
      programId: program.id, siteName: "District office", leadTrainerName: "Dana Whitfield", status: "CLOSED", enroll: [person.id],
      days: [["2025-05-20T15:30:00Z", "2025-05-20T22:00:00Z"]],
    });
    programName = program.name;
    cert = await makeCertificate({ personId: person.id, programId: program.id, sessionId: session.id, issuedOn: "2025-05-20", expiresOn: "2028-05-20" });
    response = await loadPdf(cert.id, member.cookie);
    bytes = new Uint8Array(await response.arrayBuffer());
  });

  it("is a PDF download with a safe file name", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="certificate-[a-z0-9-]+-nunez\.pdf"$/);
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
  });

  it("is smaller than 200 KB", () => {
    expect(bytes.byteLength).toBeGreaterThan(1000);
    expect(bytes.byteLength).toBeLessThan(200 * 1024);
  });

  it("prints the name with its accents, the program, dates, lead trainer, district and the check address", async () => {
    const text = await pdfText(bytes);
    expect(text).toContain("José Núñez");
    expect(text).toContain(programName);
    expect(text).toContain("Certificate of Completion");
    // Each fact is a value over its label.
    expect(text).toContain("May 20, 2025\nIssued on");
    expect(text).toContain("May 20, 2028\nValid until");
    expect(text).toContain("6.5 hours\nHours");
    expect(text).toContain("Dana Whitfield\nLead trainer");
    expect(text).toContain(getEnv().DISTRICT_NAME.toUpperCase());
    expect(text).toContain(`${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
    expect(text).toContain(`Code: ${cert.verificationCode}`);
  });

  it("has a QR code that decodes to the public check address", () => {
    expect(decodeQr(bytes)).toBe(`${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
  });

  it.each([
    ["Nguyễn Thị", "Ánh"], // Vietnamese: letters from two of Noto Sans's files in one word
    ["Łukasz", "Wróbel"],
    ["王", "小明"],
    ["Фёдор", "Достоевский"],
    ["فاطمة", "الزهراء"], // joined letter forms, right to left, and read back in their written order
  ])("prints %s %s exactly, in an embedded Unicode font", async (firstName, lastName) => {
    const person = await makePerson({ firstName, lastName });
    const other = await signInMember(person);
    const program = await makeProgram("qpr");
    const qpr = await makeCertificate({ personId: person.id, programId: program.id, issuedOn: "2025-02-01", expiresOn: null });
    const res = await loadPdf(qpr.id, other.cookie);
    expect(res.status).toBe(200);
    const pdf = new Uint8Array(await res.arrayBuffer());
    const text = await pdfText(pdf);
    expect(text).toContain(`${firstName} ${lastName}`);
    expect(text).toContain("Does not expire");
    // No hours on the program and no session: neither is printed.
    expect(text).not.toContain("Lead trainer");
    expect(text).not.toContain("Hours");
    // Only the glyphs used are embedded: a Chinese name does not pull in a whole CJK font.
    expect(pdf.byteLength).toBeLessThan(120 * 1024);
  });

  it("embeds fonts whose every glyph survives subsetting (odd-length glyphs would shift the rest)", async () => {
    const file = path.join(process.cwd(), "node_modules/@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff");
    const ttf = woffToTrueType(new Uint8Array(fs.readFileSync(file)));
    const font = fontkit.create(Buffer.from(ttf));
    const glyphs = font.layout("فاطمة الزهراء", { ccmp: false }).glyphs;
    const subset = font.createSubset();
    const ids = glyphs.map((g) => subset.includeGlyph(g));
    const chunks: Uint8Array[] = [];
    const stream = subset.encodeStream();
    stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    await new Promise((resolve) => stream.on("end", resolve));
    const embedded = fontkit.create(Buffer.concat(chunks));
    // Every glyph in the subset draws the same outline as in the font.
    glyphs.forEach((g, i) => expect(embedded.getGlyph(ids[i]).path.toSVG(), `glyph ${g.id}`).toBe(g.path.toSVG()));
  });

  it("is in Spanish for a holder whose language is Spanish, and ?lang= chooses either", async () => {
    const person = await makePerson({ firstName: "María", lastName: "Peña" });
    await prisma.person.update({ where: { id: person.id }, data: { language: "es" } });
    const other = await signInMember(person);
    const program = await makeProgram("ymhfa");
    await prisma.program.update({ where: { id: program.id }, data: { hours: 6.5 } });
    const c = await makeCertificate({ personId: person.id, programId: program.id, issuedOn: "2025-05-20", expiresOn: "2028-05-20" });
    const spanish = await pdfText(new Uint8Array(await (await loadPdf(c.id, other.cookie)).arrayBuffer()));
    expect(spanish).toContain("Certificado de finalización");
    expect(spanish).toContain("María Peña");
    expect(spanish).toContain("20 de mayo de 2025\nFecha de emisión");
    expect(spanish).toContain("20 de mayo de 2028\nVálido hasta");
    expect(spanish).toContain("6.5 horas\nDuración");
    expect(spanish).toContain(`Código: ${c.verificationCode}`);
    expect(spanish).not.toContain("Certificate of Completion");
    const english = await pdfText(new Uint8Array(await (await loadPdf(c.id, other.cookie, "?lang=en")).arrayBuffer()));
    expect(english).toContain("Certificate of Completion");
    expect(english).toContain("May 20, 2025\nIssued on");
    const mine = await pdfText(new Uint8Array(await (await loadPdf(cert.id, member.cookie, "?lang=es")).arrayBuffer()));
    expect(mine).toContain("Certificado de finalización");
    expect(mine).toContain("Dana Whitfield\nCapacitador/a principal");
  });

  it("refuses a ?lang= other than en or es, naming the parameter", async () => {
    const res = await call(() => loadPdf(cert.id, member.cookie, "?lang=fr"));
    expect(res.status).toBe(400);
    const thrown = await pdfRoute.loader({ request: makeRequest(`/me/certificates/${cert.id}/pdf?lang=fr`, { cookie: member.cookie }), params: { certificationId: cert.id }, context: {} }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    if (thrown instanceof Response) expect(await thrown.text()).toMatch(/"lang" parameter must be "en" \(English\) or "es" \(Spanish\)/);
  });

  it("a coordinator downloads their school's staff member's certificate from the person page, in Spanish on request", async () => {
    const school = await makeSchool();
    const person = await makePerson({ firstName: "王", lastName: "小明", schoolId: school.id });
    const program = await makeProgram("ymhfa");
    const c = await makeCertificate({ personId: person.id, programId: program.id, issuedOn: "2025-05-20", expiresOn: "2028-05-20" });
    const { cookie } = await signIn("COORDINATOR", { schoolIds: [school.id] });
    const path = `/people/${person.id}/certificates/${c.id}/pdf`;
    const get = (query: string) => personPdfRoute.loader({ request: makeRequest(`${path}${query}`, { cookie }), params: { personId: person.id, certificationId: c.id }, context: {} });
    const english = await pdfText(new Uint8Array(await (await get("")).arrayBuffer()));
    expect(english).toContain("王 小明");
    expect(english).toContain("Certificate of Completion");
    expect(await pdfText(new Uint8Array(await (await get("?lang=es")).arrayBuffer()))).toContain("Certificado de finalización");
    expect((await call(() => get("?lang=xx"))).status).toBe(400);
  });

  it("a certificate on a record merged into the person downloads under the person, as their page lists it", async () => {
    const school = await makeSchool();
    const person = await makePerson({ firstName: "Mia", lastName: "Merged", schoolId: school.id });
    const duplicate = await makePerson({ firstName: "Mia", lastName: "Merged", schoolId: school.id });
    const program = await makeProgram("qpr");
    const c = await makeCertificate({ personId: duplicate.id, programId: program.id, issuedOn: "2025-05-20", expiresOn: null });
    await prisma.person.update({ where: { id: duplicate.id }, data: { mergedIntoId: person.id } });
    const { cookie } = await signIn("ADMIN");
    const get = (personId: string) => call(() => personPdfRoute.loader({ request: makeRequest(`/people/${personId}/certificates/${c.id}/pdf`, { cookie }), params: { personId, certificationId: c.id }, context: {} }));
    expect((await get(person.id)).status).toBe(200);
    // Not under somebody else's record.
    const other = await makePerson({ firstName: "Ola", lastName: "Other", schoolId: school.id });
    expect((await get(other.id)).status).toBe(404);
  });

  it("another member's certificate is a 404, as is an unknown id", async () => {
    const stranger = await signInMember();
    expect((await call(() => loadPdf(cert.id, stranger.cookie))).status).toBe(404);
    expect((await call(() => loadPdf("no-such-certificate", member.cookie))).status).toBe(404);
  });

  it("other roles cannot use the member download (403), and signed-out users are sent to sign in", async () => {
    const { cookie } = await signIn("TRAINER");
    expect((await call(() => loadPdf(cert.id, cookie))).status).toBe(403);
    const anonymous = await call(() => pdfRoute.loader({ request: makeRequest(`/me/certificates/${cert.id}/pdf`), params: { certificationId: cert.id }, context: {} }));
    expect(anonymous.status).toBe(302);
  });
});
