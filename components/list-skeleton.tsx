/** Placeholder while a list page loads: the header and a few grey rows where the items will be. */
export function ListSkeleton({ label, rows = 6 }: { label: string; rows?: number }) {
  const bar = "animate-pulse rounded bg-slate-200 dark:bg-slate-700";
  return (
    <div role="status" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading {label}…</span>
      <div className={`mb-2 h-7 w-48 ${bar}`} />
      <div className={`mb-6 h-4 w-96 max-w-full ${bar}`} />
      <div className="card space-y-3">
        {Array.from({ length: rows }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed placeholder rows, never reordered
          <div key={i} className={`h-5 ${bar}`} style={{ width: `${90 - (i % 3) * 12}%` }} />
        ))}
      </div>
    </div>
  );
}
