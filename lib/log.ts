// Structured logs (pino). Processes create child loggers per call/job.
import pino from "pino";
import { config } from "./config";

/** Secrets never reach the logs, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  "accessToken",
  "appSecret",
  "*.accessToken",
  "*.appSecret",
  "*.access_token",
  "*.app_secret",
  "*.secret",
  "*.password",
  "*.authorization",
  "*.Authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "*.headers.cookie",
  "*.sdp",
  "*.sdpOffer",
];

export const logger = pino({ level: config().server.log_level, base: { app: "ringflow" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
