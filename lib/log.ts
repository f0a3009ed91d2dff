// Structured logs (pino). Processes create child loggers per call/job.
import pino from "pino";
import { config } from "./config";

export const logger = pino({ level: config().server.log_level, base: { app: "ringflow" } });
