"use client";
// How a flow node looks on the canvas: icon, label, one-line summary, labelled output handles.
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { type DraftNode, handleLabel } from "@/lib/ivr";
import { handlesOf, summaryOf } from "./document-ops";

export const NODE_ICONS: Record<string, string> = {
  // Plain symbols every system font has (emoji are missing on many Linux desktops).
  greeting: "♪",
  menu: "☰",
  gather: "#",
  http_callback: "⇄",
  transfer: "☎",
  goto_flow: "↪",
  timing: "◷",
  hangup: "■",
};

export interface IvrNodeData extends Record<string, unknown> {
  node: DraftNode;
  isEntry: boolean;
  errors: string[];
  warnings: string[];
  current: boolean;
  visited: boolean;
  /** Drop-off view: calls that reached this node and visits that ended the call here. */
  stats?: { reached: number; ended: number; handles: Record<string, number>; key: string };
  /** Transfer: the team's name; goto: the flow's name; greeting, hangup: the audio file's (the config holds only the id). */
  refName?: string;
  /** Versions compare view: how this node differs from the older version. */
  diff?: "added" | "removed" | "changed";
}

const DIFF_RING = { added: "ring-4 ring-emerald-400", removed: "ring-4 ring-red-400 opacity-60", changed: "ring-4 ring-amber-400" } as const;

function summaryLine(node: DraftNode, refName: string | undefined): string {
  if (node.type === "transfer" && refName) return `to ${refName}`;
  if (node.type === "goto_flow" && refName) return `to flow ${refName}`;
  if ((node.type === "greeting" || node.type === "hangup") && refName) return `audio: ${refName}`;
  return summaryOf(node);
}

export function IvrNode({ data, selected }: NodeProps & { data: IvrNodeData }) {
  const { node, isEntry, errors, warnings, current, visited, stats, refName, diff } = data;
  const handles = handlesOf(node);
  const ring = diff ? DIFF_RING[diff] : current ? "ring-4 ring-amber-400" : selected ? "ring-2 ring-brand-500" : visited ? "ring-2 ring-amber-200" : "";
  const border = errors.length ? "border-red-400" : warnings.length ? "border-amber-400" : "border-slate-300 dark:border-slate-600";
  return (
    <div
      data-testid={`node-${node.id}`}
      data-node-type={node.type}
      data-diff={diff}
      className={`w-56 rounded-lg border-2 bg-white dark:bg-slate-900 text-xs shadow-sm ${border} ${ring}`}
    >
      <Handle type="target" position={Position.Left} className="!h-3 !w-3 !bg-slate-500" />
      <div className="flex items-center gap-2 border-b border-slate-100 dark:border-slate-800 px-3 py-2">
        <span aria-hidden>{NODE_ICONS[node.type]}</span>
        <span className="truncate font-semibold text-slate-800 dark:text-slate-100">{node.label || node.type}</span>
        {isEntry && <span role="img" title="Entry: calls start here" aria-label="entry node" className="ml-auto size-2.5 shrink-0 rounded-full bg-green-500" />}
        {errors.length > 0 && (
          <span className="ml-auto rounded bg-red-100 px-1 text-red-700 dark:bg-red-900/60 dark:text-red-200" title={errors.join("\n")}>
            {errors.length}
          </span>
        )}
      </div>
      <p className="truncate px-3 py-1.5 text-slate-500 dark:text-slate-400">{summaryLine(node, refName)}</p>
      {stats && (
        <p data-testid={`dropoff-${node.id}`} className="border-t border-sky-100 bg-sky-50 px-3 py-1 text-[11px] text-sky-900">
          {stats.reached.toLocaleString("en-GB")} call{stats.reached === 1 ? "" : "s"} reached
          {stats.ended > 0 && ` · ${stats.ended.toLocaleString("en-GB")} ended here`}
        </p>
      )}
      {handles.length > 0 && (
        <div className="flex flex-col gap-1 px-3 pb-2">
          {handles.map((h) => (
            <div key={h} className="relative text-right text-[11px] text-slate-600 dark:text-slate-300" title={h} data-handle-label={h}>
              {handleLabel(node.type, node.config, h)}
              {stats && (
                <span data-testid={`dropoff-${node.id}-${h}`} className="ml-1 rounded bg-sky-100 px-1 font-semibold text-sky-900">
                  {(stats.handles[h] ?? 0).toLocaleString("en-GB")}
                </span>
              )}
              <Handle type="source" id={h} position={Position.Right} data-handle={h} className="!h-3 !w-3 !bg-brand-600" style={{ right: -19 }} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
