// The call panel's single store: state changes only through `handle(event)`; React reads it with
// useSyncExternalStore. No component keeps its own copy of "is there a call".
import { useSyncExternalStore } from "react";
import { initialPanelState, type PanelEvent, type PanelState, reduce } from "./reducer";

export interface PanelStore {
  getState(): PanelState;
  subscribe(listener: () => void): () => void;
  handle(event: PanelEvent): void;
}

export function createPanelStore(initial: PanelState = initialPanelState, clock: () => number = Date.now): PanelStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handle(event) {
      const next = reduce(state, event, clock());
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
  };
}

export function usePanelState(store: PanelStore): PanelState {
  return useSyncExternalStore(store.subscribe, store.getState, () => initialPanelState);
}
