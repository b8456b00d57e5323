import { z } from "zod";

export const SignInSchema = z.object({
  email: z.string({ required_error: "Email is required" }).trim().min(1, "Email is required").email("Enter an email address like name@school.org"),
  password: z.string({ required_error: "Password is required" }).min(1, "Password is required"),
  redirectTo: z.string().optional(),
});
