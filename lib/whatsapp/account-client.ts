// A Graph API client for one of our WhatsApp accounts (token decrypted on the server only).
import { config } from "../config";
import { unseal } from "../crypto";
import { Prisma } from "../db";
import { sqlRows } from "../db/sql";
import { GraphClient } from "./graph-client";

export async function graphClientFor(accountId: string): Promise<GraphClient> {
  // One round trip for the number and its sealed token, on the pg pool: every answered call waits on this.
  const [account] = await sqlRows<{ phoneNumberId: string; accessTokenEnc: string }>(
    Prisma.sql`SELECT phone_number_id AS "phoneNumberId", access_token_enc AS "accessTokenEnc" FROM whatsapp_accounts WHERE id = ${accountId}`,
  );
  if (!account) throw new Error(`WhatsApp account ${accountId} not found`);
  return graphClientOf(account);
}

function graphClientOf(account: { phoneNumberId: string; accessTokenEnc: string }): GraphClient {
  const { graph_api_base, graph_api_version } = config().whatsapp;
  return new GraphClient({
    baseUrl: graph_api_base,
    version: graph_api_version,
    accessToken: unseal(account.accessTokenEnc),
    phoneNumberId: account.phoneNumberId,
  });
}

// Tokens change rarely (the admin UI): a client at most this old is good enough for a reject sent at
// overload, when a database read would wait behind every other webhook's (the app secrets that verify
// webhooks are cached the same way, lib/whatsapp/webhook/account-keys).
const CACHED_CLIENT_TTL_MS = 30_000;
/** Past its TTL a client read this recently still serves while one read replaces it (that read waits behind the same backlog). */
const STALE_CLIENT_MS = 5 * 60_000;
const clients = new Map<string, { client: Promise<GraphClient>; at: number; ready: boolean; refreshing?: boolean }>();

/** graphClientFor, reusing a client read in the last 30 s, or one up to 5 min old while it is read again (a failed read is not kept). */
export function cachedGraphClientFor(accountId: string, now = Date.now()): Promise<GraphClient> {
  const hit = clients.get(accountId);
  if (hit && now - hit.at < CACHED_CLIENT_TTL_MS) return hit.client;
  const stale = hit?.ready && now - hit.at < STALE_CLIENT_MS ? hit : undefined;
  if (stale?.refreshing) return stale.client;
  const entry = { client: graphClientFor(accountId), at: now, ready: false };
  entry.client.then(
    () => {
      entry.ready = true;
      clients.set(accountId, entry);
    },
    () => {
      if (clients.get(accountId) === entry) clients.delete(accountId);
      if (stale) stale.refreshing = false;
    },
  );
  if (stale) {
    stale.refreshing = true;
    return stale.client;
  }
  clients.set(accountId, entry);
  return entry.client;
}
