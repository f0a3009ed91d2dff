import Link from "next/link";
import type { ReactNode } from "react";

/** The card 403 and 404 pages share: code, what happened in plain words, and a way back. */
export function StatusPage({
  code,
  title,
  children,
  backHref,
  backLabel,
}: {
  code: 403 | 404;
  title: string;
  children: ReactNode;
  backHref: string;
  backLabel: string;
}) {
  return (
    <div className="card mx-auto mt-10 max-w-md text-center">
      <p className={`text-sm font-semibold ${code === 403 ? "text-red-600 dark:text-red-400" : "text-slate-500 dark:text-slate-400"}`}>{code}</p>
      <h1 className="mt-1 text-xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{children}</p>
      <Link href={backHref} className="btn-secondary mt-4">
        {backLabel}
      </Link>
    </div>
  );
}
