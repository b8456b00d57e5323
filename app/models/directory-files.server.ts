/**
 * The district's people files between upload and commit (docs/decisions/012-directory-import.md).
 * An upload is written to its import's folder as it is received; the files are then read as streams — a zip's
 * entries straight out of the zip — so a 100,000-person export never sits in memory as one string.
 * The folder is this instance's cache: the files are also kept in the database (DirectoryImportFileChunk), so a
 * request that reaches another app instance restores them there first (docs/decisions/016-postgresql.md).
 */
import { createReadStream, promises as fsp } from "node:fs";
import path from "node:path";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse, CsvError } from "csv-parse";
import {
  FormDataParseError, MaxFileSizeExceededError, MaxFilesExceededError, MultipartParseError, parseFormData,
} from "@mjackson/form-data-parser";
import yauzl from "yauzl";
import os from "node:os";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { formatBytes } from "~/http/body-limit.server";

export class DirectoryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DirectoryFileError";
  }
}

/** This instance's folder of import files: DIRECTORY_IMPORT_DIR, or beside the SQLite file, or (PostgreSQL) the system's temp folder. */
export function directoryImportRoot(): string {
  const env = getEnv();
  if (env.DIRECTORY_IMPORT_DIR) return path.resolve(env.DIRECTORY_IMPORT_DIR);
  if (!env.DATABASE_URL.startsWith("file:")) return path.join(os.tmpdir(), "mhfa-directory-imports");
  return path.join(path.dirname(path.resolve(env.DATABASE_URL.replace(/^file:/, ""))), "directory-imports");
}

export const importFolder = (importId: string) => path.join(directoryImportRoot(), importId);

/** The files' copy in the database goes with the folder. */
export async function removeImportFiles(importId: string): Promise<void> {
  await prisma.directoryImportFileChunk.deleteMany({ where: { importId } });
  await fsp.rm(importFolder(importId), { recursive: true, force: true });
}

/** Bytes per stored chunk: a 200 MB upload is 50 rows, none of them a large value to hold in memory. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** Copies an import's uploaded files (already in its folder) into the database. The import's record must exist. */
export async function keepImportFiles(importId: string, files: StoredUpload[]): Promise<void> {
  const folder = importFolder(importId);
  for (const file of files) {
    const handle = await fsp.open(path.join(folder, file.storedAs), "r");
    try {
      for (let seq = 0; ; seq++) {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0 && seq > 0) break;
        await prisma.directoryImportFileChunk.create({ data: { importId, storedAs: file.storedAs, seq, data: buffer.subarray(0, bytesRead) } });
        if (bytesRead < CHUNK_BYTES) break;
      }
    } finally {
      await handle.close();
    }
  }
}

/**
 * Makes sure this instance's folder holds every file the database keeps for the import (the upload may have
 * reached another instance, or this one restarted with an empty disk). Each file is written under a temporary
 * name and renamed, so a reader never sees half of one.
 */
export async function restoreImportFiles(importId: string): Promise<void> {
  const folder = importFolder(importId);
  const present = new Set(await fsp.readdir(folder).catch(() => []));
  const kept = await prisma.directoryImportFileChunk.findMany({ where: { importId, seq: 0 }, select: { storedAs: true } });
  const missing = kept.map((k) => k.storedAs).filter((name) => !present.has(name));
  if (missing.length === 0) return;
  await fsp.mkdir(folder, { recursive: true });
  for (const storedAs of missing) {
    const partial = path.join(folder, `.${storedAs}.${process.pid}.part`);
    const handle = await fsp.open(partial, "w");
    try {
      for (let seq = 0; ; seq++) {
        const chunk = await prisma.directoryImportFileChunk.findUnique({
          where: { importId_storedAs_seq: { importId, storedAs, seq } }, select: { data: true },
        });
        if (!chunk) break;
        await handle.write(chunk.data);
      }
    } finally {
      await handle.close();
    }
    await fsp.rename(partial, path.join(folder, storedAs));
  }
}

/** A file as the admin chose it, and where it was written. */
export type StoredUpload = { name: string; storedAs: string; bytes: number };

export type DirectoryUpload =
  | { ok: true; fields: Map<string, string>; files: StoredUpload[] }
  | { ok: false; fields: Map<string, string>; error: string };

const MAX_FILES = 12;

/** Letters, digits, dot, dash and underscore: a name safe to write, whatever the browser sent. */
const safeName = (name: string) => path.basename(name).replace(/[^A-Za-z0-9._-]+/g, "_").slice(-80) || "file";

/**
 * Reads an upload form, writing each chosen file to `folder` as it comes (one part is held in memory at most, and
 * never more than MAX_DIRECTORY_UPLOAD_BYTES). Call it after the guard: nothing is read for anyone else.
 */
export async function receiveDirectoryUpload(request: Request, folder: string): Promise<DirectoryUpload> {
  const maxFileBytes = getEnv().MAX_DIRECTORY_UPLOAD_BYTES;
  const files: StoredUpload[] = [];
  const fields = new Map<string, string>();
  await fsp.mkdir(folder, { recursive: true });
  try {
    const formData = await parseFormData(request, { maxFileSize: maxFileBytes, maxFiles: MAX_FILES }, async (file) => {
      // An empty file input posts a nameless, empty part.
      if (file.size === 0 && (file.name === "" || file.name === "file-upload")) return null;
      const storedAs = `${files.length + 1}-${safeName(file.name)}`;
      await fsp.writeFile(path.join(folder, storedAs), new Uint8Array(await file.arrayBuffer()));
      files.push({ name: path.basename(file.name), storedAs, bytes: file.size });
      return null;
    });
    for (const [key, value] of formData) if (typeof value === "string") fields.set(key, value);
    return { ok: true, fields, files };
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError) return { ok: false, fields, error: `A file is larger than ${formatBytes(maxFileBytes)}. Send the zip of the export instead of the loose files, or split it.` };
    if (error instanceof MaxFilesExceededError) return { ok: false, fields, error: `Choose at most ${MAX_FILES} files: the zip, or the export's CSV files.` };
    if (error instanceof MultipartParseError || error instanceof FormDataParseError) return { ok: false, fields, error: "The upload could not be read. Choose the files again and send them." };
    throw error;
  }
}

/** One CSV of the upload: a loose file or a zip entry, by its lower-case base name ("users.csv"). */
export type CsvSource = { key: string; label: string; bytes: number; open: () => Promise<Readable> };

const ZIP_MAX_ENTRIES = 500;
const ZIP_MAX_BYTES = 4 * 1024 * 1024 * 1024;

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

async function zipEntries(file: string): Promise<yauzl.Entry[]> {
  const zip = await openZip(file);
  try {
    return await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const entries: yauzl.Entry[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        entries.push(entry);
        if (entries.length > ZIP_MAX_ENTRIES) reject(new DirectoryFileError(`The zip holds more than ${ZIP_MAX_ENTRIES} files; a OneRoster export holds a dozen.`));
        else zip.readEntry();
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

function entryStream(file: string, fileName: string): Promise<Readable> {
  return openZip(file).then(
    (zip) =>
      new Promise<Readable>((resolve, reject) => {
        zip.on("entry", (entry: yauzl.Entry) => {
          if (entry.fileName !== fileName) return zip.readEntry();
          zip.openReadStream(entry, (error, stream) => {
            if (error) return reject(error);
            stream.on("end", () => zip.close());
            stream.on("error", () => zip.close());
            resolve(stream);
          });
        });
        zip.on("end", () => reject(new DirectoryFileError(`${fileName} is no longer in the zip.`)));
        zip.on("error", reject);
        zip.readEntry();
      }),
  );
}

const isZip = async (file: string) => {
  const handle = await fsp.open(file, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  } finally {
    await handle.close();
  }
};

/** The upload's CSVs by base name; a zip is looked into (folders in it are fine). Two files of one name: an error. */
export async function csvSources(folder: string, files: readonly StoredUpload[]): Promise<Map<string, CsvSource>> {
  const sources = new Map<string, CsvSource>();
  const add = (source: CsvSource) => {
    if (sources.has(source.key)) throw new DirectoryFileError(`${source.key} was sent twice (${sources.get(source.key)?.label} and ${source.label}); send one of each file.`);
    sources.set(source.key, source);
  };
  for (const upload of files) {
    const stored = path.join(folder, upload.storedAs);
    if (await isZip(stored)) {
      let entries: yauzl.Entry[];
      try {
        entries = await zipEntries(stored);
      } catch (error) {
        if (error instanceof DirectoryFileError) throw error;
        throw new DirectoryFileError(`${upload.name} could not be opened as a zip: ${error instanceof Error ? error.message : String(error)}.`);
      }
      const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
      if (total > ZIP_MAX_BYTES) throw new DirectoryFileError(`${upload.name} unpacks to more than ${formatBytes(ZIP_MAX_BYTES)}; that is not a district's people export.`);
      for (const entry of entries) {
        const base = path.posix.basename(entry.fileName);
        if (entry.fileName.endsWith("/") || entry.fileName.startsWith("__MACOSX/") || base.startsWith(".") || !/\.csv$/i.test(base)) continue;
        add({ key: base.toLowerCase(), label: `${upload.name} › ${entry.fileName}`, bytes: entry.uncompressedSize, open: () => entryStream(stored, entry.fileName) });
      }
    } else {
      add({ key: upload.name.toLowerCase(), label: upload.name, bytes: upload.bytes, open: async () => createReadStream(stored) });
    }
  }
  return sources;
}

/** Passes bytes through, counting them, and refuses text that is not UTF-8 (a Latin-1 export would garble names). */
class Utf8Check extends Transform {
  private decoder = new TextDecoder("utf-8", { fatal: true });
  constructor(private label: string, private onBytes: (n: number) => void) {
    super({ readableObjectMode: false });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.onBytes(chunk.length);
      done(null, text);
    } catch {
      done(new DirectoryFileError(`${this.label} is not UTF-8 text. Export it again as "CSV UTF-8".`));
    }
  }
  override _flush(done: TransformCallback) {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(new DirectoryFileError(`${this.label} is not UTF-8 text. Export it again as "CSV UTF-8".`));
    }
  }
}

export type CsvRecord = { line: number; cells: string[] };

/**
 * The records of a CSV, the header row first, with the line each ends on (the header is line 1). A malformed
 * file (an unclosed quote, a row with more cells than the header) stops with a message naming the file and line.
 */
export async function* csvRecords(source: CsvSource, onBytes: (n: number) => void = () => {}): AsyncGenerator<CsvRecord> {
  const input = await source.open();
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count_less: true, info: true, max_record_size: 64 * 1024 });
  const flowing = pipeline(input, new Utf8Check(source.label, onBytes), parser).catch((error: unknown) => {
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const item of parser) {
      const { record, info } = readParsed(item);
      if (record.every((c) => c.trim() === "")) continue;
      yield { line: info, cells: record };
    }
  } catch (error) {
    if (error instanceof DirectoryFileError) throw error;
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? ` line ${error.lines}` : "";
      throw new DirectoryFileError(`${source.label}${line}: ${plainCsvMessage(error)}`);
    }
    throw error;
  } finally {
    input.destroy();
    await flowing;
  }
}

function readParsed(item: unknown): { record: string[]; info: number } {
  if (item && typeof item === "object" && "record" in item && "info" in item) {
    const record = Array.isArray(item.record) ? item.record.map((c: unknown) => (typeof c === "string" ? c : String(c ?? ""))) : [];
    const info = item.info && typeof item.info === "object" && "lines" in item.info && typeof item.info.lines === "number" ? item.info.lines : 0;
    return { record, info };
  }
  return { record: [], info: 0 };
}

function plainCsvMessage(error: CsvError): string {
  switch (error.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return "this row has more cells than the header has columns (an unquoted comma in a name?).";
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quote opened here is never closed.";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quote inside a cell is not doubled (write \"\" for a quote in a quoted cell).";
    case "CSV_MAX_RECORD_SIZE":
      return "a row is longer than 64 KB; the file is not a people export.";
    default:
      return error.message;
  }
}

/** The first `count` records (header included) of a CSV, for the column-mapping step. */
export async function firstRecords(source: CsvSource, count: number): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(source)) {
    records.push(record);
    if (records.length >= count) break;
  }
  return records;
}

