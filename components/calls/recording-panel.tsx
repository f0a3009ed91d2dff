import { type RecordingFacts, recordingStateText } from "@/lib/calls/recording";

/** The player (through the playback route, which redirects to a short-lived URL) or the state in words. */
export function RecordingPanel({ callId, recording, timeZone }: { callId: string; recording: RecordingFacts | null; timeZone: string }) {
  if (!recording) return <p className="card p-4 text-sm text-slate-500 dark:text-slate-400">This call was not recorded.</p>;
  const state = recordingStateText(recording, timeZone);
  if (state) {
    return (
      <p
        className={`card p-4 text-sm ${recording.status === "failed" ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-300"}`}
        role="status"
      >
        {state}
      </p>
    );
  }
  const src = `/api/calls/${callId}/recording`;
  return (
    <div className="card flex flex-wrap items-center gap-4 p-4">
      {/* biome-ignore lint/a11y/useMediaCaption: a phone call recording has no captions to offer */}
      <audio controls preload="metadata" src={src} className="w-full max-w-xl" aria-label="Call recording" />
      <a href={`${src}?download=1`} className="btn-secondary">
        Download
      </a>
      {recording.durationMs != null && <span className="text-sm text-slate-500 dark:text-slate-400">{(recording.durationMs / 1000).toFixed(1)} s</span>}
    </div>
  );
}
