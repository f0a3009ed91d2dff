// GET /api/contacts?q=&after=: contacts, searched by name or number, 50 a page (keyset `after`).
// POST /api/contacts: add one by hand — `{name?, waId}`.
import { withOrg } from "@/lib/api/handler";
import { type ContactData, type ContactListQuery, contactInput, contactListQuery } from "@/lib/contacts/schema";
import { createContact, listContacts } from "@/lib/contacts/service";

export const dynamic = "force-dynamic";

export const GET = withOrg<ContactListQuery>({ input: contactListQuery }, (ctx) => listContacts(ctx, ctx.input));
export const POST = withOrg<ContactData>({ input: contactInput }, (ctx) => createContact(ctx, ctx.input));
