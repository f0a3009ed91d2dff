import type { CallDetail } from "@/lib/calls/detail";

export function TransferAttempts({ transfers }: { transfers: CallDetail["transfers"] }) {
  return (
    <ul className="card space-y-3 p-4 text-sm" aria-label="Transfer attempts">
      {transfers.map((t) => (
        <li key={t.id}>
          <p className="font-medium">
            {t.team}: {t.outcome}{" "}
            <span className="font-normal text-slate-500 dark:text-slate-400">· {t.waitedSecs ? `the caller waited ${t.waitedSecs} s` : "no wait"}</span>
          </p>
          <p className="text-slate-600 dark:text-slate-300">Rang: {t.rang.length ? t.rang.join(", ") : "nobody (no agent was available)"}</p>
          {t.declined.length > 0 && <p className="text-slate-600 dark:text-slate-300">Declined: {t.declined.join(", ")}</p>}
        </li>
      ))}
    </ul>
  );
}
