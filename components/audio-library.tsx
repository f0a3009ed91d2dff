"use client";
// The organisation's audio: upload files or type TTS text; status updates without a reload.
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { apiCall } from "./api-client";
import { AUDIO_ACCEPT as ACCEPT, assetNameFor, putAudioFile, uploadAudio } from "./audio-upload";
import { toast } from "./toast";

interface Asset {
  id: string;
  name: string;
  kind: string;
  status: "pending" | "ready" | "failed";
  error: string | null;
  durationMs: number | null;
  playbackUrl: string | null;
}

const FILE_INPUT =
  "block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50 dark:text-slate-300 dark:file:border-slate-600 dark:file:bg-slate-800 dark:file:text-slate-200";

export function AudioLibrary() {
  const router = useRouter();
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setAssets(await apiCall("/api/audio"));
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Poll while anything is still being processed.
  const pending = assets?.some((a) => a.status === "pending");
  useEffect(() => {
    if (!pending) {
      router.refresh();
      return;
    }
    const t = setInterval(() => void load(), 1500);
    return () => clearInterval(t);
  }, [pending, load, router]);

  /** Runs one library action with a busy message; errors are shown, the list reloads after. */
  async function withBusy(message: string, fn: () => Promise<void>) {
    setError(null);
    setBusy(message);
    try {
      await fn();
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  }

  function onTts(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    return withBusy("Creating speech…", async () => {
      await apiCall("/api/audio/tts", "POST", { name: f.get("name"), text: f.get("text") });
      form.reset();
    });
  }

  function onUpload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return;
    const name = String(new FormData(form).get("name") || assetNameFor(file));
    return withBusy(`Uploading ${file.name}…`, async () => {
      // The file goes straight to storage (presigned S3 URL or the signed local route).
      await uploadAudio(file, name);
      form.reset();
    });
  }

  const [renaming, setRenaming] = useState<string | null>(null);

  function onRename(e: FormEvent<HTMLFormElement>, a: Asset) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    return withBusy(`Renaming ${a.name}…`, async () => {
      await apiCall(`/api/audio/${a.id}`, "PATCH", { name });
      setRenaming(null);
      toast(`Renamed to ${name.trim()}.`);
    });
  }

  function onReplace(a: Asset, file: File | undefined) {
    if (!file) return;
    return withBusy(`Replacing ${a.name} with ${file.name}…`, async () => {
      const started = await apiCall(`/api/audio/${a.id}/replace`, "POST", { contentType: file.type || "application/octet-stream", size: file.size });
      await putAudioFile(a.id, started.upload, file);
    });
  }

  async function onDelete(a: Asset) {
    // A file a flow or the hold music plays is refused: say so first, not after "This cannot be undone".
    setError(null);
    // Unanswered (offline, say): ask anyway; the delete itself is refused if it must be.
    const check = await apiCall<{ canDelete: boolean; reason: string | null }>(`/api/audio/${a.id}`).catch(() => ({ canDelete: true, reason: null }));
    if (!check.canDelete) {
      setError(check.reason);
      return;
    }
    if (!window.confirm(`Delete “${a.name}”? This cannot be undone.`)) return;
    return withBusy(`Deleting ${a.name}…`, async () => {
      await apiCall(`/api/audio/${a.id}`, "DELETE");
      toast(`Deleted “${a.name}”`);
    });
  }

  return (
    <section aria-label="Audio library" className="card mt-6 max-w-5xl space-y-4">
      <h2 className="text-lg font-semibold">Audio library</h2>
      <p className="text-sm text-slate-500 dark:text-slate-400">
        Prompts and hold music. Uploads (OGG, MP3, WAV, M4A…) are converted to OGG/Opus; text is spoken by the TTS engine.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <form onSubmit={onUpload} className="space-y-2" aria-labelledby="audio-upload-heading">
          <h3 id="audio-upload-heading" className="text-sm font-semibold">
            Upload a file
          </h3>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Audio file</span>
            <input name="file" type="file" accept={ACCEPT} required className={FILE_INPUT} />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Name (optional)</span>
            <input name="name" maxLength={80} className="input" />
          </label>
          <button type="submit" className="btn-secondary" disabled={!!busy}>
            Upload
          </button>
        </form>
        <form onSubmit={onTts} className="space-y-2" aria-labelledby="audio-tts-heading">
          <h3 id="audio-tts-heading" className="text-sm font-semibold">
            Create speech from text
          </h3>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Name</span>
            <input name="name" required maxLength={80} className="input" />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Text to speak</span>
            <textarea name="text" required maxLength={2000} className="input min-h-16" />
          </label>
          <button type="submit" className="btn-secondary" disabled={!!busy}>
            Create speech
          </button>
        </form>
      </div>
      {busy && (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {busy}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {assets && assets.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">No audio yet.</p>}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {assets?.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-3 py-2 text-sm" data-status={a.status} aria-label={a.name}>
            <span className="min-w-48 flex-1 font-medium break-words" title={a.name}>
              {a.name}
            </span>
            <span className="w-16 text-slate-500 dark:text-slate-400">{a.kind === "tts" ? "speech" : "upload"}</span>
            {a.status === "ready" && a.playbackUrl ? (
              <>
                <span className="w-14 text-slate-500 dark:text-slate-400">{((a.durationMs ?? 0) / 1000).toFixed(1)} s</span>
                <audio controls preload="none" src={a.playbackUrl} className="h-8" aria-label={`Play ${a.name}`}>
                  <track kind="captions" label={a.kind === "tts" ? "Spoken text" : "No captions"} />
                </audio>
                {a.error && (
                  <span role="alert" className="basis-full text-amber-800 dark:text-amber-300">
                    {a.error}
                  </span>
                )}
              </>
            ) : a.status === "pending" ? (
              <span className="text-amber-700 dark:text-amber-300">Processing…</span>
            ) : (
              <span className="text-red-700 dark:text-red-300">Failed: {a.error}</span>
            )}
            <span className="ml-auto flex shrink-0 gap-1">
              <button type="button" className="btn-secondary" aria-label={`Rename ${a.name}`} onClick={() => setRenaming(renaming === a.id ? null : a.id)}>
                Rename
              </button>
              <label className="btn-secondary cursor-pointer focus-within:ring-2 focus-within:ring-brand-500">
                Replace
                <input
                  type="file"
                  accept={ACCEPT}
                  className="sr-only"
                  aria-label={`Replace ${a.name} with another file`}
                  onChange={(e) => void onReplace(a, e.target.files?.[0])}
                />
              </label>
              <button type="button" className="btn-danger" aria-label={`Delete ${a.name}`} onClick={() => void onDelete(a)}>
                Delete
              </button>
            </span>
            {renaming === a.id && (
              <form onSubmit={(e) => void onRename(e, a)} className="flex basis-full gap-2">
                <input name="name" defaultValue={a.name} maxLength={80} required aria-label={`New name for ${a.name}`} className="input" />
                <button type="submit" className="btn-secondary">
                  Save name
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
