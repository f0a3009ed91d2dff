"use client";
// Service level per team and day: met (green) or missed (red) against the team's own target.
import type { ServiceLevelTeam } from "@/lib/analytics/queries";
import { ChartCard } from "./chart-card";
import { pct } from "./format";

export function ServiceLevelPanel({ teams }: { teams: ServiceLevelTeam[] }) {
  const rows = teams.flatMap((t) => t.days.map((d) => [t.name, d.day, d.waited, d.answeredWithin, pct(d.level), d.met ? "met" : "missed"]));
  return (
    <ChartCard
      id="service-level"
      title="Service level"
      description="Share of the calls that waited for the team answered within its target (set on the Teams page)."
      table={{ columns: ["team", "day", "waited", "answered within target", "level", "result"], rows }}
    >
      <div className="space-y-3">
        {teams
          .filter((t) => t.days.length > 0)
          .map((t) => {
            const met = t.days.filter((d) => d.met).length;
            return (
              <div key={t.id} data-testid={`sl-${t.name}`}>
                <p className="mb-1 text-sm dark:text-slate-200">
                  <span className="font-medium">{t.name}</span>{" "}
                  <span className="text-slate-500 dark:text-slate-400">
                    target {t.targetPercent}% within {t.targetSeconds} s · met on {met} of {t.days.length} {t.days.length === 1 ? "day" : "days"}
                  </span>
                </p>
                <div className="flex flex-wrap gap-0.5">
                  {t.days.map((d) => (
                    <span
                      key={d.day}
                      title={`${d.day}: ${pct(d.level)} (${d.answeredWithin} of ${d.waited}) — ${d.met ? "met" : "missed"}`}
                      role="img"
                      aria-label={`${t.name} ${d.day} ${d.met ? "met" : "missed"}`}
                      className={`h-4 w-3 rounded-sm ${d.met ? "bg-emerald-500" : "bg-red-400 dark:bg-red-500"}`}
                    />
                  ))}
                </div>
              </div>
            );
          })}
      </div>
    </ChartCard>
  );
}
