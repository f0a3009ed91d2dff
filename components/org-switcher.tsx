"use client";
import { useSession } from "next-auth/react";
import { useRouter } from "next/navigation";

export function OrgSwitcher({ orgs, currentOrgId }: { orgs: { id: string; name: string }[]; currentOrgId: string }) {
  const { update } = useSession();
  const router = useRouter();
  const current = orgs.find((o) => o.id === currentOrgId);
  if (orgs.length < 2) return <p className="mt-1 truncate text-sm text-slate-500 dark:text-slate-400">{current?.name}</p>;
  return (
    <select
      aria-label="Organisation"
      className="input mt-2"
      value={currentOrgId}
      onChange={async (e) => {
        await update({ orgId: e.target.value });
        router.refresh();
      }}
    >
      {orgs.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
}
