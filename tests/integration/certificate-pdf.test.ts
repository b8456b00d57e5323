import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { call, makeRequest, signIn } from "./helpers";
import { makeCertificate, makePerson, makeProgram, makeSession, signInMember } from "./member-fixtures";
import * as pdfRoute from "~/routes/me.certificates.$certificationId.pdf";
import { getEnv } from "~/env.server";

async function loadPdf(certificationId: string, cookie: string) {
  const result = await pdfRoute.loader({ request: makeRequest(`/me/certificates/${certificationId}/pdf`, { cookie }), params: { certificationId }, context: {} });
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
    expect(text).toContain("Issued on May 20, 2025");
    expect(text).toContain("Valid until May 20, 2028");
    expect(text).toContain("Lead trainer: Dana Whitfield");
    expect(text).toContain(getEnv().DISTRICT_NAME);
    expect(text).toContain(`${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
    expect(text).toContain(`Code: ${cert.verificationCode}`);
  });

  it("has a QR code that decodes to the public check address", () => {
    expect(decodeQr(bytes)).toBe(`${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`);
  });

  it("prints a name outside the standard font's character set without failing", async () => {
    const person = await makePerson({ firstName: "Łukasz", lastName: "王" });
    const other = await signInMember(person);
    const program = await makeProgram("qpr");
    const qpr = await makeCertificate({ personId: person.id, programId: program.id, issuedOn: "2025-02-01", expiresOn: null });
    const res = await loadPdf(qpr.id, other.cookie);
    expect(res.status).toBe(200);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain("Lukasz ?");
    expect(text).toContain("Does not expire");
    expect(text).not.toContain("Lead trainer");
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
