// Talks to the fake Graph API started by global setup (it lives in the main vitest process).
import type { InjectedFailure, MetaLimit, RecordedRequest } from "../../tools/wa-sim/fake-graph";

const base = () => process.env.GRAPH_API_BASE ?? "http://127.0.0.1:4591";

async function post(path: string, body: unknown) {
  const res = await fetch(`${base()}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake graph ${path}: ${res.status}`);
}

export const fakeGraph = {
  registerAccount: (phoneNumberId: string, accessToken: string) => post("/_sim/accounts", { phoneNumberId, accessToken }),
  fail: (f: Partial<InjectedFailure> & { code: number; message: string }) => post("/_sim/fail", f),
  setPermission: (userWaId: string, status: string) => post("/_sim/permissions", { userWaId, status }),
  exhaust: (limit: MetaLimit, times = 1) => post("/_sim/limits", { limit, times }),
  /** Requests matching every given field (`to` matches the body's recipient). */
  async find(q: { callId?: string; action?: string; to?: string }): Promise<RecordedRequest[]> {
    const params = new URLSearchParams({
      ...(q.callId ? { call_id: q.callId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.to ? { to: q.to } : {}),
    });
    return (await fetch(`${base()}/_sim/requests?${params}`)).json() as Promise<RecordedRequest[]>;
  },
  async requests(callId: string): Promise<RecordedRequest[]> {
    return (await fetch(`${base()}/_sim/requests?call_id=${encodeURIComponent(callId)}`)).json() as Promise<RecordedRequest[]>;
  },
};
