// The agent-leg routes from the browser, parsed with the shared contract. Errors keep the server's
// `{ error: { code, message } }` so the panel can tell "someone else took it" from other failures.
import { z } from "zod";
import { sessionEndedLogin } from "@/lib/auth/callback-url";
import { acceptReply, type AgentStatus, agentStatuses, callControlReply, liveCallReply, offersReply, rejoinReply } from "@/lib/agents/contract";

export class PanelApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }

  /** The transfer was claimed by another agent (or is otherwise no longer ours to take). */
  get taken() {
    return this.status === 409 || this.code === "taken" || this.code === "conflict";
  }
}

async function call<T>(path: string, method: "GET" | "POST", schema: z.ZodType<T> | null, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new PanelApiError(0, "network", "Could not reach the server — check your connection");
  }
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  // The session is over (its password changed elsewhere, access removed): sign in again, back here.
  if (res.status === 401) window.location.assign(sessionEndedLogin(`${window.location.pathname}${window.location.search}`));
  if (!res.ok) throw new PanelApiError(res.status, json?.error?.code ?? null, json?.error?.message ?? `Request failed (${res.status})`);
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PanelApiError(res.status, "bad_reply", `Unexpected reply from ${path}`);
  return parsed.data;
}

const statusReply = z.object({ status: z.enum(agentStatuses) });

export const agentApi = {
  getStatus: async () => (await call("/api/agent/status", "GET", statusReply)).status,
  setStatus: async (status: AgentStatus) => (await call("/api/agent/status", "POST", statusReply, { status })).status,
  offers: async () => (await call("/api/agent/offers", "GET", offersReply)).offers,
  accept: (transferId: string, sdp: string, window: string) =>
    call(`/api/transfers/${encodeURIComponent(transferId)}/accept`, "POST", acceptReply, { sdp, window }),
  decline: (transferId: string) => call(`/api/transfers/${encodeURIComponent(transferId)}/decline`, "POST", null),
  control: async (callId: string, action: "hold" | "resume" | "hangup") =>
    (await call(`/api/calls/${encodeURIComponent(callId)}/${action}`, "POST", callControlReply)).status,
  /** Places an outgoing call with the agent's offer; the reply is the gateway's answer. */
  place: (body: { contactId: string; accountId: string; sdp: string; callbackTaskId?: string }) => call("/api/calls", "POST", acceptReply, body),
  /** The call this agent is on now (to rejoin after a reload), or null. */
  liveCall: async () => (await call("/api/agent/call", "GET", liveCallReply)).call,
  rejoin: (callId: string, body: { sdp: string; force: boolean; window: string }) =>
    call(`/api/calls/${encodeURIComponent(callId)}/rejoin`, "POST", rejoinReply, body),
  saveNotes: (callId: string, notes: string) => call(`/api/calls/${encodeURIComponent(callId)}/notes`, "POST", null, { notes }),
};
