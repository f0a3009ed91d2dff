// Nothing recorded is lost when a gateway stops: on start (and now and then after) it looks at the
// recording files in its directory and hands every leftover to the finalise job. A recording whose
// call was cut off mid-bridge (crash, kill) is closed out at the length of its own files.
import fs from "node:fs/promises";
import type { Logger } from "pino";
import { oggOpusLength } from "../audio/ogg-duration";
import { db } from "../db";
import { localRecordingIds, recordingFiles } from "./files";

export const CLOSED_OUT_NOTE = "The gateway stopped during the call;";

async function lengthMs(file: string): Promise<number> {
  return fs.readFile(file).then(
    (b) => oggOpusLength(b).durationMs,
    () => 0,
  );
}

export interface SweepOptions {
  dir: string;
  gatewayId: string;
  /** Recordings this process is capturing right now (never touched). */
  active: ReadonlySet<string>;
  /** Whether another gateway process (same host, same directory) is alive and may still be recording. */
  isLive: (gatewayId: string) => Promise<boolean>;
  enqueue: (recordingId: string) => Promise<unknown>;
  log: Logger;
}

export async function sweepLeftoverRecordings(opts: SweepOptions): Promise<{ enqueued: string[]; closedOut: string[] }> {
  const ids = (await localRecordingIds(opts.dir)).filter((id) => !opts.active.has(id));
  if (ids.length === 0) return { enqueued: [], closedOut: [] };
  const rows = await db.recording.findMany({
    where: { id: { in: ids }, status: { in: ["recording", "processing"] } },
    select: { id: true, status: true, gatewayId: true },
  });
  const enqueued: string[] = [];
  const closedOut: string[] = [];
  for (const row of rows) {
    if (row.status === "recording") {
      // Another process on this host may be mid-call; our own id means our previous incarnation.
      if (row.gatewayId && row.gatewayId !== opts.gatewayId && (await opts.isLive(row.gatewayId))) continue;
      const files = recordingFiles(opts.dir, row.id);
      const ms = Math.round(Math.max(await lengthMs(files.caller), await lengthMs(files.agent)));
      const error = `${CLOSED_OUT_NOTE} the recording was closed out at ${(ms / 1000).toFixed(1)} s from its own files (gateway ${row.gatewayId ?? "unknown"})`;
      const { count } = await db.recording.updateMany({ where: { id: row.id, status: "recording" }, data: { status: "processing", bridgedMs: ms, error } });
      if (count === 0) continue;
      closedOut.push(row.id);
      opts.log.warn({ recordingId: row.id, bridgedMs: ms, previousGateway: row.gatewayId }, "closed out a recording cut off mid-call");
    }
    try {
      await opts.enqueue(row.id);
      enqueued.push(row.id);
    } catch (err) {
      opts.log.error({ err, recordingId: row.id }, "could not enqueue a leftover recording; the next sweep tries again");
    }
  }
  if (enqueued.length) opts.log.info({ enqueued: enqueued.length, closedOut: closedOut.length }, "leftover recordings handed to the finalise job");
  return { enqueued, closedOut };
}
