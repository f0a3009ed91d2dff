import { z } from "zod";

export const teamInput = z.object({ name: z.string().trim().min(1, "Team name is required").max(80) });
export const teamMemberInput = z.object({ userId: z.string().min(1, "Choose a member") });
