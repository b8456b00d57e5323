/**
 * The public certificate check's code: 128 random bits in base64url, 22 characters
 * (see newVerificationCode). Anything else is rejected before the database is asked.
 */
export const VERIFICATION_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

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
