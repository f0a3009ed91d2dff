// Contact inputs, shared by the API routes and the add/edit form.
import { z } from "zod";

/** A WhatsApp id is the number with country code, digits only; people type "+55 11 98765-4321". */
export const waIdInput = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s()+.-]/g, ""))
  .pipe(z.string().regex(/^\d{7,15}$/, "Enter the number with its country code, e.g. +55 11 98765 4321"));

export const contactInput = z.strictObject({
  name: z
    .string()
    .trim()
    .max(120, "Keep the name to 120 characters or fewer")
    .optional()
    .transform((s) => s || null),
  waId: waIdInput,
});
export type ContactData = z.output<typeof contactInput>;

export const contactPatch = contactInput.partial();
export type ContactPatchData = z.output<typeof contactPatch>;

export const contactListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  /** The last contact id of the previous page. */
  after: z.string().max(64).optional(),
});
export type ContactListQuery = z.infer<typeof contactListQuery>;

export const permissionQuery = z.strictObject({ accountId: z.string().min(1).max(64) });
export const permissionRequestInput = z.strictObject({ accountId: z.string().min(1).max(64) });
