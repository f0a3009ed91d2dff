"use client";
// One analytics panel: a chart, or the same numbers as a table, and a CSV download of them.
import { type ReactNode, useState } from "react";
import { type CsvValue, csvRow } from "@/lib/calls/csv";

export interface TableData {
  columns: string[];
  rows: CsvValue[][];
}

function download(name: string, data: TableData) {
  const text = [data.columns, ...data.rows].map((r) => csvRow(r)).join("");
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `${name}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export function ChartCard({
  id,
  title,
  description,
  table,
  noCalls,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  table: TableData;
  /** No calls in the range, for a panel whose table has a row per category even then (zeros). */
  noCalls?: boolean;
  children: ReactNode;
}) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const empty = noCalls ?? table.rows.length === 0;
  return (
    <section aria-label={title} data-testid={`chart-${id}`} className="card p-4 dark:border-slate-700 dark:bg-slate-900">
      <div className="mb-3 flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="font-semibold dark:text-slate-100">{title}</h2>
          {description && <p className="text-xs text-slate-500 dark:text-slate-400">{description}</p>}
        </div>
        <div className="flex shrink-0 gap-1 text-xs">
          <button
            type="button"
            className="btn-secondary px-2 py-1 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
            aria-pressed={view === "table"}
            onClick={() => setView(view === "chart" ? "table" : "chart")}
          >
            {view === "chart" ? "Table" : "Chart"}
          </button>
          <button
            type="button"
            className="btn-secondary px-2 py-1 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
            disabled={empty}
            onClick={() => download(id, table)}
          >
            CSV
          </button>
        </div>
      </div>
      {empty ? (
        <p className="py-8 text-center text-sm text-slate-500 dark:text-slate-400">No calls in this range.</p>
      ) : view === "chart" ? (
        children
      ) : (
        <div className="max-h-80 overflow-auto">
          <table className="w-full text-left text-sm">
            <thead className="sticky top-0 bg-white text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
              <tr>
                {table.columns.map((c) => (
                  <th key={c} className="px-2 py-1 font-medium">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800 dark:text-slate-200">
              {table.rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and never reordered
                <tr key={i}>
                  {r.map((v, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={j} className="px-2 py-1 tabular-nums">
                      {v ?? "—"}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
