// The web server's warm-up (instrumentation.ts): once it listens, it asks itself for its health and
// for the WhatsApp webhook route. The first request to a route loads that route's code and opens the
// database and Redis connections, about a second in all here, and the first WhatsApp call after a
// start must not pay for it: its webhook has `[gateway] setup_deadline_ms` (1 s) to be answered or
// rejected, and a cold server once spent a third of that before looking at the call. Node.js only.
import { randomUUID } from "node:crypto";
import { logger } from "../log";

const log = logger.child({ component: "warm-up" });
/** How long to wait for the server to listen (register() runs while it starts). */
const LISTEN_WAIT_MS = 30_000;

/** Where this server listens, as Next.js records it once listening (`next start -p`), else PORT on loopback. */
function origin(): string | null {
  const recorded = process.env.__NEXT_PRIVATE_ORIGIN;
  if (recorded) return recorded;
  return process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : null;
}

export async function warmUp(): Promise<void> {
  const started = Date.now();
  // A subscription check with a token no account has: answered 403 after one database read.
  const paths = ["/api/health", `/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=warm-up-${randomUUID()}&hub.challenge=0`];
  for (const path of paths) {
    for (;;) {
      const base = origin();
      try {
        if (!base) throw new Error("not listening yet");
        await (await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) })).arrayBuffer();
        break;
      } catch (err) {
        if (Date.now() - started > LISTEN_WAIT_MS) {
          log.warn({ err: (err as Error).message, path }, "could not warm up the web tier; the first requests load its code");
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  log.info({ ms: Date.now() - started }, "web tier warmed up");
}
