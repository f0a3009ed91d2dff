"use client";
// The teams, flows and audio files the editor's pickers offer, fetched again whenever the editor's tab
// comes back into view: an admin who adds a team, a flow or an audio file in another tab finds it in
// the pickers on returning, without a reload that would lose unsaved edits.
import { useEffect, useState } from "react";
import { apiCall } from "../../api-client";
import type { EditorRefs } from "./properties-panel";

type Named = { id: string; name: string };
const byName = <T extends Named>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

/** `initial`: what the page rendered with; `flowId`: the flow being edited (not offered to goto-flow). */
export function useFreshRefs(initial: EditorRefs, flowId: string): EditorRefs {
  const [refs, setRefs] = useState(initial);
  useEffect(() => {
    let inFlight = false;
    let gone = false;
    async function refresh() {
      if (document.visibilityState !== "visible" || inFlight) return;
      inFlight = true;
      try {
        const [teams, flows, assets] = await Promise.all([
          apiCall<Named[]>("/api/teams"),
          apiCall<Named[]>("/api/flows"),
          apiCall<(Named & { status: string })[]>("/api/audio"),
        ]);
        const fresh: EditorRefs = {
          teams: byName(teams.map(({ id, name }) => ({ id, name }))),
          flows: byName(flows.filter((f) => f.id !== flowId).map(({ id, name }) => ({ id, name }))),
          assets: byName(assets.map(({ id, name, status }) => ({ id, name, status }))),
        };
        if (!gone) setRefs((old) => (JSON.stringify(old) === JSON.stringify(fresh) ? old : fresh));
      } catch {
        // Offline or signed out: the pickers keep what they had, and the next return tries again.
      } finally {
        inFlight = false;
      }
    }
    const onVisible = () => void refresh();
    window.addEventListener("focus", onVisible);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      gone = true;
      window.removeEventListener("focus", onVisible);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [flowId]);
  return refs;
}
