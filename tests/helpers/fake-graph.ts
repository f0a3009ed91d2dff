// Talks to the fake Graph API started by global setup (it lives in the main vitest process).
import type { InjectedFailure, RecordedRequest } from "../../tools/wa-sim/fake-graph";

const base = () => process.env.GRAPH_API_BASE ?? "http://127.0.0.1:4591";

async function post(path: string, body: unknown) {
  const res = await fetch(`${base()}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake graph ${path}: ${res.status}`);
}

export const fakeGraph = {
  registerAccount: (phoneNumberId: string, accessToken: string) => post("/_sim/accounts", { phoneNumberId, accessToken }),
  fail: (f: Partial<InjectedFailure> & { code: number; message: string }) => post("/_sim/fail", f),
  setPermission: (userWaId: string, status: string) => post("/_sim/permissions", { userWaId, status }),
  async requests(callId: string): Promise<RecordedRequest[]> {
    return (await fetch(`${base()}/_sim/requests?call_id=${encodeURIComponent(callId)}`)).json() as Promise<RecordedRequest[]>;
  },
};
