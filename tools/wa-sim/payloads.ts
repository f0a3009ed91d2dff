// Webhook bodies shaped like Meta's (see shared/whatsapp-calling.md), for the simulator and tests.
import { randomBytes } from "node:crypto";

export interface Line {
  phoneNumberId: string;
  displayPhone: string;
  wabaId?: string;
}

export const newCallId = () => `wacid.${randomBytes(18).toString("base64url")}`;
const nowSecs = () => String(Math.floor(Date.now() / 1000));

function envelope(line: Line, field: "calls" | "messages", value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: line.wabaId ?? "0",
        changes: [
          {
            field,
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: line.displayPhone, phone_number_id: line.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function connectPayload(line: Line, call: { callId: string; from: string; name?: string; sdp: string }) {
  return envelope(line, "calls", {
    contacts: [{ profile: { name: call.name ?? "Simulated Caller" }, wa_id: call.from }],
    calls: [
      {
        id: call.callId,
        from: call.from,
        to: line.displayPhone,
        event: "connect",
        direction: "USER_INITIATED",
        timestamp: nowSecs(),
        session: { sdp_type: "offer", sdp: call.sdp },
      },
    ],
  });
}

export function terminatePayload(
  line: Line,
  call: {
    callId: string;
    from: string;
    status?: "COMPLETED" | "FAILED";
    startTime?: number;
    endTime?: number;
    duration?: number;
    errors?: { code: number; message: string }[];
    /** A call the business placed: `from` is then the user it was placed to. */
    businessInitiated?: boolean;
  },
) {
  const b = call.businessInitiated;
  return envelope(line, "calls", {
    calls: [
      {
        id: call.callId,
        from: b ? line.displayPhone : call.from,
        to: b ? call.from : line.displayPhone,
        event: "terminate",
        direction: b ? "BUSINESS_INITIATED" : "USER_INITIATED",
        timestamp: nowSecs(),
        status: call.status ?? "COMPLETED",
        ...(call.startTime ? { start_time: String(call.startTime) } : {}),
        ...(call.endTime ? { end_time: String(call.endTime) } : {}),
        ...(call.duration !== undefined ? { duration: call.duration } : {}),
        ...(call.errors ? { errors: call.errors } : {}),
      },
    ],
  });
}

export function statusPayload(line: Line, s: { callId: string; to: string; status: "RINGING" | "ACCEPTED" | "REJECTED"; opaque?: string }) {
  return envelope(line, "calls", {
    statuses: [
      { id: s.callId, type: "call", status: s.status, timestamp: nowSecs(), recipient_id: s.to, ...(s.opaque ? { biz_opaque_callback_data: s.opaque } : {}) },
    ],
  });
}

/** The user picked up a business-initiated call: their SDP answer, echoing our callback data. */
export function answerPayload(line: Line, a: { callId: string; to: string; sdp: string; opaque?: string }) {
  return envelope(line, "calls", {
    contacts: [{ profile: { name: "Simulated Callee" }, wa_id: a.to }],
    calls: [
      {
        id: a.callId,
        from: line.displayPhone,
        to: a.to,
        event: "connect",
        direction: "BUSINESS_INITIATED",
        timestamp: nowSecs(),
        session: { sdp_type: "answer", sdp: a.sdp },
        ...(a.opaque ? { biz_opaque_callback_data: a.opaque } : {}),
      },
    ],
  });
}

export function permissionReplyPayload(line: Line, r: { from: string; accept: boolean; permanent?: boolean; expiresAt?: number }) {
  return envelope(line, "messages", {
    contacts: [{ profile: { name: "Simulated Caller" }, wa_id: r.from }],
    messages: [
      {
        from: r.from,
        id: `wamid.${randomBytes(9).toString("hex")}`,
        timestamp: nowSecs(),
        type: "interactive",
        interactive: {
          type: "call_permission_reply",
          call_permission_reply: {
            response: r.accept ? "accept" : "reject",
            is_permanent: r.permanent ?? false,
            ...(r.expiresAt ? { expiration_timestamp: r.expiresAt } : {}),
            response_source: "user_action",
          },
        },
      },
    ],
  });
}

/** A minimal but well-formed WhatsApp-like SDP offer (for tests that do not need real media). */
export function sampleOffer(port = 3480): string {
  return [
    "v=0",
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "a=group:BUNDLE audio",
    "a=ice-lite",
    `m=audio ${port} UDP/TLS/RTP/SAVPF 111 126`,
    "c=IN IP4 127.0.0.1",
    "a=mid:audio",
    "a=ice-ufrag:simu",
    "a=ice-pwd:simulatedicepassword0001",
    "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
    "a=setup:actpass",
    "a=rtcp-mux",
    "a=sendrecv",
    "a=rtpmap:111 opus/48000/2",
    "a=fmtp:111 minptime=20;useinbandfec=1",
    "a=rtpmap:126 telephone-event/8000",
    `a=candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host`,
    "",
  ].join("\r\n");
}
