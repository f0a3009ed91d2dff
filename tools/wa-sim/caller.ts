// A simulated WhatsApp user calling the business: sends the signed connect webhook with a real
// SDP offer, connects to the gateway's answer, then talks, presses digits and hangs up.
import { waitConnected, waitGathered } from "../../lib/media/webrtc";
import type { RecordedRequest } from "./fake-graph";
import { connectPayload, newCallId, terminatePayload } from "./payloads";
import { type PhoneOptions, SimulatedPhone, sleep } from "./phone";

export interface CallerOptions extends PhoneOptions {
  from: string;
  name?: string;
  /** Requests the fake Graph API has seen for a call id. */
  graphRequests: (callId: string) => Promise<RecordedRequest[]>;
}

export class SimulatedCaller extends SimulatedPhone {
  readonly callId = newCallId();
  startedAt = 0;

  constructor(private readonly opts: CallerOptions) {
    super(opts);
  }

  /** Rings the business and waits until our media is connected (or throws on timeout). */
  async dial(timeoutMs = 20_000): Promise<void> {
    await this.prepare();
    await this.ring(timeoutMs);
  }

  /** Makes the SDP offer (all candidates gathered), so `ring` can send the webhook at a chosen moment. */
  async prepare(): Promise<void> {
    const pc = this.newPeer();
    this.addAudio(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await waitGathered(pc, 3_000);
  }

  /** Sends the connect webhook with the prepared offer and waits until our media is connected. */
  async ring(timeoutMs = 20_000): Promise<void> {
    const pc = this.pc;
    if (!pc?.localDescription) throw new Error("prepare() the offer before ringing");
    this.startedAt = Date.now();
    await this.send(connectPayload(this.opts.line, { callId: this.callId, from: this.opts.from, name: this.opts.name, sdp: pc.localDescription.sdp }));
    const deadline = Date.now() + timeoutMs;
    let answer: string | undefined;
    while (!answer && Date.now() < deadline) {
      const pre = (await this.opts.graphRequests(this.callId)).find((r) => r.action === "pre_accept" && r.status === 200);
      answer = (pre?.body?.session as { sdp?: string } | undefined)?.sdp;
      if (!answer) await sleep(50);
    }
    if (!answer) throw new Error("the business never sent pre_accept");
    await pc.setRemoteDescription({ type: "answer", sdp: answer });
    await waitConnected(pc, Math.max(1000, deadline - Date.now()));
    this.mediaUp();
  }

  /** The caller hangs up: WhatsApp sends the terminate webhook and the media stops. */
  async hangUp(): Promise<void> {
    const end = Math.floor(Date.now() / 1000);
    await this.send(
      terminatePayload(this.opts.line, {
        callId: this.callId,
        from: this.opts.from,
        startTime: Math.floor(this.startedAt / 1000),
        endTime: end,
        duration: end - Math.floor(this.startedAt / 1000),
      }),
    );
    await this.close();
  }
}
