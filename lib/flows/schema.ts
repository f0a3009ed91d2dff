import { z } from "zod";
import { displayName } from "../validation";

export const flowSettingsInput = z.object({
  name: displayName(),
  description: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || undefined),
  accountId: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .transform((v) => v || null),
  active: z.boolean().default(true),
  isCallStart: z.boolean().default(false),
});

export const flowDraftInput = z.object({ document: z.unknown() });

export const flowImportInput = z.object({
  name: z.string().trim().min(1).max(80),
  accountId: z
    .string()
    .min(1)
    .nullable()
    .optional()
    .transform((v) => v || null),
  document: z.unknown(),
});
