// Settings of bench/agent-bridge.ts and the config file it writes before any app module reads one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "smol-toml";

export const root = path.resolve(import.meta.dirname, "..");
export const DB_NAME = "ringflow_bench_agents";
// 11 is taken by tests/integration/audio-jobs.test.ts; 5–9 by the other suites and benches.
export const REDIS_URL = "redis://127.0.0.1:6379/12";
export const UDP = [20000, 20999] as const;
export const PASSWORD = "bench-agents-are-people-too";
export const FORWARD_SECS = 30;
export const WINDOW_SECS = 20;
export const SETUP_CONCURRENCY = 5;
export const OVERALL_TIMEOUT_MS = 6 * 60_000;
export const gatewayLogFile = path.join(os.tmpdir(), "ringflow-bench-agent-bridge-gateway.log");
export const webLogFile = path.join(os.tmpdir(), "ringflow-bench-agent-bridge-web.log");

/**
 * Writes only the keys this bench needs, taken from the test config: the web app runs from the last
 * `.next` build, which may predate sections other work has since added to test-config.toml.
 */
export function writeConfig(configFile: string, calls: number, pusherPort: number) {
  const base = parse(fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8")) as Record<string, Record<string, unknown>>;
  const pick = (section: string, keys: string[]) => Object.fromEntries(keys.filter((k) => base[section]?.[k] !== undefined).map((k) => [k, base[section]![k]]));
  const config = {
    server: pick("server", ["auth_secret", "encryption_key"]),
    calling: { ...pick("calling", ["audio_dir"]), udp_port_min: UDP[0], udp_port_max: UDP[1] },
    whatsapp: pick("whatsapp", ["graph_api_base", "graph_api_version"]),
    pusher: { ...pick("pusher", ["app_id", "key", "secret", "host", "use_tls"]), port: pusherPort },
    gateway: { capacity: Math.max(60, calls + 10), shutdown_grace_secs: 2 },
  };
  fs.writeFileSync(configFile, `# Written by bench/agent-bridge.ts from tests/helpers/test-config.toml\n${stringify(config)}\n`);
}
