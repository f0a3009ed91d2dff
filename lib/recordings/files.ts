// Where a recording's files live on the gateway host until the finalise job has uploaded them.
// The gateway writes them and the workers process reads them: both must run on the same host and
// share `[calling] recordings_dir`.
import fs from "node:fs/promises";
import path from "node:path";

const DIRECTIONS = ["caller", "agent"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export function recordingFiles(dir: string, recordingId: string) {
  const base = path.join(path.resolve(dir), recordingId);
  return {
    caller: `${base}.caller.ogg`,
    agent: `${base}.agent.ogg`,
    /** The stereo file, written under a temporary name and renamed when complete. */
    merged: `${base}.stereo.ogg`,
  };
}

/** Ids of the recordings with files in `dir` (a missing directory holds none). */
export async function localRecordingIds(dir: string): Promise<string[]> {
  const names = await fs.readdir(path.resolve(dir)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [] as string[];
    throw err;
  });
  const ids = new Set<string>();
  for (const name of names) {
    const m = /^([A-Za-z0-9_-]+)\.(caller|agent|stereo)\.ogg$/.exec(name);
    if (m) ids.add(m[1]!);
  }
  return [...ids];
}

/** Removes every local file of a recording (after a verified upload, or an abandoned capture). */
export async function removeRecordingFiles(dir: string, recordingId: string): Promise<void> {
  const files = recordingFiles(dir, recordingId);
  await Promise.all([files.caller, files.agent, files.merged, `${files.merged}.tmp.ogg`].map((f) => fs.rm(f, { force: true })));
}

export function storageKeyFor(orgId: string, callId: string, recordingId: string): string {
  return `recordings/${orgId}/${callId}/${recordingId}.ogg`;
}
