// The WhatsApp number the simulator's command-line tools act on: the one given, else the oldest
// (the demo's), with its app secret for signing webhooks. Exits with a hint when there is none.
import { accountSecrets } from "../../lib/accounts/service";
import { db } from "../../lib/db";
import type { Line } from "./payloads";

export async function demoAccount(phoneNumberId: string | undefined): Promise<{ id: string; line: Line; appSecret: string }> {
  const account = await db.whatsAppAccount.findFirst({
    where: phoneNumberId ? { phoneNumberId } : {},
    orderBy: { createdAt: "asc" },
    select: { id: true, phoneNumberId: true, displayPhone: true },
  });
  if (!account) {
    process.stdout.write("No WhatsApp account found; run `npm run demo` first.\n");
    process.exit(1);
  }
  const { appSecret } = await accountSecrets(account.id);
  return { id: account.id, line: { phoneNumberId: account.phoneNumberId, displayPhone: account.displayPhone }, appSecret };
}
