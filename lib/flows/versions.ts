// A flow's published versions: list, read one, roll back (publish an old one again as the newest).
import { withReadyPromptAudio } from "./prompt-audio";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { draftDocumentSchema } from "../ivr";
import { getFlow, publishDocument } from "./editor-service";
import { validateForOrg } from "./service";

export function versionNumber(param: string): number {
  const n = /^\d{1,9}$/.test(param) ? Number(param) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw notFound("Version");
  return n;
}

export async function listVersions(orgId: string, flowId: string) {
  const flow = await getFlow(orgId, flowId);
  const versions = await db.flowVersion.findMany({
    where: { flowId, flow: { orgId } },
    orderBy: { number: "desc" },
    select: { number: true, publishedAt: true, publishedBy: { select: { name: true } } },
  });
  return {
    flow: { id: flow.id, name: flow.name, version: flow.version },
    versions: versions.map((v) => ({
      number: v.number,
      publishedAt: v.publishedAt.toISOString(),
      author: v.publishedBy?.name ?? null,
      current: v.number === flow.version,
    })),
  };
}

export async function getVersion(orgId: string, flowId: string, number: number) {
  const v = await db.flowVersion.findFirst({
    where: { flowId, number, flow: { orgId } },
    select: { number: true, document: true, publishedAt: true, publishedBy: { select: { name: true } } },
  });
  if (!v) throw notFound("Version");
  const document = draftDocumentSchema.parse(v.document);
  return { number: v.number, document, publishedAt: v.publishedAt.toISOString(), author: v.publishedBy?.name ?? null };
}

/** Publishes version `number` again as a new version (and makes it the draft), if it is still valid. */
export async function rollbackTo(orgId: string, flowId: string, number: number, userId: string) {
  const v = await getVersion(orgId, flowId, number);
  const result = await validateForOrg(orgId, v.document, flowId);
  if (!result.document) {
    const errors = result.issues.filter((i) => i.severity === "error");
    throw new AppError("validation_failed", `Version ${number} cannot be published again: ${errors.map((e) => e.message).join("; ")}`, result.issues);
  }
  // Its prompts must be ready audio like any publish (a version from before prompts were rendered).
  const flow = await publishDocument(flowId, await withReadyPromptAudio(orgId, result.document), userId, { alsoDraft: true });
  return { version: flow.version, from: number };
}

/** Team and flow names by id, to show on Transfer and Go to flow nodes of a version. */
export async function referenceNames(orgId: string): Promise<Record<string, string>> {
  const [teams, flows] = await Promise.all([
    db.team.findMany({ where: { orgId }, select: { id: true, name: true } }),
    db.ivrFlow.findMany({ where: { orgId }, select: { id: true, name: true } }),
  ]);
  return Object.fromEntries([...teams, ...flows].map((r) => [r.id, r.name]));
}
