// One direction of a recorded bridge, placed on the bridge's wall-clock timeline: a packet goes where
// its RTP timestamp says (so network jitter does not stretch or squeeze the audio), a gap in the
// timestamps or in arrivals (DTX, loss, hold, a sender that paused) becomes silence frames, and a
// sender whose timestamps jump (a new stream) is re-anchored on the wall clock. Every 20 ms of the
// bridge is 960 samples in the file, so the two directions' files line up sample for sample.
import { opusPacketSamples } from "../../lib/audio/ogg";
import type { OggOpusWriter } from "../../lib/audio/ogg-writer";
import { OPUS_SILENCE } from "../../lib/media/opus";

const SAMPLES_PER_MS = 48;
const FRAME = 960;
/**
 * How far a packet's RTP position may sit from its arrival time before the wall clock wins. Wide
 * enough for a busy event loop or a jittery network (late packets keep their place), narrow
 * enough that a restarted sender or a paused one cannot shift the audio noticeably.
 */
export const SLACK_MS = 300;
const SLACK = SLACK_MS * SAMPLES_PER_MS;
/**
 * A packet whose RTP position runs this far ahead of its arrival is dropped: a sender whose clock is
 * a little fast (tens of ppm) would otherwise make the file outgrow the bridge on a long call.
 */
const AHEAD = 60 * SAMPLES_PER_MS;

export class TrackRecorder {
  /** The RTP timestamp the next contiguous packet would carry; null re-anchors on the wall clock. */
  private nextTs: number | null = null;
  /** Packets written and silence frames inserted (for logs and tests). */
  readonly stats = { packets: 0, silenceFrames: 0, dropped: 0 };

  constructor(
    private readonly writer: OggOpusWriter,
    /** performance.now() when the bridge started: sample 0 of the file. */
    private readonly startedAt: number,
  ) {}

  private wallSamples(now: number) {
    return Math.max(0, Math.round((now - this.startedAt) * SAMPLES_PER_MS));
  }

  private get written() {
    return this.writer.writtenSamples;
  }

  /** Silence frames up to `position` (to the nearest frame; never backwards). */
  private fillTo(position: number, round: (x: number) => number = Math.round) {
    const frames = round((position - this.written) / FRAME);
    for (let i = 0; i < frames; i++) this.writer.write(OPUS_SILENCE, FRAME);
    if (frames > 0) this.stats.silenceFrames += frames;
    return frames > 0;
  }

  /** One received Opus payload with its RTP timestamp, as it arrives. */
  packet(payload: Buffer, timestamp: number, now = performance.now()) {
    const samples = opusPacketSamples(payload) || FRAME;
    // Where the packet starts if it was captured just before it arrived.
    const byWall = this.wallSamples(now) - samples;
    let start = byWall;
    if (this.nextTs !== null) {
      const delta = (timestamp - this.nextTs) | 0; // signed: RTP timestamps wrap at 2^32
      const byRtp = this.written + delta;
      if (Math.abs(byRtp - byWall) <= SLACK) {
        if (delta < 0) {
          // A duplicate or a packet overtaken by later ones: its place is already written.
          this.stats.dropped += 1;
          return;
        }
        if (byRtp - byWall > AHEAD) {
          // Ahead of real time: skip this slot (the next packet follows on without a gap).
          this.stats.dropped += 1;
          this.nextTs = (timestamp + samples) >>> 0;
          return;
        }
        start = byRtp;
      }
    }
    this.fillTo(start);
    this.writer.write(payload, samples);
    this.stats.packets += 1;
    this.nextTs = (timestamp + samples) >>> 0;
  }

  /**
   * Keeps the file on the timeline while nothing arrives (hold, a silent sender): fills silence up
   * to `SLACK_MS` behind now. The next packet is then placed by its arrival time.
   */
  catchUp(now = performance.now()) {
    if (this.fillTo(this.wallSamples(now) - SLACK, Math.floor)) this.nextTs = null;
  }

  /** Pads the file to the end of the bridge (to within one frame); returns the samples written. */
  finish(now = performance.now()): number {
    this.fillTo(this.wallSamples(now), Math.floor);
    return this.written;
  }
}
