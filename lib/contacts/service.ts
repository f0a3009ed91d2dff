// Contacts: the list (search by name or number, keyset pages), add/edit by hand, and the
// conversation view — every call with the contact and every permission request and reply, in order.
import type { OrgContext } from "../auth/session";
import { visibleCalls } from "../calls/access";
import { noAgentAnswered } from "../calls/present";
import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import type { ContactData, ContactListQuery, ContactPatchData } from "./schema";

export const CONTACTS_PAGE = 50;

const listSelect = { id: true, name: true, waId: true, callPermission: true, permissionExpiresAt: true, updatedAt: true } satisfies Prisma.ContactSelect;

export async function listContacts(ctx: OrgContext, query: ContactListQuery) {
  const q = query.q?.trim();
  const digits = q?.replace(/[\s()+.-]/g, "");
  const where: Prisma.ContactWhereInput = {
    orgId: ctx.orgId,
    ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, ...(digits && /^\d+$/.test(digits) ? [{ waId: { startsWith: digits } }] : [])] } : {}),
  };
  const rows = await db.contact.findMany({
    where,
    // Latest call first (a contact never called: when it was saved), keyset on (lastActivityAt, id),
    // one index range per page. Ids alone have no order: a caller's contact gets a random UUID.
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    ...(query.after ? { cursor: { id: query.after }, skip: 1 } : {}),
    take: CONTACTS_PAGE + 1,
    select: listSelect,
  });
  const page = rows.slice(0, CONTACTS_PAGE);
  return { contacts: page, next: rows.length > CONTACTS_PAGE ? page.at(-1)!.id : null };
}

const duplicate = (err: unknown) => {
  if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", "A contact with this number already exists");
  throw err;
};

export async function createContact(ctx: OrgContext, data: ContactData) {
  return db.contact.create({ data: { orgId: ctx.orgId, name: data.name, waId: data.waId }, select: listSelect }).catch(duplicate);
}

export async function updateContact(ctx: OrgContext, id: string, data: ContactPatchData) {
  const { count } = await db.contact
    .updateMany({
      where: { id, orgId: ctx.orgId },
      data: { ...(data.name !== undefined ? { name: data.name } : {}), ...(data.waId ? { waId: data.waId } : {}) },
    })
    .catch(duplicate);
  if (count === 0) throw notFound("Contact");
  return db.contact.findUniqueOrThrow({ where: { id }, select: listSelect });
}

/** How many items the conversation shows (the most recent). */
const THREAD_LIMIT = 100;

export type ThreadItem =
  | {
      kind: "call";
      at: string;
      id: string;
      direction: "incoming" | "outgoing";
      status: string;
      durationSecs: number | null;
      agent: string | null;
      /** Transferred to a team and taken by nobody (the call log's "No agent answered"). */
      noAgentAnswered: boolean;
      error: string | null;
      disconnectedBy: string | null;
      recording: boolean;
      fromCallback: boolean;
    }
  | { kind: "activity"; at: string; id: string; activity: string; by: string | null; detail: string | null };

export async function contactConversation(ctx: OrgContext, id: string) {
  const contact = await db.contact.findFirst({ where: { id, orgId: ctx.orgId }, select: { ...listSelect, createdAt: true } });
  if (!contact) throw notFound("Contact");
  const [calls, activities, accounts, openCallback] = await Promise.all([
    db.call.findMany({
      where: { AND: [{ contactId: id }, visibleCalls(ctx)] },
      orderBy: { startedAt: "desc" },
      take: THREAD_LIMIT,
      select: {
        id: true,
        direction: true,
        status: true,
        startedAt: true,
        durationSecs: true,
        error: true,
        disconnectedBy: true,
        callbackTaskId: true,
        teamIds: true,
        agent: { select: { name: true } },
        recordings: { where: { status: "ready" }, take: 1, select: { id: true } },
      },
    }),
    db.contactActivity.findMany({ where: { contactId: id, orgId: ctx.orgId }, orderBy: { at: "desc" }, take: THREAD_LIMIT }),
    db.whatsAppAccount.findMany({ where: { orgId: ctx.orgId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, displayPhone: true } }),
    db.callbackTask.findFirst({
      where: { orgId: ctx.orgId, contactId: id, status: "open" },
      orderBy: { createdAt: "asc" },
      select: { id: true, accountId: true },
    }),
  ]);
  const userIds = [...new Set(activities.map((a) => a.userId).filter((u): u is string => !!u))];
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const items: ThreadItem[] = [
    ...calls.map(
      (c): ThreadItem => ({
        kind: "call",
        at: c.startedAt.toISOString(),
        id: c.id,
        direction: c.direction,
        status: c.status,
        durationSecs: c.durationSecs,
        agent: c.agent?.name ?? null,
        noAgentAnswered: noAgentAnswered(c),
        error: c.error,
        disconnectedBy: c.disconnectedBy,
        recording: c.recordings.length > 0,
        fromCallback: !!c.callbackTaskId,
      }),
    ),
    ...activities.map(
      (a): ThreadItem => ({
        kind: "activity",
        at: a.at.toISOString(),
        id: a.id,
        activity: a.kind,
        by: a.userId ? (users.get(a.userId) ?? "A former member") : null,
        detail: a.detail,
      }),
    ),
  ];
  // Oldest first, as a chat reads; only the most recent THREAD_LIMIT.
  items.sort((a, b) => a.at.localeCompare(b.at));
  return { contact, items: items.slice(-THREAD_LIMIT), accounts, openCallback };
}
