import type { ReactNode } from "react";
import { CallPanel } from "@/components/call-panel/call-panel";
import { NavLinks } from "@/components/nav-links";
import { OrgSwitcher } from "@/components/org-switcher";
import { SignOutButton } from "@/components/sign-out-button";
import { pageOrg } from "@/lib/auth/pages";
import { isBoardViewer } from "@/lib/board/state";
import { db } from "@/lib/db";
import { publicRealtimeConfig } from "@/lib/realtime";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const ctx = await pageOrg();
  const [user, memberships, boardViewer] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: ctx.userId }, select: { name: true, email: true } }),
    db.membership.findMany({ where: { userId: ctx.userId }, select: { org: { select: { id: true, name: true } } } }),
    isBoardViewer(ctx),
  ]);
  const orgs = memberships.map((m) => m.org);
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-white">
        <div className="border-b border-slate-200 px-5 py-4">
          <p className="text-lg font-semibold text-brand-700">Ringflow</p>
          <OrgSwitcher orgs={orgs} currentOrgId={ctx.orgId} />
        </div>
        <NavLinks isAdmin={ctx.role === "admin"} isSupervisor={boardViewer} />
        {/* Every member can take calls when they are in a team; the call card itself docks bottom-right. */}
        <div className="border-t border-slate-200 px-5 py-3">
          <CallPanel userId={ctx.userId} orgId={ctx.orgId} userName={user.name} realtime={publicRealtimeConfig()} />
        </div>
        <div className="mt-auto border-t border-slate-200 px-5 py-4 text-sm">
          <p className="font-medium">{user.name}</p>
          <p className="truncate text-slate-500">{user.email}</p>
          <p className="mb-2 text-xs uppercase tracking-wide text-slate-400">{ctx.role}</p>
          <SignOutButton />
        </div>
      </aside>
      <main className="flex-1 overflow-x-auto p-8">{children}</main>
    </div>
  );
}
