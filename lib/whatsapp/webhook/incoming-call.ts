// A user is calling one of our numbers: log the call, then hand it to a gateway or reject it.
import { callChanged } from "../../agents/transfers";
import { logRejected, rejectIncomingCall } from "../../calls/reject-incoming";
import { assignCall, NO_GATEWAY, noRoomReason, registeredGateways } from "../../gateway/dispatch";
import { redis } from "../../gateway/redis";
import { TURN_AWAY_SHARE } from "../../gateway/setup-deadline";
import { config } from "../../config";
import { db, Prisma } from "../../db";
import { sqlExec, sqlRows } from "../../db/sql";
import { logger } from "../../log";
import { behindReason, WAITS_TO_HAND_OFF } from "./early-reject";
import { type HandOffWatch, handOffTooLate, watchHandOff } from "./hand-off-watch";
import { graphClientFor } from "../account-client";
import type { CallItem } from "../webhook-schema";
import { type Contact, logTurnedAwayCall, openRingingCall, type RingingCall } from "./call-rows";

const log = logger.child({ component: "incoming-call" });

/**
 * `receivedAt`: when its webhook arrived; the gateway must answer within `[gateway] setup_deadline_ms` of it.
 * `watch`: the call's hand-off watch, started as its webhook arrived; a call it rejected already (the
 * web tier was behind, or the store took half the deadline) is only logged.
 */
export async function handleIncomingConnect(
  accountId: string,
  item: CallItem,
  contacts: Contact[],
  receivedAt = Date.now(),
  watch = watchHandOff(accountId, item.id, receivedAt),
) {
  try {
    const rejected = watch.fired();
    if (rejected) await logTurnedAway(accountId, item, contacts, await rejected);
    else await connect(accountId, item, contacts, receivedAt, watch);
  } finally {
    // Every path has claimed or used the watch by now, but for a throw: no timer outlives the call's processing.
    watch.claim();
  }
}

async function connect(accountId: string, item: CallItem, contacts: Contact[], receivedAt: number, watch: HandOffWatch) {
  // A web tier that is behind, or gateways with no room: the call is turned away before any database
  // work (at overload most calls take this way, and each statement they wait for makes them later).
  // Known without a round trip (late, or behind) or after the gateways' counts: rejected now, logged
  // closed after (a terminate that overtakes the log finds no call and is remembered).
  const behind = handOffTooLate(receivedAt, config().gateway.setup_deadline_ms, TURN_AWAY_SHARE) ?? behindReason(WAITS_TO_HAND_OFF, Date.now() - receivedAt);
  // The registry is read once, for this check and for the assignment below.
  const registry = behind ? undefined : registeredGateways(redis());
  registry?.catch(() => {});
  const turnAway = behind ?? (await noRoomReason(redis(), Date.now(), registry));
  // Redelivered (Meta retried a webhook whose call was rejected as it arrived, but whose store failed)?
  if (await watch.earlier) {
    watch.claim();
    await logTurnedAway(accountId, item, contacts, REJECTED_EARLIER);
    return;
  }
  if (turnAway) {
    await logTurnedAway(accountId, item, contacts, await watch.reject(turnAway));
    return;
  }
  const call = await openRingingCall(accountId, item, contacts);
  orgOfAccount.set(accountId, call.orgId);
  const clog = log.child({ callId: call.callId, orgId: call.orgId, waCallId: item.id });
  if (call.status !== "ringing") return;
  // Best effort and not awaited: the webhook answers Meta fast; the call list also refreshes on later events.
  void callChanged(call.orgId, call.callId, "ringing");

  // Store-then-check against the terminate handler (which stores, then looks for the call):
  // whichever runs second sees the other, so a hung-up call is never started.
  const [terminated] = await sqlRows(Prisma.sql`SELECT 1 FROM webhook_events WHERE dedupe_key = ${`${call.phoneNumberId}:call:${item.id}:terminate`}`);
  if (terminated) {
    await db.call.updateMany({
      where: { id: call.callId, endedAt: null },
      data: { status: "missed", endedAt: new Date(), durationSecs: 0, disconnectedBy: "client", error: "Caller hung up before the call was answered" },
    });
    clog.info("terminate arrived before connect; call not started");
    return;
  }

  // Rejected by the watch while on its way here: only the log is left (a terminate that overtook this
  // write has logged the call missed already).
  const watched = watch.claim();
  if (watched) return logWatchReject(call.callId, watched, clog);
  const reason = whyNot(call, item);
  if (reason.kind === "reject") return reject(accountId, call.callId, item.id, reason.message, clog);
  // Late already (its watch's timer ran late: this process or PostgreSQL is saturated): the gateway
  // would only reject it late. Rejected at once, then logged, as the watch does.
  const late = handOffTooLate(receivedAt, config().gateway.setup_deadline_ms);
  if (late) return logWatchReject(call.callId, watch.reject(late), clog);

  const assigned = await assignCall(
    redis(),
    {
      type: "call.assign",
      callId: call.callId,
      waCallId: item.id,
      orgId: call.orgId,
      accountId,
      phoneNumberId: call.phoneNumberId,
      flowId: reason.flowId,
      callerPhone: call.callerPhone,
      sdpOffer: item.session!.sdp,
      receivedAt,
    },
    undefined,
    registry,
  );
  // Gateways with no room after all (the counts changed since noRoomReason): an overload reject, at
  // once. No gateway at all: logged first, as a reject for a reason of ours.
  if (!assigned.ok && assigned.reason !== NO_GATEWAY) return logWatchReject(call.callId, watch.reject(assigned.reason), clog);
  if (!assigned.ok) return reject(accountId, call.callId, item.id, assigned.reason, clog);
  await sqlExec(
    Prisma.sql`UPDATE calls SET gateway_id = ${assigned.gatewayId}, flow_id = ${reason.flowId}, flow_version = ${reason.flowVersion} WHERE id = ${call.callId}`,
  );
  clog.info({ gatewayId: assigned.gatewayId, reused: assigned.reused }, "call assigned to media gateway");
}

function whyNot(call: RingingCall, item: CallItem): { kind: "reject"; message: string } | { kind: "go"; flowId: string; flowVersion: number } {
  if (!call.callingEnabled) return { kind: "reject", message: "Calling is disabled for this organisation" };
  if (item.session?.sdp_type !== "offer") return { kind: "reject", message: "The call arrived without an SDP offer" };
  if (!call.flowId || call.flowVersion === null) return { kind: "reject", message: "No active call-start IVR flow is published for this number" };
  return { kind: "go", flowId: call.flowId, flowVersion: call.flowVersion };
}

const REJECTED_EARLIER = "Rejected earlier by a web tier that was behind (this is a redelivery of its webhook)";

/** An account never moves to another organisation: once read, a turned-away call need not wait for its row. */
const orgOfAccount = new Map<string, string>();

/** Logs a call its watch rejected (on its way to the hand-off, as it got there late, or refused there for lack of room). */
async function logWatchReject(callId: string, rejected: Promise<string>, clog: typeof log) {
  const error = await rejected;
  await logRejected(callId, error);
  clog.warn({ reason: error }, "incoming call rejected on its way to the hand-off");
}

/**
 * Saves the caller as a contact and logs the call closed as rejected, in one statement; null when the
 * call was logged already (a redelivery, another web tier).
 */
async function logTurnedAway(accountId: string, item: CallItem, contacts: Contact[], reason: string) {
  const orgId = orgOfAccount.get(accountId) ?? (await db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { orgId: true } })).orgId;
  const logged = await logTurnedAwayCall(orgId, accountId, item, contacts, reason);
  if (!logged) return null;
  void callChanged(orgId, logged.id, "rejected");
  return { callId: logged.id, orgId };
}

/** A failed log write throws, so Meta retries the webhook. */
function reject(accountId: string, callId: string, waCallId: string, reason: string, clog: typeof log) {
  return rejectIncomingCall({ callId, waCallId, reason, graph: () => graphClientFor(accountId), log: clog, onLogError: "throw" }).then(() => {});
}
