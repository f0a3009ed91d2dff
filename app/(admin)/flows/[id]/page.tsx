import { notFound } from "next/navigation";
import { FlowEditor } from "@/components/flows/editor/flow-editor";
import { pageOrg } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getFlow, hasUnpublishedChanges } from "@/lib/flows/editor-service";
import { draftDocumentSchema } from "@/lib/ivr";
import { isSafeParam } from "@/lib/validation";

export const metadata = { title: "Flow editor" };

export default async function FlowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { orgId } = await pageOrg("admin");
  const { id } = await params;
  if (!isSafeParam(id)) notFound();
  const flow = await getFlow(orgId, id).catch((err) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const [teams, flows, assets] = await Promise.all([
    db.team.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.ivrFlow.findMany({ where: { orgId, id: { not: id } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.audioAsset.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, status: true } }),
  ]);
  const draft = draftDocumentSchema.safeParse(flow.draftDocument);
  return (
    <div className="-m-6 h-screen xl:-m-8">
      <FlowEditor
        flow={{
          id: flow.id,
          name: flow.name,
          version: flow.version,
          unpublished: hasUnpublishedChanges(flow),
          draftDocument: draft.success ? draft.data : draftDocumentSchema.parse({}),
        }}
        refs={{ teams, flows, assets }}
      />
    </div>
  );
}
