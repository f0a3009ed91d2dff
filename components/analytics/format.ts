// Number formats shared by the analytics panels.
export const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export function secs(x: number | null): string {
  if (x === null) return "—";
  if (x < 60) return `${x.toFixed(x < 10 ? 1 : 0)} s`;
  const m = Math.floor(x / 60);
  return `${m} min ${String(Math.round(x - m * 60)).padStart(2, "0")} s`;
}

export const OUTCOME_COLORS: Record<string, string> = {
  answered: "#10b981",
  ivr: "#6366f1",
  abandoned: "#f59e0b",
  missed: "#94a3b8",
  failed: "#ef4444",
};

export const PALETTE = ["#10b981", "#6366f1", "#f59e0b", "#ef4444", "#0ea5e9", "#a855f7", "#84cc16", "#64748b"];
