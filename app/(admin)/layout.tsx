import Link from "next/link";
import type { ReactNode } from "react";
import { CallPanel } from "@/components/call-panel/call-panel";
import { NavLinks, ProfileLink } from "@/components/nav-links";
import { OrgSwitcher } from "@/components/org-switcher";
import { SignOutButton } from "@/components/sign-out-button";
import { pageOrg } from "@/lib/auth/pages";
import { config } from "@/lib/config";
import { isBoardViewer } from "@/lib/board/state";
import { db } from "@/lib/db";
import { gatewaysRunning } from "@/lib/health";
import { publicRealtimeConfig } from "@/lib/realtime";

function CallingOffBanner({ isAdmin }: { isAdmin: boolean }) {
  return (
    <p
      data-testid="calling-off"
      className="relative z-10 mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <strong>Calling is off</strong> for this organisation: incoming WhatsApp calls are rejected.{" "}
      {isAdmin ? (
        <Link href="/settings/calling" className="font-medium underline">
          Turn it on in Organization › Calling
        </Link>
      ) : (
        "An admin can turn it back on."
      )}
    </p>
  );
}

/** For admins and supervisors: calls are being rejected because no gateway runs (it crashed, or was never started). */
function NoGatewayBanner() {
  return (
    <p
      data-testid="no-gateway"
      className="relative z-10 mb-4 rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200"
    >
      <strong>No media gateway is running</strong>: incoming WhatsApp calls are rejected and outgoing calls cannot be placed until one starts (
      <code>npm run gateway</code>; its log says why it stopped).
    </p>
  );
}

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const ctx = await pageOrg();
  const [user, memberships, boardViewer, org, gateways, teams] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: ctx.userId }, select: { name: true, email: true } }),
    db.membership.findMany({ where: { userId: ctx.userId }, select: { org: { select: { id: true, name: true } } } }),
    isBoardViewer(ctx),
    db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { callingEnabled: true } }),
    // Unknown (Redis unreachable) is not "none": the page's own errors say that.
    gatewaysRunning(),
    db.teamMember.count({ where: { userId: ctx.userId, team: { orgId: ctx.orgId } } }),
  ]);
  const orgs = memberships.map((m) => m.org);
  const edge = "border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900";
  // Document order is skip link → navigation → content → account box, so sign-out comes after the
  // content when tabbing; the grid still draws the account box at the foot of the sidebar.
  return (
    // Narrower than md (a phone): one column, the sidebar on top with its links behind a Menu button.
    // <main> is positioned so what is absolutely placed in a wide table (sr-only headers) scrolls
    // with it instead of widening the page.
    <div className="grid min-h-screen grid-cols-1 md:grid-cols-[13rem_minmax(0,1fr)] md:grid-rows-[1fr_auto] xl:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-brand-700 focus:px-3 focus:py-2 focus:text-sm focus:text-white"
      >
        Skip to content
      </a>
      <aside aria-label="Sidebar" className={`flex flex-col border-b md:col-start-1 md:row-start-1 md:border-r md:border-b-0 ${edge}`}>
        <div className="border-b border-slate-200 px-5 py-3 md:py-4 dark:border-slate-700">
          <p className="text-lg font-semibold text-brand-700 dark:text-brand-500">Ringflow</p>
          <OrgSwitcher orgs={orgs} currentOrgId={ctx.orgId} />
        </div>
        <NavLinks isAdmin={ctx.role === "admin"} isSupervisor={boardViewer} />
        {/* Every member can take calls when they are in a team; the call card itself docks bottom-right. */}
        <div className="border-t border-slate-200 px-5 py-3 dark:border-slate-700">
          <CallPanel
            userId={ctx.userId}
            orgId={ctx.orgId}
            userName={user.name}
            realtime={publicRealtimeConfig()}
            inTeam={teams > 0}
            isAdmin={ctx.role === "admin"}
            rejoinWindowMs={config().calling.agent_lost_secs * 1000}
          />
        </div>
      </aside>
      <main
        id="content"
        tabIndex={-1}
        className="relative min-w-0 overflow-x-auto p-4 focus:outline-none md:col-start-2 md:row-span-2 md:row-start-1 md:p-6 xl:p-8"
      >
        {!org.callingEnabled && <CallingOffBanner isAdmin={ctx.role === "admin"} />}
        {org.callingEnabled && gateways === 0 && boardViewer && <NoGatewayBanner />}
        {children}
      </main>
      <section aria-label="Your account" className={`border-t px-5 py-4 text-sm md:col-start-1 md:row-start-2 md:border-r ${edge}`}>
        <p className="truncate font-medium" title={user.name}>
          {user.name}
        </p>
        <p className="truncate text-slate-500 dark:text-slate-400">{user.email}</p>
        <p className="mb-2 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">{ctx.role}</p>
        <ProfileLink />
        <SignOutButton />
      </section>
    </div>
  );
}
