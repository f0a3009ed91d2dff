// A simulated WhatsApp caller: a real werift peer that behaves like WhatsApp's media side
// (ICE-lite, host candidates, Opus 111, telephone-event 126, setup actpass), signed webhooks,
// RFC 4733 digits, and a record of every packet it hears.
import { randomInt } from "node:crypto";
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, type RtpPacket } from "werift";
import { digitToEvent, encodeTelephoneEvent } from "../../lib/media/dtmf";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { waitConnected, waitGathered, whatsappCodecs } from "../../lib/media/webrtc";
import { signBody } from "../../lib/whatsapp/signature";
import type { RecordedRequest } from "./fake-graph";
import { connectPayload, type Line, newCallId, terminatePayload } from "./payloads";

export interface CallerOptions {
  line: Line;
  appSecret: string;
  from: string;
  name?: string;
  /** Delivers a signed webhook body (HTTP POST to the web app, or in-process in tests). */
  deliver: (raw: Buffer, signature: string) => Promise<unknown>;
  /** Requests the fake Graph API has seen for a call id. */
  graphRequests: (callId: string) => Promise<RecordedRequest[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimulatedCaller {
  readonly callId = newCallId();
  /** Opus packets heard, in arrival order (comfort silence included). */
  readonly heard: RtpPacket[] = [];
  private pc: RTCPeerConnection | null = null;
  private talking: NodeJS.Timeout | undefined;
  private seq = randomInt(0, 0xffff);
  private dtmfTimestamp = randomInt(0, 0x7fffffff);
  startedAt = 0;

  constructor(private readonly opts: CallerOptions) {}

  private async send(body: unknown) {
    const raw = Buffer.from(JSON.stringify(body));
    return this.opts.deliver(raw, signBody(raw, this.opts.appSecret));
  }

  /** Rings the business and waits until our media is connected (or throws on timeout). */
  async dial(timeoutMs = 20_000): Promise<void> {
    const pc = new RTCPeerConnection({ iceLite: true, codecs: whatsappCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
    this.pc = pc;
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((p) => this.heard.push(p)));
    await pc.setLocalDescription(await pc.createOffer());
    await waitGathered(pc, 3_000);
    this.startedAt = Date.now();
    await this.send(connectPayload(this.opts.line, { callId: this.callId, from: this.opts.from, name: this.opts.name, sdp: pc.localDescription!.sdp }));
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
  }

  /** Sends digits as RFC 4733 events: a few progress packets, then the end packet three times. */
  async press(digits: string, gapMs = 120): Promise<void> {
    const sender = this.pc?.getTransceivers()[0]?.sender;
    if (!sender) throw new Error("not connected");
    for (const digit of digits) {
      const event = digitToEvent(digit);
      if (event < 0) throw new Error(`not a DTMF key: ${digit}`);
      this.dtmfTimestamp = (this.dtmfTimestamp + 8000) >>> 0;
      const packets = [
        { end: false, duration: 160, marker: true },
        { end: false, duration: 320, marker: false },
        { end: false, duration: 480, marker: false },
        { end: true, duration: 640, marker: false },
        { end: true, duration: 640, marker: false },
        { end: true, duration: 640, marker: false },
      ];
      for (const p of packets) {
        const header = new RtpHeader({ payloadType: 126, sequenceNumber: this.seq, timestamp: this.dtmfTimestamp, ssrc: sender.ssrc, marker: p.marker });
        this.seq = (this.seq + 1) & 0xffff;
        await sender.dtlsTransport.sendRtp(encodeTelephoneEvent({ event, end: p.end, volume: 10, duration: p.duration }), header);
        await sleep(20);
      }
      await sleep(gapMs);
    }
  }

  /** Talks: loops these Opus packets every 20 ms (on the same SSRC and sequence as the digits). */
  talk(packets: Buffer[]) {
    this.stopTalking();
    const sender = this.pc?.getTransceivers()[0]?.sender;
    if (!sender || packets.length === 0) throw new Error("not connected");
    let i = 0;
    let timestamp = randomInt(0, 0x7fffffff);
    this.talking = setInterval(() => {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: this.seq, timestamp, ssrc: sender.ssrc, marker: i === 0 });
      this.seq = (this.seq + 1) & 0xffff;
      timestamp = (timestamp + 960) >>> 0;
      void sender.dtlsTransport.sendRtp(packets[i++ % packets.length]!, header).catch(() => {});
    }, 20);
  }

  stopTalking() {
    clearInterval(this.talking);
    this.talking = undefined;
  }

  /** Audio payloads heard so far, without comfort silence. */
  audio(): Buffer[] {
    return this.heard.filter((p) => p.header.payloadType === 111 && !p.payload.equals(OPUS_SILENCE)).map((p) => p.payload);
  }

  /** Resolves once `count` audio packets have been heard. */
  async waitForAudio(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.audio().length < count) {
      if (Date.now() > deadline) throw new Error(`heard ${this.audio().length} audio packets, expected ${count}`);
      await sleep(20);
    }
  }

  /** The caller hangs up: WhatsApp sends the terminate webhook and the media stops. */
  async hangUp(): Promise<void> {
    const end = Math.floor(Date.now() / 1000);
    await this.send(terminatePayload(this.opts.line, { callId: this.callId, from: this.opts.from, startTime: Math.floor(this.startedAt / 1000), endTime: end, duration: end - Math.floor(this.startedAt / 1000) }));
    await this.close();
  }

  async close(): Promise<void> {
    this.stopTalking();
    const pc = this.pc;
    this.pc = null;
    await pc?.close().catch(() => {});
  }
}
