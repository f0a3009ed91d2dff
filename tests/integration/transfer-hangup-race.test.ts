// An agent accepting just as the caller hangs up: whichever lands first, the agent hears "The caller
// hung up" (409 taken), the call log names no agent, and the team gets its callback task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimTransfer, closeTransfer, endedWhileConnecting, openTransfer, reopenTransfer } from "../../lib/agents/transfers";
import { AppError } from "../../lib/errors";
import { createAccount, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;
let ana: string;
let sales: string;
let n = 0;

/** A ringing incoming call from a contact, waiting for Sales. */
async function waitingCall() {
  n += 1;
  const contact = await db.contact.create({ data: { orgId, waId: `5511955${String(n).padStart(6, "0")}-${orgId.slice(-6)}` }, select: { id: true } });
  const call = await db.call.create({
    data: {
      orgId,
      accountId,
      contactId: contact.id,
      waCallId: `wacid.race.${orgId}.${n}`,
      direction: "incoming",
      status: "ringing",
      callerPhone: "5511955000000",
    },
    select: { id: true },
  });
  const { transferId } = await openTransfer({ orgId, callId: call.id, teamId: sales, nodeId: "to-sales", variables: {} });
  return { callId: call.id, transferId };
}

/** What the terminate webhook writes when the caller hangs up. */
const callerHangsUp = (callId: string) => db.call.update({ where: { id: callId }, data: { endedAt: new Date(), disconnectedBy: "client", status: "missed" } });
/** What the gateway does as the call closes (AgentTransfer.close). */
const gatewayCloses = (transferId: string) => closeTransfer(transferId, "cancelled", "caller_hung_up", true);

async function outcome(callId: string) {
  const call = await db.call.findUniqueOrThrow({ where: { id: callId }, select: { agentId: true } });
  const tasks = await db.callbackTask.count({ where: { missedCallId: callId } });
  return { agentId: call.agentId, tasks };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return { code: (err as AppError).code, message: (err as AppError).message };
}

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Accept/hangup race" })).id;
  accountId = (await createAccount(db, orgId)).id;
  ana = (await createUser(db, orgId, { name: "Ana" })).id;
  sales = (await createTeam(db, orgId, "Sales", [ana])).id;
});

afterAll(() => db.$disconnect());

describe("accept racing the caller's hangup", () => {
  it("claim first, then the caller hangs up before the agent's leg connects: no agent on the log, a callback task", async () => {
    const { callId, transferId } = await waitingCall();
    await claimTransfer(orgId, ana, transferId);
    expect((await outcome(callId)).agentId).toBe(ana);
    await callerHangsUp(callId);
    await gatewayCloses(transferId);
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 1 });
    // The accept's gateway request then fails: the agent is told why, not "the gateway failed".
    await reopenTransfer(transferId, ana);
    expect(await endedWhileConnecting(transferId)).toMatchObject({ code: "taken", message: "The caller hung up" });
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 1 });
  });

  it("the gateway's request fails before the gateway has closed the transfer: still no agent and a callback task", async () => {
    const { callId, transferId } = await waitingCall();
    await claimTransfer(orgId, ana, transferId);
    await callerHangsUp(callId);
    await reopenTransfer(transferId, ana);
    expect(await endedWhileConnecting(transferId)).toMatchObject({ code: "taken", message: "The caller hung up" });
    await gatewayCloses(transferId);
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 1 });
  });

  it("the caller hangs up first (the webhook has ended the call, the gateway not yet closed the transfer): 409 saying so", async () => {
    const { callId, transferId } = await waitingCall();
    await callerHangsUp(callId);
    expect(await refusal(claimTransfer(orgId, ana, transferId))).toEqual({ code: "taken", message: "The caller hung up" });
    await gatewayCloses(transferId);
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 1 });
  });

  it("the gateway has closed the transfer: 409 saying the caller hung up", async () => {
    const { callId, transferId } = await waitingCall();
    await callerHangsUp(callId);
    await gatewayCloses(transferId);
    expect(await refusal(claimTransfer(orgId, ana, transferId))).toEqual({ code: "taken", message: "The caller hung up" });
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 1 });
  });

  it("a failed leg on a call still live: the caller waits again and no reason is invented", async () => {
    const { callId, transferId } = await waitingCall();
    await claimTransfer(orgId, ana, transferId);
    await reopenTransfer(transferId, ana);
    expect(await endedWhileConnecting(transferId)).toBeNull();
    expect(await outcome(callId)).toEqual({ agentId: null, tasks: 0 });
    expect((await db.callTransfer.findUniqueOrThrow({ where: { id: transferId } })).status).toBe("waiting");
  });
});
