// A caller who vanishes without a terminate webhook (a lost webhook, a phone gone off the network)
// must not hold a gateway port and a capacity slot until max_call_duration: once nothing has come
// from the caller for [calling] media_timeout_secs, the gateway ends the call, terminates it at
// WhatsApp and logs why; a caller who keeps sending (silence included) stays on the line.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config as appConfig, parseConfig } from "../../lib/config";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import type { GraphClient } from "../../lib/whatsapp/graph-client";
import { CallSession } from "../../media-gateway/call/session";
import { MediaClock } from "../../media-gateway/media/clock";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { RecordedRequest } from "../../tools/wa-sim/fake-graph";
import { testDb as db } from "../helpers/test-db";
import { toneAsset } from "../helpers/tone";

const config = parseConfig(
  `[calling]\nudp_port_min = 10650\nudp_port_max = 10659\nmedia_timeout_secs = 2\naudio_dir = ${JSON.stringify(appConfig().calling.audio_dir)}\n`,
);
const clock = new MediaClock(20);
const line = { phoneNumberId: "555000666000666", displayPhone: "15550006666", wabaId: "waba-media-timeout" };
let orgId: string;
let accountId: string;
let flowId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Media timeout", callingEnabled: true })).id;
  accountId = (await createAccount(db, orgId)).id;
  const { asset } = await toneAsset(db, orgId, { name: "Media timeout menu", frequency: 440, seconds: 20 });
  const menu = {
    id: "menu",
    type: "menu",
    label: "Menu",
    position: { x: 0, y: 0 },
    config: { prompt: { assetId: asset.id }, options: [{ digit: "1", label: "One" }], timeoutSecs: 120, maxRetries: 3 },
  };
  const bye = { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 0 }, config: {} };
  const edges = ["digit:1", "max_retries"].map((handle, i) => ({ id: `e${i}`, source: "menu", sourceHandle: handle, target: "bye" }));
  const document = { version: 1, entryNodeId: "menu", nodes: [menu, bye], edges };
  flowId = (await createFlow(db, orgId, { accountId, document })).id;
});

afterAll(async () => {
  clock.stop();
  await db.$disconnect();
});

/**
 * A WhatsApp-like caller connected to a CallSession answering it (with a stand-in Graph API that
 * records the call actions): `ended` settles when the gateway has let the call go.
 */
async function connectedCall(from: string) {
  const sent: string[] = [];
  const requests: RecordedRequest[] = [];
  let ended: Promise<void> | undefined;
  let callId = "";
  const graph = {
    preAccept: async (waCallId: string, sdp: string) => {
      sent.push("pre_accept");
      requests.push({
        at: Date.now(),
        method: "POST",
        path: "",
        phoneNumberId: line.phoneNumberId,
        action: "pre_accept",
        callId: waCallId,
        body: { session: { sdp } },
        status: 200,
      });
    },
    accept: async () => void sent.push("accept"),
    reject: async () => void sent.push("reject"),
    terminate: async () => void sent.push("terminate"),
  } as unknown as GraphClient;
  const caller: SimulatedCaller = new SimulatedCaller({
    line,
    appSecret: "unused",
    from,
    graphRequests: async () => requests,
    // The connect webhook's offer goes straight to a session, as the web tier would assign it.
    deliver: async (raw) => {
      const item = JSON.parse(raw.toString()).entry[0].changes[0].value.calls[0];
      if (item.event !== "connect") return;
      const row = await db.call.create({
        data: { orgId, accountId, waCallId: item.id, direction: "incoming", status: "ringing", callerPhone: from },
      });
      callId = row.id;
      let closed: () => void = () => {};
      ended = new Promise<void>((r) => (closed = r));
      const cmd = {
        type: "call.assign" as const,
        callId: row.id,
        waCallId: item.id,
        orgId,
        accountId,
        phoneNumberId: line.phoneNumberId,
        flowId,
        callerPhone: from,
        sdpOffer: item.session.sdp as string,
        receivedAt: Date.now(),
      };
      const session = new CallSession(cmd, {
        gatewayId: "media-timeout-gw",
        config,
        clock,
        log: pino({ level: "silent" }),
        graph: async () => graph,
        onClosed: () => closed(),
      });
      void session.start();
    },
  });
  await caller.dial(10_000);
  if (!ended) throw new Error("the connect webhook never reached a session");
  return { caller, sent, ended: () => ended!, callId: () => callId };
}

describe("a caller who goes silent", () => {
  it("is hung up once nothing has come for media_timeout_secs, while a caller who keeps sending silence stays on", async () => {
    const [gone, talking] = await Promise.all([connectedCall("5511988880001"), connectedCall("5511988880002")]);
    // Connected phones send Opus silence until they talk, as WhatsApp's do.
    await new Promise((r) => setTimeout(r, 1_000));
    // The first caller's phone vanishes: no more packets, no terminate webhook.
    gone.caller.goQuiet();
    const stoppedAt = Date.now();
    let talkingEnded = false;
    void talking.ended().then(() => (talkingEnded = true));
    await gone.ended();
    const after = Date.now() - stoppedAt;
    expect(after).toBeGreaterThanOrEqual(1_900);
    expect(after).toBeLessThan(4_000);
    expect(gone.sent).toEqual(["pre_accept", "accept", "terminate"]);
    expect(await db.call.findUniqueOrThrow({ where: { id: gone.callId() } })).toMatchObject({
      status: "completed",
      disconnectedBy: "system",
      error: "No audio from the caller for 2 s",
    });
    // The one who kept sending silence is still on the line, well past the timeout.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(talkingEnded).toBe(false);
    expect(talking.sent).toEqual(["pre_accept", "accept"]);
    expect((await db.call.findUniqueOrThrow({ where: { id: talking.callId() } })).endedAt).toBeNull();
    talking.caller.goQuiet();
    await talking.ended();
    await Promise.all([gone.caller.close(), talking.caller.close()]);
  }, 30_000);
});
