// The configured storage: S3 when `[storage] s3_bucket` is set, else the local audio directory.
import { authSecret, type Config, config } from "../config";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";
import type { ObjectStorage } from "./types";

export type { ObjectStorage } from "./types";
export { StorageError } from "./types";

export function storageFrom(cfg: Config): ObjectStorage {
  const s = cfg.storage;
  if (s.s3_bucket) {
    return new S3Storage({
      bucket: s.s3_bucket,
      region: s.s3_region,
      accessKeyId: s.s3_key,
      secretAccessKey: s.s3_secret,
      endpoint: s.s3_endpoint,
      forcePathStyle: s.s3_force_path_style,
    });
  }
  return new LocalStorage(cfg.calling.audio_dir, { baseUrl: cfg.server.base_url, secret: authSecret(cfg) });
}

let cached: ObjectStorage | undefined;
export function storage(): ObjectStorage {
  cached ??= storageFrom(config());
  return cached;
}
