// IVR flows of an organisation: publishing validated documents, one call-start flow per number.
import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { type FlowDocument, validateFlow } from "../ivr";

/** The org's team and flow ids, for checking transfer/goto_flow targets. */
export async function validationContext(orgId: string, currentFlowId?: string) {
  const [teams, flows] = await Promise.all([
    db.team.findMany({ where: { orgId }, select: { id: true } }),
    db.ivrFlow.findMany({ where: { orgId }, select: { id: true } }),
  ]);
  return { teamIds: new Set(teams.map((t) => t.id)), flowIds: new Set(flows.map((f) => f.id)), currentFlowId };
}

export async function validateForOrg(orgId: string, document: unknown, flowId?: string) {
  return validateFlow(document, await validationContext(orgId, flowId));
}

async function ownAccount(orgId: string, accountId: string) {
  const account = await db.whatsAppAccount.findFirst({ where: { id: accountId, orgId }, select: { id: true } });
  if (!account) throw notFound("WhatsApp account");
}

/** Creates a flow from a document and publishes it; optionally makes it the number's call-start flow. */
export async function importFlow(
  orgId: string,
  input: { accountId: string; name: string; description?: string; document: unknown; callStart: boolean },
) {
  await ownAccount(orgId, input.accountId);
  const result = await validateForOrg(orgId, input.document);
  if (!result.document) {
    const errors = result.issues.filter((i) => i.severity === "error");
    throw new AppError("validation_failed", `The flow has ${errors.length} error(s): ${errors.map((e) => e.message).join("; ")}`, result.issues);
  }
  const doc = result.document as unknown as Prisma.InputJsonValue;
  return db.$transaction(async (tx) => {
    if (input.callStart) {
      await tx.ivrFlow.updateMany({ where: { orgId, accountId: input.accountId, isCallStart: true }, data: { isCallStart: false } });
    }
    return tx.ivrFlow.create({
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
      },
      select: { id: true, name: true, version: true, isCallStart: true },
    });
  });
}

/** The published document a call runs, scoped to the org. */
export async function publishedDocument(orgId: string, flowId: string): Promise<FlowDocument | null> {
  const flow = await db.ivrFlow.findFirst({ where: { id: flowId, orgId }, select: { publishedDocument: true } });
  if (!flow?.publishedDocument) return null;
  return validateFlow(flow.publishedDocument).document ?? null;
}
