"use client";
// Browser-level behaviour of the editor: keyboard shortcuts and the unsaved-changes guard.
import { useEffect, useRef } from "react";

export interface EditorKeys {
  undo(): void;
  redo(): void;
  save(): void;
  duplicate(): void;
  selectAll(): void;
  nudge(dx: number, dy: number): void;
}

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Ctrl/⌘+Z, Ctrl+Shift+Z / Ctrl+Y, Ctrl+S, Ctrl+D, Ctrl+A and arrow nudges (Shift: 10× further). */
export function useEditorKeys(keys: EditorKeys) {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = ref.current;
      const target = e.target as HTMLElement;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "s") {
        // Saving works from anywhere, fields included.
        e.preventDefault();
        k.save();
        return;
      }
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      const key = e.key.toLowerCase();
      const run = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (mod && key === "z") run(e.shiftKey ? k.redo : k.undo);
      else if (mod && key === "y") run(k.redo);
      else if (mod && key === "d") run(k.duplicate);
      else if (mod && key === "a" && !target.closest("aside, [role=dialog]")) run(k.selectAll);
      else if (ARROWS[e.key] && !mod && !target.closest(".react-flow__node, aside, button, a")) {
        // A focused canvas node moves itself (React Flow); from the pane the selection moves here.
        const [dx, dy] = ARROWS[e.key]!;
        const step = e.shiftKey ? 50 : 5;
        run(() => k.nudge(dx * step, dy * step));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

export const LEAVE_MESSAGE = "This flow has unsaved changes. Leave without saving them?";

/**
 * Asks before leaving with unsaved changes: closing or reloading the tab (beforeunload) and any
 * in-app link, such as the sidebar or the editor's Versions link. A capture listener on window runs before
 * Next's Link handler, so a "stay" stops the client-side navigation too.
 */
export function useUnsavedGuard(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = (e.target as HTMLElement).closest?.("a[href]") as HTMLAnchorElement | null;
      if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
      if (new URL(link.href, location.href).origin !== location.origin) return;
      if (!window.confirm(LEAVE_MESSAGE)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    window.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      window.removeEventListener("click", onClick, true);
    };
  }, [dirty]);
}
