import Link from "next/link";

export function Pager({ newerHref, olderHref, newestHref }: { newerHref: string | null; olderHref: string | null; newestHref: string | null }) {
  const off = "btn-secondary pointer-events-none opacity-40";
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-2">
      {newestHref && (
        <Link href={newestHref} className="btn-secondary">
          Newest
        </Link>
      )}
      {newerHref ? (
        <Link href={newerHref} className="btn-secondary" rel="prev">
          ← Newer
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          ← Newer
        </span>
      )}
      {olderHref ? (
        <Link href={olderHref} className="btn-secondary" rel="next">
          Older →
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
