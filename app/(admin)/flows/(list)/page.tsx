import { FlowList } from "@/components/flows/flow-list";
import { PageHeader } from "@/components/page-header";
import { listAccounts } from "@/lib/accounts/service";
import { pageOrg } from "@/lib/auth/pages";
import { listFlows } from "@/lib/flows/editor-service";

export const metadata = { title: "IVR flows" };

export default async function FlowsPage() {
  const { orgId } = await pageOrg("admin");
  const [flows, accounts] = await Promise.all([listFlows(orgId), listAccounts(orgId)]);
  return (
    <>
      <PageHeader title="IVR Flows" description="What callers hear and press before they reach an agent. Only one active call-start flow per number." />
      <FlowList
        flows={flows.map((f) => ({ ...f, publishedAt: f.publishedAt?.toISOString() ?? null }))}
        accounts={accounts.map((a) => ({ id: a.id, name: a.name }))}
      />
    </>
  );
}
