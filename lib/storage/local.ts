// Storage in a local directory (`[calling] audio_dir`): the demo and single-VM installs.
import { createHmac } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { assertSafeKey, type ObjectStorage, StorageError } from "./types";

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
    try {
      return await fs.readFile(this.file(key));
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

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  static sign(secret: string, key: string, expires: number): string {
    return createHmac("sha256", secret).update(`${key}\n${expires}`).digest("base64url");
  }

  async playbackUrl(key: string, ttlSecs = 3600): Promise<string> {
    assertSafeKey(key);
    const expires = Math.floor(Date.now() / 1000) + ttlSecs;
    const sig = LocalStorage.sign(this.signing.secret, key, expires);
    return `${this.signing.baseUrl}/api/storage/${key}?expires=${expires}&sig=${sig}`;
  }
}
