/**
 * The plain directory CSVs of districts without OneRoster: a staff file from HR, a student file from the SIS.
 * The admin says which column holds what (remembered for next time, as in the roster import); each row is then
 * read into a person of the file's kind with one school.
 */
import {
  NAME_MAX, cellValue, cleanName, districtIdProblem, emailProblem, parseFieldMapping, splitFullName,
} from "~/domain/roster-import";
import type { DirectoryKind } from "./plan";

export const DIRECTORY_FIELDS = ["district_id", "first_name", "last_name", "full_name", "email", "school", "title", "ignore"] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

export function directoryFieldLabel(field: DirectoryField, kind: DirectoryKind): string {
  const labels: Record<DirectoryField, string> = {
    district_id: kind === "STUDENT" ? "Student ID (district ID)" : "Employee ID (district ID)",
    first_name: "First name",
    last_name: "Last name",
    full_name: "Full name",
    email: "Email",
    school: "School (code or name)",
    title: kind === "STUDENT" ? "Grade" : "Job title",
    ignore: "Nothing (ignore)",
  };
  return labels[field];
}

export function isDirectoryField(value: unknown): value is DirectoryField {
  return typeof value === "string" && DIRECTORY_FIELDS.some((f) => f === value);
}

const GUESSES: Array<[DirectoryField, RegExp]> = [
  ["email", /(^|[\s_])e[\s_-]?mail/],
  ["district_id", /^(id|district[\s_]?id|(employee|staff|student|person|badge|local)[\s_]?(id|number|no|num|code)|emplid|sis[\s_]?id|identifier)$/],
  ["first_name", /^(first|given|preferred[\s_]first)([\s_]?name)?$|^givenname$/],
  ["last_name", /^(last|family|sur)([\s_]?name)?$|^familyname$/],
  ["full_name", /^(full[\s_]?)?name$/],
  ["school", /^(school|building|site|location|campus)([\s_]?(code|name|id|number))?$/],
  ["title", /^(title|job|job[\s_]title|position|role|assignment|grade|grade[\s_]level)$/],
];

/** The field a column most likely holds, from its header. */
export function guessDirectoryField(header: string): DirectoryField {
  const h = header.trim().toLowerCase();
  return GUESSES.find(([, pattern]) => pattern.test(h))?.[0] ?? "ignore";
}

export type DirectoryMapping = DirectoryField[];

/** The saved mapping (User.directoryImportMapping) read back; anything unexpected is dropped. */
export function parseSavedDirectoryMapping(json: string | null | undefined): Record<string, DirectoryField> {
  return parseFieldMapping(json, isDirectoryField);
}

/** The first mapping offered: the admin's last choice for a header seen before, else a guess; each field once. */
export function suggestDirectoryMapping(headers: readonly string[], saved: Record<string, DirectoryField> = {}): DirectoryMapping {
  const taken = new Set<DirectoryField>();
  const mapping = headers.map((h): DirectoryField => {
    const field = saved[h] ?? guessDirectoryField(h);
    if (field === "ignore" || taken.has(field)) return "ignore";
    taken.add(field);
    return field;
  });
  if (taken.has("first_name") && taken.has("last_name")) {
    const i = mapping.indexOf("full_name");
    if (i >= 0) mapping[i] = "ignore";
  }
  return mapping;
}

/** What is wrong with a mapping, each message naming the field; empty when it can be used. */
export function checkDirectoryMapping(mapping: DirectoryMapping): string[] {
  const problems: string[] = [];
  const count = (f: DirectoryField) => mapping.filter((m) => m === f).length;
  for (const f of DIRECTORY_FIELDS) {
    if (f !== "ignore" && count(f) > 1) problems.push(`Only one column can hold ${f.replace("_", " ")}.`);
  }
  if (count("district_id") === 0) problems.push("Choose the column that holds the district ID: the directory matches people by it.");
  if (count("school") === 0) problems.push("Choose the column that holds the school (its code or name).");
  const names = count("full_name") > 0 || (count("first_name") > 0 && count("last_name") > 0);
  if (!names) problems.push("Choose the first and last name columns, or one full-name column.");
  return problems;
}

export type PlainRowVerdict =
  | { kind: "person"; line: number; districtId: string; firstName: string; lastName: string; email: string | null; school: string; title: string | null }
  | { kind: "ignored"; line: number; districtId: string | null; firstName: string; lastName: string; email: string | null; reason: string }
  | { kind: "invalid"; line: number; message: string };

const TITLE_MAX = 100;

/** One row of a plain directory CSV, its cells in the file's column order. */
export function readPlainRow(cells: readonly string[], mapping: DirectoryMapping, line: number, fileName: string, headers: readonly string[]): PlainRowVerdict {
  const at = (field: DirectoryField) => {
    const i = mapping.indexOf(field);
    return i >= 0 ? cellValue(cells[i]) : "";
  };
  const column = (field: DirectoryField) => headers[mapping.indexOf(field)] ?? field;
  const problem = (field: DirectoryField, what: string) => ({ kind: "invalid" as const, line, message: `${fileName} line ${line}, column ${column(field)}: ${what}.` });

  let firstName = cleanName(at("first_name"));
  let lastName = cleanName(at("last_name"));
  if ((!firstName || !lastName) && mapping.includes("full_name")) {
    const split = splitFullName(at("full_name"));
    if ("error" in split) return problem("full_name", `the name ${split.error}`);
    ({ firstName, lastName } = split);
  }
  if (!firstName) return problem(mapping.includes("first_name") ? "first_name" : "full_name", "the first name is blank");
  if (!lastName) return problem(mapping.includes("last_name") ? "last_name" : "full_name", "the last name is blank");
  if (firstName.length > NAME_MAX || lastName.length > NAME_MAX) return problem(mapping.includes("first_name") ? "first_name" : "full_name", `a name is longer than ${NAME_MAX} characters`);

  const emailText = at("email").toLowerCase();
  if (emailText) {
    const bad = emailProblem(emailText);
    if (bad) return problem("email", `the email ${bad}`);
  }
  const email = emailText || null;
  const districtId = at("district_id");
  if (!districtId) return { kind: "ignored", line, districtId: null, firstName, lastName, email, reason: "No district ID: the directory matches people by it." };
  const badId = districtIdProblem(districtId);
  if (badId) return problem("district_id", `the district ID ${badId}`);
  const school = at("school");
  if (!school) return { kind: "ignored", line, districtId, firstName, lastName, email, reason: `No school (column ${column("school")} is blank).` };
  const title = cleanName(at("title")) || null;
  if (title && title.length > TITLE_MAX) return problem("title", `longer than ${TITLE_MAX} characters`);
  return { kind: "person", line, districtId, firstName, lastName, email, school, title };
}

/** A student file's grade cell as a membership title: "10" → "Grade 10"; words are kept. */
export function gradeTitle(text: string | null): string | null {
  if (!text) return null;
  const t = text.trim();
  if (/^(k|kg|kindergarten)$/i.test(t)) return "Kindergarten";
  if (/^(pk|pre-?k|prekindergarten)$/i.test(t)) return "Pre-kindergarten";
  const n = /^(?:grade\s*)?0?(\d{1,2})(?:th|st|nd|rd)?$/i.exec(t);
  return n ? `Grade ${Number(n[1])}` : t;
}
