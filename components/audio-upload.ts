// Browser side of an audio upload: ask the API for a signed URL, PUT the file straight to storage
// (with progress), then tell the API it arrived so the workers transcode it. Shared by the audio
// library and the flow editor's prompt field.
import { apiCall } from "./api-client";

export const AUDIO_ACCEPT = "audio/*,.ogg,.opus,.mp3,.wav,.m4a";

export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
}

/** PUTs the file to the URL the API handed out; `onProgress` gets 0…1 as bytes leave the browser. */
function put(upload: UploadTarget, file: File, onProgress?: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", upload.url);
    for (const [k, v] of Object.entries(upload.headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new Error("Upload failed: the storage server could not be reached"));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `Upload failed (${xhr.status})`;
      try {
        message = JSON.parse(xhr.responseText)?.error?.message ?? message;
      } catch {}
      reject(new Error(message));
    };
    xhr.send(file);
  });
}

/** Sends a file to storage through the URL the API handed out, then queues the transcode. */
export async function putAudioFile(assetId: string, upload: UploadTarget, file: File, onProgress?: (fraction: number) => void) {
  await put(upload, file, onProgress);
  await apiCall(`/api/audio/${assetId}/uploaded`, "POST");
}

/** Uploads a new asset; returns it (status "pending" until the workers have transcoded it). */
export async function uploadAudio(file: File, name: string, onProgress?: (fraction: number) => void): Promise<{ id: string; name: string }> {
  const started = await apiCall("/api/audio/uploads", "POST", { name, contentType: file.type || "application/octet-stream", size: file.size });
  await putAudioFile(started.asset.id, started.upload, file, onProgress);
  return { id: started.asset.id, name: started.asset.name ?? name };
}

/** A file's name without its extension, the default asset name. */
export const assetNameFor = (file: File) => file.name.replace(/[.][^.]+$/, "");
