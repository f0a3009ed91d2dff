"use client";
// The contact page's call controls: which number to call from, the permission state (checked with
// Meta on demand), "Ask for permission", and the Call button. Meta's refusals show as sentences.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { CallPermission } from "@/lib/db";
import { CallButton } from "./call-button";
import { PermissionBadge, shownPermission } from "./permission-badge";

interface Props {
  contact: { id: string; name: string | null; waId: string; callPermission: CallPermission; permissionExpiresAt: string | null };
  accounts: { id: string; name: string; displayPhone: string }[];
  callbackTaskId?: string;
  timeZone: string;
}

async function send(path: string, method: "GET" | "POST", body?: unknown) {
  const res = await fetch(path, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(json?.error?.message ?? `Request failed (${res.status})`);
  return json;
}

export function ContactCallBar({ contact, accounts, callbackTaskId, timeZone }: Props) {
  const router = useRouter();
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = (what: () => Promise<string>) => async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await what());
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
      router.refresh();
    } finally {
      setBusy(false);
    }
  };
  const base = `/api/contacts/${encodeURIComponent(contact.id)}`;
  const check = run(async () => {
    const r = (await send(`${base}/permission?accountId=${encodeURIComponent(accountId)}`, "GET")) as { state: CallPermission };
    return r.state === "granted" ? "WhatsApp says you may call this contact." : "WhatsApp says you may not call this contact yet.";
  });
  const ask = run(async () => {
    await send(`${base}/permission-request`, "POST", { accountId });
    return "Permission request sent on WhatsApp.";
  });
  if (accounts.length === 0) return <p className="text-sm text-slate-500">Connect a WhatsApp number to call contacts.</p>;
  return (
    <section aria-label="Call controls" className="card space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <PermissionBadge state={contact.callPermission} expiresAt={contact.permissionExpiresAt} timeZone={timeZone} />
        {accounts.length > 1 && (
          <label className="text-sm">
            <span className="mr-2 text-slate-600">Call from</span>
            <select value={accountId} onChange={(e) => setAccountId(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} (+{a.displayPhone})
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="ml-auto flex flex-wrap gap-2">
          <button type="button" onClick={check} disabled={busy} className="btn-secondary">
            Check permission
          </button>
          {shownPermission(contact.callPermission, contact.permissionExpiresAt) !== "granted" && (
            <button type="button" onClick={ask} disabled={busy} className="btn-secondary">
              Ask for permission
            </button>
          )}
          <CallButton
            contactId={contact.id}
            accountId={accountId}
            contact={{ phone: contact.waId, name: contact.name }}
            callbackTaskId={callbackTaskId}
            disabled={busy}
            onRefused={(message) => {
              setNotice(null);
              setError(message);
            }}
          />
        </div>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-slate-600">
          {notice}
        </p>
      )}
    </section>
  );
}
