import { z } from "zod";
import { SIGN_IN_WORDS, type Language } from "~/domain/sign-in-messages";
import { PASSWORD_MIN_LENGTH } from "~/forms/user";

const PASSWORD_MAX_LENGTH = 200;

const emailField = (lang: Language) => {
  const e = SIGN_IN_WORDS[lang].errors;
  return z
    .string({ required_error: e.emailRequired })
    .trim()
    .min(1, e.emailRequired)
    .max(254, e.emailTooLong)
    .email(e.emailFormat)
    .transform((v) => v.toLowerCase());
};

/** "Email me a sign-in link" and "Email me a reset link": one address, and where to land afterwards. */
export const emailLinkSchema = (lang: Language) => z.object({ email: emailField(lang), redirectTo: z.string().max(500).optional() });

/** Who, of the people of a shared mailbox, signs in: "person:<id>" or "user:<id>". */
export const LinkChoiceSchema = z.object({ who: z.string().regex(/^(person|user):[A-Za-z0-9_-]{1,64}$/) });

export const newPasswordSchema = (lang: Language) => {
  const e = SIGN_IN_WORDS[lang].errors;
  const password = z.string({ required_error: e.passwordShort(PASSWORD_MIN_LENGTH) }).min(PASSWORD_MIN_LENGTH, e.passwordShort(PASSWORD_MIN_LENGTH)).max(PASSWORD_MAX_LENGTH, e.passwordLong(PASSWORD_MAX_LENGTH));
  return z
    .object({ password, confirm: z.string({ required_error: e.passwordsDiffer }) })
    .refine((v) => v.password === v.confirm, { path: ["confirm"], message: e.passwordsDiffer });
};

/** Changing one's own password: the current one, then the new one twice. */
export const ChangePasswordSchema = z
  .object({
    current: z.string({ required_error: "Enter your current password" }).min(1, "Enter your current password").max(PASSWORD_MAX_LENGTH),
    password: z.string({ required_error: `The new password must be at least ${PASSWORD_MIN_LENGTH} characters` }).min(PASSWORD_MIN_LENGTH, `The new password must be at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH, `The new password must be at most ${PASSWORD_MAX_LENGTH} characters`),
    confirm: z.string({ required_error: "Type the new password again" }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two new passwords are not the same" })
  .refine((v) => v.password !== v.current, { path: ["password"], message: "The new password must differ from the current one" });
