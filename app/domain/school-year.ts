/**
 * A school year is named by the calendar year it starts in: 2025 is "2025-26".
 * It runs from 1 July to 30 June.
 */
export function schoolYearOf(date: Date): number {
  const year = date.getUTCFullYear();
  return date.getUTCMonth() >= 6 ? year : year - 1;
}

export function formatSchoolYear(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** Accepts "2025", "2025-26", "2025-2026" or "2025/26"; returns the start year or null. */
export function parseSchoolYear(text: string): number | null {
  const match = /^\s*(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?\s*$/.exec(text);
  if (!match) return null;
  const start = Number(match[1]);
  if (start < 1990 || start > 2100) return null;
  if (match[2]) {
    const end = Number(match[2]);
    const expected = match[2].length === 2 ? (start + 1) % 100 : start + 1;
    if (end !== expected) return null;
  }
  return start;
}
