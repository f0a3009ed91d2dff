// Shared by the call panel's reducer tests: an offer, events run one second apart, and a call in progress.
import { type Offer, offerSchema } from "../../lib/agents/contract";
import { initialPanelState, type PanelEvent, type PanelState, reduce } from "../../components/call-panel/reducer";

export const T0 = Date.parse("2026-03-02T10:00:00Z");

export function offer(n: number): Offer {
  return offerSchema.parse({
    transferId: `tr_${n}`,
    callId: `call_${n}`,
    team: { id: "team_sales", name: "Sales" },
    caller: { phone: `551198765432${n}`, name: `Caller ${n}` },
    waitingSince: new Date(T0 - 5_000).toISOString(),
    path: [{ nodeId: "menu", nodeType: "menu", label: "Main menu", handle: "digit:1", digits: "1" }],
    variables: { order: "1234" },
  });
}

/** Runs events through the reducer, one second apart. */
export function run(events: PanelEvent[], from: PanelState = { ...initialPanelState, availability: "available" }) {
  return events.reduce((s, e, i) => reduce(s, e, T0 + i * 1000), from);
}

export const ringing = run([{ type: "transfer.offered", offer: offer(1) }]);
export const inCall = run(
  [
    { type: "accept_started", transferId: "tr_1" },
    { type: "accept_succeeded", transferId: "tr_1", callId: "call_1" },
    { type: "call.updated", callId: "call_1", status: "in_call" },
  ],
  ringing,
);
