// Small display helpers for the call panel.
import type { Offer } from "@/lib/agents/contract";
import { handleWords } from "@/lib/calls/path-words";
import { BUILT_IN_VARIABLES } from "@/lib/ivr/built-in-variables";
import type { ActiveCall } from "./reducer";

/** Whole seconds as m:ss (or h:mm:ss past an hour). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${String(m).padStart(2, "0")}:${s}`;
}

/** "Main menu [1]", "Hours › outside business hours": each IVR step as its label plus the digits or the way it left, in words. */
export function pathSummary(path: Offer["path"]): string[] {
  return path.map((step) => {
    const digits = step.digits ? ` [${step.digits}]` : "";
    const handle =
      step.handle && step.handle !== "default" && !(step.digits && step.handle.startsWith("digit:"))
        ? ` › ${handleWords(step.nodeType, step.handle, step.digits)}`
        : "";
    return `${step.label || step.nodeType}${handle}${digits}`;
  });
}

/** What the IVR collected, for the agent: the built-in caller_phone and call_id are left out (the card shows the caller). */
export function variableEntries(variables: Offer["variables"], max = 8): [string, string][] {
  return Object.entries(variables)
    .filter(([k]) => !BUILT_IN_VARIABLES.has(k))
    .slice(0, max)
    .map(([k, v]) => {
      const text = typeof v === "string" ? v : JSON.stringify(v);
      return [k, text.length > 80 ? `${text.slice(0, 77)}…` : text];
    });
}

export const callerLabel = (caller: Offer["caller"]) => caller.name || `+${caller.phone}`;

/** Who ended the call, in the agent's words (on an outgoing call the WhatsApp user is the contact, not the caller). */
export function endedText(ended: ActiveCall["ended"], direction: ActiveCall["direction"] = "incoming"): string {
  if (!ended) return "The call ended";
  if (ended.source === "away") return "The call ended while this page was reloading";
  if (ended.by === "client") return ended.reason || (direction === "outgoing" ? "The contact hung up" : "Caller hung up");
  if (ended.by === "agent") return "You hung up";
  if (ended.by === "system") return ended.reason?.startsWith("Ended by ") ? ended.reason : `Ended by the system: ${ended.reason || "no reason given"}`;
  return ended.reason ? `The call ended: ${ended.reason}` : "The call ended";
}
