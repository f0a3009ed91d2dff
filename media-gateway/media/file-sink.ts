// Appends pages to a file without blocking the media clock: writes are queued in order on one
// file handle. A write error (disk full, directory gone) or a disk too slow to keep up fails the
// sink once; the owner decides what that means (a recording stops, the call goes on).
import fs from "node:fs/promises";

/** More than this waiting for the disk means it cannot keep up; stop rather than grow in memory. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export class FileSink {
  private chain: Promise<fs.FileHandle | null>;
  private queued = 0;
  private failed: Error | null = null;
  private closed = false;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly onError: (err: Error) => void,
  ) {
    // "wx": a recording never overwrites another's file.
    this.chain = fs.open(path, "wx").catch((err: Error) => this.fail(err));
  }

  get error(): Error | null {
    return this.failed;
  }

  private fail(err: Error): null {
    if (!this.failed) {
      this.failed = err;
      this.onError(err);
    }
    return null;
  }

  append(page: Buffer) {
    if (this.failed || this.closed) return;
    if (this.queued + page.length > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk is not keeping up (${Math.round(this.queued / 1024)} KB waiting to be written to ${this.path})`));
      return;
    }
    this.queued += page.length;
    this.chain = this.chain.then(async (fh) => {
      this.queued -= page.length;
      if (!fh || this.failed) return fh;
      try {
        await fh.write(page);
        this.bytes += page.length;
        return fh;
      } catch (err) {
        await fh.close().catch(() => {});
        return this.fail(err as Error);
      }
    });
  }

  /** Waits for every queued page, syncs and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const fh = await this.chain;
    if (!fh) return;
    try {
      await fh.sync();
    } catch (err) {
      this.fail(err as Error);
    } finally {
      await fh.close().catch(() => {});
    }
  }
}
