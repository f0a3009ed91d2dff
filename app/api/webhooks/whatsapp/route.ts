import { after, NextResponse } from "next/server";
import { verifyWebhookSubscription } from "@/lib/whatsapp/webhook/verify";
import { receiveWebhookRequest } from "@/lib/whatsapp/webhook/receive";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  const challenge = await verifyWebhookSubscription(params.get("hub.mode"), params.get("hub.verify_token"), params.get("hub.challenge"));
  return challenge === null
    ? NextResponse.json({ error: { code: "forbidden", message: "Verify token does not match any account" } }, { status: 403 })
    : new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
}

export async function POST(req: Request) {
  const received = await receiveWebhookRequest(req);
  if (received.status === 200) after(received.process);
  // Otherwise Node would keep the connection and drain (read and discard) the rest of a huge body.
  return NextResponse.json(received.body, { status: received.status, headers: received.unread ? { connection: "close" } : undefined });
}
