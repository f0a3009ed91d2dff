import { z } from "zod";
import { displayName } from "../validation";

export const teamInput = z.object({ name: displayName("Team name is required") });
/** PATCH a team: rename it and/or set its service level target ("80% answered within 20 s"). */
export const teamUpdateInput = z
  .object({
    name: teamInput.shape.name.optional(),
    slPercent: z.number().int().min(1, "Target must be 1–100 %").max(100, "Target must be 1–100 %").optional(),
    slSeconds: z.number().int().min(1, "Answer time must be 1–120 s").max(120, "Answer time must be 1–120 s").optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");
export type TeamUpdate = z.infer<typeof teamUpdateInput>;
export const teamMemberInput = z.object({ userId: z.string().min(1, "Choose a member") });
/** PATCH a team membership: whether the member may watch the live board. */
export const teamMemberUpdateInput = z.object({ supervisor: z.boolean({ error: "supervisor must be true or false" }) });
