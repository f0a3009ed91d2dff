// A Graph API client for one of our WhatsApp accounts (token decrypted on the server only).
import { accountSecrets } from "../accounts/service";
import { config } from "../config";
import { db } from "../db";
import { GraphClient } from "./graph-client";

export async function graphClientFor(accountId: string): Promise<GraphClient> {
  const account = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { phoneNumberId: true } });
  const { accessToken } = await accountSecrets(accountId);
  const { graph_api_base, graph_api_version } = config().whatsapp;
  return new GraphClient({ baseUrl: graph_api_base, version: graph_api_version, accessToken, phoneNumberId: account.phoneNumberId });
}
