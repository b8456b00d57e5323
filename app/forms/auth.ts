import { z } from "zod";

// No account's password is longer (app/forms/user.ts caps it at 200), and a cap keeps a huge
// "password" from costing a hash; the email cap is the longest an address can be.
const PASSWORD_MAX_LENGTH = 200;
const EMAIL_MAX_LENGTH = 254;

export const SignInSchema = z.object({
  email: z
    .string({ required_error: "Email is required" })
    .trim()
    .min(1, "Email is required")
    .max(EMAIL_MAX_LENGTH, `Email must be at most ${EMAIL_MAX_LENGTH} characters`)
    .email("Enter an email address like name@school.org"),
  password: z
    .string({ required_error: "Password is required" })
    .min(1, "Password is required")
    .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`),
  redirectTo: z.string().optional(),
});
