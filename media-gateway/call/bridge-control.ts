// Hold, resume and rejoin of a bridged call, the same whether the agent took the call or placed it:
// the bridge, the call log, the agent's panel and the organisation's call list, in that order.
import type { Logger } from "pino";
import type { AgentCallState } from "../../lib/agents/contract";
import { callChanged, callMoved } from "../../lib/agents/transfers";
import type { Config } from "../../lib/config";
import type { GatewayCommand, RejoinReply } from "../../lib/gateway/messages";
import { waitConnected } from "../../lib/media/webrtc";
import type { MediaClock } from "../media/clock";
import { AgentLeg } from "./agent-leg";
import type { Bridge } from "./bridge";
import type { CallLog } from "./call-log";

type AgentRejoin = Extract<GatewayCommand, { type: "agent.rejoin" }>;

/** A leg that sent the agent's audio this recently is still in use (a browser sends every 20 ms). */
export const LEG_IN_USE_MS = 500;
/** How long the agent's new page gets to finish ICE/DTLS after the gateway answered it. */
const REJOIN_CONNECT_MS = 15_000;

export interface BridgedCall {
  bridge: Bridge | null;
  callLog: CallLog;
  orgId: string;
  callId: string;
  notifyAgent: (status: AgentCallState) => Promise<unknown>;
  /** Said when there is no bridge yet. */
  notBridged: string;
  /** The call's logger: hold and resume are logged where they happen, on the gateway holding the call. */
  log: Pick<Logger, "info" | "warn">;
}

/** What a rejoin needs besides the bridged call: the agent on it and what ends the call when they are gone. */
export interface Rejoinable {
  agentId: string | null;
  calling: Config["calling"];
  clock: MediaClock;
  /** The call is over (a rejoin that lands after that is turned away). */
  closed: () => boolean;
  /** The agent's leg is gone for good: the call ends as it does when a browser goes away. */
  agentLost: (why: string) => void;
}

export async function holdBridge(c: BridgedCall): Promise<{ status: AgentCallState }> {
  if (!c.bridge) throw new Error(c.notBridged);
  await c.bridge.hold();
  c.log.info("call put on hold by the agent");
  await c.callLog.held(true);
  void c.notifyAgent("on_hold");
  void callChanged(c.orgId, c.callId, "on_hold");
  return { status: "on_hold" };
}

export async function resumeBridge(c: BridgedCall): Promise<{ status: AgentCallState }> {
  if (!c.bridge) throw new Error(c.notBridged);
  c.bridge.resume();
  c.log.info("call resumed by the agent");
  await c.callLog.held(false);
  void c.notifyAgent("in_call");
  void callChanged(c.orgId, c.callId, "answered");
  return { status: "in_call" };
}

/**
 * The agent on the call, from a new page: answers its offer with a new leg and moves the bridge onto
 * it at once, closing the old leg (a page that reloaded has left it; a second window takes the call
 * over only with `force`, else the reply is `inUse`). The caller's stream never restarts; the new leg
 * is watched as the first was, and one that never connects ends the call.
 */
export async function rejoinBridge(c: BridgedCall & Rejoinable, cmd: AgentRejoin): Promise<RejoinReply> {
  const bridge = c.bridge;
  if (!bridge) throw new Error(c.notBridged);
  if (cmd.agentId !== c.agentId) throw new Error("Only the agent on this call can rejoin it");
  if (!cmd.force && bridge.leg.heardWithin(LEG_IN_USE_MS)) return { inUse: true };
  const leg = await AgentLeg.answer(cmd.sdp, c.calling, c.clock, (payload, ts, from) => bridge.fromAgent(payload, ts, from));
  if (c.closed()) {
    await leg.close();
    throw new Error("The call ended while you were reconnecting");
  }
  const old = bridge.replaceLeg(leg);
  void old.close();
  c.log.info({ force: cmd.force }, "the agent rejoined the call from a new page");
  // The agent's other pages (the one the call was taken from) let it go and offer to move it back.
  void callMoved(cmd.agentId, c.callId, cmd.window);
  void waitConnected(leg.pc, REJOIN_CONNECT_MS).then(
    () => {
      if (bridge.leg === leg) leg.watch(c.agentLost, c.log);
    },
    () => {
      if (bridge.leg === leg && !c.closed()) c.agentLost("the agent's browser could not reconnect");
    },
  );
  const bridgedAt = Date.now() - (performance.now() - bridge.startedAt);
  return { sdp: leg.answer, status: bridge.onHold ? "on_hold" : "in_call", bridgedAt };
}
