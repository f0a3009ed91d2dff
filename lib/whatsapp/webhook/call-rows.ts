// An incoming call's first writes, each one SQL statement: at overload every statement a call waits
// for queues behind every other webhook's, and each one made the call later (Prisma's upserts and
// reads were four in a row). Ids are opaque text; Prisma makes its cuids client-side, so these are UUIDs.
import { randomUUID } from "node:crypto";
import { Prisma } from "../../db";
import { sqlRows } from "../../db/sql";
import type { CallItem, Contact } from "../webhook-schema";

export type { Contact };

/** Who is calling, as the call log and the contact list name them. */
function callerOf(item: CallItem, contacts: Contact[]) {
  const callerPhone = item.from ?? contacts[0]?.wa_id ?? "unknown";
  const name = (contacts.find((c) => c.wa_id === callerPhone) ?? contacts[0])?.profile?.name ?? null;
  const startedAt = item.timestamp ? new Date(item.timestamp * 1000) : new Date();
  return { callerPhone, name, startedAt };
}

/**
 * The CTE `contact` (its `id`): the caller inserted from `row` (id, org_id, wa_id, name, updated_at,
 * last_activity_at), or found, renamed when the webhook names them, and moved up the contacts list.
 */
function contactCte(row: Prisma.Sql) {
  return Prisma.sql`contact AS (
      INSERT INTO contacts (id, org_id, wa_id, name, updated_at, last_activity_at) ${row}
      ON CONFLICT (org_id, wa_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, contacts.name),
        updated_at = CASE WHEN EXCLUDED.name IS NULL THEN contacts.updated_at ELSE EXCLUDED.updated_at END,
        last_activity_at = GREATEST(contacts.last_activity_at, EXCLUDED.last_activity_at)
      RETURNING id
    )`;
}

export interface RingingCall {
  callId: string;
  /** "ringing" when this delivery may start the call; otherwise the call was dealt with already. */
  status: string;
  orgId: string;
  phoneNumberId: string;
  callingEnabled: boolean;
  /** The number's active, published call-start flow, if any. */
  flowId: string | null;
  flowVersion: number | null;
  callerPhone: string;
}

/**
 * Reads the account, its organisation's calling switch and its call-start flow, saves the caller as a
 * contact and logs the call ringing, in one statement. A call logged already (a redelivery, another
 * web tier) comes back as it is. Throws when the account is gone.
 */
export async function openRingingCall(accountId: string, item: CallItem, contacts: Contact[]): Promise<RingingCall> {
  const { callerPhone, name, startedAt } = callerOf(item, contacts);
  const now = new Date();
  const [row] = await sqlRows<Omit<RingingCall, "callerPhone">>(Prisma.sql`
    WITH account AS (
      SELECT a.id, a.org_id, a.phone_number_id, o.calling_enabled
      FROM whatsapp_accounts a JOIN organizations o ON o.id = a.org_id
      WHERE a.id = ${accountId}
    ), flow AS (
      SELECT f.id, f.version FROM ivr_flows f JOIN account ON f.org_id = account.org_id AND f.account_id = account.id
      WHERE f.active AND f.is_call_start AND f.published_document IS NOT NULL AND f.published_document <> 'null'::jsonb
      ORDER BY f.updated_at DESC LIMIT 1
    ), ${contactCte(Prisma.sql`SELECT ${randomUUID()}, account.org_id, ${callerPhone}, ${name}, ${now}, ${startedAt} FROM account`)}, ringing AS (
      INSERT INTO calls (id, org_id, account_id, wa_call_id, direction, status, contact_id, caller_phone, started_at)
      SELECT ${randomUUID()}, account.org_id, account.id, ${item.id}, 'incoming', 'ringing', contact.id, ${callerPhone}, ${startedAt}
      FROM account, contact
      ON CONFLICT (account_id, wa_call_id) DO UPDATE SET status = calls.status
      RETURNING id, status
    )
    SELECT ringing.id AS "callId", ringing.status::text AS status, account.org_id AS "orgId", account.phone_number_id AS "phoneNumberId",
      account.calling_enabled AS "callingEnabled", flow.id AS "flowId", flow.version AS "flowVersion"
    FROM account CROSS JOIN ringing LEFT JOIN flow ON true`);
  if (!row) throw new Error(`WhatsApp account ${accountId} no longer exists`);
  return { ...row, callerPhone };
}

/**
 * Saves the caller as a contact and logs the call closed as rejected, in one statement; null when the
 * call was logged already (a redelivery, another web tier).
 */
export async function logTurnedAwayCall(orgId: string, accountId: string, item: CallItem, contacts: Contact[], reason: string) {
  const { callerPhone, name, startedAt } = callerOf(item, contacts);
  const now = new Date();
  const [logged] = await sqlRows<{ id: string }>(Prisma.sql`
    WITH ${contactCte(Prisma.sql`VALUES (${randomUUID()}, ${orgId}, ${callerPhone}, ${name}, ${now}, ${startedAt})`)}
    INSERT INTO calls (id, org_id, account_id, wa_call_id, direction, status, contact_id, caller_phone, started_at, ended_at, duration_secs, disconnected_by, error)
    SELECT ${randomUUID()}, ${orgId}, ${accountId}, ${item.id}, 'incoming', 'rejected', contact.id, ${callerPhone}, ${startedAt}, ${now}, 0, 'system', ${reason}
    FROM contact
    ON CONFLICT (account_id, wa_call_id) DO NOTHING
    RETURNING id`);
  return logged ?? null;
}
