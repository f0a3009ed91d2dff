// The one outgoing RTP stream of a peer. Sequence numbers and timestamps stay continuous whatever
// feeds it (prompt, loop, silence, bridged audio); one packet per clock tick, except bridged audio,
// which is sent the moment it arrives; stopping takes effect on the next tick.
import { randomInt } from "node:crypto";
import { RtpHeader, RtpPacket } from "werift";
import type { MediaClock } from "./clock";
import { OPUS_SILENCE } from "../../lib/media/opus";
import { opusPacketSamples } from "../../lib/audio/ogg";

/**
 * Bridged audio that stops for this long is replaced by silence until it comes back. Long enough
 * that packets merely late in a busy event loop are not doubled by filler frames (measured at 50
 * bridged calls: a 100 ms gap added ~2% filler frames), short against Meta's ~20 s no-media limit.
 */
const LIVE_GAP_MS = 500;

interface Source {
  packets: Buffer[];
  index: number;
  loop: boolean;
  onEnd?: () => void;
}

export class Player {
  private seq = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0xffffffff);
  private source: Source | null = null;
  private marker = true;
  /** Bridged: the other leg's packets are forwarded as they arrive instead of ticking. */
  private isLive = false;
  private lastForwardAt = 0;
  private unsubscribe: (() => void) | null;
  /** Packets sent so far (for tests and stats). */
  sent = 0;

  constructor(
    private readonly send: (packet: RtpPacket) => void,
    clock: MediaClock,
    private readonly opts: { payloadType?: number; ssrc?: number } = {},
  ) {
    this.unsubscribe = clock.subscribe(() => this.tick());
  }

  play(packets: Buffer[], opts: { loop?: boolean; onEnd?: () => void } = {}) {
    this.isLive = false;
    this.source = { packets, index: 0, loop: !!opts.loop, onEnd: opts.onEnd };
    this.marker = true;
    if (packets.length === 0) this.finish();
  }

  /** Silence from the next tick on (also ends bridged mode). */
  stop() {
    this.source = null;
    this.isLive = false;
  }

  /** Switches to bridged audio: `forward` sends packets at once; silence fills only if they stop coming. */
  live() {
    this.source = null;
    this.isLive = true;
    this.lastForwardAt = 0;
    this.marker = true;
  }

  /** One Opus payload from the other leg, re-numbered into this stream. Ignored unless live. */
  forward(payload: Buffer) {
    if (!this.isLive || !this.unsubscribe) return;
    this.lastForwardAt = performance.now();
    this.emit(payload);
  }

  get playing(): boolean {
    return this.source !== null;
  }

  private finish() {
    const done = this.source?.onEnd;
    this.source = null;
    done?.();
  }

  private next(): Buffer {
    const s = this.source;
    if (!s) return OPUS_SILENCE;
    if (s.index >= s.packets.length) {
      if (!s.loop) {
        this.finish();
        return OPUS_SILENCE;
      }
      s.index = 0;
    }
    return s.packets[s.index++]!;
  }

  private tick() {
    // While bridged, the other leg paces the stream; silence keeps it alive if that leg goes quiet.
    if (this.isLive && performance.now() - this.lastForwardAt < LIVE_GAP_MS) return;
    this.emit(this.next());
    // A prompt that just sent its last packet ends now, not one tick later.
    const s = this.source;
    if (s && !s.loop && s.index >= s.packets.length) this.finish();
  }

  private emit(payload: Buffer) {
    const header = new RtpHeader({
      payloadType: this.opts.payloadType ?? 111,
      sequenceNumber: this.seq,
      timestamp: this.timestamp,
      ssrc: this.opts.ssrc ?? 0,
      marker: this.marker,
    });
    this.marker = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + (opusPacketSamples(payload) || 960)) >>> 0;
    this.sent += 1;
    this.send(new RtpPacket(header, payload));
  }

  close() {
    this.source = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
