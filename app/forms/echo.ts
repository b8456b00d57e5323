/**
 * What was typed into a form, to show again beside the errors after a refused post.
 * Passwords are never sent back to the page.
 */
export function typedValues(formData: FormData, omit: string[] = ["password"]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !omit.includes(key)) values[key] ??= value;
  }
  return values;
}
