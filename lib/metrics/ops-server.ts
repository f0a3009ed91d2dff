// The operations endpoint of a long-running process (media gateway, workers): Prometheus text at
// /metrics, /healthz (the process answers: it is alive) and /readyz (every dependency answers within
// a deadline; 503 naming the failing ones otherwise). Loopback by default: metrics are not public.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";

/** One readiness check: resolves when the dependency is usable, rejects with the reason otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface OpsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
  log: Logger;
  /** A check slower than this counts as failed. */
  checkTimeoutMs?: number;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

export async function readiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2_000): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), deadline]);
        return [name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
      } catch (err) {
        return [name, { ok: false, error: (err as Error).message, ms: Math.round(performance.now() - started) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const result = Object.fromEntries(entries);
  return { ready: entries.every(([, r]) => r.ok), checks: result };
}

function send(res: http.ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

/** Listens and resolves with the server (and its port, which matters when `port` is 0 in tests). */
export async function startOpsServer(opts: OpsServerOptions): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "Only GET\n");
    if (path === "/healthz") return send(res, 200, "application/json", `${JSON.stringify({ ok: true, uptimeSecs: Math.round(process.uptime()) })}\n`);
    if (path === "/readyz") {
      void readiness(opts.checks, opts.checkTimeoutMs).then((r) => send(res, r.ready ? 200 : 503, "application/json", `${JSON.stringify(r)}\n`));
      return;
    }
    if (path === "/metrics") {
      opts.registry.metrics().then(
        (text) => send(res, 200, opts.registry.contentType, text),
        (err: Error) => {
          opts.log.error({ err }, "collecting metrics failed");
          send(res, 500, "text/plain", `Collecting metrics failed: ${err.message}\n`);
        },
      );
      return;
    }
    send(res, 404, "text/plain", "Not found: use /metrics, /healthz or /readyz\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ url: `http://${opts.host}:${port}/metrics` }, "operations endpoint listening");
  return { server, port };
}
