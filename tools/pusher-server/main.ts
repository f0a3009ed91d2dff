// `npm run pusher-server` — runs our Pusher-protocol server with the app id, key, secret and port
// from config.toml's [pusher] table until SIGINT/SIGTERM.
import { config } from "../../lib/config";
import { logger } from "../../lib/log";
import { PusherServer } from "./server";

const log = logger.child({ component: "pusher-server" });
const { app_id: appId, key, secret, host, port } = config().pusher;
if (!appId || !key || !secret) {
  log.fatal("[pusher] app_id, key and secret must be set in config.toml to run the Pusher server");
  process.exit(1);
}

const server = new PusherServer({ appId, key, secret, log });
// Listens on the configured host when it is a local address, else on every interface.
const bindHost = host === "127.0.0.1" || host === "localhost" || host === "::1" ? host : "0.0.0.0";
const bound = await server.listen(port ?? 6001, bindHost);
log.info({ host: bindHost, port: bound, appId }, "Pusher-protocol server listening");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    log.info({ signal, connections: server.connectionCount }, "Pusher-protocol server stopping");
    await server.close();
    process.exit(0);
  });
}
