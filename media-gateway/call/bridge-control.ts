// Hold and resume of a bridged call, the same whether the agent took the call or placed it: the
// bridge, the call log, the agent's panel and the organisation's call list, in that order.
import type { Logger } from "pino";
import type { AgentCallState } from "../../lib/agents/contract";
import { callChanged } from "../../lib/agents/transfers";
import type { Bridge } from "./bridge";
import type { CallLog } from "./call-log";

export interface BridgedCall {
  bridge: Bridge | null;
  callLog: CallLog;
  orgId: string;
  callId: string;
  notifyAgent: (status: AgentCallState) => Promise<unknown>;
  /** Said when there is no bridge yet. */
  notBridged: string;
  /** The call's logger: hold and resume are logged where they happen, on the gateway holding the call. */
  log: Pick<Logger, "info">;
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
