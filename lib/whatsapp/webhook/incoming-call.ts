// A user is calling one of our numbers: log the call, then hand it to a gateway or reject it.
import { callChanged } from "../../agents/transfers";
import { rejectIncomingCall } from "../../calls/reject-incoming";
import { assignCall, noRoomReason } from "../../gateway/dispatch";
import { redis } from "../../gateway/redis";
import { HAND_OFF_SHARE, overdue, TURN_AWAY_SHARE } from "../../gateway/setup-deadline";
import { config } from "../../config";
import { db } from "../../db";
import { logger } from "../../log";
import { graphClientFor } from "../account-client";
import type { GraphClient } from "../graph-client";
import type { CallItem } from "../webhook-schema";

const log = logger.child({ component: "incoming-call" });

type Contact = { wa_id: string; profile?: { name?: string } };

/** `receivedAt`: when its webhook arrived; the gateway must answer within `[gateway] setup_deadline_ms` of it. */
export async function handleIncomingConnect(accountId: string, item: CallItem, contacts: Contact[], receivedAt = Date.now()) {
  const account = await db.whatsAppAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { id: true, orgId: true, phoneNumberId: true, org: { select: { callingEnabled: true } } },
  });
  // A web tier that is behind, or gateways with no room: the call will be turned away, so it is
  // logged closed in the statement that logs it and rejected at once, with nothing else done for it
  // (at overload most calls take this way, and every statement saved lets the others through sooner).
  const turnAway = handOffTooLate(receivedAt, config().gateway.setup_deadline_ms, TURN_AWAY_SHARE) ?? (await noRoomReason(redis()));
  // The flow lookup needs only the account: it runs alongside the contact and call writes below.
  const decision = turnAway ? null : whyNot(account.orgId, accountId, account.org.callingEnabled, item);
  decision?.catch(() => {});
  // Turned away: the Graph API client's lookup runs alongside the contact and call writes too.
  const graph = turnAway ? graphClientFor(accountId) : null;
  graph?.catch(() => {});
  const callerPhone = item.from ?? contacts[0]?.wa_id ?? "unknown";
  const profile = contacts.find((c) => c.wa_id === callerPhone) ?? contacts[0];
  const contact = await db.contact.upsert({
    where: { orgId_waId: { orgId: account.orgId, waId: callerPhone } },
    create: { orgId: account.orgId, waId: callerPhone, name: profile?.profile?.name },
    update: profile?.profile?.name ? { name: profile.profile.name } : {},
    select: { id: true },
  });
  const startedAt = item.timestamp ? new Date(item.timestamp * 1000) : new Date();
  if (turnAway) {
    await rejectAtOnce({ orgId: account.orgId, accountId, waCallId: item.id, contactId: contact.id, callerPhone, startedAt, reason: turnAway, graph: graph! });
    return;
  }
  const call = await db.call.upsert({
    where: { accountId_waCallId: { accountId, waCallId: item.id } },
    create: {
      orgId: account.orgId,
      accountId,
      waCallId: item.id,
      direction: "incoming",
      status: "ringing",
      contactId: contact.id,
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

  const reason = await decision!;
  if (reason.kind === "reject") return reject(accountId, call.id, item.id, reason.message, clog);
  // Behind already (this process or PostgreSQL is saturated): the gateway would only reject it late.
  const late = handOffTooLate(receivedAt, config().gateway.setup_deadline_ms);
  if (late) return reject(accountId, call.id, item.id, late, clog);

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

/**
 * A call turned away before any other work: logged closed (rejected, with the reason) in the write that
 * logs it, then rejected through the Graph API. A redelivered webhook finds the row and leaves the call
 * to the delivery that wrote it. (A terminate that came first is not looked for: the call is logged
 * rejected, not missed.)
 */
async function rejectAtOnce(c: {
  orgId: string;
  accountId: string;
  waCallId: string;
  contactId: string;
  callerPhone: string;
  startedAt: Date;
  reason: string;
  graph: Promise<GraphClient>;
}) {
  const [rejected] = await db.call.createManyAndReturn({
    data: [
      {
        orgId: c.orgId,
        accountId: c.accountId,
        waCallId: c.waCallId,
        direction: "incoming",
        status: "rejected",
        contactId: c.contactId,
        callerPhone: c.callerPhone,
        startedAt: c.startedAt,
        endedAt: new Date(),
        durationSecs: 0,
        disconnectedBy: "system",
        error: c.reason,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!rejected) return;
  void callChanged(c.orgId, rejected.id, "rejected");
  const clog = log.child({ callId: rejected.id, orgId: c.orgId, waCallId: c.waCallId });
  await rejectIncomingCall({ callId: rejected.id, waCallId: c.waCallId, reason: c.reason, graph: () => c.graph, log: clog, onLogError: "throw", closed: true });
}

/** A failed log write throws, so Meta retries the webhook. */
function reject(accountId: string, callId: string, waCallId: string, reason: string, clog: typeof log) {
  return rejectIncomingCall({ callId, waCallId, reason, graph: () => graphClientFor(accountId), log: clog, onLogError: "throw" }).then(() => {});
}
