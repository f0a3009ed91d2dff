// How a member's availability reads on the admin pages (Teams, People): its word and its dot.
import type { AgentStatus } from "@/lib/agents/contract";

export const PRESENCE: Record<AgentStatus, { label: string; dot: string }> = {
  available: { label: "Available", dot: "bg-emerald-500" },
  away: { label: "Away", dot: "bg-amber-400" },
  offline: { label: "Offline", dot: "bg-slate-300" },
};
