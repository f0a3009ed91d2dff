// Meta's webhook payloads, parsed defensively: unknown fields ignored, enums case-insensitive.
import { z } from "zod";

const upper = <T extends string>(values: readonly [T, ...T[]]) => z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(values));
const lower = <T extends string>(values: readonly [T, ...T[]]) => z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(values));
const idString = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(256));
const unixSeconds = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite().nonnegative());

export const metadataSchema = z.object({
  display_phone_number: idString.optional(),
  phone_number_id: idString,
});

export const contactSchema = z.object({
  wa_id: idString,
  profile: z.object({ name: z.string().max(256).optional() }).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const callItemSchema = z.object({
  id: idString,
  from: idString.optional(),
  to: idString.optional(),
  event: lower(["connect", "terminate"]),
  direction: upper(["USER_INITIATED", "BUSINESS_INITIATED"]).optional(),
  timestamp: unixSeconds.optional(),
  status: upper(["COMPLETED", "FAILED"]).optional(),
  start_time: unixSeconds.optional(),
  end_time: unixSeconds.optional(),
  duration: unixSeconds.optional(),
  session: z.object({ sdp_type: lower(["offer", "answer"]), sdp: z.string().min(1).max(20_000) }).optional(),
  errors: z.array(z.object({ code: z.number().optional(), message: z.string().optional() })).optional(),
  biz_opaque_callback_data: z.string().optional(),
});
export type CallItem = z.infer<typeof callItemSchema>;

export const statusItemSchema = z.object({
  id: idString,
  type: z.string().optional(),
  status: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.string().min(1).max(64)),
  timestamp: unixSeconds.optional(),
  recipient_id: idString.optional(),
  biz_opaque_callback_data: z.string().optional(),
});
export type StatusItem = z.infer<typeof statusItemSchema>;

export const messageItemSchema = z.object({
  id: idString,
  from: idString,
  type: z.string().optional(),
  interactive: z
    .object({
      type: z.string(),
      call_permission_reply: z
        .object({
          response: lower(["accept", "reject"]),
          is_permanent: z.boolean().optional(),
          expiration_timestamp: unixSeconds.optional(),
          response_source: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type MessageItem = z.infer<typeof messageItemSchema>;

/** Contacts that parse; a malformed one (or a contacts field that is not a list) is left out, not the change. */
const contactsSchema = z.unknown().transform((v): Contact[] => (Array.isArray(v) ? v.flatMap((c) => contactSchema.safeParse(c).data ?? []) : []));

/** A change's value; arrays are kept raw so one bad item does not hide the others. */
export const changeValueSchema = z.object({
  metadata: metadataSchema,
  contacts: contactsSchema.optional(),
  calls: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
});
export type ChangeValue = z.infer<typeof changeValueSchema>;

export const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: idString.optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })).default([]),
    }),
  ),
});
