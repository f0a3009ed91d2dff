import { redirect } from "next/navigation";
import { LiveBoard } from "@/components/board/live-board";
import { PageHeader } from "@/components/page-header";
import { pageOrg } from "@/lib/auth/pages";
import { boardState, isBoardViewer } from "@/lib/board/state";
import { publicRealtimeConfig } from "@/lib/realtime";

export const metadata = { title: "Live board" };
export const dynamic = "force-dynamic";

export default async function BoardPage() {
  const ctx = await pageOrg();
  if (!(await isBoardViewer(ctx))) redirect("/forbidden");
  const initial = await boardState(ctx.orgId);
  return (
    // Its own dark surface until the app shell follows prefers-color-scheme too.
    <div className="-m-8 min-h-screen p-8 dark:bg-slate-950 dark:text-slate-100">
      <PageHeader title="Live board" description="Every call in progress, your agents and your queues, as they change." />
      <LiveBoard initial={initial} realtime={publicRealtimeConfig()} orgId={ctx.orgId} canEnd={ctx.role === "admin"} />
    </div>
  );
}
