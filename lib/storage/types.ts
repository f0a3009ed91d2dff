// One storage interface for audio and recordings: a local directory or an S3-compatible bucket.
export interface ObjectStorage {
  readonly kind: "local" | "s3";
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** The stored object's size in bytes, or null when there is none (verifies an upload). */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /** A URL a browser can GET for `ttlSecs` (S3 presigned; local: the app's signed route). */
  playbackUrl(key: string, ttlSecs?: number, opts?: PlaybackOptions): Promise<string>;
  /** A URL a browser can PUT the file to directly, so the web tier never buffers uploads. */
  uploadUrl(key: string, contentType: string, ttlSecs?: number): Promise<string>;
}

export interface PlaybackOptions {
  /** Serve as an attachment with this file name (a Download link) instead of inline. */
  downloadAs?: string;
}

/** A file name safe to put in Content-Disposition unquoted-escaped: letters, digits, . _ - only. */
export function safeDownloadName(name: string): string | null {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) ? name : null;
}

export class StorageError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "StorageError";
  }
}

/** Keys are ours, but never let one escape its prefix. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$/.test(key) || key.split("/").some((p) => p === ".." || p === "")) {
    throw new StorageError(`Invalid storage key: ${key}`, false);
  }
}
