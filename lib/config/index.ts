// Loads config.toml (path from CONFIG_FILE) plus documented env overrides, validated at boot.
// This is the only module that reads process.env.
import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { type Config, configSchema } from "./schema";

export type { Config } from "./schema";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Environment variables that override config keys (secrets and deploy-specific URLs). */
export const ENV_OVERRIDES: Record<string, [string, string]> = {
  DATABASE_URL: ["database", "url"],
  REDIS_URL: ["redis", "url"],
  PORT: ["server", "port"],
  LOG_LEVEL: ["server", "log_level"],
  APP_URL: ["server", "base_url"],
  AUTH_SECRET: ["server", "auth_secret"],
  ENCRYPTION_KEY: ["server", "encryption_key"],
  CRON_SECRET: ["server", "cron_secret"],
  S3_KEY: ["storage", "s3_key"],
  S3_SECRET: ["storage", "s3_secret"],
  S3_BUCKET: ["storage", "s3_bucket"],
  S3_ENDPOINT: ["storage", "s3_endpoint"],
  PUSHER_SECRET: ["pusher", "secret"],
  GRAPH_API_BASE: ["whatsapp", "graph_api_base"],
  GATEWAY_ID: ["gateway", "id"],
  GATEWAY_PROCESSES: ["gateway", "processes"],
  UDP_PORT_MIN: ["calling", "udp_port_min"],
  UDP_PORT_MAX: ["calling", "udp_port_max"],
  PUBLIC_IP: ["calling", "public_ip"],
  GATEWAY_METRICS_PORT: ["gateway", "metrics_port"],
  GATEWAY_OVERLOAD_LOOP_DELAY_MS: ["gateway", "overload_loop_delay_ms"],
  GATEWAY_SETUP_DEADLINE_MS: ["gateway", "setup_deadline_ms"],
  GATEWAY_SETUP_BUDGET: ["gateway", "setup_budget"],
  GATEWAY_NICE: ["gateway", "nice"],
  WORKERS_METRICS_PORT: ["workers", "metrics_port"],
};

const NUMERIC_KEYS = new Set([
  "port",
  "processes",
  "udp_port_min",
  "udp_port_max",
  "metrics_port",
  "overload_loop_delay_ms",
  "setup_deadline_ms",
  "setup_budget",
  "nice",
]);

function applyEnv(raw: Record<string, unknown>, env: Env): void {
  for (const [name, [section, key]] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    raw[section] ??= {};
    const target = raw[section] as Record<string, unknown>;
    target[key] = NUMERIC_KEYS.has(key) ? Number(value) : value;
  }
}

/** Parses and validates; throws ConfigError naming the offending key. */
export function parseConfig(tomlText: string, env: Env = {}, source = "config.toml"): Config {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(tomlText) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${source}: not valid TOML: ${(err as Error).message}`);
  }
  applyEnv(raw, env);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".") || "(root)";
      const extra = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
      return `  ${key}: ${issue.message}${extra}`;
    });
    throw new ConfigError(`${source} is invalid:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function loadConfig(env: Env = process.env): Config {
  const explicit = env.CONFIG_FILE;
  const file = path.resolve(/*turbopackIgnore: true*/ explicit ?? "config.toml");
  let text = "";
  if (fs.existsSync(file)) text = fs.readFileSync(file, "utf8");
  else if (explicit) throw new ConfigError(`CONFIG_FILE points to ${file}, which does not exist`);
  return parseConfig(text, env, path.basename(file));
}

let cached: Config | undefined;

/** The process-wide config, loaded once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

const DEV_AUTH_SECRET = "ringflow-dev-only-secret-change-me";

/** A production server (`next start`, NODE_ENV=production), but not `next build`, which loads modules without a config. */
export function isProductionRuntime(env: Env = process.env): boolean {
  return env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build";
}

/**
 * The secrets a production server must not run without: with a public fallback anyone could forge a
 * session. Called when the web server starts (instrumentation.ts), so it refuses to start.
 */
export function assertProductionSecrets(c: Config = config(), env: Env = process.env): void {
  if (!isProductionRuntime(env)) return;
  const missing = [
    c.server.auth_secret ? null : "server.auth_secret (or AUTH_SECRET)",
    c.server.encryption_key ? null : "server.encryption_key (or ENCRYPTION_KEY)",
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new ConfigError(
      `Refusing to run in production without ${missing.join(" and ")}: sessions and stored WhatsApp secrets would be unprotected. Generate each with \`openssl rand -hex 32\`.`,
    );
  }
}

/**
 * Signs sessions and local storage URLs. Without `server.auth_secret` a fixed development value is
 * used outside production (the build evaluates modules without a config); `npm run demo` writes a
 * random one. In production there is no fallback.
 */
export function authSecret(c: Config = config()): string {
  if (c.server.auth_secret) return c.server.auth_secret;
  assertProductionSecrets(c);
  return DEV_AUTH_SECRET;
}
