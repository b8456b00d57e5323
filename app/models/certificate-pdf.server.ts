import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type Color, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { getEnv } from "~/env.server";
import { prisma } from "~/db.server";
import {
  certificateFactLines, certificateWords, languageOf, parseLanguageParam, type CertificateLanguage,
} from "~/domain/certificate-text";
import { nameAsPrinted } from "~/models/public-certificate.server";
import { partitionPeople, sessionFacts, sessionFactsSelect, visiblePersonSelect, type VisibilityViewer } from "~/models/people-visibility.server";

export type CertificatePdfInput = {
  nameAsPrinted: string;
  programName: string;
  issuedOn: Date;
  expiresOn: Date | null;
  /** Contact hours (Program.hours); null prints none. */
  hours: number | null;
  leadTrainer: string | null;
  districtName: string;
  /** The public check address, `<origin>/verify/<code>`: printed and in the QR code. */
  verifyUrl: string;
  verificationCode: string;
  language: CertificateLanguage;
};

const certificateSelect = {
  id: true, issuedOn: true, expiresOn: true, verificationCode: true,
  person: { select: { firstName: true, lastName: true, language: true } },
  program: { select: { code: true, name: true, hours: true } },
  session: { select: { trainers: { where: { role: "LEAD" }, select: { user: { select: { name: true } } } } } },
} as const;

type CertificateRow = {
  id: string; issuedOn: Date; expiresOn: Date | null; verificationCode: string;
  person: { firstName: string; lastName: string; language: string };
  program: { code: string; name: string; hours: number | null };
  session: { trainers: Array<{ user: { name: string } }> } | null;
};

function forPdf(cert: CertificateRow) {
  return {
    certificationId: cert.id,
    nameAsPrinted: nameAsPrinted(cert.person),
    lastName: cert.person.lastName,
    language: languageOf(cert.person.language),
    programCode: cert.program.code,
    programName: cert.program.name,
    hours: cert.program.hours,
    issuedOn: cert.issuedOn,
    expiresOn: cert.expiresOn,
    verificationCode: cert.verificationCode,
    leadTrainer: cert.session?.trainers[0]?.user.name ?? null,
  };
}

export type CertificateForPdf = ReturnType<typeof forPdf>;

/** One of the person's own certificates, with what the PDF prints; null when it is not theirs or was revoked (no longer offered). */
export async function getCertificateForPdf(certificationId: string, personId: string): Promise<CertificateForPdf | null> {
  // The person's own, or one on a record merged into theirs (the person page lists those as theirs).
  const cert = await prisma.certification.findFirst({
    where: { id: certificationId, revokedAt: null, OR: [{ personId }, { person: { mergedIntoId: personId } }] },
    select: certificateSelect,
  });
  return cert ? forPdf(cert) : null;
}

/**
 * The certificates a session issued, for printing, ordered by last name: those whose holder the
 * viewer may see (the session's trainers and administrators see its whole roster; the rule decides).
 */
export async function listSessionCertificatesForPdf(viewer: VisibilityViewer, sessionId: string): Promise<CertificateForPdf[]> {
  const session = await prisma.trainingSession.findUnique({
    where: { id: sessionId },
    select: {
      ...sessionFactsSelect,
      certifications: {
        where: { revokedAt: null },
        orderBy: [{ person: { lastName: "asc" } }, { person: { firstName: "asc" } }],
        select: { ...certificateSelect, person: { select: { ...visiblePersonSelect, language: true } } },
      },
    },
  });
  if (!session) return [];
  const facts = sessionFacts(session);
  const { shown } = partitionPeople(viewer, session.certifications, () => ({ via: "session", session: facts, enrolled: true }));
  return shown.map((cert) => {
    const language = session.certifications.find((c) => c.id === cert.id)?.person.language ?? "en";
    return forPdf({ ...cert, person: { firstName: cert.person.firstName, lastName: cert.person.lastName, language } });
  });
}

/** "certificate-ymhfa-nunez.pdf": ASCII letters, digits and hyphens only, safe in any header. */
export function certificateFileName(programCode: string, lastName: string): string {
  return ["certificate", slug(programCode), slug(lastName)].filter(Boolean).join("-") + ".pdf";
}

export function sessionCertificatesFileName(programCode: string, sessionId: string): string {
  return ["certificates", slug(programCode), slug(sessionId)].filter(Boolean).join("-") + ".pdf";
}

function slug(text: string) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}

// ---------------------------------------------------------------------------------------------
// Fonts. Noto Sans from @fontsource ships one file per script ("unicode-range" subset) and weight,
// as WOFF2 and WOFF; the WOFF files are unpacked to TrueType here (woffToTrueType), which
// pdf-lib subsets and embeds. Each character is drawn with the first file that has it: Noto Sans
// (Latin, Vietnamese, Cyrillic, Greek, Devanagari), then Noto Sans Arabic, then Noto Sans SC
// (Chinese, ~100 small files). Only the files a page needs are embedded, and only the glyphs it
// uses, so a certificate stays small (tens of kilobytes).

type Weight = 400 | 700;
type FontFace = { key: string; dir: string; file: (weight: Weight) => string; ranges: Array<[number, number]> };

const requireFromHere = createRequire(import.meta.url);

function parseUnicodeRange(spec: string): Array<[number, number]> {
  return spec.split(",").flatMap((part) => {
    const m = /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    return m ? [[parseInt(m[1], 16), parseInt(m[2] ?? m[1], 16)] satisfies [number, number]] : [];
  });
}

function facesOf(pkg: string, prefix: string, only?: string[]): FontFace[] {
  const unicodeJson = requireFromHere.resolve(`${pkg}/unicode.json`);
  const dir = path.join(path.dirname(unicodeJson), "files");
  const table: unknown = JSON.parse(fs.readFileSync(unicodeJson, "utf8"));
  if (!table || typeof table !== "object") return [];
  return Object.entries(table).flatMap(([subset, spec]) => {
    const name = subset.replace(/^\[(\d+)\]$/, "$1");
    if (only && !only.includes(name)) return [];
    if (typeof spec !== "string") return [];
    return [{ key: `${prefix}-${name}`, dir, file: (weight: Weight) => `${prefix}-${name}-${weight}-normal.woff`, ranges: parseUnicodeRange(spec) }];
  });
}

let faces: FontFace[] | undefined;
function allFaces(): FontFace[] {
  faces ??= [
    ...facesOf("@fontsource/noto-sans", "noto-sans", ["latin", "latin-ext", "vietnamese", "cyrillic", "cyrillic-ext", "greek", "greek-ext", "devanagari"]),
    ...facesOf("@fontsource/noto-sans-arabic", "noto-sans-arabic", ["arabic"]),
    ...facesOf("@fontsource/noto-sans-sc", "noto-sans-sc"),
  ];
  return faces;
}

const fileBytes = new Map<string, Uint8Array>();
const glyphChecks = new Map<string, { hasGlyphForCodePoint(cp: number): boolean }>();

function fontFile(face: FontFace, weight: Weight): string {
  const wanted = path.join(face.dir, face.file(weight));
  // Not every subset ships every weight: fall back to regular.
  return weight !== 400 && !fs.existsSync(wanted) ? path.join(face.dir, face.file(400)) : wanted;
}

/** The font as a TrueType file ready for pdf-lib's subsetter (see woffToTrueType). */
function bytesOf(file: string): Uint8Array {
  let bytes = fileBytes.get(file);
  if (!bytes) {
    bytes = woffToTrueType(new Uint8Array(fs.readFileSync(file)));
    fileBytes.set(file, bytes);
  }
  return bytes;
}

/**
 * Unpacks a WOFF file into a plain TrueType file whose glyphs each start on a 4-byte boundary.
 * Why: fontkit's subsetter copies glyphs as they are and writes the short offset table (offsets
 * halved) when the subset is small, so a glyph of odd length shifts every glyph after it: whole
 * letters vanish (Noto Sans Arabic has many odd-length glyphs; Latin happens to have few).
 * Padding each glyph, as the TrueType specification recommends, keeps every offset even.
 */
export function woffToTrueType(woff: Uint8Array): Uint8Array {
  const src = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (src.getUint32(0) !== 0x774f4646) throw new Error("Not a WOFF file");
  const flavor = src.getUint32(4);
  const numTables = src.getUint16(12);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const tag = String.fromCharCode(woff[at], woff[at + 1], woff[at + 2], woff[at + 3]);
    const offset = src.getUint32(at + 4);
    const compLength = src.getUint32(at + 8);
    const origLength = src.getUint32(at + 12);
    const data = woff.subarray(offset, offset + compLength);
    tables.set(tag, compLength < origLength ? new Uint8Array(inflateSync(data)) : data.slice());
  }
  const head = tables.get("head");
  const loca = tables.get("loca");
  const glyf = tables.get("glyf");
  const maxp = tables.get("maxp");
  if (head && loca && glyf && maxp) {
    const headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const numGlyphs = new DataView(maxp.buffer, maxp.byteOffset, maxp.byteLength).getUint16(4);
    const locaView = new DataView(loca.buffer, loca.byteOffset, loca.byteLength);
    const long = headView.getInt16(50) === 1;
    const offsetOf = (i: number) => (long ? locaView.getUint32(i * 4) : locaView.getUint16(i * 2) * 2);
    const glyphs: Uint8Array[] = [];
    for (let i = 0; i < numGlyphs; i++) glyphs.push(glyf.subarray(offsetOf(i), offsetOf(i + 1)));
    const padded = (n: number) => (n + 3) & ~3;
    const newGlyf = new Uint8Array(glyphs.reduce((sum, g) => sum + padded(g.length), 0));
    const newLoca = new Uint8Array((numGlyphs + 1) * 4);
    const newLocaView = new DataView(newLoca.buffer);
    let at = 0;
    glyphs.forEach((g, i) => {
      newLocaView.setUint32(i * 4, at);
      newGlyf.set(g, at);
      at += padded(g.length);
    });
    newLocaView.setUint32(numGlyphs * 4, at);
    headView.setInt16(50, 1); // long offsets
    headView.setUint32(8, 0); // checkSumAdjustment: no reader of ours checks it
    tables.set("glyf", newGlyf);
    tables.set("loca", newLoca);
  }
  return sfnt(flavor, tables);
}

function sfnt(flavor: number, tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const headerLength = 12 + tags.length * 16;
  const total = tags.reduce((sum, tag) => sum + ((tables.get(tag)?.length ?? 0) + 3 & ~3), headerLength);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(tags.length));
  view.setUint32(0, flavor);
  view.setUint16(4, tags.length);
  view.setUint16(6, 2 ** entrySelector * 16);
  view.setUint16(8, entrySelector);
  view.setUint16(10, tags.length * 16 - 2 ** entrySelector * 16);
  let offset = headerLength;
  tags.forEach((tag, i) => {
    const data = tables.get(tag) ?? new Uint8Array();
    const record = 12 + i * 16;
    for (let c = 0; c < 4; c++) out[record + c] = tag.charCodeAt(c);
    out.set(data, offset);
    let checksum = 0;
    for (let w = 0; w < data.length; w += 4) checksum = (checksum + view.getUint32(offset + w)) >>> 0;
    view.setUint32(record + 4, checksum);
    view.setUint32(record + 8, offset);
    view.setUint32(record + 12, data.length);
    offset += (data.length + 3) & ~3;
  });
  return out;
}

/** The unicode ranges overlap (U+0304 is in several subsets): the file must really have the glyph. */
function hasGlyph(file: string, cp: number): boolean {
  let font = glyphChecks.get(file);
  if (!font) {
    font = fontkit.create(Buffer.from(bytesOf(file)));
    glyphChecks.set(file, font);
  }
  return font.hasGlyphForCodePoint(cp);
}

function fileFor(cp: number, weight: Weight): string | null {
  for (const face of allFaces()) {
    if (!face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) continue;
    const file = fontFile(face, weight);
    if (hasGlyph(file, cp)) return file;
  }
  return null;
}

type Run = { text: string; font: PDFFont };

const isArabic = (file: string) => path.basename(file).startsWith("noto-sans-arabic-");

/** Embeds fonts into one document as its text needs them, and splits text into runs of one font each. */
class FontSet {
  private embedded = new Map<string, Promise<PDFFont>>();
  constructor(private doc: PDFDocument) {}

  private embed(file: string): Promise<PDFFont> {
    let font = this.embedded.get(file);
    if (!font) {
      // pdf-lib draws glyphs at their advances and ignores mark positioning, so letters are kept
      // precomposed (ị, not i + a combining dot; ز, not ر + a dot): no "ccmp" decomposition. Each
      // glyph then maps back to its own letter, so the PDF's text reads back exactly.
      font = this.doc.embedFont(bytesOf(file), { subset: true, features: { ccmp: false } });
      this.embedded.set(file, font);
    }
    return font;
  }

  /**
   * The text as runs. Spaces and punctuation after Arabic stay in the Arabic run when its font has
   * them, so an Arabic name stays one run, which fontkit shapes and lays out right to left as a
   * whole. Elsewhere they come from the Latin file: a space from another subset file reads back as
   * two characters when the PDF's text is extracted (its glyph maps to U+0020 and U+00A0).
   * A character no font has is drawn with the Latin font's "missing" glyph.
   */
  async runs(text: string, weight: Weight): Promise<Run[]> {
    const latin = fileFor(0x41, weight);
    if (!latin) throw new Error("Noto Sans (Latin) is not installed");
    const pieces: Array<{ text: string; file: string }> = [];
    for (const ch of text.normalize("NFC")) {
      const cp = ch.codePointAt(0) ?? 0;
      const last = pieces.at(-1);
      const neutral = !/[\p{L}\p{N}\p{M}]/u.test(ch);
      const file = neutral && last && isArabic(last.file) && hasGlyph(last.file, cp) ? last.file : fileFor(cp, weight) ?? latin;
      if (last && last.file === file) last.text += ch;
      else pieces.push({ text: ch, file });
    }
    return Promise.all(pieces.map(async (p) => ({ text: p.text, font: await this.embed(p.file) })));
  }
}

const widthOf = (runs: Run[], size: number) => runs.reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0);

function drawRuns(page: PDFPage, runs: Run[], x: number, y: number, size: number, color: Color) {
  let at = x;
  for (const run of runs) {
    page.drawText(run.text, { x: at, y, size, font: run.font, color });
    at += run.font.widthOfTextAtSize(run.text, size);
  }
}

/** The largest size up to `size` at which the runs fit the width (long names, long addresses). */
function fitSize(runs: Run[], size: number, maxWidth: number): number {
  const width = widthOf(runs, size);
  return width <= maxWidth ? size : Math.max(6, Math.floor(((size * maxWidth) / width) * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// Layout: landscape US Letter, in points.
const WIDTH = 792;
const HEIGHT = 612;
const INK = rgb(0.11, 0.15, 0.2);
const BRAND = rgb(0.05, 0.29, 0.49);
const GOLD = rgb(0.74, 0.58, 0.24);
const MUTED = rgb(0.36, 0.41, 0.47);

type Writer = {
  centered(text: string, y: number, weight: Weight, size: number, color: Color, maxWidth?: number): Promise<void>;
  at(text: string, x: number, y: number, weight: Weight, size: number, color: Color, opts?: { maxWidth?: number; align?: "left" | "center" | "right" }): Promise<void>;
};

function writerFor(page: PDFPage, fonts: FontSet): Writer {
  const at: Writer["at"] = async (text, x, y, weight, size, color, opts = {}) => {
    const runs = await fonts.runs(text, weight);
    const fitted = opts.maxWidth ? fitSize(runs, size, opts.maxWidth) : size;
    const width = widthOf(runs, fitted);
    const left = opts.align === "center" ? x - width / 2 : opts.align === "right" ? x - width : x;
    drawRuns(page, runs, left, y, fitted, color);
  };
  return {
    at,
    centered: (text, y, weight, size, color, maxWidth = WIDTH - 160) => at(text, WIDTH / 2, y, weight, size, color, { maxWidth, align: "center" }),
  };
}

function drawFrame(page: PDFPage) {
  page.drawRectangle({ x: 20, y: 20, width: WIDTH - 40, height: HEIGHT - 40, borderColor: BRAND, borderWidth: 5 });
  page.drawRectangle({ x: 31, y: 31, width: WIDTH - 62, height: HEIGHT - 62, borderColor: GOLD, borderWidth: 1 });
  // A small diamond at each corner of the inner line.
  for (const [x, y] of [[31, 31], [WIDTH - 31, 31], [31, HEIGHT - 31], [WIDTH - 31, HEIGHT - 31]]) {
    page.drawSvgPath("M 0 -7 L 7 0 L 0 7 L -7 0 Z", { x, y, color: GOLD });
  }
}

async function drawCertificatePage(doc: PDFDocument, fonts: FontSet, input: CertificatePdfInput) {
  const words = certificateWords(input.language);
  const page = doc.addPage([WIDTH, HEIGHT]);
  const write = writerFor(page, fonts);
  drawFrame(page);

  await write.centered(input.districtName.toUpperCase(), 536, 700, 13, BRAND);
  page.drawLine({ start: { x: WIDTH / 2 - 60, y: 524 }, end: { x: WIDTH / 2 + 60, y: 524 }, thickness: 1.5, color: GOLD });
  await write.centered(words.title, 468, 700, 38, INK);
  await write.centered(words.certifies, 428, 400, 14, MUTED);
  await write.centered(input.nameAsPrinted, 378, 700, 34, BRAND, WIDTH - 200);
  page.drawLine({ start: { x: 170, y: 364 }, end: { x: WIDTH - 170, y: 364 }, thickness: 0.75, color: GOLD });
  await write.centered(words.completed, 334, 400, 14, MUTED);
  await write.centered(input.programName, 298, 700, 22, INK);

  // The facts as columns, each a value over a rule over its label, like signature lines.
  const facts = certificateFactLines(input, input.language);
  const left = 80;
  const span = WIDTH - 160;
  const column = span / facts.length;
  for (const [i, fact] of facts.entries()) {
    const center = left + column * i + column / 2;
    await write.at(fact.value, center, 218, 700, 12.5, INK, { maxWidth: column - 24, align: "center" });
    page.drawLine({ start: { x: center - column / 2 + 14, y: 210 }, end: { x: center + column / 2 - 14, y: 210 }, thickness: 0.5, color: MUTED });
    await write.at(fact.label, center, 196, 400, 9.5, MUTED, { maxWidth: column - 24, align: "center" });
  }

  // The QR code bottom right; the printed address and code beside it, for those without a camera.
  const png = await QRCode.toBuffer(input.verifyUrl, { type: "png", margin: 2, width: 300, errorCorrectionLevel: "M" });
  const qr = await doc.embedPng(png);
  const qrSize = 104;
  const qrX = WIDTH - 48 - qrSize;
  const qrY = 46;
  page.drawImage(qr, { x: qrX, y: qrY, width: qrSize, height: qrSize });
  const textRight = qrX - 10;
  const maxWidth = textRight - 60;
  await write.at(words.checkAt, textRight, 118, 400, 9.5, MUTED, { maxWidth, align: "right" });
  await write.at(input.verifyUrl, textRight, 103, 400, 9.5, INK, { maxWidth, align: "right" });
  await write.at(`${words.code}: ${input.verificationCode}`, textRight, 86, 700, 11, INK, { maxWidth, align: "right" });
}

/**
 * Certificates as one PDF, one landscape page each, in each holder's language. Noto Sans is
 * embedded (only the glyphs used), so names in Vietnamese, Polish, Cyrillic, Chinese and Arabic
 * print exactly. Arabic is joined (fontkit picks each letter's initial, medial or final form) and
 * laid out right to left within its run; a line mixing Arabic with Latin keeps the runs in their
 * written order (no full bidirectional reordering), which a name on its own never needs.
 */
export async function renderCertificatesPdf(inputs: CertificatePdfInput[], meta: { title: string; author: string; subject: string }): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setCreator("Mental Health Training Tracker");
  doc.setProducer("pdf-lib");
  const fonts = new FontSet(doc);
  for (const input of inputs) await drawCertificatePage(doc, fonts, input);
  // A copy on a plain ArrayBuffer: what a Response body accepts.
  return new Uint8Array(await doc.save());
}

export function renderCertificatePdf(input: CertificatePdfInput): Promise<Uint8Array<ArrayBuffer>> {
  const words = certificateWords(input.language);
  return renderCertificatesPdf([input], {
    title: `${input.programName}: ${input.nameAsPrinted}`,
    author: input.districtName,
    subject: words.documentSubject(input.programName),
  });
}

/** What the PDF prints for a certificate, with the district's own address (PUBLIC_BASE_URL), never the request's Host. */
export function pdfInput(cert: CertificateForPdf, language: CertificateLanguage | null): CertificatePdfInput {
  const env = getEnv();
  return {
    ...cert,
    language: language ?? cert.language,
    districtName: env.DISTRICT_NAME,
    verifyUrl: `${env.PUBLIC_BASE_URL}/verify/${cert.verificationCode}`,
  };
}

/**
 * The `?lang=` of a certificate download: en or es, or absent for each holder's own language.
 * Anything else is a 400 that names the parameter.
 */
export function requestedLanguage(request: Request): CertificateLanguage | null {
  const parsed = parseLanguageParam(new URL(request.url).searchParams.get("lang"));
  if (!parsed.ok) throw new Response(parsed.error, { status: 400, statusText: "Bad Request", headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return parsed.language;
}

function pdfResponse(pdf: Uint8Array<ArrayBuffer>, fileName: string): Response {
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A certificate as a PDF download, in the holder's language unless `language` is given. */
export async function certificatePdfResponse(cert: CertificateForPdf, { language = null }: { language?: CertificateLanguage | null } = {}): Promise<Response> {
  const pdf = await renderCertificatePdf(pdfInput(cert, language));
  return pdfResponse(pdf, certificateFileName(cert.programCode, cert.lastName));
}

/** A session's certificates as one PDF for printing, one page each. */
export async function sessionCertificatesPdfResponse(
  sessionId: string, certs: CertificateForPdf[], { language = null }: { language?: CertificateLanguage | null } = {},
): Promise<Response> {
  const first = certs[0];
  const programName = first?.programName ?? "";
  const pdf = await renderCertificatesPdf(certs.map((c) => pdfInput(c, language)), {
    title: `${programName}: ${certs.length} certificates`,
    author: getEnv().DISTRICT_NAME,
    subject: certificateWords(language ?? "en").documentSubject(programName),
  });
  return pdfResponse(pdf, sessionCertificatesFileName(first?.programCode ?? "", sessionId));
}
