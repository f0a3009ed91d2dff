// One bridged call as bench/agent-bridge.ts drives it: a WhatsApp-like caller (ICE-lite werift peer,
// signed webhooks) rings, a script agent takes the transfer through the same routes as the browser
// with a peer of its own, and both talk tagged packets on a shared 20 ms tick until hung up.
import { RTCRtpCodecParameters } from "werift";
import { waitConnected, whatsappCodecs } from "../lib/media/webrtc";
import { signBody } from "../lib/whatsapp/signature";
import type { MediaClock } from "../media-gateway/media/clock";
import type { ScriptAgent } from "../tools/agent-sim/agent";
import { connectPayload, newCallId, terminatePayload } from "../tools/wa-sim/payloads";
import type { Stack } from "./agent-bridge-stack";
import { note, sleep } from "./harness";
import { ProbePeer, Talker } from "./rtp-probe";

export const DIR_TO_AGENT = 1;
export const DIR_TO_CALLER = 2;

const browserCodecs = () => ({
  audio: [
    new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=10;useinbandfec=1" }),
    new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: 110 }),
  ],
});

export interface Bridged {
  index: number;
  waCallId: string;
  agent: ScriptAgent;
  caller: ProbePeer;
  agentPeer: ProbePeer;
  callerTalker: Talker;
  agentTalker: Talker;
  /** performance.now() marks around the accept (postEpoch: Date.now() at the POST, for the gateway log). */
  t: { post: number; answer: number; iceConnected: number; connected: number; agentHears: number; callerHears: number; postEpoch: number };
}

interface Made {
  peers: ProbePeer[];
  talkers: Talker[];
  hangUp?: () => Promise<unknown>;
}

export class CallDriver {
  /** Accepts retried after the known 502 race (see connect). */
  readonly acceptRetries: string[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly clock: MediaClock,
  ) {}

  /** Dials as WhatsApp would, lets `agent` take the transfer through the routes, resolves on two-way audio. */
  async call(index: number, agent: ScriptAgent): Promise<Bridged> {
    const made: Made = { peers: [], talkers: [] };
    try {
      return await this.connect(index, agent, made);
    } catch (err) {
      for (const t of made.talkers) t.stop();
      await made.hangUp?.().catch(() => {});
      await Promise.all(made.peers.map((p) => p.close()));
      throw err;
    }
  }

  async hangUp(c: Bridged) {
    c.callerTalker.stop();
    c.agentTalker.stop();
    const res = await c.agent.control("hangup");
    if (!res.ok) note(`hangup of call ${c.index} answered ${res.status}`);
    await this.stack.graph.waitFor((r) => r.callId === c.waCallId && r.action === "terminate", 10_000).catch(() => note(`call ${c.index}: no terminate seen`));
    await Promise.all([c.caller.close(), c.agentPeer.close()]);
  }

  private webhook(payload: unknown) {
    const raw = Buffer.from(JSON.stringify(payload));
    return fetch(`${this.stack.webUrl}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(raw, this.stack.appSecret) },
      body: new Uint8Array(raw),
    });
  }

  private async connect(index: number, agent: ScriptAgent, made: Made): Promise<Bridged> {
    const { graph, line } = this.stack;
    const phone = `55119${String(70000000 + index * 100 + Math.floor(Math.random() * 100))}`;
    await agent.setStatus("available");
    // The caller: ICE-lite werift peer, signed connect webhook, answer from the pre_accept request.
    const caller = new ProbePeer({ iceLite: true, codecs: whatsappCodecs() }, "offer");
    made.peers.push(caller);
    const waCallId = newCallId();
    const offer = await caller.offer();
    const hook = await this.webhook(connectPayload(line, { callId: waCallId, from: phone, name: "Bench Caller", sdp: offer }));
    if (!hook.ok) throw new Error(`webhook answered ${hook.status}: ${await hook.text()}`);
    const dialled = Math.floor(Date.now() / 1000);
    made.hangUp = () => {
      const now = Math.floor(Date.now() / 1000);
      return this.webhook(terminatePayload(line, { callId: waCallId, from: phone, startTime: dialled, endTime: now, duration: now - dialled }));
    };
    const pre = await graph.waitFor((r) => r.callId === waCallId && r.action === "pre_accept" && r.status === 200, 20_000);
    const answerSdp = (pre.body?.session as { sdp?: string } | undefined)?.sdp;
    if (!answerSdp) throw new Error(`call ${index}: pre_accept carried no SDP answer`);
    await caller.setAnswer(answerSdp);
    await waitConnected(caller.pc, 20_000);
    // The caller talks from now on (the gateway ignores it until the bridge exists).
    const callerTalker = new Talker(caller, DIR_TO_AGENT, index, this.clock);
    made.talkers.push(callerTalker);

    // The agent: wait for the offer, build a complete browser-like offer, then accept.
    const agentPeer = new ProbePeer({ codecs: browserCodecs() }, "offer");
    made.peers.push(agentPeer);
    const sdp = await agentPeer.offer();
    const agentTalker = new Talker(agentPeer, DIR_TO_CALLER, index, this.clock); // sends once connected
    made.talkers.push(agentTalker);
    let agentHears = 0;
    let callerHears = 0;
    let both!: () => void;
    const twoWay = new Promise<void>((r) => (both = r));
    agentPeer.onTag = (tag, at) => {
      if (!agentHears && tag.dir === DIR_TO_AGENT && tag.stream === index) {
        agentHears = at;
        if (callerHears) both();
      }
    };
    caller.onTag = (tag, at) => {
      if (!callerHears && tag.dir === DIR_TO_CALLER && tag.stream === index) {
        callerHears = at;
        if (agentHears) both();
      }
    };
    const deadline = Date.now() + 15_000;
    let post = 0;
    let postEpoch = 0;
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      let transferId = "";
      while (!transferId) {
        transferId = (await agent.offers()).find((o) => o.caller.phone === phone)?.transferId ?? "";
        if (!transferId) {
          if (Date.now() > deadline) throw new Error(`call ${index}: no offer rang for ${phone}`);
          await sleep(50);
        }
      }
      post = performance.now();
      postEpoch = Date.now();
      res = await agent.fetch(`/api/transfers/${transferId}/accept`, { json: { sdp } });
      if (res.ok) break;
      const text = await res.text();
      // Known race: openTransfer makes the offer visible (row + Pusher) before AgentTransfer.start
      // records the transfer id, and until then the gateway refuses agent.connect. A browser would retry too.
      if (res.status === 502 && text.includes("no longer waiting for an agent") && attempt < 4) {
        this.acceptRetries.push(`call ${index}, attempt ${attempt}`);
        await sleep(100);
        continue;
      }
      throw new Error(`call ${index}: accept answered ${res.status}: ${text}`);
    }
    const answer = performance.now();
    const body = (await res.json()) as { callId: string; sdp: string };
    agent.callId = body.callId;
    await agentPeer.setAnswer(body.sdp);
    await waitConnected(agentPeer.pc, 15_000);
    await Promise.race([twoWay, sleep(10_000).then(() => Promise.reject(new Error(`call ${index}: no two-way audio 10 s after accept`)))]);
    return {
      index,
      waCallId,
      agent,
      caller,
      agentPeer,
      callerTalker,
      agentTalker,
      t: { post, answer, iceConnected: agentPeer.iceConnectedAt, connected: agentPeer.connectedAt, agentHears, callerHears, postEpoch },
    };
  }
}
