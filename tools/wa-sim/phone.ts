// What every simulated WhatsApp phone shares, calling or called: a werift peer that behaves like
// WhatsApp's media side (ICE-lite, host candidates, Opus 111, telephone-event 126), signed
// webhooks, RFC 4733 digits, talking, and a record of every packet it hears.
import { randomInt } from "node:crypto";
import { MediaStreamTrack, type RTCCertificate, RTCPeerConnection, RtpHeader, RtpPacket } from "werift";
import { digitToEvent, encodeTelephoneEvent } from "../../lib/media/dtmf";
import { FastRtp } from "../../lib/media/fast-rtp";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { whatsappCodecs } from "../../lib/media/webrtc";
import { signBody } from "../../lib/whatsapp/signature";
import type { Line } from "./payloads";

export interface PhoneOptions {
  line: Line;
  appSecret: string;
  /** Delivers a signed webhook body (HTTP POST to the web app, or in-process in tests). */
  deliver: (raw: Buffer, signature: string) => Promise<unknown>;
  /**
   * A DTLS certificate to reuse (each phone is a separate user, but a load bench running hundreds
   * on one machine need not spend CPU making one per call); without it werift makes its own.
   */
  certificate?: RTCCertificate;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimulatedPhone {
  /** Opus packets heard, in arrival order (comfort silence included). */
  readonly heard: RtpPacket[] = [];
  protected pc: RTCPeerConnection | null = null;
  /** The short way for the Opus the phone talks and hears, from the moment media is up (as the gateway's peers). */
  private rtp: FastRtp | null = null;
  private talking: NodeJS.Timeout | undefined;
  private seq = randomInt(0, 0xffff);
  private dtmfTimestamp = randomInt(0, 0x7fffffff);

  constructor(private readonly phone: PhoneOptions) {}

  protected async send(body: unknown) {
    const raw = Buffer.from(JSON.stringify(body));
    return this.phone.deliver(raw, signBody(raw, this.phone.appSecret));
  }

  /** WhatsApp's side of the media: ICE-lite, listening for everything it hears. */
  protected newPeer(): RTCPeerConnection {
    const pc = new RTCPeerConnection({
      iceLite: true,
      codecs: whatsappCodecs(),
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ["127.0.0.1"],
      certificates: this.phone.certificate ? [this.phone.certificate] : undefined,
    });
    this.pc = pc;
    this.rtp = null;
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((p) => this.heard.push(p)));
    return pc;
  }

  protected addAudio(pc: RTCPeerConnection) {
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
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

  /** Connected: as WhatsApp does, the phone sends audio from now on, Opus silence until it talks. */
  protected mediaUp() {
    const pc = this.pc;
    const transceiver = pc?.getTransceivers()[0];
    if (pc && transceiver && !this.rtp) {
      // What the short way cannot carry goes as before: straight to the DTLS transport.
      const werift = { writeRtp: (p: RtpPacket) => void transceiver.sender.dtlsTransport.sendRtp(p.payload, p.header).catch(() => {}) };
      this.rtp = new FastRtp(pc, transceiver, werift, (p) => this.heard.push(p));
    }
    if (!this.talking) this.talk([OPUS_SILENCE]);
  }

  /** Talks: loops these Opus packets every 20 ms (on the same SSRC and sequence as the digits). */
  talk(packets: Buffer[]) {
    this.goQuiet();
    const sender = this.pc?.getTransceivers()[0]?.sender;
    if (!sender || packets.length === 0) throw new Error("not connected");
    let i = 0;
    let timestamp = randomInt(0, 0x7fffffff);
    const rtp = this.rtp;
    this.talking = setInterval(() => {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: this.seq, timestamp, ssrc: sender.ssrc, marker: i === 0 });
      this.seq = (this.seq + 1) & 0xffff;
      timestamp = (timestamp + 960) >>> 0;
      const payload = packets[i++ % packets.length]!;
      if (rtp) rtp.send(new RtpPacket(header, payload));
      else void sender.dtlsTransport.sendRtp(payload, header).catch(() => {});
    }, 20);
  }

  /** Stops talking; the phone goes on sending silence. */
  stopTalking() {
    this.talk([OPUS_SILENCE]);
  }

  /** Sends nothing any more, as a phone gone off the network would (no terminate either). */
  goQuiet() {
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

  async close(): Promise<void> {
    this.goQuiet();
    const pc = this.pc;
    this.pc = null;
    this.rtp = null;
    await pc?.close().catch(() => {});
  }
}
