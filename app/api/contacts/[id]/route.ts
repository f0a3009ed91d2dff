// GET /api/contacts/{id}: the contact and its conversation (calls, permission requests and replies).
// PATCH /api/contacts/{id}: edit name or number.
import { withOrg } from "@/lib/api/handler";
import { type ContactPatchData, contactPatch } from "@/lib/contacts/schema";
import { contactConversation, updateContact } from "@/lib/contacts/service";

export const dynamic = "force-dynamic";

type P = { id: string };
export const GET = withOrg<unknown, P>({}, (ctx) => contactConversation(ctx, ctx.params.id));
export const PATCH = withOrg<ContactPatchData, P>({ input: contactPatch }, (ctx) => updateContact(ctx, ctx.params.id, ctx.input));
