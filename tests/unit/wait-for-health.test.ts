// The health wait that web and browser tests use: a server that dies must fail the wait at once,
// with why, rather than after the whole deadline.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../helpers/free-port";
import { waitForHealth } from "../helpers/health";

describe("waitForHealth", () => {
  it("gives up as soon as the server process exits, naming its exit code and the detail", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const server = spawn(process.execPath, ["-e", "setTimeout(() => process.exit(3), 300)"]);
    const started = Date.now();
    await expect(waitForHealth(url, Date.now() + 30_000, server, () => "see server.log")).rejects.toThrow(
      /the web server exited \(3\); last answer: .*ECONNREFUSED[\s\S]*see server\.log/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("returns once /api/health answers 2xx, and reports the last non-2xx answer at the deadline", async () => {
    let healthy = false;
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === "/api/health" && healthy ? 200 : 503;
      res.end(healthy ? "ok" : "database unreachable");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(waitForHealth(url, Date.now() + 600)).rejects.toThrow(/did not become healthy in time; last answer: HTTP 503: database unreachable/);
      setTimeout(() => {
        healthy = true;
      }, 400);
      await expect(waitForHealth(url, Date.now() + 10_000)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });
});
