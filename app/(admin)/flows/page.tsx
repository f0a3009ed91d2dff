import { EmptyState, PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { db } from "@/lib/db";

export default async function FlowsPage() {
  const { orgId } = await pageOrg("admin");
  const flows = await db.ivrFlow.findMany({
    where: { orgId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, active: true, isCallStart: true, version: true, publishedAt: true, account: { select: { name: true } } },
  });
  return (
    <>
      <PageHeader title="IVR Flows" description="What callers hear and press before they reach an agent." />
      {flows.length === 0 ? (
        <EmptyState title="No flows yet" />
      ) : (
        <table className="card w-full p-0 text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="p-3">Name</th><th className="p-3">WhatsApp account</th><th className="p-3">Active</th>
              <th className="p-3">Call start</th><th className="p-3">Version</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id} className="border-t border-slate-100">
                <td className="p-3 font-medium">{f.name}</td>
                <td className="p-3">{f.account?.name ?? "—"}</td>
                <td className="p-3">{f.active ? "Yes" : "No"}</td>
                <td className="p-3">{f.isCallStart ? "Yes" : "No"}</td>
                <td className="p-3">{f.version ? `v${f.version}` : "draft"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-4 text-sm text-slate-500">The visual flow editor is on its way; flows can be created through the seed and API for now.</p>
    </>
  );
}
