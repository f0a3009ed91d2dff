// Flow lookups shared by the editor, the CLI and the media gateway: validation context and published documents.
import { config } from "../config";
import { db } from "../db";
import { type FlowDocument, validateFlow } from "../ivr";

/** The org's team and flow ids, for checking transfer/goto_flow targets. */
export async function validationContext(orgId: string, currentFlowId?: string) {
  const [teams, flows] = await Promise.all([
    db.team.findMany({ where: { orgId }, select: { id: true } }),
    db.ivrFlow.findMany({ where: { orgId }, select: { id: true } }),
  ]);
  return {
    teamIds: new Set(teams.map((t) => t.id)),
    flowIds: new Set(flows.map((f) => f.id)),
    currentFlowId,
    httpCallbackAllow: config().http_callbacks.allow,
  };
}

export async function validateForOrg(orgId: string, document: unknown, flowId?: string) {
  return validateFlow(document, await validationContext(orgId, flowId));
}

/** The published document a call runs, scoped to the org. */
export async function publishedDocument(orgId: string, flowId: string): Promise<FlowDocument | null> {
  const flow = await db.ivrFlow.findFirst({ where: { id: flowId, orgId }, select: { publishedDocument: true } });
  if (!flow?.publishedDocument) return null;
  return validateFlow(flow.publishedDocument).document ?? null;
}
