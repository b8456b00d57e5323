import { z } from "zod";

// No account's password is longer (app/forms/user.ts caps it at 200), and a cap keeps a huge
// "password" from costing a hash; the email cap is the longest an address can be.
const PASSWORD_MAX_LENGTH = 200;
const EMAIL_MAX_LENGTH = 254;

const SIGN_IN_ERRORS = {
  en: { emailRequired: "Email is required", emailLong: `Email must be at most ${EMAIL_MAX_LENGTH} characters`, emailFormat: "Enter an email address like name@school.org", passwordRequired: "Password is required", passwordLong: `Password must be at most ${PASSWORD_MAX_LENGTH} characters` },
  es: { emailRequired: "El correo electrónico es obligatorio", emailLong: `El correo no puede tener más de ${EMAIL_MAX_LENGTH} caracteres`, emailFormat: "Escriba un correo como nombre@escuela.org", passwordRequired: "La contraseña es obligatoria", passwordLong: `La contraseña no puede tener más de ${PASSWORD_MAX_LENGTH} caracteres` },
} as const;

/** The password sign-in form, its messages in the page's language. */
export function signInSchema(lang: "en" | "es") {
  const e = SIGN_IN_ERRORS[lang];
  return z.object({
    email: z.string({ required_error: e.emailRequired }).trim().min(1, e.emailRequired).max(EMAIL_MAX_LENGTH, e.emailLong).email(e.emailFormat),
    password: z.string({ required_error: e.passwordRequired }).min(1, e.passwordRequired).max(PASSWORD_MAX_LENGTH, e.passwordLong),
    redirectTo: z.string().optional(),
    lang: z.string().optional(),
  });
}

export const SignInSchema = signInSchema("en");
