import { z } from "zod";
import { displayName } from "../validation";

const digits = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,20}$/, `${label} must be 5–20 digits`);

export const accountCreateInput = z.object({
  name: displayName(),
  phoneNumberId: digits("Phone number ID"),
  displayPhone: z
    .string()
    .trim()
    .regex(/^\+?[\d ()-]{5,24}$/, "Display phone must be a phone number"),
  wabaId: digits("WhatsApp Business Account ID"),
  accessToken: z.string().trim().min(10, "Access token looks too short").max(2048, "Access token is too long (at most 2048 characters)"),
  appSecret: z.string().trim().min(8, "App secret looks too short").max(256, "App secret is too long (at most 256 characters)"),
  verifyToken: z.string().trim().min(8, "Verify token must be at least 8 characters").max(128, "Verify token is too long (at most 128 characters)"),
});

/** Secrets are write-only: empty means "keep the stored value". */
export const accountUpdateInput = accountCreateInput.partial().extend({
  accessToken: z
    .string()
    .trim()
    .max(2048, "Access token is too long (at most 2048 characters)")
    .optional()
    .transform((v) => v || undefined),
  appSecret: z
    .string()
    .trim()
    .max(256, "App secret is too long (at most 256 characters)")
    .optional()
    .transform((v) => v || undefined),
  /** WhatsApp text sent when an incoming call ends unanswered; empty turns it off. */
  missedCallText: z
    .string()
    .trim()
    .max(1000, "At most 1000 characters")
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null)),
});
