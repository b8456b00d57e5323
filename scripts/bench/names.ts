/** The names the file benches write: accents, apostrophes and commas, as district exports have them. */
export const FIRST_NAMES = ["José", "María", "Nguyễn", "Zoë", "Ana María", "Chloé", "Søren", "Aaliyah", "Jamal", "Wei"];
export const LAST_NAMES = ["Núñez", "García", "O'Brien", "Smith, Jr.", "Đặng", "Müller", "Łukasz", "de la Cruz", "Kim", "Okafor"];

/** The i-th person's names: the same person in every bench file that names them. */
export const firstNameOf = (i: number) => FIRST_NAMES[i % FIRST_NAMES.length];
export const lastNameOf = (i: number) => LAST_NAMES[(i * 7) % LAST_NAMES.length];

/** One CSV cell, quoted when it holds a quote, a comma or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
