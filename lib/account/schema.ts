import { z } from "zod";
import { displayName } from "../validation";

/** What a signed-in person may change of their own account: the name colleagues see. */
export const profileInput = z.object({
  name: displayName(),
});
export type ProfileInput = z.infer<typeof profileInput>;

/** A password someone chooses now (for themselves, or an admin for someone who lost theirs). */
export const newPassword = () => z.string().min(8, "The new password needs at least 8 characters").max(200, "Keep the password to 200 characters or fewer");

export const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    newPassword: newPassword(),
  })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });
export type PasswordChangeInput = z.infer<typeof passwordChangeInput>;
