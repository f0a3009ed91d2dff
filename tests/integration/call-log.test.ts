// What the gateway writes for a call (media-gateway/call/call-log.ts, one SQL statement per write on
// the pg pool) and the published flow it reads before pre_accept (lib/flows/service.ts, cached per
// row version): the call log a user reads in the UI must come out as it did through Prisma.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishDocument } from "../../lib/flows/editor-service";
import { publishedDocument } from "../../lib/flows/service";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { CallLog } from "../../media-gateway/call/call-log";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Call log writes" })).id;
  accountId = (await createAccount(db, orgId)).id;
});
afterAll(() => db.$disconnect());

const NO_RETRY = { retries: 0, minTimeout: 1, factor: 1, maxTimeout: 1 };

async function ringing(extra: { answeredAt?: Date; endedAt?: Date; status?: "ringing" | "answered" | "missed"; disconnectedBy?: "client" } = {}) {
  const call = await db.call.create({
    data: {
      orgId,
      accountId,
      waCallId: `wacid.log-${Math.random().toString(36).slice(2)}`,
      direction: "incoming",
      status: extra.status ?? "ringing",
      callerPhone: "5511999990000",
      answeredAt: extra.answeredAt,
      endedAt: extra.endedAt,
      disconnectedBy: extra.disconnectedBy,
    },
  });
  return { id: call.id, log: new CallLog(call.id, undefined, NO_RETRY) };
}
const row = (id: string) => db.call.findUniqueOrThrow({ where: { id } });

describe("the gateway's call log", () => {
  it("answers, times and closes a call, in UTC whatever the process's zone", async () => {
    const { id, log } = await ringing();
    const before = Date.now();
    await log.answered("gw-1");
    const answered = await row(id);
    expect(answered.status).toBe("answered");
    expect(answered.gatewayId).toBe("gw-1");
    expect(answered.answeredAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(answered.answeredAt!.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    // Answered 62.4 s ago: the record says 62 s.
    await db.call.update({ where: { id }, data: { answeredAt: new Date(Date.now() - 62_400) } });
    await log.finish({ by: "client" });
    const done = await row(id);
    expect(done).toMatchObject({ status: "completed", durationSecs: 62, disconnectedBy: "client", error: null });
    expect(Math.abs(done.endedAt!.getTime() - Date.now())).toBeLessThan(2_000);
  });

  it("closes an unanswered call missed, rejected or failed, with its error", async () => {
    const missed = await ringing();
    await missed.log.finish({ by: "system" });
    expect(await row(missed.id)).toMatchObject({ status: "missed", durationSecs: 0, disconnectedBy: "system" });
    const rejected = await ringing();
    await rejected.log.finish({ by: "client", status: "rejected", error: "The contact declined the call" });
    expect(await row(rejected.id)).toMatchObject({ status: "rejected", error: "The contact declined the call" });
    const failed = await ringing({ status: "answered", answeredAt: new Date(Date.now() - 3_000) });
    await failed.log.finish({ by: "system", error: "Answering failed: boom", failed: true });
    expect(await row(failed.id)).toMatchObject({ status: "failed", durationSecs: 3, error: "Answering failed: boom" });
  });

  it("leaves a call the webhook closed as it is, only adding who hung up when it lacks that", async () => {
    const endedAt = new Date(Date.now() - 10_000);
    const closed = await ringing({ status: "missed", endedAt });
    await closed.log.finish({ by: "system", error: "too late", failed: true });
    expect(await row(closed.id)).toMatchObject({ status: "missed", endedAt, disconnectedBy: "system", error: null, durationSecs: null });
    const byClient = await ringing({ status: "missed", endedAt, disconnectedBy: "client" });
    await byClient.log.finish({ by: "system" });
    expect(await row(byClient.id)).toMatchObject({ status: "missed", disconnectedBy: "client" });
    // A closed call is not held or bridged.
    await closed.log.held(true);
    await closed.log.bridged("agent-1");
    expect(await row(closed.id)).toMatchObject({ status: "missed", gatewayId: null, answeredAt: null, agentId: null });
  });

  it("turns a call the terminate webhook closed as missed into completed when WhatsApp had taken our accept", async () => {
    // The caller hung up the moment we answered: Meta's terminate overtook the gateway's answered write.
    const endedAt = new Date(Date.now() + 4_000);
    const overtaken = await ringing({ status: "missed", endedAt, disconnectedBy: "client" });
    await overtaken.log.answered("gw-2");
    await overtaken.log.finish({ by: "system" });
    const done = await row(overtaken.id);
    expect(done).toMatchObject({ status: "completed", gatewayId: "gw-2", endedAt, disconnectedBy: "client", durationSecs: 4 });
    expect(Math.abs(done.answeredAt!.getTime() - Date.now())).toBeLessThan(2_000);
    // A duration Meta gave is kept; a rejected or failed call stays as it was closed.
    const timed = await ringing({ status: "missed", endedAt });
    await db.call.update({ where: { id: timed.id }, data: { durationSecs: 7 } });
    await timed.log.answered("gw-2");
    expect(await row(timed.id)).toMatchObject({ status: "completed", durationSecs: 7 });
    for (const status of ["rejected", "failed"] as const) {
      const other = await ringing({ endedAt });
      await db.call.update({ where: { id: other.id }, data: { status } });
      await other.log.answered("gw-2");
      expect(await row(other.id)).toMatchObject({ status, answeredAt: null, gatewayId: null });
    }
  });

  it("records hold, the agent and an outgoing call's WhatsApp id", async () => {
    const { id, log } = await ringing({ status: "answered", answeredAt: new Date() });
    await log.held(true);
    expect((await row(id)).status).toBe("on_hold");
    await log.held(false);
    expect((await row(id)).status).toBe("answered");
    const dialled = await ringing();
    await dialled.log.dialled("wacid.dialled-1", "gw-3");
    expect(await row(dialled.id)).toMatchObject({ waCallId: "wacid.dialled-1", status: "ringing", gatewayId: "gw-3" });
    await dialled.log.amendError("The reject failed too");
    expect((await row(dialled.id)).error).toBe("The reject failed too");
  });

  it("stores the IVR path in order, variables and errors as JSON, and a step written twice once", async () => {
    const { id, log } = await ringing({ status: "answered", answeredAt: new Date() });
    const at = Date.UTC(2026, 10, 28, 12, 0, 0);
    const menu = { seq: 1, flowId: null, nodeId: "menu", nodeType: "menu", label: "Main menu", handle: "2", digits: "2", enteredAt: at, leftAt: at + 4_000 };
    await Promise.all([
      log.step({ seq: 0, flowId: null, nodeId: "hello", nodeType: "play", label: "Hello", handle: "next", enteredAt: at - 2_000, leftAt: at }),
      log.step(menu),
      log.step({
        ...menu,
        seq: 2,
        nodeId: "hook",
        nodeType: "http_request",
        label: "CRM",
        handle: "error",
        digits: undefined,
        variables: { plan: "gold" },
        error: "timed out",
      }),
      log.step({ seq: 3, flowId: null, nodeId: "bye", nodeType: "hangup", label: "Bye", handle: null, enteredAt: at + 4_000, leftAt: at + 4_000 }),
    ]);
    // The answer to a write that landed was lost with its connection: the retry finds it there.
    await log.step(menu);
    const steps = await db.callStep.findMany({ where: { callId: id }, orderBy: { seq: "asc" } });
    expect(steps.map((s) => [s.nodeId, s.handle, s.digits])).toEqual([
      ["hello", "next", null],
      ["menu", "2", "2"],
      ["hook", "error", null],
      ["bye", null, null],
    ]);
    expect(steps[0]!.variables).toBeNull();
    expect(steps[2]!.variables).toEqual({ plan: "gold", error: "timed out" });
    expect(steps[1]!.enteredAt.toISOString()).toBe("2026-11-28T12:00:00.000Z");
    expect(steps[1]!.leftAt!.toISOString()).toBe("2026-11-28T12:00:04.000Z");
  });
});

describe("the published flow a call runs", () => {
  const hangup = (label: string) => ({
    version: 1,
    entryNodeId: "bye",
    nodes: [{ id: "bye", type: "hangup", label, position: { x: 0, y: 0 }, config: {} }],
    edges: [],
  });

  it("comes with the call's status, scoped to the organisation, and follows every change to the flow", async () => {
    const flow = await createFlow(db, orgId, { accountId, document: hangup("First"), isCallStart: false });
    const { id: callId } = await ringing();
    const first = await publishedDocument(orgId, flow.id, callId);
    expect(first.status).toBe("ringing");
    expect(first.document?.nodes[0]?.label).toBe("First");
    // Read again unchanged: the same validated document.
    expect((await publishedDocument(orgId, flow.id)).document).toBe(first.document);
    await publishDocument(flow.id, hangup("Second"));
    expect((await publishedDocument(orgId, flow.id)).document?.nodes[0]?.label).toBe("Second");
    // A change made around the editor (no new version number) is seen too.
    await db.ivrFlow.update({ where: { id: flow.id }, data: { publishedDocument: hangup("Third") } });
    expect((await publishedDocument(orgId, flow.id)).document?.nodes[0]?.label).toBe("Third");
    await db.ivrFlow.update({ where: { id: flow.id }, data: { publishedDocument: { nodes: "broken" } } });
    expect((await publishedDocument(orgId, flow.id)).document).toBeNull();
    const otherOrg = (await createOrg(db, { name: "Someone else" })).id;
    expect(await publishedDocument(otherOrg, flow.id, callId)).toEqual({ status: "ringing", document: null });
    await db.ivrFlow.delete({ where: { id: flow.id } });
    expect((await publishedDocument(orgId, flow.id)).document).toBeNull();
    expect((await publishedDocument(orgId, flow.id, "no-such-call")).status).toBeNull();
  });
});
