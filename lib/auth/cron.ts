// Scheduled routes and operators' tools authenticate with `Authorization: Bearer <server.cron_secret>`.
import { timingSafeEqual } from "node:crypto";
import { config } from "../config";
import { AppError } from "../errors";

export function hasCronSecret(req: Request): boolean {
  const secret = config().server.cron_secret;
  if (!secret) return false;
  const given = Buffer.from(req.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function assertCronSecret(req: Request): void {
  if (!hasCronSecret(req)) throw new AppError("unauthenticated", "A valid cron secret is required");
}
