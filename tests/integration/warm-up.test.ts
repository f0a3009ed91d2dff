// The web server warms itself up as it starts (instrumentation.ts → lib/config/warm-up.ts): once it
// listens, it asks itself for its health and for the WhatsApp webhook route, so the first call's
// webhook finds the route's code loaded and the database connected. Here against a stand-in server
// that starts listening a moment after the warm-up began, as `next start` does.
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { warmUp } from "../../lib/config/warm-up";
import { freePort } from "../helpers/free-port";

const saved = { PORT: process.env.PORT, origin: process.env.__NEXT_PRIVATE_ORIGIN };
let server: http.Server | undefined;

afterEach(async () => {
  process.env.PORT = saved.PORT;
  if (saved.PORT === undefined) delete process.env.PORT;
  if (saved.origin === undefined) delete process.env.__NEXT_PRIVATE_ORIGIN;
  else process.env.__NEXT_PRIVATE_ORIGIN = saved.origin;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

describe("web tier warm-up", () => {
  it("waits for the server to listen, then loads the health check and the webhook route, with a token no account has", async () => {
    const port = await freePort();
    delete process.env.__NEXT_PRIVATE_ORIGIN;
    process.env.PORT = String(port);
    const asked: string[] = [];
    const warming = warmUp();
    await new Promise((r) => setTimeout(r, 700));
    server = http.createServer((req, res) => {
      asked.push(req.url ?? "");
      res.statusCode = req.url?.startsWith("/api/health") ? 200 : 403;
      res.end();
    });
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", r));
    await warming;
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBe("/api/health");
    const hook = new URL(asked[1]!, "http://x");
    expect(hook.pathname).toBe("/api/webhooks/whatsapp");
    expect(hook.searchParams.get("hub.mode")).toBe("subscribe");
    expect(hook.searchParams.get("hub.verify_token")).toMatch(/^warm-up-[0-9a-f-]{36}$/);
  });
});
