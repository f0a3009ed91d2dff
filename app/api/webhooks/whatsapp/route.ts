import { after, NextResponse } from "next/server";
import { verifyWebhookSubscription } from "@/lib/whatsapp/webhook/verify";
import { receiveWebhook } from "@/lib/whatsapp/webhook/receive";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  const challenge = await verifyWebhookSubscription(params.get("hub.mode"), params.get("hub.verify_token"), params.get("hub.challenge"));
  return challenge === null
    ? NextResponse.json({ error: { code: "forbidden", message: "Verify token does not match any account" } }, { status: 403 })
    : new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
}

export async function POST(req: Request) {
  const raw = new Uint8Array(await req.arrayBuffer());
  const received = await receiveWebhook(raw, req.headers.get("x-hub-signature-256"));
  if (received.status === 200) after(received.process);
  return NextResponse.json(received.body, { status: received.status });
}
