import { z } from "zod";

const digits = (label: string) => z.string().trim().regex(/^\d{5,20}$/, `${label} must be 5–20 digits`);

export const accountCreateInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(80),
  phoneNumberId: digits("Phone number ID"),
  displayPhone: z.string().trim().regex(/^\+?[\d ()-]{5,24}$/, "Display phone must be a phone number"),
  wabaId: digits("WhatsApp Business Account ID"),
  accessToken: z.string().trim().min(10, "Access token looks too short"),
  appSecret: z.string().trim().min(8, "App secret looks too short"),
  verifyToken: z.string().trim().min(8, "Verify token must be at least 8 characters"),
});

/** Secrets are write-only: empty means "keep the stored value". */
export const accountUpdateInput = accountCreateInput.partial().extend({
  accessToken: z.string().trim().optional().transform((v) => v || undefined),
  appSecret: z.string().trim().optional().transform((v) => v || undefined),
});
