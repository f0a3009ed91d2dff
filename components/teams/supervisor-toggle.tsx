"use client";
// A team member's "Supervisor" switch (may watch the live board); saves as soon as it changes.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SupervisorToggle({ teamId, userId, name, initial }: { teamId: string; userId: string; name: string; initial: boolean }) {
  const router = useRouter();
  const [on, setOn] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function change(next: boolean) {
    setBusy(true);
    setError(null);
    const res = await fetch(`/api/teams/${teamId}/members/${userId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ supervisor: next }),
    }).catch(() => null);
    setBusy(false);
    if (!res?.ok) {
      const body = await res?.json().catch(() => null);
      setError(body?.error?.message ?? "Could not save");
      return;
    }
    setOn(next);
    router.refresh();
  }
  return (
    <label className="flex items-center gap-1 text-xs text-slate-600">
      <input type="checkbox" checked={on} disabled={busy} onChange={(e) => void change(e.target.checked)} aria-label={`${name} is a supervisor`} />
      Supervisor
      {error && (
        <span role="alert" className="text-red-600">
          {error}
        </span>
      )}
    </label>
  );
}
