"use client";
// Success toasts: any client component calls toast("Saved."); the one <Toaster /> in the root
// layout shows each for a few seconds, bottom-right, announced politely to screen readers.
import { useEffect, useState } from "react";

type Toast = { id: number; text: string };
const listeners = new Set<(t: Toast) => void>();
let next = 1;

export function toast(text: string) {
  const t = { id: next++, text };
  for (const l of listeners) l(t);
}

export function Toaster() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    const add = (t: Toast) => {
      setToasts([t]); // the newest replaces any other: one message to read at a time
      window.setTimeout(() => setToasts((all) => all.filter((x) => x.id !== t.id)), 4000);
    };
    listeners.add(add);
    return () => {
      listeners.delete(add);
    };
  }, []);
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex flex-col items-end gap-2">
      {toasts.map((t) => (
        <p
          key={t.id}
          role="status"
          className="pointer-events-auto rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
        >
          {t.text}
        </p>
      ))}
    </div>
  );
}
