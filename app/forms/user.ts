import { z } from "zod";
import { checkbox } from "~/utils/forms";
import { ROLES } from "~/domain/roles";

export const PASSWORD_MIN_LENGTH = 12;
// Argon2 takes any length, but a cap stops a megabyte "password" from costing a hash.
const PASSWORD_MAX_LENGTH = 200;

const name = z
  .string({ required_error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(120, "Name must be at most 120 characters");

const role = z.enum(ROLES, { errorMap: () => ({ message: "Choose a role" }) });

/** "A1, B2,,A1" → ["A1", "B2"]: the schools a coordinator may see, by code. */
const schoolCodes = z
  .string()
  .optional()
  .transform((text) => [...new Set((text ?? "").split(",").map((c) => c.trim()).filter(Boolean))]);

export const password = z
  .string({ required_error: "Password is required" })
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);

// A coordinator sees only their schools, so one with none would see nothing.
function coordinatorNeedsSchools(values: { role: string; schoolCodes: string[] }, ctx: z.RefinementCtx) {
  if (values.role === "COORDINATOR" && values.schoolCodes.length === 0) {
    ctx.addIssue({ code: "custom", path: ["schoolCodes"], message: "School codes are required for a school coordinator" });
  }
}

/** The new-user form. */
export const NewUserSchema = z
  .object({
    email: z
      .string({ required_error: "Email is required" })
      .trim()
      .toLowerCase()
      .min(1, "Email is required")
      .max(254, "Email must be at most 254 characters")
      .email("Enter an email address like name@school.org"),
    name,
    role,
    password,
    schoolCodes,
    districtId: z
      .string()
      .trim()
      .max(40, "District ID must be at most 40 characters")
      .optional()
      .transform((v) => (v ? v : undefined)),
  })
  .superRefine(coordinatorNeedsSchools);

/** The edit-user form's main part (intent=save): who they are, what they may see, whether they may sign in. */
export const EditUserSchema = z
  .object({ name, role, schoolCodes, active: checkbox })
  .superRefine(coordinatorNeedsSchools);

/** The edit-user form's second part (intent=reset-password). */
export const ResetPasswordSchema = z.object({ password });

export const USER_INTENTS = ["save", "reset-password"] as const;

export type NewUserForm = z.infer<typeof NewUserSchema>;
export type EditUserForm = z.infer<typeof EditUserSchema>;
