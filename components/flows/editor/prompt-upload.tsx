"use client";
// "Upload audio…" beside a prompt's audio picker: uploads through the audio library's flow, follows
// the transcode, and hands the ready asset to the editor (which selects it in the node's prompt as
// an ordinary, undoable edit). The upload is a side effect kept out of the editor's reducer.
import { useRef, useState } from "react";
import { apiCall } from "@/components/api-client";
import { AUDIO_ACCEPT, assetNameFor, uploadAudio } from "@/components/audio-upload";

export interface ReadyAsset {
  id: string;
  name: string;
  status: string;
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; percent: number; file: string }
  | { kind: "processing"; file: string }
  | { kind: "failed"; reason: string };

const POLL_MS = 1000;
const GIVE_UP_MS = 180_000;

/** Polls the library until the workers finish with the asset; its final status and error. */
async function settled(id: string): Promise<{ status: string; error: string | null }> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline) {
    const list: { id: string; status: string; error: string | null }[] = await apiCall("/api/audio");
    const asset = list.find((a) => a.id === id);
    if (!asset) return { status: "failed", error: "The file was deleted from the audio library" };
    if (asset.status !== "pending") return asset;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return { status: "failed", error: "Still processing after 3 minutes: check the audio library later" };
}

export function PromptUpload({ label, onReady }: { label: string; onReady: (asset: ReadyAsset) => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const busy = phase.kind === "uploading" || phase.kind === "processing";

  async function onFile(file: File | undefined) {
    if (!file) return;
    if (input.current) input.current.value = "";
    setPhase({ kind: "uploading", percent: 0, file: file.name });
    try {
      const asset = await uploadAudio(file, assetNameFor(file), (f) => setPhase({ kind: "uploading", percent: Math.round(f * 100), file: file.name }));
      setPhase({ kind: "processing", file: file.name });
      const done = await settled(asset.id);
      if (done.status !== "ready") throw new Error(done.error ?? "The file could not be converted");
      setPhase({ kind: "idle" });
      onReady({ id: asset.id, name: asset.name, status: "ready" });
    } catch (err) {
      setPhase({ kind: "failed", reason: (err as Error).message });
    }
  }

  return (
    <div className="space-y-1" data-upload-phase={phase.kind}>
      <label
        className={`btn-secondary inline-flex cursor-pointer focus-within:ring-2 focus-within:ring-brand-500 ${busy ? "pointer-events-none opacity-60" : ""}`}
      >
        Upload audio…
        <input
          ref={input}
          type="file"
          accept={AUDIO_ACCEPT}
          className="sr-only"
          disabled={busy}
          aria-label={`Upload an audio file for ${label}`}
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </label>
      {phase.kind === "uploading" && (
        <div role="status" className="space-y-1 text-xs text-slate-600 dark:text-slate-300">
          <span>
            Uploading {phase.file}… {phase.percent}%
          </span>
          <progress className="block h-1.5 w-full accent-brand-600" max={100} value={phase.percent} aria-label={`Uploading ${phase.file}`} />
        </div>
      )}
      {phase.kind === "processing" && (
        <p role="status" className="text-xs text-amber-700 dark:text-amber-300">
          Processing {phase.file}…
        </p>
      )}
      {phase.kind === "failed" && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          Upload failed: {phase.reason}
        </p>
      )}
    </div>
  );
}
