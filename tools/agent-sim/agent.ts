// A script-only agent: the agent-leg routes (fetch with a session cookie) and its own werift peer
// in place of a browser. Tests, benchmarks and integrations take calls exactly this way.
import { randomInt } from "node:crypto";
import PusherJS from "pusher-js";
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, type RtpPacket } from "werift";
import { type AgentStatus, channels, type Offer } from "../../lib/agents/contract";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { waitConnected, waitGathered } from "../../lib/media/webrtc";
import { signIn } from "./sign-in";

const browserLikeCodecs = () => ({
  audio: [
    new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111, parameters: "minptime=10;useinbandfec=1" }),
    new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 48000, payloadType: 110 }),
  ],
});

export class ScriptAgent {
  /** Every RTP packet heard from the gateway, with its arrival time (performance.now()). */
  readonly heard: { packet: RtpPacket; at: number }[] = [];
  private pc: RTCPeerConnection | null = null;
  private talking: NodeJS.Timeout | undefined;
  private seq = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0x7fffffff);
  callId: string | null = null;
  /** Realtime events received on private-user-{me} since `listen()`. */
  readonly events: { event: string; data: unknown; at: number }[] = [];
  private realtime: PusherJS | null = null;

  constructor(
    readonly baseUrl: string,
    readonly cookie: string,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ScriptAgent> {
    return new ScriptAgent(baseUrl, await signIn(baseUrl, email, password));
  }

  fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const { json, ...rest } = init;
    return fetch(`${this.baseUrl}${path}`, {
      method: json !== undefined ? "POST" : rest.method,
      ...rest,
      headers: { cookie: this.cookie, ...(json !== undefined ? { "content-type": "application/json" } : {}) },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  }

  /** Subscribes to this agent's private channel through the real auth route, as the call panel does. */
  async listen(userId: string, server: { key: string; host: string; port: number; useTLS?: boolean }): Promise<void> {
    const client = new PusherJS(server.key, {
      cluster: "mt1",
      wsHost: server.host,
      wsPort: server.port,
      wssPort: server.port,
      forceTLS: server.useTLS ?? false,
      enabledTransports: ["ws", "wss"],
      channelAuthorization: {
        endpoint: "/api/pusher/auth",
        transport: "ajax",
        customHandler: ({ socketId, channelName }, callback) => {
          this.fetch("/api/pusher/auth", { json: { socket_id: socketId, channel_name: channelName } })
            .then(async (res) => (res.ok ? callback(null, await res.json()) : callback(new Error(`auth ${res.status}`), null)))
            .catch((err: Error) => callback(err, null));
        },
      },
    });
    this.realtime = client;
    const channel = client.subscribe(channels.user(userId));
    channel.bind_global((event: string, data: unknown) => {
      if (!event.startsWith("pusher:")) this.events.push({ event, data, at: performance.now() });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("realtime subscription timed out")), 5_000);
      channel.bind("pusher:subscription_succeeded", () => {
        clearTimeout(timer);
        resolve();
      });
      channel.bind("pusher:subscription_error", (err: unknown) => {
        clearTimeout(timer);
        reject(new Error(`realtime subscription refused: ${JSON.stringify(err)}`));
      });
    });
  }

  async setStatus(status: AgentStatus): Promise<void> {
    const res = await this.fetch("/api/agent/status", { json: { status } });
    if (!res.ok) throw new Error(`status ${status}: ${res.status} ${await res.text()}`);
  }

  async offers(): Promise<Offer[]> {
    const res = await this.fetch("/api/agent/offers");
    if (!res.ok) throw new Error(`offers: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { offers: Offer[] }).offers;
  }

  /** Polls until an offer is ringing (the realtime event is the fast path; this is the contract's fallback). */
  async waitForOffer(timeoutMs = 15_000): Promise<Offer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [offer] = await this.offers();
      if (offer) return offer;
      if (Date.now() > deadline) throw new Error("no offer rang");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A complete SDP offer (all candidates gathered), as a browser would send it. */
  async createOffer(): Promise<string> {
    await this.closeMedia();
    const pc = new RTCPeerConnection({ codecs: browserLikeCodecs(), iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"] });
    this.pc = pc;
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((packet) => this.heard.push({ packet, at: performance.now() })));
    await pc.setLocalDescription(await pc.createOffer());
    await waitGathered(pc, 3_000);
    return pc.localDescription!.sdp;
  }

  /** POST accept with an offer; on 200 completes the WebRTC handshake. Returns the raw response. */
  async accept(transferId: string, sdp?: string): Promise<Response> {
    const offer = sdp ?? (await this.createOffer());
    return this.connectWith(await this.fetch(`/api/transfers/${transferId}/accept`, { json: { sdp: offer } }));
  }

  /** POST accept with an offer, the WebRTC handshake left to `connect()` (a browser slow to connect). */
  async acceptLater(transferId: string): Promise<{ res: Response; connect: () => Promise<Response> }> {
    const res = await this.fetch(`/api/transfers/${transferId}/accept`, { json: { sdp: await this.createOffer() } });
    return { res, connect: () => this.connectWith(res) };
  }

  /**
   * Places an outgoing call (POST /api/calls); on 200 completes the WebRTC handshake with the
   * gateway, which plays ringback until the contact answers. Returns the raw response.
   */
  async call(contactId: string, accountId: string, extra: { callbackTaskId?: string } = {}, sdp?: string): Promise<Response> {
    const offer = sdp ?? (await this.createOffer());
    return this.connectWith(await this.fetch("/api/calls", { json: { contactId, accountId, sdp: offer, ...extra } }));
  }

  /**
   * Connects again to the call this agent is on, as a reloaded page does (POST /api/calls/{id}/rejoin);
   * `force` takes it over from a window still connected. On 200 completes the WebRTC handshake.
   */
  async rejoin(callId: string, opts: { force?: boolean } = {}): Promise<Response> {
    const offer = await this.createOffer();
    return this.connectWith(await this.fetch(`/api/calls/${callId}/rejoin`, { json: { sdp: offer, ...opts } }));
  }

  /** The gateway's `{callId, sdp}` answer to our offer: connect to it. */
  private async connectWith(res: Response): Promise<Response> {
    if (res.ok && this.pc) {
      const body = (await res.clone().json()) as { callId: string; sdp: string };
      this.callId = body.callId;
      await this.pc.setRemoteDescription({ type: "answer", sdp: body.sdp });
      await waitConnected(this.pc, 15_000);
    }
    return res;
  }

  control(action: "hold" | "resume" | "hangup"): Promise<Response> {
    if (!this.callId) throw new Error("not on a call");
    return this.fetch(`/api/calls/${this.callId}/${action}`, { method: "POST" });
  }

  /** Loops these Opus packets to the gateway every 20 ms. */
  talk(packets: Buffer[]) {
    this.stopTalking();
    const sender = this.pc?.getTransceivers()[0]?.sender;
    if (!sender || packets.length === 0) throw new Error("not connected");
    let i = 0;
    this.talking = setInterval(() => {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: this.seq, timestamp: this.timestamp, ssrc: sender.ssrc, marker: i === 0 });
      this.seq = (this.seq + 1) & 0xffff;
      this.timestamp = (this.timestamp + 960) >>> 0;
      void sender.dtlsTransport.sendRtp(packets[i++ % packets.length]!, header).catch(() => {});
    }, 20);
  }

  /** Sends one raw RTP payload now (benchmarks time the bridge with this). */
  async sendOne(payload: Buffer, payloadType = 111): Promise<void> {
    const sender = this.pc?.getTransceivers()[0]?.sender;
    if (!sender) throw new Error("not connected");
    const header = new RtpHeader({ payloadType, sequenceNumber: this.seq, timestamp: this.timestamp, ssrc: sender.ssrc });
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + 960) >>> 0;
    await sender.dtlsTransport.sendRtp(payload, header);
  }

  stopTalking() {
    clearInterval(this.talking);
    this.talking = undefined;
  }

  /** Audio payloads heard, without comfort silence. */
  audio(): Buffer[] {
    return this.heard.filter((h) => !h.packet.payload.equals(OPUS_SILENCE)).map((h) => h.packet.payload);
  }

  async close(): Promise<void> {
    this.realtime?.disconnect();
    this.realtime = null;
    await this.closeMedia();
  }

  /** Closes the peer only (the browser tab closing its call, or dropping off the network). */
  async closeMedia(): Promise<void> {
    this.stopTalking();
    const pc = this.pc;
    this.pc = null;
    await pc?.close().catch(() => {});
  }
}
