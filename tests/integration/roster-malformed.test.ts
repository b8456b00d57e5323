/**
 * Malformed roster files through the real import path: the route actions of the roster CSV
 * import (upload → map columns → preview → commit, the file's text carried between steps as
 * the page carries it) and, for files that cannot be read at all, the MHFA export import.
 * Every file must be refused with messages that name the line and the field (or the file's
 * problem), and nothing may be written: people, enrollments, attendance and audit events are
 * counted before and after each file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma, signIn, makeRequest, call } from "./helpers";
import { createProgram, createSchool, createSession } from "../../prisma/seed/factories";
import * as importRoute from "~/routes/sessions.$sessionId.roster.import";
import * as mhfaRoute from "~/routes/sessions.$sessionId.roster.mhfa-import";
import { columnField } from "~/forms/roster";
import { buildCsv, malformedRosterFiles, type MalformedCsv } from "./malformed-csv";

const FILES = malformedRosterFiles();

let cookie: string;
let sessionId: string;

beforeAll(async () => {
  const trainer = await signIn("TRAINER");
  cookie = trainer.cookie;
  const school = await createSchool(prisma);
  // No seat limit: a capacity refusal must never stand in for the errors looked for here.
  const program = await createProgram(prisma, { preset: "QPR", maxParticipants: null });
  sessionId = (await createSession(prisma, { programId: program.id, schoolId: school.id, leadTrainerId: trainer.user.id, capacity: null })).id;
});

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`Expected an object, got ${String(value)}`);
  return Object.fromEntries(Object.entries(value));
}

/** The fields the map step suggests, column by column. */
function suggestedFields(data: Record<string, unknown>): string[] {
  if (!Array.isArray(data.columns)) throw new Error("Expected the map step's columns");
  return data.columns.map((c: unknown) => String(record(c).field));
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error(`Expected a list, got ${String(value)}`);
  return value.map(String);
}

type Step = { intent: "upload" | "preview" | "commit"; file?: MalformedCsv; csvText?: string; mapping?: ReadonlyArray<string> };

function stepForm({ intent, file, csvText, mapping }: Step): FormData {
  const form = new FormData();
  form.append("intent", intent);
  if (file) form.append("file", new File([Buffer.from(file.bytes)], file.fileName, { type: "text/csv" }));
  if (csvText !== undefined) {
    form.append("csvText", csvText);
    form.append("fileName", "roster.csv");
  }
  mapping?.forEach((field, i) => form.append(columnField(i), field));
  return form;
}

async function importStep(step: Step) {
  const path = `/sessions/${sessionId}/roster/import`;
  const res = await call(() => importRoute.action({ request: makeRequest(path, { method: "POST", cookie, form: stepForm(step) }), params: { sessionId }, context: {} }));
  return { status: res.status, data: record(res.data) };
}

async function mhfaPreview(file: MalformedCsv) {
  const path = `/sessions/${sessionId}/roster/mhfa-import`;
  const form = stepForm({ intent: "preview", file });
  const res = await call(() => mhfaRoute.action({ request: makeRequest(path, { method: "POST", cookie, form }), params: { sessionId }, context: {} }));
  return { status: res.status, data: record(res.data) };
}

async function writes() {
  const [people, enrollments, attendance, audit] = await Promise.all([
    prisma.person.count(), prisma.enrollment.count(), prisma.attendance.count(), prisma.auditEvent.count(),
  ]);
  return { people, enrollments, attendance, audit };
}

/** Every line the expectation names has a message naming its field; no other line has one. */
function expectRowErrors(messages: string[], expected: Array<{ line: number; field: RegExp }>) {
  for (const m of messages) expect(m, "every message starts with its line").toMatch(/^Line \d+: /);
  const linesWithErrors = [...new Set(messages.map((m) => Number(/^Line (\d+):/.exec(m)?.[1])))].sort((a, b) => a - b);
  expect(linesWithErrors).toEqual([...new Set(expected.map((e) => e.line))].sort((a, b) => a - b));
  for (const { line, field } of expected) {
    const own = messages.filter((m) => m.startsWith(`Line ${line}: `));
    expect(own.some((m) => field.test(m)), `line ${line} names its field (${field}); got ${JSON.stringify(own)}`).toBe(true);
  }
}

describe("the generator", () => {
  it("makes at least 200 distinct malformed files of every kind", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(200);
    const levels = FILES.reduce<Record<string, number>>((n, f) => ({ ...n, [f.expect.level]: (n[f.expect.level] ?? 0) + 1 }), {});
    expect(levels.file).toBeGreaterThanOrEqual(50);
    expect(levels.mapping).toBeGreaterThanOrEqual(10);
    expect(levels.rows).toBeGreaterThanOrEqual(100);
  });

  it("counts lines as the file has them, past quoted line breaks", () => {
    const { text, lines } = buildCsv([["a", "b"], ["1", "two\nlines"], ["3", "4"]], "\r\n");
    expect(text).toBe('a,b\r\n1,"two\r\nlines"\r\n3,4\r\n');
    expect(lines).toEqual([1, 2, 4]);
  });
});

describe("a well-formed file through the same steps (the harness can tell good from bad)", () => {
  it("imports every row", async () => {
    const { text } = buildCsv([
      ["First Name", "Last Name", "Employee ID", "Email"],
      ["José", "Núñez", "GOOD-1", "jose.good@example.org"],
      ["María", "García", "GOOD-2", "maria.good@example.org"],
    ], "\r\n", { bom: true });
    const before = await writes();
    const upload = await importStep({ intent: "upload", csvText: text });
    expect(upload.status).toBe(200);
    const mapping = suggestedFields(upload.data);
    expect(mapping).toEqual(["first_name", "last_name", "district_id", "email"]);
    const preview = await importStep({ intent: "preview", csvText: text, mapping });
    expect(preview).toMatchObject({ status: 200, data: { stage: "preview", errorMessages: [] } });
    const commit = await importStep({ intent: "commit", csvText: text, mapping });
    expect(commit).toMatchObject({ status: 200, data: { stage: "done", summary: { added: 2, newPeople: 2 } } });
    const after = await writes();
    expect(after.people - before.people).toBe(2);
    expect(after.enrollments - before.enrollments).toBe(2);
    await prisma.enrollment.deleteMany({ where: { sessionId } });
  });
});

describe("every malformed roster file is refused, named, and writes nothing", () => {
  it.each(FILES.map((f) => [f.name, f] as const))("%s", async (_name, file) => {
    const before = await writes();
    const upload = await importStep({ intent: "upload", file });

    if (file.expect.level === "file") {
      expect(upload.status).toBe(400);
      expect(upload.data.stage).toBe("upload");
      expect(String(upload.data.error)).toMatch(file.expect.message);
      // Straight to "import", skipping the steps: refused just the same.
      const commit = await importStep({ intent: "commit", file, mapping: ["first_name", "last_name", "district_id", "email"] });
      expect(commit.status).toBe(400);
      expect(String(commit.data.error)).toMatch(file.expect.message);
      // The MHFA export import reads files the same way and refuses them with the same message.
      const mhfa = await mhfaPreview(file);
      expect(mhfa.status).toBe(400);
      expect(String(mhfa.data.error)).toMatch(file.expect.message);
    } else {
      expect(upload.status, JSON.stringify(upload.data).slice(0, 300)).toBe(200);
      expect(upload.data.stage).toBe("map");
      // The later steps carry the file's text in a hidden field, as the page does.
      const csvText = String(upload.data.csvText);
      const suggested = suggestedFields(upload.data);
      const mapping = file.mapping ?? suggested;
      const preview = await importStep({ intent: "preview", csvText, mapping });
      const commit = await importStep({ intent: "commit", csvText, mapping });
      for (const step of [preview, commit]) expect(step.status).toBe(400);

      if (file.expect.level === "mapping") {
        for (const step of [preview, commit]) {
          expect(step.data.stage).toBe("map");
          expect(strings(step.data.problems).join(" ")).toMatch(file.expect.message);
        }
      } else {
        const expected = file.expect.errors;
        for (const step of [preview, commit]) {
          expect(step.data.stage).toBe("preview");
          expectRowErrors(strings(step.data.errorMessages), expected);
          expect(record(step.data.counts).errors).toBe(new Set(expected.map((e) => e.line)).size);
        }
        expect(String(commit.data.refusal)).toMatch(/^Nothing was imported: \d+ rows? (has an error|have errors)\. Fix the file and try again\.$/);
      }
    }
    expect(await writes()).toEqual(before);
  });
});
