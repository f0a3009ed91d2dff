// The browser's API client turns the server's refusals into sentences people read in the UI
// (the audio library's rename, the flow editor's saves): never "name: …" field paths.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall } from "../../components/api-client";

let server: http.Server;
let base = "";
const replies: Record<string, [number, string]> = {
  "/rename": [
    422,
    JSON.stringify({
      error: { code: "validation_failed", message: "name: Name is required", details: { formErrors: [], fieldErrors: { name: ["Name is required"] } } },
    }),
  ],
  "/taken": [409, JSON.stringify({ error: { code: "conflict", message: "An audio file named “Hold” already exists" } })],
  "/broken": [502, "<html>Bad gateway</html>"],
  "/ok": [200, JSON.stringify({ id: "a1" })],
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const [status, body] = replies[req.url ?? ""] ?? [404, "{}"];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("apiCall", () => {
  it("says a refusal in plain words, without the field's path", async () => {
    await expect(apiCall(`${base}/rename`, "PATCH", { name: "   " })).rejects.toThrow(/^Name is required$/);
    await expect(apiCall(`${base}/taken`, "PATCH", { name: "Hold" })).rejects.toThrow("An audio file named “Hold” already exists");
  });

  it("says what happened when the reply is not ours, and returns the JSON when it succeeds", async () => {
    await expect(apiCall(`${base}/broken`)).rejects.toThrow("Something went wrong (HTTP 502). Please try again.");
    expect(await apiCall(`${base}/ok`)).toEqual({ id: "a1" });
  });
});
