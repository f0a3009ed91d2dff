import Link from "next/link";
import { VersionCanvas } from "@/components/flows/version-canvas";
import { orNotFound, versionPageContext, when } from "@/components/flows/version-page";
import { PageHeader } from "@/components/page-header";
import { getFlow } from "@/lib/flows/editor-service";
import { getVersion, referenceNames, versionNumber } from "@/lib/flows/versions";

export const metadata = { title: "Flow version" };

export default async function VersionPage({ params }: { params: Promise<{ id: string; number: string }> }) {
  const { orgId, id, timeZone } = await versionPageContext(params);
  const { number } = await params;
  const [flow, version, names] = await orNotFound(
    Promise.all([getFlow(orgId, id), (async () => getVersion(orgId, id, versionNumber(number)))(), referenceNames(orgId)]),
  );
  return (
    <>
      <PageHeader
        title={`${flow.name} · version ${version.number}`}
        description={`Published ${when(version.publishedAt, timeZone)}${version.author ? ` by ${version.author}` : ""}. Read-only.`}
      >
        <Link href={`/flows/${id}/versions`} className="btn-secondary">
          All versions
        </Link>
      </PageHeader>
      <VersionCanvas document={version.document} names={names} />
    </>
  );
}
