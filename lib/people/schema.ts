import { z } from "zod";
import { newPassword } from "../account/schema";
import { displayName } from "../validation";

export const ROLES = ["agent", "admin"] as const;

/** Adding a person: a new account with a first password, or an existing account joining this organisation. */
export const personInput = z.object({
  name: displayName(),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address like name@example.com").max(200, "Keep the email to 200 characters or fewer")),
  role: z.enum(ROLES, { error: "Role must be agent or admin" }).default("agent"),
  password: z.string().min(8, "The first password needs at least 8 characters").max(200, "Keep the password to 200 characters or fewer"),
});
export type PersonInput = z.infer<typeof personInput>;

/** PATCH a person: their role here and/or their name (an account of this organisation alone). */
export const personUpdateInput = z
  .object({
    role: z.enum(ROLES, { error: "Role must be agent or admin" }).optional(),
    name: displayName().optional(),
  })
  .refine((v) => v.role !== undefined || v.name !== undefined, "Nothing to change: send a role or a name");
export type PersonUpdate = z.infer<typeof personUpdateInput>;

/** An admin setting a new password for someone who lost theirs. */
export const personPasswordInput = z.object({ password: newPassword() });
