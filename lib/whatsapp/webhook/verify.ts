// Meta's subscription handshake: echo the challenge when the verify token belongs to an account.
import { db } from "../../db";

export async function verifyWebhookSubscription(mode: string | null, token: string | null, challenge: string | null) {
  if (mode !== "subscribe" || !token || challenge === null) return null;
  const account = await db.whatsAppAccount.findFirst({ where: { verifyToken: token }, select: { id: true } });
  return account ? challenge : null;
}
