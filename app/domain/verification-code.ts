import { randomBytes } from "node:crypto";

/**
 * The public certificate check's code: 128 random bits in base64url, 22 characters
 * (see newVerificationCode). Anything else is rejected before the database is asked.
 */
export const VERIFICATION_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new code: 128 random bits in base64url. A code that would begin with "-" or "_" is drawn again:
 * "-" is a formula to a spreadsheet, so a CSV export would have to guard it with an apostrophe and the
 * code in the file would no longer be the code, and either is easy to miss on a printed certificate.
 * (Drawing again costs under a twentieth of a bit of the 128; earlier codes that start so still check.)
 */
export function newVerificationCode(): string {
  for (;;) {
    const code = randomBytes(16).toString("base64url");
    if (/^[A-Za-z0-9]/.test(code)) return code;
  }
}

export function isVerificationCode(value: string): boolean {
  return VERIFICATION_CODE_PATTERN.test(value);
}

/**
 * What someone typed into the check form, as a code: trimmed, and when they pasted the whole
 * check address (".../verify/<code>") just the last part of it.
 */
export function codeFromInput(input: string): string {
  const trimmed = input.trim();
  const pasted = /\/verify\/([^/?#\s]+)\/?(?:[?#].*)?$/.exec(trimmed);
  return pasted ? pasted[1] : trimmed;
}
