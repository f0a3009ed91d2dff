import Link from "next/link";
import type { CallRow } from "@/lib/calls/list-query";
import { endedByText, noAgentAnswered } from "@/lib/calls/present";
import { DIRECTION_TEXT, formatDuration, formatPhone } from "@/lib/calls/present-row";
import { formatInZone, zoneLabel } from "@/lib/calls/time-zone";
import { StatusBadge } from "./status-badge";

export function CallsTable({ rows, timeZone }: { rows: CallRow[]; timeZone: string }) {
  return (
    <div className="card overflow-x-auto p-0">
      <table className="w-full text-left text-sm" aria-label="Calls">
        <thead className="bg-slate-50 dark:bg-slate-800/60 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th className="px-3 py-2 font-medium">Started ({zoneLabel(timeZone)})</th>
            <th className="px-3 py-2 font-medium">Contact</th>
            <th className="px-3 py-2 font-medium">Direction</th>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 text-right font-medium">Duration</th>
            <th className="px-3 py-2 font-medium">Agent</th>
            <th className="px-3 py-2 font-medium">IVR flow</th>
            <th className="px-3 py-2 font-medium">Ended by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-call-id={c.id} className="border-t border-slate-100 dark:border-slate-800 align-top hover:bg-slate-50 dark:hover:bg-slate-800">
              <td className="whitespace-nowrap px-3 py-2">
                <Link className="text-brand-700 dark:text-brand-500 hover:underline" href={`/calls/${c.id}`}>
                  {formatInZone(c.startedAt, timeZone)}
                </Link>
              </td>
              <td className="px-3 py-2">
                <div className="font-medium">{c.contact?.name ?? <span className="text-slate-400 dark:text-slate-500">Unknown</span>}</div>
                <div className="whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">
                  {formatPhone(c.callerPhone)} · {c.account.name}
                </div>
              </td>
              <td className="px-3 py-2">{DIRECTION_TEXT[c.direction]}</td>
              <td className="px-3 py-2">
                <StatusBadge status={c.status} />
                {noAgentAnswered(c) && <div className="mt-1 whitespace-nowrap text-xs text-amber-800 dark:text-amber-200">No agent answered</div>}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatDuration(c.durationSecs)}</td>
              <td className="px-3 py-2">{c.agent?.name ?? <span className="text-slate-400 dark:text-slate-500">—</span>}</td>
              <td className="px-3 py-2">{c.flow?.name ?? <span className="text-slate-400 dark:text-slate-500">—</span>}</td>
              {/* A system reason can be a long sentence: one line here, the whole of it on hover and on the call's page. */}
              <td className="max-w-[16rem] truncate px-3 py-2 text-slate-700 dark:text-slate-200" title={endedByText(c)}>
                {endedByText(c)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
