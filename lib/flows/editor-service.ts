// What the flow list and editor do: create, save drafts (even invalid), publish (only valid),
// duplicate, delete (unless another flow jumps to it), and one call-start flow per number.
import type { z } from "zod";
import { db, Prisma } from "../db";
import { sqlRows } from "../db/sql";
import { AppError, notFound } from "../errors";
import { draftDocumentSchema, emptyDocument, importedDocumentSchema } from "../ivr";
import { renderDraftPrompts, withReadyPromptAudio } from "./prompt-audio";
import type { flowSettingsInput } from "./schema";
import { validateForOrg } from "./service";

type Settings = z.infer<typeof flowSettingsInput>;
const json = (v: unknown) => v as Prisma.InputJsonValue;

/** Flow names are unique in an organisation, in any case: the Go to flow picker and the call log name flows by them. */
async function flowNamed(orgId: string, name: string, exceptId?: string) {
  return db.ivrFlow.findFirst({
    where: { orgId, name: { equals: name.trim(), mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
}

async function assertFlowNameFree(orgId: string, name: string, exceptId?: string) {
  const same = await flowNamed(orgId, name, exceptId);
  if (same) throw new AppError("conflict", `A flow named “${same.name}” already exists; choose another name`);
}

/** The first free name of `base` + suffix(1), suffix(2), … (kept within 80 characters; every one starts with the first 60). */
async function freeFlowName(orgId: string, base: string, suffix: (n: number) => string): Promise<string> {
  const taken = new Set(
    (await db.ivrFlow.findMany({ where: { orgId, name: { startsWith: base.slice(0, 60), mode: "insensitive" } }, select: { name: true } })).map((f) =>
      f.name.toLowerCase(),
    ),
  );
  for (let n = 1; ; n++) {
    const end = suffix(n);
    const name = `${base.slice(0, 80 - end.length)}${end}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

export const flowListSelect = {
  id: true,
  name: true,
  description: true,
  active: true,
  isCallStart: true,
  version: true,
  publishedAt: true,
  updatedAt: true,
  draftChangedAt: true,
  account: { select: { id: true, name: true } },
} as const;

/** Whether a flow's saved draft has changes its published version does not (a save after the last publish). */
export function hasUnpublishedChanges(flow: { draftChangedAt: Date | null; publishedAt: Date | null }): boolean {
  return flow.draftChangedAt !== null && (flow.publishedAt === null || flow.draftChangedAt > flow.publishedAt);
}

export function listFlows(orgId: string) {
  return db.ivrFlow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: flowListSelect });
}

export async function getFlow(orgId: string, id: string) {
  const flow = await db.ivrFlow.findFirst({ where: { id, orgId }, select: { ...flowListSelect, draftDocument: true, publishedDocument: true } });
  if (!flow) throw notFound("Flow");
  return flow;
}

async function checkAccount(orgId: string, accountId: string | null) {
  if (!accountId) return;
  const ok = await db.whatsAppAccount.findFirst({ where: { id: accountId, orgId }, select: { id: true } });
  if (!ok) throw new AppError("bad_request", "That WhatsApp account does not belong to this organisation");
}

/** Turning call start on for one flow turns it off for the number's others; returns their names. */
async function claimCallStart(tx: Prisma.TransactionClient, orgId: string, accountId: string | null, exceptId?: string) {
  if (!accountId) throw new AppError("bad_request", "Choose a WhatsApp account for a call-start flow");
  const others = await tx.ivrFlow.findMany({
    where: { orgId, accountId, isCallStart: true, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true, name: true },
  });
  if (others.length) await tx.ivrFlow.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { isCallStart: false } });
  return others.map((o) => o.name);
}

export async function createFlow(orgId: string, input: Settings, document: unknown = emptyDocument()) {
  await checkAccount(orgId, input.accountId);
  await assertFlowNameFree(orgId, input.name);
  const draft = draftDocumentSchema.safeParse(document);
  if (!draft.success) throw new AppError("validation_failed", "The flow document is malformed and cannot be opened in the editor");
  return db.$transaction(async (tx) => {
    const turnedOff = input.isCallStart ? await claimCallStart(tx, orgId, input.accountId) : [];
    const flow = await tx.ivrFlow.create({
      data: {
        orgId,
        name: input.name,
        description: input.description,
        accountId: input.accountId,
        active: input.active,
        isCallStart: input.isCallStart,
        draftDocument: json(draft.data),
      },
      select: flowListSelect,
    });
    return { ...flow, turnedOff };
  });
}

/** Opens an exported flow file as a new draft; anything that is not a flow document is refused with the reason. */
export async function importDraft(orgId: string, input: { name: string; accountId: string | null; document: unknown }) {
  const parsed = importedDocumentSchema.safeParse(input.document, { reportInput: true });
  if (!parsed.success) {
    const reasons = parsed.error.issues.slice(0, 5).map((i) => {
      const where = i.path.length ? i.path.join(".") : "the file";
      if (i.code === "unrecognized_keys") return `unexpected ${i.keys.map((k) => `"${k}"`).join(", ")}`;
      if (i.input === undefined && i.path.length > 0) return `"${where}" is missing`;
      return `${where}: ${i.message}`;
    });
    throw new AppError("validation_failed", `This file is not a Ringflow flow document (${reasons.join("; ")})`, parsed.error.issues);
  }
  // An imported copy of a flow this organisation has keeps its name with a number: "Main IVR (2)".
  const name = await freeFlowName(orgId, input.name.trim(), (n) => (n === 1 ? "" : ` (${n})`));
  return createFlow(orgId, { name, description: undefined, accountId: input.accountId, active: false, isCallStart: false }, parsed.data);
}

export async function updateFlowSettings(orgId: string, id: string, input: Settings) {
  await getFlow(orgId, id);
  await checkAccount(orgId, input.accountId);
  await assertFlowNameFree(orgId, input.name, id);
  return db.$transaction(async (tx) => {
    const turnedOff = input.isCallStart ? await claimCallStart(tx, orgId, input.accountId, id) : [];
    const flow = await tx.ivrFlow.update({
      where: { id },
      data: { name: input.name, description: input.description ?? null, accountId: input.accountId, active: input.active, isCallStart: input.isCallStart },
      select: flowListSelect,
    });
    return { ...flow, turnedOff };
  });
}

/**
 * Saves the editor's draft even when it has errors; returns what is wrong with it and whether the
 * draft now differs from what is live (`unpublished`). A save that changes nothing (jsonb equality,
 * whatever the key order) leaves draft_changed_at alone; one that brings the draft back to what was
 * last published clears it.
 */
export async function saveDraft(orgId: string, id: string, document: unknown) {
  await getFlow(orgId, id);
  const draft = draftDocumentSchema.safeParse(document);
  if (!draft.success) throw new AppError("validation_failed", "The flow document is malformed");
  const doc = JSON.stringify(draft.data);
  // This process's clock, as publishDocument's published_at: the two are compared.
  const now = new Date();
  const [row] = await sqlRows<{ draftChangedAt: Date | null; publishedAt: Date | null }>(Prisma.sql`
    UPDATE ivr_flows SET draft_document = ${doc}::jsonb, updated_at = ${now},
      draft_changed_at = CASE
        WHEN published_draft = ${doc}::jsonb THEN NULL
        WHEN draft_document IS DISTINCT FROM ${doc}::jsonb THEN ${now}
        ELSE draft_changed_at END
    WHERE id = ${id} AND org_id = ${orgId}
    RETURNING draft_changed_at AS "draftChangedAt", published_at AS "publishedAt"`);
  if (!row) throw notFound("Flow");
  const result = await validateForOrg(orgId, draft.data, id);
  await renderDraftPrompts(orgId, draft.data);
  return { saved: true, issues: result.issues, unpublished: hasUnpublishedChanges(row) };
}

/**
 * Publishes the current draft if it is valid and all its audio is ready (see prompt-audio.ts); the
 * engine only ever runs published versions.
 */
export async function publishFlow(orgId: string, id: string, userId?: string) {
  const flow = await getFlow(orgId, id);
  const result = await validateForOrg(orgId, flow.draftDocument, id);
  if (!result.document) {
    const errors = result.issues.filter((i) => i.severity === "error");
    throw new AppError("validation_failed", `Fix ${errorCount(errors.length)} before publishing`, result.issues);
  }
  return publishDocument(id, await withReadyPromptAudio(orgId, result.document), userId, { draft: flow.draftDocument });
}

/** Makes `document` the published one as the next numbered version (kept in flow_versions). */
/**
 * Makes `document` the published one as the next numbered version (kept in flow_versions).
 * `draft`: the draft it was made from (else the document itself); `alsoDraft`: it becomes the draft too.
 */
export function publishDocument(id: string, document: unknown, userId?: string, opts: { draft?: unknown; alsoDraft?: boolean } = {}) {
  return db.$transaction(async (tx) => {
    const flow = await tx.ivrFlow.update({
      where: { id },
      data: {
        publishedDocument: json(document),
        publishedDraft: json(opts.draft ?? document),
        ...(opts.alsoDraft ? { draftDocument: json(document) } : {}),
        version: { increment: 1 },
        publishedAt: new Date(),
      },
      select: { id: true, version: true, publishedAt: true },
    });
    await tx.flowVersion.create({
      data: { flowId: id, number: flow.version, document: json(document), publishedById: userId ?? null, publishedAt: flow.publishedAt! },
    });
    return flow;
  });
}

export async function duplicateFlow(orgId: string, id: string) {
  const flow = await getFlow(orgId, id);
  return createFlow(
    orgId,
    {
      name: await freeFlowName(orgId, flow.name, (n) => (n === 1 ? " (copy)" : ` (copy ${n})`)),
      description: flow.description ?? undefined,
      accountId: flow.account?.id ?? null,
      active: false,
      isCallStart: false,
    },
    flow.draftDocument,
  );
}

function jumpsTo(doc: unknown, flowId: string): boolean {
  const parsed = draftDocumentSchema.safeParse(doc);
  return parsed.success && parsed.data.nodes.some((n) => n.type === "goto_flow" && (n.config as { flowId?: string }).flowId === flowId);
}

export async function deleteFlow(orgId: string, id: string) {
  await getFlow(orgId, id);
  const others = await db.ivrFlow.findMany({ where: { orgId, id: { not: id } }, select: { name: true, draftDocument: true, publishedDocument: true } });
  const users = others.filter((o) => jumpsTo(o.draftDocument, id) || jumpsTo(o.publishedDocument, id)).map((o) => `“${o.name}”`);
  if (users.length)
    throw new AppError(
      "conflict",
      `This flow cannot be deleted: ${users.join(", ")} ${users.length > 1 ? "go" : "goes"} to it. Change those Go to flow nodes first.`,
    );
  await db.ivrFlow.delete({ where: { id } });
}

/** Creates a flow from a document and publishes it (the admin CLI); invalid documents create nothing. */
export async function importFlow(orgId: string, input: { accountId: string; name: string; description?: string; document: unknown; callStart: boolean }) {
  await checkAccount(orgId, input.accountId);
  await assertFlowNameFree(orgId, input.name);
  const result = await validateForOrg(orgId, input.document);
  if (!result.document) {
    const errors = result.issues.filter((i) => i.severity === "error");
    throw new AppError("validation_failed", `The flow has ${errorCount(errors.length)}: ${errors.map((e) => e.message).join("; ")}`, result.issues);
  }
  const doc = json(result.document);
  // The CLI may run where no workers are; the renders are queued and the gateway finds each
  // prompt's audio by its text's content hash once it is ready.
  await renderDraftPrompts(orgId, result.document);
  return db.$transaction(async (tx) => {
    const turnedOff = input.callStart ? await claimCallStart(tx, orgId, input.accountId) : [];
    const flow = await tx.ivrFlow.create({
      data: {
        orgId,
        accountId: input.accountId,
        name: input.name,
        description: input.description,
        active: true,
        isCallStart: input.callStart,
        draftDocument: doc,
        publishedDocument: doc,
        version: 1,
        publishedAt: new Date(),
        versions: { create: { number: 1, document: doc } },
      },
      select: { id: true, name: true, version: true, isCallStart: true },
    });
    return { ...flow, turnedOff };
  });
}

const errorCount = (n: number) => `${n} error${n === 1 ? "" : "s"}`;
