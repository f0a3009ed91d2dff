// Flow lookups shared by the editor, the CLI and the media gateway: validation context and published documents.
import { config } from "../config";
import { db, Prisma } from "../db";
import { sqlRows } from "../db/sql";
import { type FlowDocument, unusableAudioMessage, validateFlow } from "../ivr";

/** The org's team, flow and audio ids, for checking transfer/goto_flow targets and prompts' audio. */
export async function validationContext(orgId: string, currentFlowId?: string) {
  const [teams, flows, assets] = await Promise.all([
    db.team.findMany({ where: { orgId }, select: { id: true } }),
    db.ivrFlow.findMany({ where: { orgId }, select: { id: true } }),
    db.audioAsset.findMany({ where: { orgId }, select: { id: true, name: true, status: true, error: true } }),
  ]);
  return {
    teamIds: new Set(teams.map((t) => t.id)),
    flowIds: new Set(flows.map((f) => f.id)),
    assetIds: new Set(assets.map((a) => a.id)),
    assetProblems: new Map(assets.filter((a) => a.status === "failed").map((a) => [a.id, unusableAudioMessage(a.name, a.error)])),
    currentFlowId,
    httpCallbackAllow: config().http_callbacks.allow,
  };
}

export async function validateForOrg(orgId: string, document: unknown, flowId?: string) {
  return validateFlow(document, await validationContext(orgId, flowId));
}

/** A flow's published document, validated, as of one version of its row (PostgreSQL's xmin: any update changes it). */
interface Published {
  version: string;
  document: FlowDocument | null;
}
/** Per flow id. Every answered call reads its flow; validating the same document each time was a cost per call. */
const published = new Map<string, Published>();
/** Flows kept; past this the oldest goes (a gateway serves many organisations). */
const PUBLISHED_KEPT = 1_000;

/**
 * The published document a call runs, scoped to the org, and (given `callId`) that call's status, in
 * one round trip. The document travels and is validated only when the row changed since this process
 * last read it.
 */
export async function publishedDocument(orgId: string, flowId: string, callId?: string) {
  const known = published.get(flowId);
  const [row] = await sqlRows<{ status: string | null; version: string | null; document: unknown }>(Prisma.sql`
    SELECT (SELECT status::text FROM calls WHERE id = ${callId ?? null}::text) AS status, f.xmin::text AS version,
      CASE WHEN f.xmin::text = ${known?.version ?? null}::text THEN NULL ELSE f.published_document END AS document
    FROM (VALUES (1)) AS one LEFT JOIN ivr_flows f ON f.id = ${flowId} AND f.org_id = ${orgId}`);
  let entry: Published | undefined;
  if (row?.version && row.version === known?.version) entry = known;
  else if (row?.version) entry = { version: row.version, document: validateFlow(row.document).document ?? null };
  published.delete(flowId);
  if (entry) published.set(flowId, entry);
  if (published.size > PUBLISHED_KEPT) published.delete(published.keys().next().value as string);
  return { status: row?.status ?? null, document: entry?.document ?? null };
}
