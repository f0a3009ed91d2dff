// Storage in a local directory (`[calling] audio_dir`): the demo and single-VM installs.
import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { assertSafeKey, type ObjectStorage, type PlaybackOptions, StorageError, safeDownloadName } from "./types";

export class LocalStorage implements ObjectStorage {
  readonly kind = "local" as const;

  constructor(
    private readonly dir: string,
    private readonly signing: { baseUrl: string; secret: string },
  ) {}

  private file(key: string) {
    assertSafeKey(key);
    return path.join(path.resolve(this.dir), key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, file);
  }

  async get(key: string): Promise<Buffer> {
    const file = this.file(key);
    try {
      return await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new StorageError(`No stored object ${key}`, false);
      throw new StorageError(`Cannot read ${key}: ${(err as Error).message}`, true);
    }
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.file(key)).then(
      () => true,
      () => false,
    );
  }

  async size(key: string): Promise<number | null> {
    return fs.stat(this.file(key)).then(
      (s) => s.size,
      () => null,
    );
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  static sign(secret: string, method: "GET" | "PUT", key: string, expires: number): string {
    return createHmac("sha256", secret).update(`${method}\n${key}\n${expires}`).digest("base64url");
  }

  /** Checks a signed URL's method, key and expiry (constant-time). */
  static verify(secret: string, method: "GET" | "PUT", key: string, expires: number, sig: string): boolean {
    if (!Number.isFinite(expires) || expires < Date.now() / 1000) return false;
    const expected = Buffer.from(LocalStorage.sign(secret, method, key, expires));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private signed(method: "GET" | "PUT", key: string, ttlSecs: number): string {
    assertSafeKey(key);
    const expires = Math.floor(Date.now() / 1000) + ttlSecs;
    return `${this.signing.baseUrl}/api/storage/${key}?expires=${expires}&sig=${LocalStorage.sign(this.signing.secret, method, key, expires)}`;
  }

  async playbackUrl(key: string, ttlSecs = 3600, opts: PlaybackOptions = {}): Promise<string> {
    const name = opts.downloadAs ? safeDownloadName(opts.downloadAs) : null;
    // `download` only changes the Content-Disposition the storage route sends, so it sits outside the signature.
    return this.signed("GET", key, ttlSecs) + (name ? `&download=${name}` : "");
  }

  async uploadUrl(key: string, _contentType: string, ttlSecs = 900): Promise<string> {
    return this.signed("PUT", key, ttlSecs);
  }

  /** Streams a request body to disk, stopping at `maxBytes` (the web tier never holds the file). */
  async putStream(key: string, body: ReadableStream<Uint8Array>, maxBytes: number): Promise<number> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.upload`;
    const handle = await fs.open(tmp, "w");
    let total = 0;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > maxBytes) throw new StorageError(`The file is larger than ${Math.round(maxBytes / 1_048_576)} MB`, false);
        await handle.write(chunk);
      }
    } catch (err) {
      await handle.close();
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    await fs.rename(tmp, file);
    return total;
  }
}
