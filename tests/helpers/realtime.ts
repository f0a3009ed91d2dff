// Starts our Pusher-protocol server with the test config's [pusher] app, for suites that need realtime.
import path from "node:path";
import { loadConfig } from "../../lib/config";
import { PusherServer } from "../../tools/pusher-server/server";

export interface PusherApp {
  appId: string;
  key: string;
  secret: string;
  port: number;
}

/** The [pusher] table of tests/helpers/test-config.toml (read explicitly: global setups run without CONFIG_FILE). */
export function testPusherApp(): PusherApp {
  const { app_id: appId, key, secret, port } = loadConfig({ CONFIG_FILE: path.resolve(import.meta.dirname, "test-config.toml") }).pusher;
  if (!appId || !key || !secret || !port) throw new Error("tests/helpers/test-config.toml needs [pusher] app_id, key, secret and port");
  return { appId, key, secret, port };
}

/** Listens on `port` (0 for any free port); `close()` stops it and may be called twice. */
export async function startPusherServer(port: number): Promise<{ server: PusherServer; port: number; close: () => Promise<void> }> {
  const server = new PusherServer(testPusherApp());
  const bound = await server.listen(port);
  return { server, port: bound, close: () => server.close() };
}
