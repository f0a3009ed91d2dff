"use client";
// A form that sends its fields as JSON to one of our API routes and shows the `{ error }` message.
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useState } from "react";

function fieldsOf(form: HTMLFormElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) continue;
    if (!el.name) continue;
    if (el instanceof HTMLInputElement && el.type === "checkbox") out[el.name] = el.checked;
    else if (el instanceof HTMLInputElement && el.type === "number") out[el.name] = el.value === "" ? undefined : Number(el.value);
    else if (el.dataset.nullable !== undefined && el.value === "") out[el.name] = null;
    else out[el.name] = el.value;
  }
  return out;
}

export function ApiForm({
  action,
  method = "POST",
  children,
  className,
  confirm: confirmText,
  resetOnSuccess = false,
  successMessage,
}: {
  action: string;
  method?: "POST" | "PATCH" | "PUT" | "DELETE";
  children: ReactNode;
  className?: string;
  confirm?: string;
  resetOnSuccess?: boolean;
  successMessage?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (confirmText && !window.confirm(confirmText)) return;
    const form = e.currentTarget;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch(action, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "DELETE" ? undefined : JSON.stringify(fieldsOf(form)),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setError(body?.error?.message ?? `Request failed (${res.status})`);
        return;
      }
      if (resetOnSuccess) form.reset();
      if (successMessage) setNotice(successMessage);
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className={className} aria-busy={busy}>
      <fieldset disabled={busy} className="contents">
        {children}
      </fieldset>
      {error && (
        <p role="alert" className="basis-full text-sm text-red-600">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="basis-full text-sm text-brand-700 dark:text-brand-500">
          {notice}
        </p>
      )}
    </form>
  );
}
