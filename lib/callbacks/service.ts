// "Call back" tasks: an incoming call that ended without reaching an agent (the transfer timed
// out, nobody was available, the caller hung up while waiting) becomes one task for the team;
// placing the call from the task links the outgoing call to it, and it is done once one connects.
import type { OrgContext } from "../auth/session";
import { visibleCalls } from "../calls/access";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { logger } from "../log";
import { graphClientFor } from "../whatsapp/account-client";
import { refusalOf } from "../whatsapp/meta-refusal";

const log = logger.child({ component: "callbacks" });

/** Why the caller did not reach anyone, as the Callbacks list says it. */
export const MISSED_REASONS: Record<string, string> = {
  no_agents: "No agent was available",
  declined: "Every available agent declined",
  timeout: "Nobody took the call in time",
  caller_hung_up: "Hung up while waiting for an agent",
};

/** Idempotent per missed call. Sends the account's "sorry we missed your call" text when set. */
export async function openCallback(callId: string, reason: string): Promise<void> {
  const call = await db.call.findUnique({
    where: { id: callId },
    select: {
      orgId: true,
      accountId: true,
      contactId: true,
      direction: true,
      agentId: true,
      account: { select: { missedCallText: true } },
      contact: { select: { waId: true } },
    },
  });
  if (call?.direction !== "incoming" || !call.contactId || call.agentId) return;
  const existing = await db.callbackTask.findUnique({ where: { missedCallId: callId }, select: { id: true } });
  if (existing) return;
  const task = await db.callbackTask
    .create({ data: { orgId: call.orgId, contactId: call.contactId, accountId: call.accountId, missedCallId: callId, reason }, select: { id: true } })
    .catch((err: { code?: string }) => {
      if (err.code === "P2002") return null; // another process made it first
      throw err;
    });
  if (!task) return;
  log.info({ callId, taskId: task.id, reason }, "missed call: callback task opened");
  const text = call.account.missedCallText?.trim();
  if (!text || !call.contact) return;
  let detail = text;
  try {
    await (await graphClientFor(call.accountId)).sendText(call.contact.waId, text);
  } catch (err) {
    detail = `Not sent: ${refusalOf(err).sentence}`;
    log.warn({ callId, err: detail }, "the missed-call text could not be sent");
  }
  await db.contactActivity.create({ data: { orgId: call.orgId, contactId: call.contactId, kind: "missed_call_text", detail } });
}

/** The caller reached an agent after all (a fallback transfer): nobody needs to call back. */
export async function missedCallAnswered(callId: string): Promise<void> {
  await db.callbackTask.updateMany({ where: { missedCallId: callId, status: "open" }, data: { status: "done", doneAt: new Date() } });
}

/** An outgoing call placed from a task connected: the task is done. */
export async function callbackReached(callId: string): Promise<void> {
  await db.callbackTask.updateMany({ where: { status: "open", attempts: { some: { id: callId } } }, data: { status: "done", doneAt: new Date() } });
}

/** Admins see every task; agents the tasks of calls they may see (their teams' transfers). */
const visibleTasks = (ctx: OrgContext) => ({ orgId: ctx.orgId, missedCall: visibleCalls(ctx) });

export async function listCallbacks(ctx: OrgContext, status: "open" | "done" | "cancelled" = "open") {
  const rows = await db.callbackTask.findMany({
    where: { ...visibleTasks(ctx), status },
    orderBy: { createdAt: status === "open" ? "asc" : "desc" },
    take: 200,
    select: {
      id: true,
      reason: true,
      status: true,
      createdAt: true,
      doneAt: true,
      accountId: true,
      contact: { select: { id: true, name: true, waId: true, callPermission: true } },
      missedCall: { select: { id: true, startedAt: true } },
      attempts: { orderBy: { startedAt: "desc" }, select: { id: true, status: true, startedAt: true }, take: 5 },
    },
  });
  return rows.map((r) => ({ ...r, reasonText: MISSED_REASONS[r.reason] ?? r.reason }));
}

export async function cancelCallback(ctx: OrgContext, id: string): Promise<{ status: "cancelled" }> {
  const { count } = await db.callbackTask.updateMany({
    where: { id, ...visibleTasks(ctx), status: "open" },
    data: { status: "cancelled", doneAt: new Date() },
  });
  if (count === 0) {
    const t = await db.callbackTask.findFirst({ where: { id, ...visibleTasks(ctx) }, select: { status: true } });
    if (!t) throw notFound("Callback task");
    throw new AppError("conflict", `This callback is already ${t.status}`);
  }
  return { status: "cancelled" };
}
