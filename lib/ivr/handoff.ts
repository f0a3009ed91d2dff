// What happens after the flow hands the call on: a transfer nobody took (the node's `no_answer`
// output, else the "no agent" goodbye) and Goto Flow (the next flow's document arrives; variables stay).
import type { Session } from "./session";
import type { TransferNotTaken } from "./types";
import { validateFlow } from "./validate";

/** Nobody took the transfer. Returns the node to enter next, if the flow continues. */
export function transferNotTaken(session: Session, reason: TransferNotTaken): string | undefined {
  const s = session.s;
  const nodeId = s.transferNodeId;
  s.transferNodeId = null;
  const target = nodeId ? session.edgeTarget(nodeId, "no_answer") : undefined;
  const node = nodeId ? session.findNode(nodeId) : undefined;
  if (target === undefined || !node) {
    session.endWith(s.document.settings.noAgentPrompt, "transfer_timeout", "system");
    return undefined;
  }
  s.phase = "running";
  session.instantStep(node, "no_answer", { variables: { transfer_result: reason } });
  return target;
}

/** The Goto Flow target arrived (null: not found). Returns the new flow's entry node, if it can run. */
export function switchFlow(session: Session, flowId: string, raw: unknown): string | undefined {
  const s = session.s;
  if (raw === null || raw === undefined) {
    session.endWith(s.document.settings.errorPrompt, `Flow ${flowId} was not found`, "system");
    return undefined;
  }
  const result = validateFlow(raw);
  if (!result.document) {
    session.endWith(s.document.settings.errorPrompt, `Flow ${flowId} is not valid and cannot run`, "system");
    return undefined;
  }
  s.document = result.document;
  s.flowId = flowId;
  s.phase = "running";
  return result.document.entryNodeId;
}
