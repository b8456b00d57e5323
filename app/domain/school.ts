/** Rules for schools and regions that forms and CSV imports share. No database, no framework. */

export const SCHOOL_LEVELS = ["ELEMENTARY", "MIDDLE", "HIGH", "K12", "CENTER", "OTHER"] as const;
export type SchoolLevelName = (typeof SCHOOL_LEVELS)[number];

export const SCHOOL_LEVEL_LABELS: Record<SchoolLevelName, string> = {
  ELEMENTARY: "Elementary",
  MIDDLE: "Middle",
  HIGH: "High",
  K12: "K-12",
  CENTER: "Center",
  OTHER: "Other",
};

/** How a level is written in a CSV file or a query string. */
export const SCHOOL_LEVEL_WORDS = ["elementary", "middle", "high", "k12", "center", "other"] as const;

const LEVEL_BY_WORD: Record<string, SchoolLevelName> = {
  elementary: "ELEMENTARY",
  middle: "MIDDLE",
  high: "HIGH",
  k12: "K12",
  center: "CENTER",
  // HR exports from outside the US spell it this way.
  centre: "CENTER",
  other: "OTHER",
};

/** Case-insensitive; "K-12" and "k 12" read as k12. Returns null for anything else. */
export function parseSchoolLevel(text: string): SchoolLevelName | null {
  const word = text.trim().toLowerCase().replace(/[\s_-]+/g, "");
  return LEVEL_BY_WORD[word] ?? null;
}

export function schoolLevelWord(level: SchoolLevelName): string {
  return level.toLowerCase();
}

export const CODE_MAX_LENGTH = 32;
export const NAME_MAX_LENGTH = 200;
// Codes appear in URLs, file names and other systems' exports, so keep them plain.
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CODE_RULE = "may only use letters, digits, dots, dashes and underscores, starting with a letter or digit";

/** Why a school or region code is not acceptable, or null when it is. */
export function codeProblem(code: string): string | null {
  if (!code) return "is blank";
  if (code.length > CODE_MAX_LENGTH) return `is longer than ${CODE_MAX_LENGTH} characters`;
  if (!CODE_PATTERN.test(code)) return CODE_RULE;
  return null;
}
