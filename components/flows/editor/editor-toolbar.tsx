"use client";
// The editor's top bars: the flow's name, version and actions, and the palette of node types.
import Link from "next/link";
import { NODE_TYPES, type NodeType, nodeSpec } from "@/lib/ivr";
import { NODE_ICONS } from "./ivr-node";

/** What the palette puts in a drag, read back by the canvas's drop handler. */
export const DRAG_TYPE = "application/x-ringflow-node";

interface ToolbarProps {
  flow: { id: string; name: string };
  version: number;
  /** The saved draft has changes the published version does not. */
  unpublished: boolean;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  canLayout: boolean;
  showDropoff: boolean;
  showSim: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onToggleDropoff: () => void;
  onToggleSim: () => void;
  onSave: () => void;
  onPublish: () => void;
}

export function EditorToolbar(p: ToolbarProps) {
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-700 dark:bg-slate-900">
      <h1 className="mr-2 text-lg font-semibold">{p.flow.name}</h1>
      <span className="text-xs text-slate-500 dark:text-slate-400">
        {p.version ? `published v${p.version}` : "never published"}
        {p.dirty ? " · unsaved changes" : p.version && p.unpublished ? " · saved draft not published yet" : ""}
      </span>
      <div className="ml-auto flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" className="btn-secondary" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button type="button" className="btn-secondary" onClick={p.onLayout} disabled={!p.canLayout}>
          Auto-layout
        </button>
        <Link href={`/flows/${p.flow.id}/versions`} className="btn-secondary">
          Versions
        </Link>
        <button type="button" className="btn-secondary" aria-pressed={p.showDropoff} onClick={p.onToggleDropoff}>
          Drop-off
        </button>
        <button type="button" className="btn-secondary" onClick={p.onToggleSim}>
          {p.showSim ? "Hide test call" : "Test call"}
        </button>
        <button type="button" className="btn-secondary" onClick={p.onSave} title="Save (Ctrl+S)">
          Save
        </button>
        <button type="button" className="btn-primary" onClick={p.onPublish}>
          Publish
        </button>
      </div>
    </div>
  );
}

/** Node types to drag onto the canvas, or click to add in view. */
export function NodePalette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  return (
    <div
      className="flex gap-1 overflow-x-auto border-b border-slate-200 bg-slate-50 px-4 py-2 dark:border-slate-700 dark:bg-slate-800/60"
      role="toolbar"
      aria-label="Node palette"
    >
      {NODE_TYPES.map((t) => (
        <button
          key={t}
          type="button"
          draggable
          data-palette={t}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, t);
            e.dataTransfer.effectAllowed = "move";
          }}
          onClick={() => onAdd(t)}
          className="btn-secondary shrink-0 cursor-grab whitespace-nowrap px-2 xl:px-3"
          title="Drag onto the canvas (or click to add)"
        >
          <span aria-hidden className="mr-1">
            {NODE_ICONS[t]}
          </span>
          {nodeSpec(t).title}
        </button>
      ))}
    </div>
  );
}
