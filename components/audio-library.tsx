"use client";
// The organisation's audio: upload files or type TTS text; status updates without a reload.
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { apiCall } from "./api-client";

interface Asset {
  id: string;
  name: string;
  kind: string;
  status: "pending" | "ready" | "failed";
  error: string | null;
  durationMs: number | null;
  playbackUrl: string | null;
}


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
    const name = String(new FormData(form).get("name") || file.name.replace(/[.][^.]+$/, ""));
    return withBusy(`Uploading ${file.name}…`, async () => {
      const started = await apiCall("/api/audio/uploads", "POST", { name, contentType: file.type || "application/octet-stream", size: file.size });
      // The file goes straight to storage (presigned S3 URL or the signed local route).
      const put = await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: file });
      if (!put.ok) throw new Error((await put.json().catch(() => null))?.error?.message ?? `Upload failed (${put.status})`);
      await apiCall(`/api/audio/${started.asset.id}/uploaded`, "POST");
      form.reset();
    });
  }

  return (
    <section aria-label="Audio library" className="card mt-6 max-w-3xl space-y-4">
      <h2 className="text-lg font-semibold">Audio library</h2>
      <p className="text-sm text-slate-500 dark:text-slate-400">Prompts and hold music. Uploads (OGG, MP3, WAV, M4A…) are converted to OGG/Opus; text is spoken by the TTS engine.</p>
      <div className="grid gap-4 md:grid-cols-2">
        <form onSubmit={onUpload} className="space-y-2">
          <label className="block text-sm"><span className="mb-1 block font-medium">Audio file</span><input name="file" type="file" accept="audio/*,.ogg,.opus,.mp3,.wav,.m4a" required className="text-sm" /></label>
          <label className="block text-sm"><span className="mb-1 block font-medium">Name (optional)</span><input name="name" maxLength={80} className="input" /></label>
          <button type="submit" className="btn-secondary" disabled={!!busy}>Upload</button>
        </form>
        <form onSubmit={onTts} className="space-y-2">
          <label className="block text-sm"><span className="mb-1 block font-medium">Name</span><input name="name" required maxLength={80} className="input" /></label>
          <label className="block text-sm"><span className="mb-1 block font-medium">Text to speak</span><textarea name="text" required maxLength={2000} className="input min-h-16" /></label>
          <button type="submit" className="btn-secondary" disabled={!!busy}>Create speech</button>
        </form>
      </div>
      {busy && <p role="status" className="text-sm text-slate-600 dark:text-slate-300">{busy}</p>}
      {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
      {assets && assets.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">No audio yet.</p>}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {assets?.map((a) => (
          <li key={a.id} className="flex items-center gap-3 py-2 text-sm" data-status={a.status}>
            <span className="w-40 truncate font-medium">{a.name}</span>
            <span className="w-16 text-slate-500 dark:text-slate-400">{a.kind === "tts" ? "speech" : "upload"}</span>
            {a.status === "ready" && a.playbackUrl ? (
              <>
                <span className="w-14 text-slate-500 dark:text-slate-400">{((a.durationMs ?? 0) / 1000).toFixed(1)} s</span>
                <audio controls preload="none" src={a.playbackUrl} className="h-8" aria-label={`Play ${a.name}`}>
                  <track kind="captions" label={a.kind === "tts" ? "Spoken text" : "No captions"} />
                </audio>
              </>
            ) : a.status === "pending" ? (
              <span className="text-amber-700">Processing…</span>
            ) : (
              <span className="text-red-700 dark:text-red-300">Failed: {a.error}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
