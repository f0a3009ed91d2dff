// Records the bridge phase of a call: each direction's received Opus packets to its own OGG/Opus
// file (never both into one stream: two encoders interleaved play at half speed), both on the
// bridge's wall-clock timeline. Recording never breaks a call: a disk error is logged, the
// recording stops and is marked failed, the call goes on.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import type { Logger } from "pino";
import { OggOpusWriter } from "../../lib/audio/ogg-writer";
import type { Config } from "../../lib/config";
import { db } from "../../lib/db";
import { enqueueFinalise } from "../../lib/recordings/enqueue";
import { type Direction, recordingFiles, removeRecordingFiles } from "../../lib/recordings/files";
import { FileSink } from "../media/file-sink";
import { TrackRecorder } from "../media/track-recorder";

/** Pages reach the disk at least this often, so a crash loses well under a second of audio. */
const FLUSH_MS = 500;

/** Both `[calling] recording_enabled` and the organisation's own toggle. */
export async function recordingWanted(calling: Config["calling"], orgId: string): Promise<boolean> {
  if (!calling.recording_enabled) return false;
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { recordingEnabled: true } });
  return !!org?.recordingEnabled;
}

/**
 * Starts recording a bridge if `wanted` resolves true (and the call has not ended meanwhile); a
 * recorder the bridge refuses (it closed first) is closed out at once.
 */
export async function recordBridge(
  bridge: { startedAt: number; record(r: CallRecorder): boolean },
  wanted: Promise<boolean>,
  opts: Omit<RecorderOptions, "startedAt">,
  stillOn: () => boolean,
): Promise<void> {
  if (!(await wanted) || !stillOn()) return;
  const recorder = await CallRecorder.start({ ...opts, startedAt: bridge.startedAt });
  if (recorder && !bridge.record(recorder)) await recorder.close();
}

interface Track {
  sink: FileSink;
  writer: OggOpusWriter;
  recorder: TrackRecorder;
}

interface RecorderOptions {
  callId: string;
  gatewayId: string;
  dir: string;
  log: Logger;
  /** performance.now() when the bridge started: the files' time zero. */
  startedAt: number;
}

/** Recordings this process is capturing now: the sweep must leave them alone. */
export const activeRecordings = new Set<string>();

export class CallRecorder {
  readonly id = randomUUID();
  private readonly startedAt: number;
  private readonly tracks: Record<Direction, Track>;
  private readonly flusher: NodeJS.Timeout;
  private readonly created: Promise<boolean>;
  private stopped = false;
  private closing: Promise<void> | null = null;
  private readonly log: Logger;

  private constructor(private readonly opts: RecorderOptions) {
    this.startedAt = opts.startedAt;
    this.log = opts.log.child({ recordingId: this.id });
    const files = recordingFiles(opts.dir, this.id);
    const track = (file: string): Track => {
      const sink = new FileSink(file, (err) => this.stop(err));
      const writer = new OggOpusWriter((page) => sink.append(page));
      return { sink, writer, recorder: new TrackRecorder(writer, this.startedAt) };
    };
    activeRecordings.add(this.id);
    this.tracks = { caller: track(files.caller), agent: track(files.agent) };
    this.created = db.recording
      .create({ data: { id: this.id, callId: opts.callId, status: "recording", gatewayId: opts.gatewayId } })
      .then(() => true)
      .catch((err) => {
        this.stop(err as Error);
        return false;
      });
    this.flusher = setInterval(() => this.tick(), FLUSH_MS);
    this.log.info({ dir: opts.dir }, "recording the bridge");
  }

  /** Starts recording, or returns null (logged) when the directory cannot be made. */
  static async start(opts: RecorderOptions): Promise<CallRecorder | null> {
    try {
      await fs.mkdir(opts.dir, { recursive: true });
    } catch (err) {
      opts.log.error({ err, dir: opts.dir }, "cannot create the recordings directory; this call is not recorded");
      return null;
    }
    return new CallRecorder(opts);
  }

  fromCaller(payload: Buffer, timestamp: number) {
    this.packet("caller", payload, timestamp);
  }

  fromAgent(payload: Buffer, timestamp: number) {
    this.packet("agent", payload, timestamp);
  }

  private packet(direction: Direction, payload: Buffer, timestamp: number) {
    if (this.stopped || this.closing) return;
    try {
      this.tracks[direction].recorder.packet(payload, timestamp);
    } catch (err) {
      // Whatever goes wrong in here stays in here: the packet was already forwarded.
      this.stop(err as Error);
    }
  }

  private tick() {
    if (this.stopped) return;
    const now = performance.now();
    for (const t of Object.values(this.tracks)) {
      t.recorder.catchUp(now);
      t.writer.flush();
    }
  }

  /** A disk or database error: stop recording, keep the call. */
  private stop(err: Error) {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flusher);
    this.log.error({ err }, "recording stopped; the call continues unrecorded");
    void (async () => {
      await Promise.all(Object.values(this.tracks).map((t) => t.sink.close()));
      await removeRecordingFiles(this.opts.dir, this.id).catch(() => {});
      await db.recording
        .updateMany({ where: { id: this.id }, data: { status: "failed", error: `Stopped during the call (${err.message}); the call went on unrecorded` } })
        .catch(() => {});
      activeRecordings.delete(this.id);
    })();
  }

  /**
   * The bridge is over: pad both files to its end, close them, record the bridged time and hand
   * the recording to the finalise job. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish() {
    clearInterval(this.flusher);
    if (this.stopped) return;
    const now = performance.now();
    const bridgedMs = Math.round(now - this.startedAt);
    for (const t of Object.values(this.tracks)) {
      t.recorder.finish(now);
      t.writer.end();
    }
    await Promise.all(Object.values(this.tracks).map((t) => t.sink.close()));
    if (this.stopped || !(await this.created)) return;
    const stats = { caller: this.tracks.caller.recorder.stats, agent: this.tracks.agent.recorder.stats };
    try {
      await db.recording.updateMany({ where: { id: this.id, status: "recording" }, data: { status: "processing", bridgedMs } });
    } catch (err) {
      this.log.error({ err }, "could not mark the recording processing; the start-up sweep will close it out");
      return;
    } finally {
      activeRecordings.delete(this.id);
    }
    this.log.info({ bridgedMs, ...stats }, "recording captured");
    await enqueueFinalise(this.id).catch((err) => this.log.error({ err }, "could not enqueue the recording finalise job; the gateway's sweep will"));
  }
}
