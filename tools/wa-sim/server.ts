// `npm run wa-sim` — the fake Graph API for the demo. Knows every account in the database (tokens
// decrypted here, as Meta would know them) and picks up new ones every few seconds.
import { parseArgs } from "node:util";
import { accountSecrets } from "../../lib/accounts/service";
import { db } from "../../lib/db";
import { logger } from "../../lib/log";
import { FakeGraphApi } from "./fake-graph";

const { values } = parseArgs({ options: { port: { type: "string", default: "4590" } } });
const log = logger.child({ component: "wa-sim" });
const graph = new FakeGraphApi();

async function sync() {
  const accounts = await db.whatsAppAccount.findMany({ select: { id: true, phoneNumberId: true } });
  for (const a of accounts) {
    try {
      graph.registerAccount(a.phoneNumberId, (await accountSecrets(a.id)).accessToken);
    } catch (err) {
      log.warn({ err, phoneNumberId: a.phoneNumberId }, "cannot read this account's token (different encryption key?)");
    }
  }
}

graph.onRequest((r) => log.info({ action: r.action ?? r.path, callId: r.callId, status: r.status }, "Graph API request"));
await sync();
const timer = setInterval(() => void sync().catch((err) => log.error({ err }, "account sync failed")), 5_000);
const url = await graph.listen(Number(values.port));
log.info({ url }, "WhatsApp simulator (fake Graph API) listening");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    clearInterval(timer);
    await graph.close();
    await db.$disconnect();
    process.exit(0);
  });
}
