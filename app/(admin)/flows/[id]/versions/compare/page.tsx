import Link from "next/link";
import { VersionCanvas } from "@/components/flows/version-canvas";
import { orNotFound, versionPageContext } from "@/components/flows/version-page";
import { PageHeader } from "@/components/page-header";
import { fieldLabel, handleLabel, type NodeType } from "@/lib/ivr";
import { getFlow } from "@/lib/flows/editor-service";
import { diffDocuments, mergedForCanvas } from "@/lib/flows/version-diff";
import { getVersion, referenceNames, versionNumber } from "@/lib/flows/versions";

export const metadata = { title: "Compare flow versions" };

const KIND_TEXT = { added: "Added", removed: "Removed", changed: "Changed" } as const;
const KIND_TONE = {
  added: "text-emerald-700 dark:text-emerald-400",
  removed: "text-red-700 dark:text-red-300",
  changed: "text-amber-800 dark:text-amber-300",
} as const;

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { orgId, id } = await versionPageContext(params);
  const sp = await searchParams;
  const [flow, before, after, names] = await orNotFound(
    Promise.all([
      getFlow(orgId, id),
      (async () => getVersion(orgId, id, versionNumber(sp.from ?? "")))(),
      (async () => getVersion(orgId, id, versionNumber(sp.to ?? "")))(),
      referenceNames(orgId),
    ]),
  );
  const diff = diffDocuments(before.document, after.document);
  const merged = mergedForCanvas(before.document, after.document);
  const label = new Map(merged.nodes.map((n) => [n.id, n]));
  const fieldWords = (type: NodeType | undefined, key: string) => (type ? fieldLabel(type, key) : key);
  const nodeName = (nodeId: string | undefined) => (nodeId ? (label.get(nodeId)?.label ?? nodeId) : "");
  const output = (source: string, handle: string) => {
    const n = label.get(source);
    return n ? `${n.label} › ${handleLabel(n.type, n.config, handle)}` : `${source} › ${handle}`;
  };
  const empty = !diff.nodes.length && !diff.edges.length && !diff.settings.length;
  return (
    <>
      <PageHeader
        title={`${flow.name}: v${before.number} → v${after.number}`}
        description="Green was added, red removed, amber changed. Positions on the canvas are not counted as changes."
      >
        <Link href={`/flows/${id}/versions`} className="btn-secondary">
          All versions
        </Link>
      </PageHeader>
      <section aria-label="Changes" className="card mb-6 grid gap-4 text-sm md:grid-cols-3">
        {empty && <p className="md:col-span-3">No differences: these versions run the same flow.</p>}
        {diff.nodes.length > 0 && (
          <div>
            <h2 className="mb-1 font-semibold">Nodes</h2>
            <ul>
              {diff.nodes.map((c) => (
                <li key={c.id} className={KIND_TONE[c.kind]}>
                  {KIND_TEXT[c.kind]}: {c.label}
                  {c.fields.length > 0 && (
                    <span className="text-slate-500 dark:text-slate-400"> ({c.fields.map((k) => fieldWords(label.get(c.id)?.type, k)).join(", ")})</span>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {diff.edges.length > 0 && (
          <div>
            <h2 className="mb-1 font-semibold">Connections</h2>
            <ul>
              {diff.edges.map((c) => (
                <li key={c.key} className={KIND_TONE[c.kind]}>
                  {KIND_TEXT[c.kind]}: {output(c.source, c.sourceHandle)}
                  {c.kind === "changed" ? ` now goes to ${nodeName(c.to)} (was ${nodeName(c.from)})` : ` → ${nodeName(c.to ?? c.from)}`}
                </li>
              ))}
            </ul>
          </div>
        )}
        {diff.settings.length > 0 && (
          <div>
            <h2 className="mb-1 font-semibold">Flow settings</h2>
            <ul>
              {diff.settings.map((s) => (
                <li key={s} className={KIND_TONE.changed}>
                  Changed:{" "}
                  {s === "entryNodeId"
                    ? `entry node (${nodeName(before.document.entryNodeId ?? undefined)} → ${nodeName(after.document.entryNodeId ?? undefined)})`
                    : s}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <VersionCanvas
        document={merged}
        names={names}
        nodeDiff={Object.fromEntries(diff.nodes.map((c) => [c.id, c.kind]))}
        edgeDiff={Object.fromEntries(diff.edges.map((c) => [c.key, c.kind]))}
      />
    </>
  );
}
