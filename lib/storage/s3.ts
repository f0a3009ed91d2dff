// Storage in an S3-compatible bucket (AWS S3, MinIO, …); presigned GET URLs for playback.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertSafeKey, type ObjectStorage, type PlaybackOptions, StorageError, safeDownloadName } from "./types";

export interface S3Options {
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
}

function wrap(err: unknown, what: string): StorageError {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === "NoSuchKey" || e.name === "NotFound" || status === 404) return new StorageError(`${what}: not found`, false);
  // Network failures and 5xx are worth retrying; auth/permission errors are not.
  return new StorageError(`${what}: ${e.message ?? e.name ?? "S3 error"}`, status === undefined || status >= 500);
}

export class S3Storage implements ObjectStorage {
  readonly kind = "s3" as const;
  private readonly client: S3Client;

  constructor(private readonly opts: S3Options) {
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
      maxAttempts: 2,
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: body, ContentType: contentType })).catch((err) => {
      throw wrap(err, `Storing ${key}`);
    });
  }

  async get(key: string): Promise<Buffer> {
    assertSafeKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (err) {
      throw wrap(err, `Reading ${key}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return true;
    } catch (err) {
      const e = wrap(err, key);
      if (!e.retryable && e.message.endsWith("not found")) return false;
      throw e;
    }
  }

  async size(key: string): Promise<number | null> {
    assertSafeKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return head.ContentLength ?? null;
    } catch (err) {
      const e = wrap(err, key);
      if (!e.retryable && e.message.endsWith("not found")) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: key })).catch((err) => {
      throw wrap(err, `Deleting ${key}`);
    });
  }

  uploadUrl(key: string, contentType: string, ttlSecs = 900): Promise<string> {
    assertSafeKey(key);
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, ContentType: contentType }), { expiresIn: ttlSecs });
  }

  playbackUrl(key: string, ttlSecs = 3600, opts: PlaybackOptions = {}): Promise<string> {
    assertSafeKey(key);
    const name = opts.downloadAs ? safeDownloadName(opts.downloadAs) : null;
    // The disposition is part of the signed request, so S3 itself answers with it.
    const disposition = name ? { ResponseContentDisposition: `attachment; filename="${name}"` } : {};
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.opts.bucket, Key: key, ...disposition }), { expiresIn: ttlSecs });
  }
}
