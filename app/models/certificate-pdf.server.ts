import { getEnv } from "~/env.server";
import { PDFDocument, StandardFonts, rgb, type Color, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { prisma } from "~/db.server";
import { toPrintableText } from "~/domain/printable-text";
import { nameAsPrinted } from "~/models/public-certificate.server";

export type CertificatePdfInput = {
  nameAsPrinted: string;
  programName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  leadTrainer: string | null;
  districtName: string;
  /** The public check address, `<origin>/verify/<code>`: printed and in the QR code. */
  verifyUrl: string;
  verificationCode: string;
};

/** One of the person's own certificates, with what the PDF prints; null when it is not theirs. */
export async function getCertificateForPdf(certificationId: string, personId: string) {
  const cert = await prisma.certification.findFirst({
    where: { id: certificationId, personId },
    select: {
      issuedOn: true, expiresOn: true, verificationCode: true,
      person: { select: { firstName: true, lastName: true } },
      program: { select: { code: true, name: true } },
      session: { select: { trainers: { where: { role: "LEAD" }, select: { user: { select: { name: true } } } } } },
    },
  });
  if (!cert) return null;
  return {
    nameAsPrinted: nameAsPrinted(cert.person),
    lastName: cert.person.lastName,
    programCode: cert.program.code,
    programName: cert.program.name,
    issuedOn: cert.issuedOn,
    expiresOn: cert.expiresOn,
    verificationCode: cert.verificationCode,
    leadTrainer: cert.session?.trainers[0]?.user.name ?? null,
  };
}

/** "certificate-ymhfa-nunez.pdf": ASCII letters, digits and hyphens only, safe in any header. */
export function certificateFileName(programCode: string, lastName: string): string {
  const slug = (text: string) =>
    text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  return ["certificate", slug(programCode), slug(lastName)].filter(Boolean).join("-") + ".pdf";
}

const formatDay = (d: Date) => d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

// Landscape US Letter, in points.
const WIDTH = 792;
const HEIGHT = 612;
const INK = rgb(0.1, 0.14, 0.2);
const BRAND = rgb(0.05, 0.29, 0.49);
const MUTED = rgb(0.35, 0.4, 0.46);

/**
 * The certificate as a one-page PDF: standard Helvetica only (no embedded font keeps it
 * small), so every text passes through toPrintableText first. The QR code and the printed
 * address both lead to the public check.
 */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const supported = new Set(regular.getCharacterSet());
  const printable = (text: string) => toPrintableText(text, (cp) => supported.has(cp));

  doc.setTitle(printable(`${input.programName} certificate: ${input.nameAsPrinted}`));
  doc.setAuthor(printable(input.districtName));
  doc.setSubject(printable(`Certificate of completion, ${input.programName}`));
  doc.setCreator("Mental Health Training Tracker");
  doc.setProducer("pdf-lib");

  const page = doc.addPage([WIDTH, HEIGHT]);
  page.drawRectangle({ x: 24, y: 24, width: WIDTH - 48, height: HEIGHT - 48, borderColor: BRAND, borderWidth: 3 });
  page.drawRectangle({ x: 32, y: 32, width: WIDTH - 64, height: HEIGHT - 64, borderColor: BRAND, borderWidth: 0.75 });

  const centered = (text: string, y: number, font: PDFFont, size: number, color = INK, maxWidth = WIDTH - 140) =>
    drawCentered(page, printable(text), y, font, size, color, maxWidth);

  centered(input.districtName, 530, bold, 16, BRAND);
  centered("Certificate of Completion", 476, bold, 34);
  centered("This certifies that", 432, regular, 14, MUTED);
  centered(input.nameAsPrinted, 388, bold, 30);
  centered("has completed", 350, regular, 14, MUTED);
  centered(input.programName, 312, bold, 22, BRAND);

  const facts = [
    `Issued on ${formatDay(input.issuedOn)}`,
    input.expiresOn ? `Valid until ${formatDay(input.expiresOn)}` : "Does not expire",
    input.leadTrainer ? `Lead trainer: ${input.leadTrainer}` : null,
  ].filter((f): f is string => f !== null);
  facts.forEach((fact, i) => {
    page.drawText(printable(fact), { x: 72, y: 236 - i * 22, size: 13, font: regular, color: INK });
  });

  // The QR code bottom right; the printed address and code beside it, for those without a camera.
  const png = await QRCode.toBuffer(input.verifyUrl, { type: "png", margin: 2, width: 300, errorCorrectionLevel: "M" });
  const qr = await doc.embedPng(png);
  const qrSize = 132;
  const qrX = WIDTH - 72 - qrSize;
  const qrY = 56;
  page.drawImage(qr, { x: qrX, y: qrY, width: qrSize, height: qrSize });

  const textRight = qrX - 16;
  const lines: Array<{ text: string; font: PDFFont; size: number }> = [
    { text: "Check this certificate at", font: regular, size: 10 },
    { text: input.verifyUrl, font: regular, size: 10 },
    { text: `Code: ${input.verificationCode}`, font: bold, size: 11 },
  ];
  lines.forEach((line, i) => {
    const text = printable(line.text);
    const size = fitSize(text, line.font, line.size, textRight - 72);
    const width = line.font.widthOfTextAtSize(text, size);
    page.drawText(text, { x: textRight - width, y: 112 - i * 16, size, font: line.font, color: i === 0 ? MUTED : INK });
  });

  // A copy on a plain ArrayBuffer: what a Response body accepts.
  return new Uint8Array(await doc.save());
}

/** The largest size up to `size` at which the text fits the width (long names, long addresses). */
function fitSize(text: string, font: PDFFont, size: number, maxWidth: number): number {
  const width = font.widthOfTextAtSize(text, size);
  return width <= maxWidth ? size : Math.max(6, Math.floor((size * maxWidth) / width * 10) / 10);
}

function drawCentered(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color: Color, maxWidth: number) {
  const fitted = fitSize(text, font, size, maxWidth);
  const width = font.widthOfTextAtSize(text, fitted);
  page.drawText(text, { x: (WIDTH - width) / 2, y, size: fitted, font, color });
}

/**
 * A certificate as a PDF download. The address printed and put in the QR code is the district's own
 * (PUBLIC_BASE_URL), never the Host header the request carried.
 */
export async function certificatePdfResponse(cert: NonNullable<Awaited<ReturnType<typeof getCertificateForPdf>>>): Promise<Response> {
  const verifyUrl = `${getEnv().PUBLIC_BASE_URL}/verify/${cert.verificationCode}`;
  const pdf = await renderCertificatePdf({ ...cert, districtName: getEnv().DISTRICT_NAME, verifyUrl });
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${certificateFileName(cert.programCode, cert.lastName)}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
