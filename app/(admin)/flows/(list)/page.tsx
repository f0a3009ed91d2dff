import { FlowList } from "@/components/flows/flow-list";
import { PageHeader } from "@/components/page-header";
import { listAccounts } from "@/lib/accounts/service";
import { pageOrg } from "@/lib/auth/pages";
import { orgTimeZone } from "@/lib/calls/list-query";
import { formatWithZone } from "@/lib/calls/time-zone";
import { hasUnpublishedChanges, listFlows } from "@/lib/flows/editor-service";

export const metadata = { title: "IVR flows" };

export default async function FlowsPage() {
  const { orgId } = await pageOrg("admin");
  const [flows, accounts, tz] = await Promise.all([listFlows(orgId), listAccounts(orgId), orgTimeZone(orgId)]);
  return (
    <>
      <PageHeader title="IVR Flows" description="What callers hear and press before they reach an agent. Only one active call-start flow per number." />
      <FlowList
        flows={flows.map((f) => ({ ...f, publishedAt: f.publishedAt ? formatWithZone(f.publishedAt, tz) : null, unpublished: hasUnpublishedChanges(f) }))}
        accounts={accounts.map((a) => ({ id: a.id, name: a.name }))}
      />
    </>
  );
}
