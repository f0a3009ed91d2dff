// A Graph API client for one of our WhatsApp accounts (token decrypted on the server only).
import { config } from "../config";
import { unseal } from "../crypto";
import { db } from "../db";
import { GraphClient } from "./graph-client";

export async function graphClientFor(accountId: string): Promise<GraphClient> {
  // One round trip for the number and its sealed token: every answered call waits on this.
  const account = await db.whatsAppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { phoneNumberId: true, accessTokenEnc: true } });
  const { graph_api_base, graph_api_version } = config().whatsapp;
  return new GraphClient({
    baseUrl: graph_api_base,
    version: graph_api_version,
    accessToken: unseal(account.accessTokenEnc),
    phoneNumberId: account.phoneNumberId,
  });
}
