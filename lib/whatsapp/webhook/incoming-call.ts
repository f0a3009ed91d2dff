// A user is calling one of our numbers: log the call, then hand it to a gateway or reject it.
import { randomUUID } from "node:crypto";
import { callChanged } from "../../agents/transfers";
import { rejectIncomingCall } from "../../calls/reject-incoming";
import { assignCall, noRoomReason } from "../../gateway/dispatch";
import { redis } from "../../gateway/redis";
import { HAND_OFF_SHARE, overdue, TURN_AWAY_SHARE } from "../../gateway/setup-deadline";
import { config } from "../../config";
import { db } from "../../db";
import { logger } from "../../log";
import { behindReason, rejectedEarly, WAITS_TO_HAND_OFF } from "./early-reject";
import { cachedGraphClientFor, graphClientFor, graphClientOf, graphClientSelect } from "../account-client";
import type { CallItem } from "../webhook-schema";

const log = logger.child({ component: "incoming-call" });

type Contact = { wa_id: string; profile?: { name?: string } };

/**
 * `receivedAt`: when its webhook arrived; the gateway must answer within `[gateway] setup_deadline_ms` of it.
 * `rejected`: the call was rejected as its webhook arrived (early-reject.ts) and is only logged; it
 * resolves to the error its log shows.
 */
export async function handleIncomingConnect(accountId: string, item: CallItem, contacts: Contact[], receivedAt = Date.now(), rejected?: Promise<string>) {
  if (rejected) {
    await logTurnedAway(accountId, item, contacts, await rejected);
    return;
  }
  // A web tier that is behind, or gateways with no room: the call is turned away before any database
  // work (at overload most calls take this way, and each statement they wait for makes them later).
  const [earlier, turnAway] = await Promise.all([
    rejectedEarly(accountId, item.id),
    handOffTooLate(receivedAt, config().gateway.setup_deadline_ms, TURN_AWAY_SHARE) ??
      behindReason(WAITS_TO_HAND_OFF, Date.now() - receivedAt) ??
      noRoomReason(redis()),
  ]);
  // Meta redelivered a webhook whose call was rejected as it arrived but whose store failed.
  if (earlier) {
    await logTurnedAway(accountId, item, contacts, REJECTED_EARLIER);
    return;
  }
  if (turnAway) return rejectAtOnce(accountId, item, contacts, turnAway);
  const account = await db.whatsAppAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { id: true, orgId: true, phoneNumberId: true, org: { select: { callingEnabled: true } } },
  });
  orgOfAccount.set(accountId, account.orgId);
  // The flow lookup needs only the account: it runs alongside the contact and call writes below.
  const decision = whyNot(account.orgId, accountId, account.org.callingEnabled, item);
  decision.catch(() => {});
  const { contactId, callerPhone, startedAt } = await saveContact(account.orgId, item, contacts);
  const call = await db.call.upsert({
    where: { accountId_waCallId: { accountId, waCallId: item.id } },
    create: {
      orgId: account.orgId,
      accountId,
      waCallId: item.id,
      direction: "incoming",
      status: "ringing",
      contactId,
      callerPhone,
      startedAt,
    },
    update: {},
    select: { id: true, status: true },
  });
  const clog = log.child({ callId: call.id, orgId: account.orgId, waCallId: item.id });
  if (call.status !== "ringing") return;
  // Best effort and not awaited: the webhook answers Meta fast; the call list also refreshes on later events.
  void callChanged(account.orgId, call.id, "ringing");

  // Store-then-check against the terminate handler (which stores, then looks for the call):
  // whichever runs second sees the other, so a hung-up call is never started.
  const terminated = await db.webhookEvent.findUnique({
    where: { dedupeKey: `${account.phoneNumberId}:call:${item.id}:terminate` },
    select: { id: true },
  });
  if (terminated) {
    await db.call.updateMany({
      where: { id: call.id, endedAt: null },
      data: { status: "missed", endedAt: new Date(), durationSecs: 0, disconnectedBy: "client", error: "Caller hung up before the call was answered" },
    });
    clog.info("terminate arrived before connect; call not started");
    return;
  }

  const reason = await decision;
  if (reason.kind === "reject") return reject(accountId, call.id, item.id, reason.message, clog);
  // Behind already (this process or PostgreSQL is saturated): the gateway would only reject it late.
  const late = handOffTooLate(receivedAt, config().gateway.setup_deadline_ms);
  if (late) {
    await rejectIncomingCall({
      callId: call.id,
      waCallId: item.id,
      reason: late,
      graph: () => cachedGraphClientFor(accountId),
      log: clog,
      onLogError: "throw",
      alongside: true,
    });
    return;
  }

  const assigned = await assignCall(redis(), {
    type: "call.assign",
    callId: call.id,
    waCallId: item.id,
    orgId: account.orgId,
    accountId,
    phoneNumberId: account.phoneNumberId,
    flowId: reason.flowId,
    callerPhone,
    sdpOffer: item.session!.sdp,
    receivedAt,
  });
  if (!assigned.ok) return reject(accountId, call.id, item.id, assigned.reason, clog);
  await db.call.update({ where: { id: call.id }, data: { gatewayId: assigned.gatewayId, flowId: reason.flowId, flowVersion: reason.flowVersion } });
  clog.info({ gatewayId: assigned.gatewayId, reused: assigned.reused }, "call assigned to media gateway");
}

async function whyNot(
  orgId: string,
  accountId: string,
  callingEnabled: boolean,
  item: CallItem,
): Promise<{ kind: "reject"; message: string } | { kind: "go"; flowId: string; flowVersion: number }> {
  if (!callingEnabled) return { kind: "reject", message: "Calling is disabled for this organisation" };
  if (item.session?.sdp_type !== "offer") return { kind: "reject", message: "The call arrived without an SDP offer" };
  const flow = await db.ivrFlow.findFirst({
    where: { orgId, accountId, active: true, isCallStart: true, publishedDocument: { not: { equals: null } } },
    orderBy: { updatedAt: "desc" },
    select: { id: true, version: true },
  });
  if (!flow) return { kind: "reject", message: "No active call-start IVR flow is published for this number" };
  return { kind: "go", flowId: flow.id, flowVersion: flow.version };
}

/** Why a call whose webhook arrived at `receivedAt` is too late to hand to a gateway now, or null. */
export function handOffTooLate(receivedAt: number, deadlineMs: number, share = HAND_OFF_SHARE, now = Date.now()): string | null {
  const waited = overdue(receivedAt, deadlineMs, share, now);
  if (waited === null) return null;
  return `The call could not be handed to a media gateway in time to be answered within ${deadlineMs} ms (${waited} ms had passed; the web tier is overloaded)`;
}

/** An account never moves to another organisation: once read, a turned-away call need not wait for its row. */
const orgOfAccount = new Map<string, string>();

/** The caller as a contact (created, or named from the webhook's profile) and the call's start. */
async function saveContact(orgId: string, item: CallItem, contacts: Contact[]) {
  const callerPhone = item.from ?? contacts[0]?.wa_id ?? "unknown";
  const profile = contacts.find((c) => c.wa_id === callerPhone) ?? contacts[0];
  const contact = await db.contact.upsert({
    where: { orgId_waId: { orgId, waId: callerPhone } },
    create: { orgId, waId: callerPhone, name: profile?.profile?.name },
    update: profile?.profile?.name ? { name: profile.profile.name } : {},
    select: { id: true },
  });
  return { contactId: contact.id, callerPhone, startedAt: item.timestamp ? new Date(item.timestamp * 1000) : new Date() };
}

const REJECTED_EARLIER = "Rejected as it arrived by a web tier that was behind (this is a redelivery of its webhook)";

/**
 * A call turned away before any other work: logged closed (rejected, with the reason) in the statement
 * that logs it, then rejected through the Graph API. A redelivered webhook finds the call's row and
 * leaves the call to the delivery that wrote it. (A terminate that came first is not looked for: the
 * call is logged rejected, not missed.)
 */
async function rejectAtOnce(accountId: string, item: CallItem, contacts: Contact[], reason: string) {
  const account = db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { orgId: true, ...graphClientSelect } });
  account.catch(() => {});
  const logged = await logTurnedAway(accountId, item, contacts, reason, account);
  if (!logged) return;
  await rejectIncomingCall({
    callId: logged.callId,
    waCallId: item.id,
    reason,
    graph: async () => graphClientOf(await account),
    log: log.child({ callId: logged.callId, orgId: logged.orgId, waCallId: item.id }),
    onLogError: "throw",
    closed: true,
  });
}

/**
 * Saves the caller as a contact and logs the call closed as rejected, in one statement; null when the
 * call was logged already (a redelivery, another web tier). `account`: its row when being read anyway.
 */
async function logTurnedAway(accountId: string, item: CallItem, contacts: Contact[], reason: string, account?: Promise<{ orgId: string }>) {
  const orgId =
    orgOfAccount.get(accountId) ?? (await (account ?? db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { orgId: true } }))).orgId;
  const callerPhone = item.from ?? contacts[0]?.wa_id ?? "unknown";
  const name = (contacts.find((c) => c.wa_id === callerPhone) ?? contacts[0])?.profile?.name ?? null;
  const startedAt = item.timestamp ? new Date(item.timestamp * 1000) : new Date();
  const now = new Date();
  // One statement, not Prisma's upsert then insert: at overload every call waits for each statement
  // behind all the others' (ids are opaque text; Prisma makes its cuids client-side, so these are UUIDs).
  const [logged] = await db.$queryRaw<{ id: string }[]>`
    WITH contact AS (
      INSERT INTO contacts (id, org_id, wa_id, name, updated_at) VALUES (${randomUUID()}, ${orgId}, ${callerPhone}, ${name}, ${now})
      ON CONFLICT (org_id, wa_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, contacts.name),
        updated_at = CASE WHEN EXCLUDED.name IS NULL THEN contacts.updated_at ELSE EXCLUDED.updated_at END
      RETURNING id
    )
    INSERT INTO calls (id, org_id, account_id, wa_call_id, direction, status, contact_id, caller_phone, started_at, ended_at, duration_secs, disconnected_by, error)
    SELECT ${randomUUID()}, ${orgId}, ${accountId}, ${item.id}, 'incoming', 'rejected', contact.id, ${callerPhone}, ${startedAt}, ${now}, 0, 'system', ${reason}
    FROM contact
    ON CONFLICT (account_id, wa_call_id) DO NOTHING
    RETURNING id`;
  if (!logged) return null;
  void callChanged(orgId, logged.id, "rejected");
  return { callId: logged.id, orgId };
}

/** A failed log write throws, so Meta retries the webhook. */
function reject(accountId: string, callId: string, waCallId: string, reason: string, clog: typeof log) {
  return rejectIncomingCall({ callId, waCallId, reason, graph: () => graphClientFor(accountId), log: clog, onLogError: "throw" }).then(() => {});
}
